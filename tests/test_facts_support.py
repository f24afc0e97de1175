"""Givens for the facts CSV and XLSX tests (no tests here): periods, submissions, files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from clusters.models import (
    Cluster,
    CostLine,
    FundingLine,
    FundingSource,
    KpiDefinition,
    KpiValue,
    Program,
    ReportingPeriod,
    Submission,
)

HEADER = "cluster,year,currency,line,code,amount\n"


def period(program: Program, year: int, *, open_now: bool = False) -> ReportingPeriod:
    today = timezone.localdate()
    opens, closes = (
        (today - dt.timedelta(days=30), today + dt.timedelta(days=30))
        if open_now
        else (dt.date(year + 1, 1, 1), dt.date(year + 1, 3, 31))
    )
    obj, _ = ReportingPeriod.objects.for_program(program).get_or_create(
        program=program, year=year, defaults={"opens_on": opens, "closes_on": closes}
    )
    return obj


def submission(
    cluster: Cluster,
    year: int,
    *,
    currency: str = "EUR",
    state: str = "approved",
    funding: list[tuple] = (),
    costs: list[tuple] = (),
    kpis: list[tuple[str, str]] = (),
    version: int = 1,
) -> Submission:
    program = Program.objects.get(pk=cluster.program_id)
    period(program, year)
    sub = Submission.objects.create(
        program=program, cluster=cluster, year=year, currency=currency, state=state, version=version
    )
    sources = {s.code: s for s in FundingSource.objects.for_program(program)}
    defs = {k.code: k for k in KpiDefinition.objects.for_program(program)}
    # A funding line is (code, amount) or (code, amount, in_kind, restricted, note); a cost
    # line (category, amount) or (category, amount, note).
    FundingLine.objects.bulk_create(
        FundingLine(
            program=program,
            submission=sub,
            source=sources[c],
            amount=Decimal(a),
            in_kind=bool(details and details[0]),
            restricted=bool(details and details[1]),
            note=details[2] if details else "",
        )
        for c, a, *details in funding
    )
    CostLine.objects.bulk_create(
        CostLine(
            program=program,
            submission=sub,
            category=c,
            amount=Decimal(a),
            note=details[0] if details else "",
        )
        for c, a, *details in costs
    )
    KpiValue.objects.bulk_create(
        KpiValue(program=program, submission=sub, kpi=defs[c], value=Decimal(v)) for c, v in kpis
    )
    return sub


def content(program: Program, *, details: bool = False) -> dict[tuple[str, int], dict]:
    """Every submission of the programme as comparable plain data; with ``details``, the
    lines' flags and notes too."""
    out: dict[tuple[str, int], dict] = {}
    subs = (
        Submission.objects.for_program(program)
        .select_related("cluster")
        .prefetch_related("funding__source", "costs", "kpis__kpi")
    )
    for s in subs:
        out[(s.cluster.slug, s.year)] = {
            "currency": s.currency,
            "state": s.state,
            "funding": sorted(
                (f.source.code, f.amount, f.in_kind, f.restricted, f.note)[: 5 if details else 2]
                for f in s.funding.all()
            ),
            "costs": sorted(
                (c.category, c.amount, c.note)[: 3 if details else 2] for c in s.costs.all()
            ),
            "kpis": sorted((k.kpi.code, k.value) for k in s.kpis.all()),
        }
    return out


def csv_text(*rows: str) -> str:
    return HEADER + "".join(f"{r}\n" for r in rows)
