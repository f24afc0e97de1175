"""Value impact: KPI aggregates, roadmaps, progress against them, what-if scenarios."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.models import KpiDefinition
from clusters.numbers import number_text
from clusters.selectors.registry import cluster_get
from clusters.validation import MAX_YEAR, MIN_YEAR
from impact.models import Interpolation, Roadmap, SavedScenario
from impact.selectors import roadmaps as selectors
from impact.selectors import value_impact as impact_figures
from impact.services import roadmaps as svc
from impact.services import scenarios

from .base import ProgramScopedView

YEAR_PARAM = OpenApiParameter("year", int, required=True, description="The reporting year.")


# --- documentation-only shapes (responses are built by the selectors) --------------------


class ScenarioExcludedSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    reason = serializers.CharField()


class ImpactKpiFigureSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=["activity", "output", "outcome", "impact"])
    aggregation = serializers.ChoiceField(choices=["sum", "mean"])
    value = serializers.CharField(
        allow_null=True, help_text="Sum or mean over reporting clusters (decimal string)."
    )
    clusters = serializers.IntegerField(help_text="Clusters that reported the KPI in the year.")
    previous_value = serializers.CharField(allow_null=True)
    change = serializers.CharField(
        allow_null=True, help_text="value - previous_value; null without a previous value."
    )
    relative_change = serializers.FloatField(
        allow_null=True, help_text="change / previous_value; null without one or when it is 0."
    )


class ImpactKindFigureSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kpis_defined = serializers.IntegerField()
    kpis_reported = serializers.IntegerField()
    clusters_reporting = serializers.IntegerField(
        help_text="Clusters reporting at least one KPI of this kind."
    )
    share_of_clusters = serializers.FloatField(
        help_text="clusters_reporting / clusters with an approved submission."
    )


class ValueImpactSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    currency = serializers.CharField(
        help_text="Programme currency: KPIs with unit `currency` are converted into it."
    )
    clusters_reporting = serializers.IntegerField(help_text="Approved submissions of the year.")
    kpis = ImpactKpiFigureSerializer(many=True)
    by_kind = ImpactKindFigureSerializer(many=True)
    excluded = ScenarioExcludedSerializer(
        many=True, help_text="Submissions whose currency KPIs had no fx rate."
    )
    as_of = serializers.DateTimeField(help_text="When the figure was computed.")
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["stored", "computed"], help_text="A stored snapshot, or computed for this request."
    )


class ImpactBaselineSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    value = serializers.CharField(help_text="Decimal string.")


class ImpactMilestoneSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    target = serializers.CharField(help_text="Decimal string.")


class RoadmapSerializer(serializers.Serializer):
    kpi = serializers.CharField(help_text="The metric: a KPI code of /kpis/.")
    cluster = serializers.CharField(read_only=True)
    statement = serializers.CharField(required=False, allow_blank=True)
    baseline = ImpactBaselineSerializer()
    milestones = ImpactMilestoneSerializer(many=True)
    interpolation = serializers.ChoiceField(choices=Interpolation.choices, default="linear")
    data_source = serializers.CharField(required=False, allow_blank=True)
    third_party_verified = serializers.BooleanField(default=False)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


def roadmap_data(roadmap: Roadmap) -> dict[str, Any]:
    return {
        "kpi": roadmap.kpi.code,
        "cluster": roadmap.cluster.slug,
        "statement": roadmap.statement,
        "baseline": {
            "year": roadmap.baseline_year,
            "value": number_text(roadmap.baseline_value),
        },
        "milestones": [
            {"year": m.year, "target": number_text(m.target)} for m in roadmap.milestones.all()
        ],
        "interpolation": roadmap.interpolation,
        "data_source": roadmap.data_source,
        "third_party_verified": roadmap.third_party_verified,
        "created_at": serializers.DateTimeField().to_representation(roadmap.created_at),
        "updated_at": serializers.DateTimeField().to_representation(roadmap.updated_at),
    }


class ImpactProgressItemSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    cluster_name = serializers.CharField()
    kpi = serializers.CharField()
    interpolation = serializers.CharField()
    direction = serializers.ChoiceField(choices=["increase", "decrease"])
    baseline_year = serializers.IntegerField()
    baseline_value = serializers.CharField()
    target = serializers.CharField(
        allow_null=True, help_text="Interpolated target; null before the baseline year."
    )
    actual = serializers.CharField(
        allow_null=True, help_text="Approved value of the year; null when none."
    )
    ratio = serializers.FloatField(allow_null=True, help_text="actual / target.")
    on_track = serializers.BooleanField(allow_null=True)
    status = serializers.ChoiceField(choices=["on_track", "behind", "no_actual", "before_baseline"])


class ImpactProgressByKpiSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    roadmaps = serializers.IntegerField()
    assessed = serializers.IntegerField()
    on_track = serializers.IntegerField()
    share_on_track = serializers.FloatField(allow_null=True)


class RoadmapProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    clusters_with_roadmaps = serializers.IntegerField()
    clusters_assessed = serializers.IntegerField(
        help_text="Clusters with at least one metric that has a target and an actual."
    )
    clusters_on_track = serializers.IntegerField(
        help_text="Assessed clusters on track on every assessed metric."
    )
    share_on_track = serializers.FloatField(allow_null=True)
    by_kpi = ImpactProgressByKpiSerializer(many=True)
    items = ImpactProgressItemSerializer(many=True)


class ScenarioChangeSerializer(serializers.Serializer):
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    source = serializers.CharField(required=False, help_text="A funding source code, or ...")  # type: ignore[assignment]
    category = serializers.ChoiceField(
        choices=["public", "private", "project"],
        required=False,
        help_text="... a whole funding category.",
    )
    factor = serializers.CharField(
        help_text='Decimal string >= 0: "0" removes, "0.5" halves, "1" keeps.'
    )


class ScenarioRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    changes = ScenarioChangeSerializer(many=True)
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    save = serializers.BooleanField(  # type: ignore[assignment]
        default=False, help_text="Keep the scenario and its answer (needs `name`)."
    )
    name = serializers.CharField(
        required=False, max_length=200, help_text="Unique in the programme."
    )


class ScenarioSavedSerializer(serializers.Serializer):
    name = serializers.CharField()
    created_at = serializers.DateTimeField()


class ScenarioClusterSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    name = serializers.CharField()
    currency = serializers.CharField(
        help_text="The submission's currency; amounts are in the programme currency."
    )
    funding_before = serializers.CharField()
    funding_after = serializers.CharField()
    costs = serializers.CharField()
    balance_before = serializers.CharField()
    balance_after = serializers.CharField()
    can_cover_costs_before = serializers.BooleanField()
    can_cover_costs_after = serializers.BooleanField()
    shortfall = serializers.CharField(help_text="costs - funding_after when positive, else 0.")


class ScenarioTotalsSerializer(serializers.Serializer):
    clusters = serializers.IntegerField()
    funding_before = serializers.CharField()
    funding_after = serializers.CharField()
    costs = serializers.CharField()
    balance_before = serializers.CharField()
    balance_after = serializers.CharField()
    shortfall = serializers.CharField()
    clusters_in_deficit_before = serializers.IntegerField()
    clusters_in_deficit_after = serializers.IntegerField()


class ScenarioResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    currency = serializers.CharField()
    changes = ScenarioChangeSerializer(many=True)
    clusters = ScenarioClusterSerializer(many=True)
    totals = ScenarioTotalsSerializer()
    newly_in_deficit = serializers.ListField(child=serializers.CharField())
    excluded = ScenarioExcludedSerializer(many=True)
    saved = ScenarioSavedSerializer(required=False, help_text="Only when the request saved it.")


class SavedScenarioSerializer(serializers.ModelSerializer):
    result = ScenarioResultSerializer(help_text="The answer as it was when saved.")

    class Meta:
        model = SavedScenario
        fields = ["name", "year", "changes", "created_by", "created_at", "result"]


# --- views ------------------------------------------------------------------------------


class ValueImpactView(ProgramScopedView):
    """Per KPI and per KPI kind, the portfolio aggregate of the approved submissions of a year.

    Admin and analyst only. Each KPI's `value` is the sum or the mean over the clusters that
    reported it (the KPI's `aggregation`), with the change from the previous year.
    """

    queryset = KpiDefinition.objects.none()
    serializer_class = ValueImpactSerializer
    pagination_class = None

    @extend_schema(parameters=[YEAR_PARAM], responses=ValueImpactSerializer)
    def get(self, request: Request, program: str) -> Response:
        self.access.require_portfolio_reader()
        return Response(
            impact_figures.value_impact(access=self.access, year=request.query_params.get("year"))
        )


class RoadmapProgressView(ProgramScopedView):
    """Every cluster's progress against its roadmaps in a year, and the share on track.

    `target` is the roadmap interpolated for the year (linear or compound between the
    baseline and the milestones; the last target after the last milestone; null before
    the baseline year). `on_track`: the approved actual of the year is at least the target
    (at most, for a roadmap whose last target is below its baseline); null without an
    actual. A cluster is on track when every metric assessed that year is on track.
    """

    queryset = Roadmap.objects.none()
    serializer_class = RoadmapProgressSerializer
    pagination_class = None

    def safely_get_queryset(self, queryset):
        return selectors.roadmap_list(access=self.access)

    @extend_schema(parameters=[YEAR_PARAM], responses=RoadmapProgressSerializer)
    def get(self, request: Request, program: str) -> Response:
        self.access.require_portfolio_reader()
        return Response(
            selectors.roadmap_progress(access=self.access, year=request.query_params.get("year"))
        )


class RoadmapList(ProgramScopedView, generics.ListAPIView):
    """A cluster's value-impact roadmaps, one per metric (KPI).

    POST creates one: admin or the cluster's editor. Milestone years come strictly after
    the baseline year and once each; compound interpolation needs values above 0.
    """

    queryset = Roadmap.objects.none()
    serializer_class = RoadmapSerializer

    def safely_get_queryset(self, queryset):
        cluster = cluster_get(access=self.access, slug=self.kwargs["cluster"])
        return selectors.roadmap_list(access=self.access, cluster_id=cluster.pk)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the API's default pagination always applies
        return self.get_paginated_response([roadmap_data(r) for r in page])

    @extend_schema(request=RoadmapSerializer, responses={201: RoadmapSerializer})
    def post(self, request: Request, program: str, cluster: str) -> Response:
        instance = cluster_get(access=self.access, slug=cluster)
        roadmap = svc.roadmap_create(access=self.access, cluster=instance, data=request.data)
        roadmap = selectors.roadmap_get(
            access=self.access, cluster_slug=cluster, kpi_code=roadmap.kpi.code
        )
        return Response(roadmap_data(roadmap), status=status.HTTP_201_CREATED)


class RoadmapDetail(ProgramScopedView):
    """One roadmap. PUT replaces it (the KPI stays); DELETE removes it."""

    queryset = Roadmap.objects.none()
    serializer_class = RoadmapSerializer

    def safely_get_queryset(self, queryset):
        return selectors.roadmap_list(access=self.access)

    def _get(self) -> Roadmap:
        return selectors.roadmap_get(
            access=self.access, cluster_slug=self.kwargs["cluster"], kpi_code=self.kwargs["kpi"]
        )

    def get(self, request: Request, program: str, cluster: str, kpi: str) -> Response:
        return Response(roadmap_data(self._get()))

    @extend_schema(request=RoadmapSerializer, responses=RoadmapSerializer)
    def put(self, request: Request, program: str, cluster: str, kpi: str) -> Response:
        svc.roadmap_replace(access=self.access, roadmap=self._get(), data=request.data)
        return Response(roadmap_data(self._get()))

    def delete(self, request: Request, program: str, cluster: str, kpi: str) -> Response:
        svc.roadmap_delete(access=self.access, roadmap=self._get())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScenarioView(ProgramScopedView):
    """What if funding source S (or a whole category) changes by factor F in year Y?

    Answers per cluster funding before/after, costs, balance and whether it can still cover
    its costs, the portfolio totals and the clusters that newly fall into deficit. Admin
    and analyst only; nothing is stored unless `"save": true` with a `name`. Amounts are in the programme currency, converted
    like the funding mix; clusters without an fx rate are listed in `excluded`.
    """

    queryset = Roadmap.objects.none()
    serializer_class = ScenarioResultSerializer

    def safely_get_queryset(self, queryset):
        return selectors.roadmap_list(access=self.access)

    @extend_schema(request=ScenarioRequestSerializer, responses=ScenarioResultSerializer)
    def post(self, request: Request, program: str) -> Response:
        self.access.require_portfolio_reader()
        return Response(scenarios.scenario_run(access=self.access, data=request.data))


class ScenarioList(ProgramScopedView, generics.ListAPIView):
    """Saved what-if scenarios (POST .../portfolio/scenarios with "save": true), newest first.

    Admin and analyst only.
    """

    queryset = SavedScenario.objects.none()
    serializer_class = SavedScenarioSerializer

    def safely_get_queryset(self, queryset):
        return scenarios.scenario_list(access=self.access)
