"""The OData v4 feed of a programme's BI tables, at ``/odata/{program}/``.

``/odata/{program}/`` (service document), ``$metadata`` (EDMX), and one entity set per
table (``Clusters``, ``FundingSources``, ``Kpis``, ``Funding``, ``Costs``, ``KpiValues``,
``Submissions``, ``FundingMix``) with ``$filter``, ``$select``, ``$orderby``, ``$top``,
``$skip`` and ``$count``, paged by the server with ``@odata.nextLink`` (``Prefer:
odata.maxpagesize=N`` sets the page size). The same rows as the REST exports: fact sets
hold approved submissions unless the custom option ``state=any`` (or one state) asks
otherwise; ``year`` and ``updated_since`` work as there too. Read-only, JSON only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from bi.columns import (
    BOOLEAN,
    DATETIME,
    DECIMAL,
    DOUBLE,
    INTEGER,
    TEXT,
    YEAR,
    datetime_text,
    decimal_text,
)
from bi.filters import table_filters
from bi.tables import BY_ENTITY_SET, TABLES, Read, Row, Table, table_read
from clusters.access import Access, Scope
from clusters.models import ApiToken, Program
from clusters.validation import whole_number

from .auth import ODataAuthentication
from .errors import ODATA_HEADERS, error_response, exception_response
from .metadata import metadata_document
from .query import Options, parse_options

DEFAULT_PAGE = 10_000
MAX_PAGE = 50_000
JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"
_MAXPAGESIZE = re.compile(r"^(?:odata\.)?maxpagesize\s*=\s*([0-9]+)$")


class AnyAccept(BaseContentNegotiation):
    """The feed answers JSON, and XML for $metadata, whatever ``Accept`` asks."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class FeedView(APIView):
    authentication_classes = [ODataAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept
    # Not in the REST API's OpenAPI schema: the feed describes itself in $metadata.
    schema = None
    access: Access

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # 401, then 429
        token = request.auth if isinstance(request.auth, ApiToken) else None
        scope = Scope.of(user=None if token else request.user, token=token, via="odata")
        try:
            self.access = scope.access(kwargs["program"])
        except Program.DoesNotExist:
            raise Program.DoesNotExist(f"No programme '{kwargs['program']}'.") from None

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], HttpResponse]:
        # Every failure, DRF's own included, in OData's error format (not DRF's Response).
        return _odata_exception_handler

    def root(self, request: Request) -> str:
        return request.build_absolute_uri(f"/odata/{self.access.program.slug}/")


def _odata_exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse:
    return exception_response(exc)


_R = TypeVar("_R", bound=HttpResponseBase)


def _headers(response: _R) -> _R:
    for name, value in ODATA_HEADERS.items():
        response[name] = value
    return response


class ServiceDocument(FeedView):
    def get(self, request: Request, program: str) -> HttpResponse:
        body = {
            "@odata.context": f"{self.root(request)}$metadata",
            "value": [
                {"name": t.entity_set, "kind": "EntitySet", "url": t.entity_set}
                for t in TABLES.values()
            ],
        }
        return _headers(HttpResponse(json.dumps(body), content_type=JSON_TYPE))


class Metadata(FeedView):
    def get(self, request: Request, program: str) -> HttpResponse:
        return _headers(
            HttpResponse(metadata_document(), content_type="application/xml;charset=utf-8")
        )


# --- entity sets -----------------------------------------------------------------------


def _encoder(kind: str, *, ieee754: bool) -> Callable[[Any], str]:
    if kind == TEXT:
        return lambda v: json.dumps(v, ensure_ascii=False)
    if kind in (YEAR, INTEGER):
        return str
    if kind == BOOLEAN:
        return lambda v: "true" if v else "false"
    if kind == DECIMAL:
        # exact digits as a JSON number (strings when the client asks IEEE754Compatible)
        return (lambda v: f'"{decimal_text(v, 0)}"') if ieee754 else (lambda v: decimal_text(v, 0))
    if kind == DOUBLE:
        return lambda v: repr(float(v))
    assert kind == DATETIME
    return lambda v: f'"{datetime_text(v)}"'


def _row_writer(
    table: type[Table], names: tuple[str, ...], *, ieee754: bool
) -> Callable[[Row], str]:
    index = {c.name: i for i, c in enumerate(table.columns)}
    parts = [
        (index[n], json.dumps(n) + ":", _encoder(table.column(n).type, ieee754=ieee754))
        for n in names
    ]

    def write(row: Row) -> str:
        return (
            "{"
            + ",".join(key + ("null" if row[i] is None else enc(row[i])) for i, key, enc in parts)
            + "}"
        )

    return write


def _page_size(request: Request) -> tuple[int, bool]:
    for item in request.headers.get("Prefer", "").split(","):
        match = _MAXPAGESIZE.match(item.strip())
        if match is None:
            continue
        # ASCII digits, but maybe more than int() reads: that many asks for the largest page
        size = whole_number(match.group(1))
        size = MAX_PAGE if size is None else size
        if size > 0:
            return min(size, MAX_PAGE), True
    return DEFAULT_PAGE, False


def _wants_ieee754(request: Request) -> bool:
    accept = request.headers.get("Accept", "") + ";" + request.query_params.get("$format", "")
    return "ieee754compatible=true" in accept.replace(" ", "").lower()


def _custom_filters(table: type[Table], request: Request) -> Any:
    # year, state, updated_since work as on the REST exports (custom query options)
    params = {k: v for k, v in request.query_params.items() if not k.startswith("$")}
    known = {k: v for k, v in params.items() if k in ("year", "state", "updated_since")}
    return table_filters(known, table=table.name, accepted=table.accepts)


class EntitySet(FeedView):
    def get(
        self, request: Request, program: str, entity_set: str, count_only: bool = False
    ) -> HttpResponseBase:
        table_cls = BY_ENTITY_SET.get(entity_set)
        if table_cls is None:
            return error_response(
                404,
                "not_found",
                f"No entity set '{entity_set}'; sets: {', '.join(BY_ENTITY_SET)}.",
            )
        options = parse_options(table_cls, request.query_params)
        read = Read(_custom_filters(table_cls, request), where=options.where, order=options.order)
        table = table_read(access=self.access, name=table_cls.name, read=read)
        if count_only:
            return _headers(HttpResponse(str(table.count()), content_type="text/plain"))
        return self._payload(request, table, options)

    def _payload(self, request: Request, table: Table, options: Options) -> StreamingHttpResponse:
        cls = type(table)
        page, preferred = _page_size(request)
        limit = page if options.top is None else min(page, options.top)
        root = self.root(request)
        context = f"{root}$metadata#{cls.entity_set}"
        if options.select:
            context += f"({','.join(options.select)})"
        head: dict[str, Any] = {"@odata.context": context}
        if options.count:
            head["@odata.count"] = table.count()
        rows = list(table.rows(offset=options.skip, limit=limit + 1)) if limit else []
        more = len(rows) > limit
        rows = rows[:limit]
        if options.top is not None and options.top <= limit:
            more = False
        next_link = None
        if more:
            params = dict(request.query_params.items())
            params["$skip"] = str(options.skip + limit)
            if options.top is not None:
                params["$top"] = str(options.top - limit)
            next_link = f"{root}{cls.entity_set}?{urlencode(params)}"
        write = _row_writer(cls, options.select or cls.names(), ieee754=_wants_ieee754(request))

        def body() -> Iterator[bytes]:
            yield (json.dumps(head)[:-1] + ',"value":[').encode()
            batch: list[str] = []
            for n, row in enumerate(rows):
                batch.append(("," if n else "") + write(row))
                if len(batch) >= 500:
                    yield "".join(batch).encode()
                    batch = []
            yield "".join(batch).encode()
            tail = "]" + (f',"@odata.nextLink":{json.dumps(next_link)}' if next_link else "") + "}"
            yield tail.encode()

        response = StreamingHttpResponse(body(), content_type=JSON_TYPE)
        if preferred:
            response["Preference-Applied"] = f"odata.maxpagesize={page}"
        return _headers(response)


class EntitySetCount(EntitySet):
    def get(
        self, request: Request, program: str, entity_set: str, count_only: bool = True
    ) -> HttpResponseBase:
        return super().get(request, program, entity_set, count_only=True)
