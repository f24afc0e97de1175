"""Canvases over REST: the current canvas of each kind and its alternatives, versions and
diffs, the pictures, the canvases derived from the approved submissions, and Miro.

Thin: every rule lives in canvases.services / canvases.selectors; the views read the URL,
call them and serialize. Under /programs/{program}/clusters/{cluster}/canvases/.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from canvases import actuals, drawing, selectors
from canvases import kinds as k
from canvases import services as svc
from canvases.models import Canvas, CanvasVersion
from clusters.validation import require_year

from .base import ProgramScopedView

KIND_DOC = (
    "`kind` is one of " + ", ".join(f"`{x}`" for x in k.KINDS) + ". Bodies: a map is "
    '`{"shares": [{"source", "share"}]}`; an evolution map `{"stages": [{"label", "year", '
    '"year_to", "budget", "budget_needed", "financial_stress", "note", "shares"}]}`; a '
    'business-model canvas `{"blocks": {"<block>": [{"text", "state"}]}}` (14 blocks, state '
    '`as_is` or `to_be`); a financing model `{"year", "shares", "cost_shares"}` (the response '
    'adds `age`); the value-impact roadmap `{"roadmaps": [...]}` (the cluster\'s roadmaps); the '
    "value triangle three texts; the strategy `ambition`, `focus_areas` (at most 5), "
    '`value_impact`, `roadmap`; the self-assessment `{"year", "levels": {area: {"level", '
    '"evidence"}}}`. Shares are fractions summing to 1 (within 0.0001); amounts decimal '
    "strings in the programme currency; unknown keys are refused."
)
ALTERNATIVE = OpenApiParameter(
    "alternative", str, description="A named alternative (a scenario); `current` when absent."
)
YEAR = OpenApiParameter("year", int, required=True, description="The reporting year.")
CANVAS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The canvas body with `alternative`, `version`, `created_by`, `created_at`.",
)


class CanvasVersionItemSerializer(serializers.Serializer):
    """One saved version: who, when and through which interface (docs only)."""

    version = serializers.IntegerField()
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    via = serializers.CharField(help_text="rest, graphql, miro, derived, demo")


VERSION_ITEM = CanvasVersionItemSerializer()


class LenientNegotiation(BaseContentNegotiation):
    """Pictures are answered whatever the Accept header; errors are always JSON problems."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class CanvasBase(ProgramScopedView):
    queryset = Canvas.objects.none()
    scope_cluster_path = "cluster"
    pagination_class: type[BasePagination] | None = None

    def alternative(self) -> str:
        return selectors.check_alternative(self.request.query_params.get("alternative"))


def _etag(response: Response, version: int) -> Response:
    response["ETag"] = f'"{version}"'
    return response


class CanvasDetail(CanvasBase):
    """The cluster's current canvas of a kind (or a named alternative with `?alternative=`).

    PUT saves a new version (the cluster's editors and admins; analysts read only); the
    response carries `ETag: "<version>"`, and a PUT with `If-Match` of an older version is
    a 412. A self-assessment takes `?year=` to read the latest one of that year.
    """

    @extend_schema(
        description=KIND_DOC,
        parameters=[
            ALTERNATIVE,
            OpenApiParameter("year", int, description="Self-assessment year."),
        ],
        responses=CANVAS,
    )
    def get(self, request: Request, program: str, cluster: str, kind: str) -> Response:
        raw_year = request.query_params.get("year")
        year = require_year(raw_year) if raw_year not in (None, "") else None
        data = selectors.canvas_view(
            access=self.access,
            cluster=self.cluster,
            kind=kind,
            alternative=self.alternative(),
            year=year,
        )
        return _etag(Response(data), data["version"])

    @extend_schema(
        description=KIND_DOC,
        parameters=[ALTERNATIVE],
        request=OpenApiTypes.OBJECT,
        responses={200: CANVAS, 201: CANVAS},
    )
    def put(self, request: Request, program: str, cluster: str, kind: str) -> Response:
        alternative = self.alternative()
        canvas = svc.canvas_put(
            access=self.access,
            cluster=self.cluster,
            kind=kind,
            data=request.data,
            alternative=alternative,
            if_match=request.headers.get("If-Match"),
        )
        data = selectors.canvas_view(
            access=self.access, cluster=self.cluster, kind=kind, alternative=alternative
        )
        created = getattr(canvas, "is_new", False)
        return _etag(
            Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK),
            data["version"],
        )


class CanvasAlternatives(CanvasBase):
    """Every named alternative of a kind side by side: `current` (the as-is) first, then the
    scenarios saved with `PUT {kind}/?alternative=<name>`."""

    @extend_schema(
        responses=inline_serializer(
            "CanvasAlternative",
            {
                "alternative": serializers.CharField(),
                "version": serializers.IntegerField(),
                "created_by": serializers.CharField(allow_null=True),
                "created_at": serializers.DateTimeField(allow_null=True),
            },
            many=True,
        )
    )
    def get(self, request: Request, program: str, cluster: str, kind: str) -> Response:
        return Response(
            selectors.canvas_alternatives(access=self.access, cluster=self.cluster, kind=kind)
        )


class CanvasVersions(CanvasBase, generics.ListAPIView):
    """The canvas's earlier versions, newest first, with who and when (the current one is
    `GET {kind}/`; `diff?from=&to=` compares any two saved versions, the current one too)."""

    queryset = CanvasVersion.objects.none()
    scope_cluster_path = "canvas__cluster"
    pagination_class = generics.ListAPIView.pagination_class
    # A class, so drf-spectacular documents the paginated list (an instance here left the
    # schema with "No response body").
    serializer_class = CanvasVersionItemSerializer

    @extend_schema(parameters=[ALTERNATIVE])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        versions = selectors.canvas_versions(
            access=self.access,
            cluster=self.cluster,
            kind=self.kwargs["kind"],
            alternative=self.alternative(),
        )
        page = self.paginate_queryset(versions)
        assert page is not None  # paginated: pagination_class is set above
        return self.get_paginated_response([selectors.version_meta(v) for v in page])


class CanvasVersionDetail(CanvasBase):
    """One saved version: its body with `version`, `created_by` and `created_at` beside it."""

    @extend_schema(parameters=[ALTERNATIVE], responses=CANVAS)
    def get(
        self, request: Request, program: str, cluster: str, kind: str, version: int
    ) -> Response:
        return Response(
            selectors.canvas_version_view(
                access=self.access,
                cluster=self.cluster,
                kind=kind,
                version=version,
                alternative=self.alternative(),
            )
        )


class CanvasDiff(CanvasBase):
    """What changed between two saved versions, field by field (`shares.<source>.share`,
    `stages.0.budget`, `blocks.members.1.text`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, required=True),
            OpenApiParameter("to", int, required=True),
            ALTERNATIVE,
        ],
        responses=inline_serializer(
            "CanvasDiff",
            {
                "from": VERSION_ITEM,
                "to": VERSION_ITEM,
                "changes": inline_serializer(
                    "CanvasChange",
                    {
                        "field": serializers.CharField(),
                        "from": serializers.CharField(allow_null=True),
                        "to": serializers.CharField(allow_null=True),
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request: Request, program: str, cluster: str, kind: str) -> Response:
        return Response(
            selectors.canvas_diff(
                access=self.access,
                cluster=self.cluster,
                kind=kind,
                from_version=request.query_params.get("from"),
                to_version=request.query_params.get("to"),
                alternative=self.alternative(),
            )
        )


class CanvasPicture(CanvasBase):
    content_negotiation_class = LenientNegotiation
    fmt = "svg"

    def get(self, request: Request, program: str, cluster: str, kind: str) -> HttpResponse:
        raw_year = request.query_params.get("year")
        year = require_year(raw_year) if raw_year not in (None, "") else None
        args: dict[str, Any] = {
            "access": self.access,
            "cluster": self.cluster,
            "kind": kind,
            "alternative": self.alternative(),
            "year": year,
        }
        if self.fmt == "svg":
            response = HttpResponse(
                drawing.canvas_svg(**args), content_type="image/svg+xml; charset=utf-8"
            )
        else:
            response = HttpResponse(drawing.canvas_png(**args), content_type="image/png")
        # An SVG opened directly must never run anything, whatever a note says.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CanvasSvg(CanvasPicture):
    """The canvas drawn as SVG (the same canvas always gives the same bytes)."""

    fmt = "svg"

    @extend_schema(parameters=[ALTERNATIVE], responses={(200, "image/svg+xml"): OpenApiTypes.STR})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().get(request, *args, **kwargs)


class CanvasPng(CanvasPicture):
    """The canvas drawn as PNG (rendered from the SVG)."""

    fmt = "png"

    @extend_schema(parameters=[ALTERNATIVE], responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().get(request, *args, **kwargs)


class _DerivedCanvas(CanvasBase):
    """A canvas derived from the approved submission of `year`; POST saves it as the
    cluster's current canvas of that kind (a new version; editors of the cluster and admins)."""

    kind: str
    derive: Any

    @extend_schema(parameters=[YEAR], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, program: str, cluster: str) -> Response:
        derive = type(self).derive
        return Response(
            derive(access=self.access, cluster=self.cluster, year=request.query_params.get("year"))
        )

    @extend_schema(parameters=[YEAR], request=None, responses=CANVAS)
    def post(self, request: Request, program: str, cluster: str) -> Response:
        svc.canvas_save_actual(
            access=self.access,
            cluster=self.cluster,
            kind=self.kind,
            year=request.query_params.get("year"),
        )
        data = selectors.canvas_view(access=self.access, cluster=self.cluster, kind=self.kind)
        return _etag(Response(data), data["version"])


class MapActual(_DerivedCanvas):
    """The business-model map derived from the approved submission of `year`: each funding
    source's amount in the programme currency and its share. POST saves it as the cluster's
    current map (a new version; editors of the cluster and admins)."""

    kind = k.BUSINESS_MODEL_MAP
    derive = staticmethod(actuals.map_actual)


class FinancingActual(_DerivedCanvas):
    """The financing model derived from the approved submission of `year`: funding and cost
    shares, the cluster's age. POST saves it as the current financing model."""

    kind = k.FINANCING_MODEL
    derive = staticmethod(actuals.financing_actual)


class EvolutionCompare(CanvasBase):
    """Each stage of the evolution map (or `?alternative=`) planned against the approved
    submission of its year: budget (the funding total in the programme currency) and shares,
    and the gap (actual minus planned); `actual` is null when there is none (`reason`)."""

    @extend_schema(parameters=[ALTERNATIVE], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, program: str, cluster: str) -> Response:
        view = selectors.canvas_view(
            access=self.access,
            cluster=self.cluster,
            kind=k.EVOLUTION_MAP,
            alternative=self.alternative(),
        )
        canvas = selectors.canvas_row(
            access=self.access,
            cluster=self.cluster,
            kind=k.EVOLUTION_MAP,
            alternative=view["alternative"],
        )
        stored = canvas.body.get("stages", []) if canvas is not None else []
        return Response(
            actuals.evolution_compare(access=self.access, cluster=self.cluster, stages=stored)
        )
