"""GraphQL: programmes and the cluster registry (the reference data types are in
``api/graphql/reference.py``, the submission types in ``api/graphql/submissions.py``)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry.types import Info

from clusters.filters import cluster_filter
from clusters.models import (
    Cluster,
    FundingSource,
    FxRate,
    KpiDefinition,
    Program,
    ReportingPeriod,
    Submission,
)
from clusters.selectors.registry import cluster_list
from clusters.services import registry as registry_svc

from . import portfolio as pf
from .context import Context, scope_queryset
from .reference import FundingSourceType, FxRateType, KpiType, PeriodType
from .submissions import SubmissionType

if TYPE_CHECKING:
    from .impact import RoadmapProgressType, RoadmapType, ValueImpactType
    from .review import WarningRuleType

REVIEW = "api.graphql.review"


@strawberry_django.type(Cluster, name="Cluster")
class ClusterType:
    slug: str
    name: str
    country: str
    region: str
    sector: str
    founded_year: int | None
    stage: str
    category: str
    status: str
    website: str
    description: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submissions: list[SubmissionType]

    @strawberry_django.field(description="The cluster's submission of a year, or null.")
    def submission(self, info: Info, year: int) -> SubmissionType | None:
        # One query per request, programme and year, not one per cluster of a list.
        # `self` is the Cluster at run time (strawberry-django resolves on the model).
        by_cluster = _ctx(info).memo(
            ("submission", self.program_id, year),  # type: ignore[attr-defined]
            lambda: {
                s.cluster_id: s
                for s in scope_queryset(
                    Submission.objects.all(), info, cluster_path="cluster"
                ).filter(program_id=self.program_id, year=year)  # type: ignore[attr-defined]
            },
        )
        return by_cluster.get(self.pk)  # type: ignore[attr-defined]

    roadmaps: list[Annotated[RoadmapType, strawberry.lazy("api.graphql.impact")]] = (
        strawberry_django.field(description="The cluster's value-impact roadmaps.")
    )

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs) -> QuerySet:
        return scope_queryset(queryset, info, cluster_path="pk")


def _ctx(info: Info) -> Context:
    return info.context


@strawberry_django.type(Program, name="Program")
class ProgramType:
    slug: str
    name: str
    country: str
    currency: str
    language: str = strawberry_django.field(
        description="Default language of reports and mail: en, es or nb."
    )

    @strawberry_django.field(description="Clusters, filterable like REST; editors see their own.")
    def clusters(
        self,
        info: Info,
        stage: str | None = None,
        category: str | None = None,
        region: str | None = None,
        sector: str | None = None,
        status: str | None = None,
        search: str | None = None,
    ) -> list[ClusterType]:
        access = _ctx(info).require_access(self.slug)
        params = {
            "stage": stage,
            "category": category,
            "region": region,
            "sector": sector,
            "status": status,
            "search": search,
        }
        qs = cluster_filter(cluster_list(access=access), params)
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return qs.order_by("name", "id")  # type: ignore[return-value]

    @strawberry_django.field
    def cluster(self, info: Info, slug: str) -> ClusterType | None:
        access = _ctx(info).require_access(self.slug)
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return cluster_list(access=access).filter(slug=slug).first()  # type: ignore[return-value]

    @strawberry_django.field(description="The warning rules checked on every save and submit.")
    def warning_rules(
        self, info: Info
    ) -> list[Annotated[WarningRuleType, strawberry.lazy(REVIEW)]]:
        from .review import resolve_warning_rules

        return resolve_warning_rules(info, self.slug)

    @strawberry_django.field
    def funding_sources(self, info: Info) -> list[FundingSourceType]:
        access = _ctx(info).require_access(self.slug)
        return FundingSource.objects.for_program(access.program)

    @strawberry_django.field
    def kpis(self, info: Info) -> list[KpiType]:
        access = _ctx(info).require_access(self.slug)
        return KpiDefinition.objects.for_program(access.program)

    @strawberry_django.field
    def periods(self, info: Info) -> list[PeriodType]:
        access = _ctx(info).require_access(self.slug)
        return ReportingPeriod.objects.for_program(access.program)

    @strawberry_django.field
    def fx_rates(self, info: Info) -> list[FxRateType]:
        access = _ctx(info).require_access(self.slug)
        return FxRate.objects.for_program(access.program)

    @strawberry.field(
        description="Per KPI and KPI kind, the portfolio aggregate of a year (admin, analyst)."
    )
    def value_impact(
        self, info: Info, year: int
    ) -> Annotated[ValueImpactType, strawberry.lazy("api.graphql.impact")]:
        from .impact import resolve_value_impact

        return resolve_value_impact(info, self.slug, year)

    @strawberry_django.field(
        description="Value-impact roadmaps of the clusters the caller may see."
    )
    def roadmaps(
        self, info: Info
    ) -> list[Annotated[RoadmapType, strawberry.lazy("api.graphql.impact")]]:
        from .impact import resolve_program_roadmaps

        return resolve_program_roadmaps(info, self.slug)

    @strawberry.field(
        description="Each cluster's progress against its roadmaps in a year (admin, analyst)."
    )
    def roadmap_progress(
        self, info: Info, year: int
    ) -> Annotated[RoadmapProgressType, strawberry.lazy("api.graphql.impact")]:
        from .impact import resolve_roadmap_progress

        return resolve_roadmap_progress(info, self.slug, year)

    # Portfolio figures (program_admin, program_analyst): see api/graphql/portfolio.py.
    @strawberry.field(description="The funding mix of the approved submissions of a year.")
    def funding_mix(
        self,
        info: Info,
        year: int,
        stage: str | None = None,
        category: str | None = None,
        region: str | None = None,
        sector: str | None = None,
    ) -> pf.FundingMix:
        return pf.resolve_funding_mix(
            info, self.slug, year, stage=stage, category=category, region=region, sector=sector
        )

    @strawberry.field(
        description="One funding mix per value of groupBy: stage, category, region or sector."
    )
    def funding_mix_groups(
        self,
        info: Info,
        year: int,
        group_by: str,
        stage: str | None = None,
        category: str | None = None,
        region: str | None = None,
        sector: str | None = None,
    ) -> list[pf.FundingMixGroup]:
        return pf.resolve_funding_mix_groups(
            info,
            self.slug,
            year,
            group_by,
            stage=stage,
            category=category,
            region=region,
            sector=sector,
        )

    @strawberry.field(description="The funding mix of every year from `from` to `to`, by year.")
    def funding_mix_trend(
        self,
        info: Info,
        from_: Annotated[int, strawberry.argument(name="from")],
        to: int,
        stage: str | None = None,
        category: str | None = None,
        region: str | None = None,
        sector: str | None = None,
    ) -> list[pf.FundingMix]:
        return pf.resolve_funding_mix_trend(
            info, self.slug, from_, to, stage=stage, category=category, region=region, sector=sector
        )

    @strawberry.field(description="Per-cluster portfolio rows of a year (drill-down).")
    def portfolio_clusters(
        self,
        info: Info,
        year: int,
        stage: str | None = None,
        category: str | None = None,
        region: str | None = None,
        sector: str | None = None,
    ) -> list[pf.PortfolioCluster]:
        return pf.resolve_portfolio_clusters(
            info, self.slug, year, stage=stage, category=category, region=region, sector=sector
        )

    @strawberry.field(description="Cost structure, funding against costs, deficit clusters.")
    def portfolio_costs(
        self,
        info: Info,
        year: int,
        stage: str | None = None,
        category: str | None = None,
        region: str | None = None,
        sector: str | None = None,
    ) -> pf.CostStructure:
        return pf.resolve_portfolio_costs(
            info, self.slug, year, stage=stage, category=category, region=region, sector=sector
        )

    @strawberry.field(
        description="Clusters above a public-share threshold and public-share trends."
    )
    def public_reliance(
        self,
        info: Info,
        year: int,
        threshold: decimal.Decimal = decimal.Decimal("0.5"),
        from_: Annotated[int | None, strawberry.argument(name="from")] = None,
        to: int | None = None,
        stage: str | None = None,
        category: str | None = None,
        region: str | None = None,
        sector: str | None = None,
    ) -> pf.PublicReliance:
        return pf.resolve_public_reliance(
            info,
            self.slug,
            year,
            threshold,
            from_,
            to,
            stage=stage,
            category=category,
            region=region,
            sector=sector,
        )

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs) -> QuerySet:
        return scope_queryset(queryset, info, program_field="pk")


@strawberry.type
class Query:
    @strawberry_django.field(description="Programmes the caller may see.")
    def programs(self, info: Info) -> list[ProgramType]:
        qs = Program.objects.all()
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return scope_queryset(qs, info, program_field="pk").order_by("slug")  # type: ignore[return-value]

    @strawberry_django.field(description="A programme, or null when it is not visible.")
    def program(self, info: Info, slug: str) -> ProgramType | None:
        access = _ctx(info).access(slug)
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return access.program if access else None  # type: ignore[return-value]


@strawberry.input
class ClusterInput:
    slug: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    sector: str | None = strawberry.UNSET
    founded_year: int | None = strawberry.UNSET
    stage: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    status: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


def _input_data(data: ClusterInput) -> dict:
    return {k: v for k, v in vars(data).items() if v is not strawberry.UNSET}


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register a cluster (program_admin).")
    def create_cluster(self, info: Info, program: str, data: ClusterInput) -> ClusterType:
        access = _ctx(info).require_access(program)
        values = _input_data(data)
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return registry_svc.cluster_create(access=access, data=values)  # type: ignore[return-value]

    @strawberry.mutation(description="Change a cluster (program_admin).")
    def update_cluster(
        self, info: Info, program: str, slug: str, data: ClusterInput
    ) -> ClusterType:
        access = _ctx(info).require_access(program)
        cluster = cluster_list(access=access).get(slug=slug)
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return registry_svc.cluster_update(access=access, cluster=cluster, data=_input_data(data))  # type: ignore[return-value]

    @strawberry.mutation(description="Remove a cluster from the registry; its history is kept.")
    def delete_cluster(self, info: Info, program: str, slug: str) -> bool:
        access = _ctx(info).require_access(program)
        cluster = cluster_list(access=access).get(slug=slug)
        registry_svc.cluster_delete(access=access, cluster=cluster)
        return True
