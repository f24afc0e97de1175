"""GraphQL portfolio figures: fields of ``Program`` (fundingMix, fundingMixTrend, ...).

The resolvers call the same ``impact.selectors.portfolio`` serve functions as REST, so
both interfaces give the same numbers; amounts are decimal strings, shares floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from impact.selectors import portfolio as svc
from impact.selectors.figures import Served

from .context import Context


@strawberry.type(name="PortfolioAmountShare")
class AmountShare:
    amount: Decimal
    share: float


@strawberry.type(name="FundingByCategory")
class FundingByCategory:
    public: AmountShare
    private: AmountShare
    project: AmountShare


@strawberry.type(name="FundingSourceShare")
class SourceShare:
    source: str
    category: str
    amount: Decimal
    share: float


@strawberry.type(name="PublicShareStats")
class PublicShareStats:
    mean: float | None
    median: float | None
    min: float | None
    max: float | None


@strawberry.type(name="PortfolioExcluded")
class Excluded:
    cluster: str
    reason: str


@strawberry.type(name="FundingMix")
class FundingMix:
    year: int
    currency: str
    clusters: int
    total: Decimal
    by_category: FundingByCategory
    by_source: list[SourceShare]
    cluster_public_share: PublicShareStats
    mean_hhi: float | None
    excluded: list[Excluded]
    as_of: dt.datetime
    source: str = strawberry.field(description="'stored' or 'computed' (on demand)")


@strawberry.type(name="FundingMixGroup")
class FundingMixGroup(FundingMix):
    key: str


@strawberry.type(name="PortfolioCluster")
class PortfolioCluster:
    cluster: str
    name: str
    stage: str
    category: str
    region: str
    sector: str
    submission_currency: str
    total: Decimal
    by_category: FundingByCategory
    public_share: float | None
    hhi: float | None
    costs_total: Decimal
    balance: Decimal


@strawberry.type(name="CostByCategory")
class CostByCategory:
    setup: AmountShare
    staff: AmountShare
    operations: AmountShare
    projects: AmountShare


@strawberry.type(name="DeficitCluster")
class DeficitCluster:
    cluster: str
    name: str
    funding: Decimal
    costs: Decimal
    balance: Decimal


@strawberry.type(name="CostStructure")
class CostStructure:
    year: int
    currency: str
    clusters: int
    total: Decimal
    by_category: CostByCategory
    funding_total: Decimal
    balance: Decimal
    deficit_clusters: list[DeficitCluster]
    excluded: list[Excluded]
    as_of: dt.datetime
    source: str


@strawberry.type(name="PublicShareRow")
class PublicShareRow:
    cluster: str
    name: str
    public_share: float


@strawberry.type(name="PublicSharePoint")
class PublicSharePoint:
    year: int
    public_share: float


@strawberry.type(name="PublicShareTrend")
class PublicShareTrend:
    cluster: str
    name: str
    points: list[PublicSharePoint]
    change: float | None
    direction: str


@strawberry.type(name="PublicReliance")
class PublicReliance:
    year: int
    threshold: float
    from_year: int
    to_year: int
    clusters_counted: int
    above_threshold: list[PublicShareRow]
    trend: list[PublicShareTrend]
    as_of: dt.datetime
    source: str


# --- payload -> types ----------------------------------------------------------------------


def _amount_share(d: dict[str, Any]) -> AmountShare:
    return AmountShare(amount=Decimal(d["amount"]), share=d["share"])


def _excluded(rows: list[dict[str, str]]) -> list[Excluded]:
    return [Excluded(cluster=r["cluster"], reason=r["reason"]) for r in rows]


def _by_category(d: dict[str, Any]) -> FundingByCategory:
    return FundingByCategory(**{k: _amount_share(d[k]) for k in ("public", "private", "project")})


def _mix_fields(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": p["year"],
        "currency": p["currency"],
        "clusters": p["clusters"],
        "total": Decimal(p["total"]),
        "by_category": _by_category(p["by_category"]),
        "by_source": [
            SourceShare(
                source=s["source"],
                category=s["category"],
                amount=Decimal(s["amount"]),
                share=s["share"],
            )
            for s in p["by_source"]
        ],
        "cluster_public_share": PublicShareStats(**p["cluster_public_share"]),
        "mean_hhi": p["mean_hhi"],
        "excluded": _excluded(p["excluded"]),
    }


def _mix(served: Served) -> FundingMix:
    return FundingMix(**_mix_fields(served.payload), as_of=served.as_of, source=served.source)


def _filters(
    stage: str | None, category: str | None, region: str | None, sector: str | None
) -> dict[str, Any]:
    return {"stage": stage, "category": category, "region": region, "sector": sector}


# --- resolvers (called from ProgramType's fields) --------------------------------------------


def resolve_funding_mix(info: Info, program: str, year: int, **filters: Any) -> FundingMix:
    access = _ctx(info).require_access(program)
    return _mix(svc.funding_mix_serve(access=access, year=year, filters=_filters(**filters)))


def resolve_funding_mix_groups(
    info: Info, program: str, year: int, group_by: str, **filters: Any
) -> list[FundingMixGroup]:
    access = _ctx(info).require_access(program)
    served = svc.funding_mix_serve(
        access=access, year=year, filters=_filters(**filters), group_by=group_by
    )
    return [
        FundingMixGroup(**_mix_fields(g), key=g["key"], as_of=served.as_of, source=served.source)
        for g in served.payload["groups"]
    ]


def resolve_funding_mix_trend(
    info: Info, program: str, from_year: int, to_year: int, **filters: Any
) -> list[FundingMix]:
    access = _ctx(info).require_access(program)
    served = svc.funding_mix_trend_serve(
        access=access, from_year=from_year, to_year=to_year, filters=_filters(**filters)
    )
    return [_mix(s) for s in served]


def resolve_portfolio_clusters(
    info: Info, program: str, year: int, **filters: Any
) -> list[PortfolioCluster]:
    access = _ctx(info).require_access(program)
    served = svc.portfolio_clusters_serve(access=access, year=year, filters=_filters(**filters))
    return [
        PortfolioCluster(
            cluster=r["cluster"],
            name=r["name"],
            stage=r["stage"],
            category=r["category"],
            region=r["region"],
            sector=r["sector"],
            submission_currency=r["submission_currency"],
            total=Decimal(r["total"]),
            by_category=_by_category(r["by_category"]),
            public_share=r["public_share"],
            hhi=r["hhi"],
            costs_total=Decimal(r["costs_total"]),
            balance=Decimal(r["balance"]),
        )
        for r in served.payload["clusters"]
    ]


def resolve_portfolio_costs(info: Info, program: str, year: int, **filters: Any) -> CostStructure:
    access = _ctx(info).require_access(program)
    served = svc.portfolio_costs_serve(access=access, year=year, filters=_filters(**filters))
    p = served.payload
    return CostStructure(
        year=p["year"],
        currency=p["currency"],
        clusters=p["clusters"],
        total=Decimal(p["total"]),
        by_category=CostByCategory(
            **{
                k: _amount_share(p["by_category"][k])
                for k in ("setup", "staff", "operations", "projects")
            }
        ),
        funding_total=Decimal(p["funding_total"]),
        balance=Decimal(p["balance"]),
        deficit_clusters=[
            DeficitCluster(
                cluster=d["cluster"],
                name=d["name"],
                funding=Decimal(d["funding"]),
                costs=Decimal(d["costs"]),
                balance=Decimal(d["balance"]),
            )
            for d in p["deficit_clusters"]
        ],
        excluded=_excluded(p["excluded"]),
        as_of=served.as_of,
        source=served.source,
    )


def resolve_public_reliance(
    info: Info,
    program: str,
    year: int,
    threshold: Decimal,
    from_year: int | None,
    to_year: int | None,
    **filters: Any,
) -> PublicReliance:
    access = _ctx(info).require_access(program)
    served = svc.public_reliance_serve(
        access=access,
        year=year,
        threshold=threshold,
        from_year=from_year,
        to_year=to_year,
        filters=_filters(**filters),
    )
    p = served.payload
    return PublicReliance(
        year=p["year"],
        threshold=p["threshold"],
        from_year=p["from"],
        to_year=p["to"],
        clusters_counted=p["clusters_counted"],
        above_threshold=[PublicShareRow(**r) for r in p["above_threshold"]],
        trend=[
            PublicShareTrend(
                cluster=t["cluster"],
                name=t["name"],
                change=t["change"],
                direction=t["direction"],
                points=[PublicSharePoint(**pt) for pt in t["points"]],
            )
            for t in p["trend"]
        ],
        as_of=served.as_of,
        source=served.source,
    )


def _ctx(info: Info) -> Context:
    return info.context
