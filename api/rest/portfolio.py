"""Portfolio figures: /programs/{program}/portfolio/... (program_admin and program_analyst).

Each view hands its query string to an ``impact.selectors.portfolio`` serve function, which
validates it and answers the figure (stored by the recompute task, else computed on
demand); the view adds ``as_of`` and ``source`` ("stored" or "computed").
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.filters import FIGURE_FILTERS, GROUP_BY_FIELDS
from clusters.models import Category, Stage
from clusters.validation import require_choice
from impact.models import PortfolioSnapshot
from impact.selectors import portfolio as svc
from impact.selectors.figures import Served

from .base import ProgramScopedView
from .pagination import PageNumberPagination

# --- query strings: passed to the domain as sent; it validates them (validation kit) -------

ORDERINGS = [
    f"{sign}{key}"
    for key in ("cluster", "total", "public_share", "hhi", "balance")
    for sign in ("", "-")
]


def _filters(request: Request) -> dict[str, Any]:
    return {k: request.query_params.get(k) for k in FIGURE_FILTERS}


# --- response shapes (for the OpenAPI schema) -------------------------------------------------


class PortfolioAmountShareSerializer(serializers.Serializer):
    amount = serializers.CharField(
        help_text="Decimal string in the programme currency, to the cent"
    )
    share = serializers.FloatField(help_text="Fraction of the total, 0 when the total is 0")


class FundingByCategorySerializer(serializers.Serializer):
    public = PortfolioAmountShareSerializer()
    private = PortfolioAmountShareSerializer()
    project = PortfolioAmountShareSerializer()


class SourceShareSerializer(PortfolioAmountShareSerializer):
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    source = serializers.CharField()  # type: ignore[assignment]
    category = serializers.CharField()


class PublicShareStatsSerializer(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)


class PortfolioExcludedSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    reason = serializers.CharField(help_text="e.g. 'no fx rate for AUD in 2021'")


class FreshnessSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField(help_text="When the figure was computed")
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["stored", "computed"],
        help_text="'stored' (precomputed by the recompute task) or 'computed' on demand",
    )


class FundingMixBodySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    currency = serializers.CharField(help_text="The programme currency")
    clusters = serializers.IntegerField(help_text="Approved submissions counted")
    total = serializers.CharField()
    by_category = FundingByCategorySerializer()
    by_source = SourceShareSerializer(many=True)
    cluster_public_share = PublicShareStatsSerializer()
    mean_hhi = serializers.FloatField(allow_null=True)
    excluded = PortfolioExcludedSerializer(many=True)


class FundingMixSerializer(FundingMixBodySerializer, FreshnessSerializer):
    pass


class FundingMixGroupSerializer(FundingMixBodySerializer):
    key = serializers.CharField(help_text="The value of the group_by field")


class FundingMixGroupsSerializer(FreshnessSerializer):
    year = serializers.IntegerField()
    group_by = serializers.ChoiceField(choices=list(GROUP_BY_FIELDS))
    groups = FundingMixGroupSerializer(many=True)


class ClusterRowSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.CharField()
    category = serializers.CharField()
    region = serializers.CharField()
    sector = serializers.CharField()
    submission_currency = serializers.CharField()
    total = serializers.CharField()
    by_category = FundingByCategorySerializer()
    public_share = serializers.FloatField(allow_null=True)
    hhi = serializers.FloatField(allow_null=True)
    costs_total = serializers.CharField()
    balance = serializers.CharField(help_text="Funding minus costs")


class ClusterRowsPageSerializer(FreshnessSerializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    year = serializers.IntegerField()
    currency = serializers.CharField()
    excluded = PortfolioExcludedSerializer(many=True)
    results = ClusterRowSerializer(many=True)


class CostByCategorySerializer(serializers.Serializer):
    setup = PortfolioAmountShareSerializer()
    staff = PortfolioAmountShareSerializer()
    operations = PortfolioAmountShareSerializer()
    projects = PortfolioAmountShareSerializer()


class DeficitSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    name = serializers.CharField()
    funding = serializers.CharField()
    costs = serializers.CharField()
    balance = serializers.CharField()


class CostStructureSerializer(FreshnessSerializer):
    year = serializers.IntegerField()
    currency = serializers.CharField()
    clusters = serializers.IntegerField()
    total = serializers.CharField()
    by_category = CostByCategorySerializer()
    funding_total = serializers.CharField()
    balance = serializers.CharField(help_text="Funding minus costs over the portfolio")
    deficit_clusters = DeficitSerializer(many=True)
    excluded = PortfolioExcludedSerializer(many=True)


class PublicShareRowSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    name = serializers.CharField()
    public_share = serializers.FloatField()


class PublicSharePointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    public_share = serializers.FloatField()


class PublicShareTrendSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    name = serializers.CharField()
    points = PublicSharePointSerializer(many=True)
    change = serializers.FloatField(allow_null=True, help_text="Last minus first counted year")
    direction = serializers.ChoiceField(
        choices=["towards_private", "towards_public", "stuck", "stable", "insufficient_data"]
    )


class PublicRelianceSerializer(FreshnessSerializer):
    year = serializers.IntegerField()
    threshold = serializers.FloatField()
    clusters_counted = serializers.IntegerField()
    above_threshold = PublicShareRowSerializer(many=True)
    trend = PublicShareTrendSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.IntegerField()
        fields["to"] = serializers.IntegerField()
        return fields


# --- views -----------------------------------------------------------------------------------

YEAR = OpenApiParameter("year", int, required=True, description="The reporting year")
FILTERS = [
    OpenApiParameter("stage", str, enum=Stage.values, description="Only clusters at this stage"),
    OpenApiParameter(
        "category", str, enum=Category.values, description="Only clusters of this category"
    ),
    OpenApiParameter("region", str, description="Only clusters in this region (case-insensitive)"),
    OpenApiParameter("sector", str, description="Only clusters in this sector (case-insensitive)"),
]
PROBLEMS = {400: None, 403: None, 404: None}


def _with_freshness(served: Served) -> dict[str, Any]:
    return {**served.payload, "as_of": served.as_of, "source": served.source}


class PortfolioView(ProgramScopedView):
    """Base of the portfolio views: figures are for program_admin and program_analyst."""

    queryset = PortfolioSnapshot.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.access.require_portfolio_reader()


class FundingMixView(PortfolioView):
    """The funding mix of the programme's approved submissions in a year (CONTRACT.md).

    Every funding line is converted into the programme currency with the fx rate of the
    year; submissions without a rate are listed in `excluded`. With `group_by`, one funding
    mix per value of that cluster field.
    """

    @extend_schema(
        parameters=[
            YEAR,
            *FILTERS,
            OpenApiParameter(
                "group_by",
                str,
                enum=list(GROUP_BY_FIELDS),
                description="One funding mix per value of this cluster field",
            ),
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="FundingMixOrGroups",
                serializers=[FundingMixSerializer, FundingMixGroupsSerializer],
                resource_type_field_name=None,
            ),
            **PROBLEMS,
        },
    )
    def get(self, request: Request, program: str) -> Response:
        served = svc.funding_mix_serve(
            access=self.access,
            year=request.query_params.get("year"),
            filters=_filters(request),
            group_by=request.query_params.get("group_by"),
        )
        return Response(_with_freshness(served))


class FundingMixTrendView(PortfolioView):
    """The funding mix of every year from `from` to `to` (at most 50 years), ordered by year."""

    # A plain JSON list (CONTRACT.md), not a page: the schema must say so too.
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, required=True, description="First year"),
            OpenApiParameter("to", int, required=True, description="Last year"),
            *FILTERS,
        ],
        responses={200: FundingMixSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request, program: str) -> Response:
        served = svc.funding_mix_trend_serve(
            access=self.access,
            from_year=request.query_params.get("from"),
            to_year=request.query_params.get("to"),
            filters=_filters(request),
        )
        return Response([_with_freshness(s) for s in served])


class PortfolioClustersView(PortfolioView):
    """One row per counted cluster for drill-down: total, category shares, public share,
    HHI, costs and balance (funding minus costs). Paginated; `ordering` by `cluster`,
    `total`, `public_share`, `hhi` or `balance` (prefix `-` for descending)."""

    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[
            YEAR,
            *FILTERS,
            OpenApiParameter(
                "ordering",
                str,
                description="cluster, total, public_share, hhi, balance; '-' reverses",
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: ClusterRowsPageSerializer, **PROBLEMS},
    )
    def get(self, request: Request, program: str) -> Response:
        ordering = require_choice(
            request.query_params.get("ordering"),
            field="ordering",
            choices=ORDERINGS,
            required=False,
        )
        served = svc.portfolio_clusters_serve(
            access=self.access, year=request.query_params.get("year"), filters=_filters(request)
        )
        rows = _ordered(served.payload["clusters"], ordering or "cluster")
        page = self.paginate_queryset(rows)
        response = self.get_paginated_response(page)
        response.data.update(
            {
                "year": served.payload["year"],
                "currency": served.payload["currency"],
                "excluded": served.payload["excluded"],
                "as_of": served.as_of,
                "source": served.source,
            }
        )
        return response


def _ordered(rows: list[dict[str, Any]], ordering: str) -> list[dict[str, Any]]:
    from decimal import Decimal

    key = ordering.lstrip("-")
    descending = ordering.startswith("-")
    if key == "cluster":
        return sorted(rows, key=lambda r: r["cluster"], reverse=descending)

    def value(row: dict[str, Any]) -> Decimal:
        v = row[key]
        return Decimal(str(v))

    # Rows without a value (a cluster with no funding has no public share) go last.
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    present.sort(key=lambda r: r["cluster"])
    present.sort(key=value, reverse=descending)
    return present + sorted(missing, key=lambda r: r["cluster"])


class PortfolioCostsView(PortfolioView):
    """Cost structure of the year: totals and shares of setup, staff, operations and
    projects, funding against costs across the portfolio, and the clusters in deficit
    (most negative balance first)."""

    @extend_schema(
        parameters=[YEAR, *FILTERS], responses={200: CostStructureSerializer, **PROBLEMS}
    )
    def get(self, request: Request, program: str) -> Response:
        served = svc.portfolio_costs_serve(
            access=self.access, year=request.query_params.get("year"), filters=_filters(request)
        )
        return Response(_with_freshness(served))


class PublicRelianceView(PortfolioView):
    """Clusters whose public share is above `threshold` (default 0.5) in `year`, and each
    cluster's public-share trend from `from` (default year-4) to `to` (default year) with a
    `direction`: towards_private / towards_public (a change of 0.05 or more), stuck (above
    the threshold in every year), stable, or insufficient_data (fewer than two years)."""

    @extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter(
                "threshold",
                float,
                description="Public share above which a cluster is listed (0..1, default 0.5)",
            ),
            OpenApiParameter("from", int, description="First year of the trend (default year-4)"),
            OpenApiParameter("to", int, description="Last year of the trend (default year)"),
            *FILTERS,
        ],
        responses={200: PublicRelianceSerializer, **PROBLEMS},
    )
    def get(self, request: Request, program: str) -> Response:
        params = request.query_params
        served = svc.public_reliance_serve(
            access=self.access,
            year=params.get("year"),
            threshold=params.get("threshold") or "0.5",
            from_year=params.get("from"),
            to_year=params.get("to"),
            filters=_filters(request),
        )
        return Response(_with_freshness(served))
