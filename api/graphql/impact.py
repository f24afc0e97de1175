"""GraphQL: value impact, roadmaps and progress against them (and what-if scenarios).

The Program type's ``valueImpact(year)``, ``roadmaps`` and ``roadmapProgress(year)`` and the
Cluster type's ``roadmaps`` (api/graphql/clusters.py) delegate here; the figures are the
same selector output as REST's, in camelCase.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry.scalars import JSON
from strawberry.types import Info

from clusters.numbers import number_text
from clusters.selectors.registry import cluster_get
from impact.models import Milestone, Roadmap
from impact.selectors import roadmaps as selectors
from impact.selectors import value_impact as impact_figures
from impact.services import roadmaps as svc
from impact.services import scenarios

from .context import Context, Scoped, scope_queryset


@strawberry_django.type(Milestone, name="RoadmapMilestone")
class MilestoneType(Scoped):
    scope_cluster_path = "roadmap__cluster"
    year: int

    @strawberry_django.field(only=["target"], description="Decimal string.")
    def target(self) -> str:
        return number_text(self.target) or "0"


@strawberry_django.type(Roadmap, name="Roadmap")
class RoadmapType:
    statement: str
    baseline_year: int
    interpolation: str
    data_source: str
    third_party_verified: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    milestones: list[MilestoneType]

    @strawberry_django.field(
        only=["kpi__code"], select_related=["kpi"], description="The metric's KPI code."
    )
    def kpi(self) -> str:
        return self.kpi.code

    @strawberry_django.field(only=["cluster__slug"], select_related=["cluster"])
    def cluster(self) -> str:
        return self.cluster.slug

    @strawberry_django.field(only=["baseline_value"], description="Decimal string.")
    def baseline_value(self) -> str:
        return number_text(self.baseline_value) or "0"

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs) -> QuerySet:
        qs = scope_queryset(queryset, info, cluster_path="cluster")
        return qs.order_by("cluster__name", "cluster_id", "kpi__code")


@strawberry.type(name="KpiFigure")
class KpiFigureType:
    kpi: str
    name: str
    unit: str
    kind: str
    aggregation: str
    value: str | None
    clusters: int
    previous_value: str | None
    change: str | None
    relative_change: float | None


@strawberry.type(name="KpiKindFigure")
class KpiKindFigureType:
    kind: str
    kpis_defined: int
    kpis_reported: int
    clusters_reporting: int
    share_of_clusters: float


@strawberry.type(name="ValueImpactExcluded")
class ExcludedType:
    cluster: str
    reason: str


@strawberry.type(name="ValueImpact")
class ValueImpactType:
    year: int
    currency: str
    clusters_reporting: int
    kpis: list[KpiFigureType]
    by_kind: list[KpiKindFigureType]
    excluded: list[ExcludedType]
    as_of: dt.datetime
    source: str


@strawberry.type(name="RoadmapProgressItem")
class ProgressItemType:
    cluster: str
    cluster_name: str
    kpi: str
    interpolation: str
    direction: str
    baseline_year: int
    baseline_value: str
    target: str | None
    actual: str | None
    ratio: float | None
    on_track: bool | None
    status: str


@strawberry.type(name="RoadmapProgressByKpi")
class ProgressByKpiType:
    kpi: str
    roadmaps: int
    assessed: int
    on_track: int
    share_on_track: float | None


@strawberry.type(name="RoadmapProgress")
class RoadmapProgressType:
    year: int
    clusters_with_roadmaps: int
    clusters_assessed: int
    clusters_on_track: int
    share_on_track: float | None
    by_kpi: list[ProgressByKpiType]
    items: list[ProgressItemType]


def _ctx(info: Info) -> Context:
    return info.context


def resolve_value_impact(info: Info, program_slug: str, year: int) -> ValueImpactType:
    access = _ctx(info).require_access(program_slug)
    data = impact_figures.value_impact(access=access, year=year)
    return ValueImpactType(
        year=data["year"],
        currency=data["currency"],
        clusters_reporting=data["clusters_reporting"],
        kpis=[KpiFigureType(**k) for k in data["kpis"]],
        by_kind=[KpiKindFigureType(**k) for k in data["by_kind"]],
        excluded=[ExcludedType(**e) for e in data["excluded"]],
        as_of=dt.datetime.fromisoformat(data["as_of"]),
        source=data["source"],
    )


def resolve_roadmap_progress(info: Info, program_slug: str, year: int) -> RoadmapProgressType:
    access = _ctx(info).require_access(program_slug)
    data = selectors.roadmap_progress(access=access, year=year)
    return RoadmapProgressType(
        **{k: v for k, v in data.items() if k not in ("by_kpi", "items")},
        by_kpi=[ProgressByKpiType(**k) for k in data["by_kpi"]],
        items=[ProgressItemType(**i) for i in data["items"]],
    )


def resolve_program_roadmaps(info: Info, program_slug: str) -> Any:
    access = _ctx(info).require_access(program_slug)
    return selectors.roadmap_list(access=access, with_related=False)


@strawberry.input(name="RoadmapBaselineInput")
class BaselineInput:
    year: int
    value: str


@strawberry.input(name="RoadmapMilestoneInput")
class MilestoneInput:
    year: int
    target: str


@strawberry.input(name="RoadmapInput")
class RoadmapInput:
    baseline: BaselineInput
    milestones: list[MilestoneInput]
    interpolation: str = "linear"
    statement: str = ""
    data_source: str = ""
    third_party_verified: bool = False


def _roadmap_body(kpi: str, data: RoadmapInput) -> dict[str, Any]:
    return {
        "kpi": kpi,
        "baseline": {"year": data.baseline.year, "value": data.baseline.value},
        "milestones": [{"year": m.year, "target": m.target} for m in data.milestones],
        "interpolation": data.interpolation,
        "statement": data.statement,
        "data_source": data.data_source,
        "third_party_verified": data.third_party_verified,
    }


@strawberry.type
class Query:
    @strawberry.field(
        description="A what-if on the approved submissions of a year (admin, analyst): "
        "changes is a list of {source | category, factor}; the answer is the REST one."
    )
    def scenario(self, info: Info, program: str, year: int, changes: JSON) -> JSON:
        access = _ctx(info).require_access(program)
        return JSON(scenarios.scenario_run(access=access, data={"year": year, "changes": changes}))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create or replace a cluster's roadmap for one KPI "
        "(program_admin or the cluster's editor)."
    )
    def put_roadmap(
        self, info: Info, program: str, cluster: str, kpi: str, data: RoadmapInput
    ) -> RoadmapType:
        access = _ctx(info).require_access(program)
        instance = cluster_get(access=access, slug=cluster)
        body = _roadmap_body(kpi, data)
        existing = (
            selectors.roadmap_list(access=access, cluster_id=instance.pk)
            .filter(kpi__code=kpi)
            .first()
        )
        if existing is None:
            roadmap = svc.roadmap_create(access=access, cluster=instance, data=body)
        else:
            roadmap = svc.roadmap_replace(access=access, roadmap=existing, data=body)
        return Roadmap.objects.for_program(access.program).get(pk=roadmap.pk)

    @strawberry.mutation(description="Remove a cluster's roadmap for one KPI.")
    def delete_roadmap(self, info: Info, program: str, cluster: str, kpi: str) -> bool:
        access = _ctx(info).require_access(program)
        roadmap = selectors.roadmap_get(access=access, cluster_slug=cluster, kpi_code=kpi)
        svc.roadmap_delete(access=access, roadmap=roadmap)
        return True
