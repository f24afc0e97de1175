"""The BI tables as files: ``/programs/{program}/exports/{table}.csv|.json|.xlsx|.parquet``.

The tables, their columns and types live in ``bi.tables``; the writers in ``bi.writers``.
CSV and Parquet stream whatever the size; JSON is paginated like every collection.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from bi import writers
from bi.filters import STATE_CHOICES, table_filters
from bi.tables import TABLES, Read, UnknownTable, table_class, table_read
from clusters.models import Cluster

from .base import ProgramScopedView
from .pagination import PageNumberPagination
from .renderers import CsvRenderer, PassthroughRenderer, XlsxRenderer
from .schema import FILE_PROBLEMS

FORMATS = ("csv", "json", "xlsx", "parquet")


class ParquetRenderer(PassthroughRenderer):
    media_type = writers.PARQUET_CONTENT_TYPE
    format = "parquet"


def _page(request: Request, table: Any) -> Response:
    """One page of rows: ``{"count", "next", "previous", "results"}`` with ``page`` and
    ``page_size`` (at most 500), like every collection of the API."""
    pager = PageNumberPagination()
    pager._positive(request, pager.page_query_param)
    pager._positive(request, pager.page_size_query_param, pager.max_page_size)
    number = int(request.query_params.get(pager.page_query_param) or 1)
    size = int(request.query_params.get(pager.page_size_query_param) or pager.page_size)
    count = table.count()
    if number > 1 and (number - 1) * size >= count:
        raise exceptions.NotFound(f"Page {number} is past the last page.")
    rows = table.rows(offset=(number - 1) * size, limit=size)
    url = request.build_absolute_uri()
    has_next = number * size < count
    previous = None
    if number > 1:
        previous = (
            remove_query_param(url, pager.page_query_param)
            if number == 2
            else replace_query_param(url, pager.page_query_param, number - 1)
        )
    return Response(
        {
            "count": count,
            "next": replace_query_param(url, pager.page_query_param, number + 1)
            if has_next
            else None,
            "previous": previous,
            "results": writers.json_rows(type(table), rows),
        }
    )


class TableExport(ProgramScopedView):
    """A BI table of the programme as CSV, JSON, XLSX or Parquet.

    Tables: `clusters`, `funding-sources`, `kpis` (dimensions); `funding`, `costs`,
    `kpi-values`, `submissions` (facts, one row per line); `funding-mix` (the stored
    portfolio funding mix, long: year, category, source, amount, share). Columns and types
    are documented in docs/bi.md and in each XLSX's `columns` sheet. Fact tables take
    `year`, `state` (`approved` by default, `any`, or one state) and `updated_since` (ISO
    8601: rows whose submission, cluster or fx rate changed since); `funding-mix` takes
    `year`. A cluster_editor gets its own clusters' rows; `funding-mix` is for admins and
    analysts. CSV and Parquet are streamed; JSON is paginated (`page`, `page_size`).
    """

    queryset = Cluster.objects.none()
    renderer_classes = [renderers.JSONRenderer, CsvRenderer, XlsxRenderer, ParquetRenderer]

    @extend_schema(
        operation_id="table_export",
        parameters=[
            OpenApiParameter(
                "table", str, OpenApiParameter.PATH, enum=list(TABLES), description="The table."
            ),
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=list(FORMATS), description="The format."
            ),
            OpenApiParameter("year", int, required=False, description="Only this year."),
            OpenApiParameter(
                "state",
                str,
                required=False,
                enum=list(STATE_CHOICES),
                description="Fact tables: `approved` (default), `any`, or one state.",
            ),
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                required=False,
                description="Fact tables: rows changed at or after this time (ISO 8601).",
            ),
            OpenApiParameter("page", int, required=False, description="JSON: page number."),
            OpenApiParameter(
                "page_size", int, required=False, description="JSON: rows a page (at most 500)."
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="UTF-8 CSV."),
            (200, "application/json"): OpenApiResponse(
                {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "next": {"type": "string", "nullable": True},
                        "previous": {"type": "string", "nullable": True},
                        "results": {"type": "array", "items": {"type": "object"}},
                    },
                },
                description="One page of rows by column name.",
            ),
            (200, writers.XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="A workbook."
            ),
            (200, writers.PARQUET_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="A Parquet file."
            ),
            **FILE_PROBLEMS,
        },
    )
    def get(self, request: Request, program: str, table: str, fmt: str) -> Any:
        try:
            cls = table_class(table)
        except UnknownTable:
            raise exceptions.NotFound(f"No table '{table}'; tables: {', '.join(TABLES)}.") from None
        filters = table_filters(request.query_params, table=table, accepted=cls.accepts)
        read = table_read(access=self.access, name=table, read=Read(filters))
        if fmt == "json":
            return _page(request, read)
        name = "-".join(
            part
            for part in (
                program,
                table,
                str(filters.year) if filters.year else "",
                ("any" if filters.state is None else filters.state)
                if "state" in cls.accepts and filters.state != "approved"
                else "",
            )
            if part
        )
        disposition = f'attachment; filename="{name}.{fmt}"'
        if fmt == "xlsx":
            return FileResponse(
                writers.xlsx_file(cls, read.rows()),
                content_type=writers.XLSX_CONTENT_TYPE,
                headers={"Content-Disposition": disposition},
            )
        if fmt == "parquet":
            chunks = writers.parquet_chunks(cls, read.rows())
            content_type = writers.PARQUET_CONTENT_TYPE
        else:
            chunks = writers.csv_chunks(cls, read.rows())
            content_type = writers.CSV_CONTENT_TYPE
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = disposition
        return response
