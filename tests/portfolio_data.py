"""Approved submissions for portfolio tests, written straight through the scoped models
(the submission services are another developer's work in progress)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clusters.demo import DEMO_CLUSTERS, DEMO_FX_RATES, DEMO_SUBMISSIONS
from clusters.models import (
    Cluster,
    CostLine,
    FundingLine,
    FundingSource,
    FxRate,
    Program,
    Submission,
)
from tests.factories import ClusterFactory


def add_submission(
    program: Program,
    cluster: Cluster,
    year: int,
    *,
    currency: str | None = None,
    funding: list[tuple[str, str]] | list[tuple] = (),  # type: ignore[assignment]
    costs: list[tuple[str, str]] = (),  # type: ignore[assignment]
    state: str = "approved",
) -> Submission:
    sources = {s.code: s for s in FundingSource.objects.for_program(program)}
    sub = Submission.objects.create(
        program=program,
        cluster=cluster,
        year=year,
        currency=currency or program.currency,
        state=state,
    )
    FundingLine.objects.bulk_create(
        FundingLine(
            program=program,
            submission=sub,
            source=sources[line[0]],
            amount=Decimal(line[1]),
            **(line[2] if len(line) > 2 else {}),
        )
        for line in funding
    )
    CostLine.objects.bulk_create(
        CostLine(program=program, submission=sub, category=cat, amount=Decimal(amount))
        for cat, amount in costs
    )
    return sub


def load_demo(program: Program) -> dict[str, Cluster]:
    """DOMAIN.md's demo clusters, DEMO_SUBMISSIONS and DEMO_FX_RATES in ``program``."""
    clusters = {d["slug"]: ClusterFactory(program=program, **d) for d in DEMO_CLUSTERS}
    for year, currency, rate in DEMO_FX_RATES:
        FxRate.objects.create(program=program, year=year, currency=currency, rate=Decimal(rate))
    for sub in DEMO_SUBMISSIONS:
        add_submission(
            program,
            clusters[sub["cluster"]],
            sub["year"],
            currency=sub["currency"],
            funding=sub["funding"],
            costs=sub["costs"],
            state=sub["state"],
        )
    return clusters


def fx(program: Program, year: int, currency: str, rate: str) -> Any:
    return FxRate.objects.create(program=program, year=year, currency=currency, rate=Decimal(rate))
