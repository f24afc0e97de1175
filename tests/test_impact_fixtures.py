"""Helpers for the impact tests: approved submissions straight into the database.

The submission workflow has its own tests; here a submission is a given, so it is written
directly (with the state the test needs) from DOMAIN.md's demo figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from clusters.demo import DEMO_CLUSTERS, DEMO_FX_RATES, DEMO_SUBMISSIONS
from clusters.models import (
    Cluster,
    CostLine,
    FundingLine,
    FundingSource,
    FxRate,
    KpiDefinition,
    KpiValue,
    Program,
    Submission,
)
from tests.factories import ClusterFactory


def submission(
    program: Program,
    cluster: Cluster,
    year: int,
    *,
    currency: str = "EUR",
    state: str = "approved",
    funding: Iterable[tuple[Any, ...]] = (),
    costs: Iterable[tuple[str, str]] = (),
    kpis: Iterable[tuple[str, str]] = (),
) -> Submission:
    sub = Submission.objects.create(
        program=program, cluster=cluster, year=year, currency=currency, state=state
    )
    sources = {s.code: s for s in FundingSource.objects.for_program(program)}
    definitions = {k.code: k for k in KpiDefinition.objects.for_program(program)}
    FundingLine.objects.bulk_create(
        FundingLine(program=program, submission=sub, source=sources[row[0]], amount=Decimal(row[1]))
        for row in funding
    )
    CostLine.objects.bulk_create(
        CostLine(program=program, submission=sub, category=c, amount=Decimal(a)) for c, a in costs
    )
    KpiValue.objects.bulk_create(
        KpiValue(program=program, submission=sub, kpi=definitions[c], value=Decimal(v))
        for c, v in kpis
    )
    return sub


def demo_clusters(program: Program) -> dict[str, Cluster]:
    fields = ("slug", "name", "country", "region", "sector", "founded_year", "stage", "category")
    return {
        d["slug"]: ClusterFactory(program=program, **{f: d[f] for f in fields})
        for d in DEMO_CLUSTERS
    }


def demo_submissions(program: Program, *, years: Iterable[int] | None = None) -> dict[str, Cluster]:
    """DOMAIN.md's demo clusters and their submissions (clusters/demo.py) in ``program``."""
    clusters = demo_clusters(program)
    for year, currency, rate in DEMO_FX_RATES:
        FxRate.objects.create(program=program, year=year, currency=currency, rate=Decimal(rate))
    for d in DEMO_SUBMISSIONS:
        if years is not None and d["year"] not in years:
            continue
        submission(
            program,
            clusters[d["cluster"]],
            d["year"],
            currency=d["currency"],
            state=d["state"],
            funding=d["funding"],
            costs=d["costs"],
            kpis=d["kpis"],
        )
    return clusters
