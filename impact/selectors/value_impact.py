"""Value impact: the portfolio's KPI aggregates of a year, by KPI and by KPI kind.

Every figure counts approved submissions only. Aggregates (sums, counts) are computed in
the database with GROUP BY; the query count does not depend on the number of clusters.
The figure is stored per programme-year by the recompute task and served with ``as_of``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from clusters.access import Access
from clusters.models import (
    FxRate,
    KpiAggregation,
    KpiDefinition,
    KpiKind,
    KpiValue,
    Program,
    Submission,
    SubmissionState,
)
from clusters.models.sums import ExactSum
from clusters.numbers import EXACT, RATIO, number_text, share_float
from clusters.validation import KPI_PLACES, require_year

from .figures import figure_serve

APPROVED = SubmissionState.APPROVED
CURRENCY_UNIT = "currency"  # a KPI in money: converted into the programme currency


def approved_kpi_values(*, program: Program) -> QuerySet[KpiValue]:
    return KpiValue.objects.for_program(program).filter(submission__state=APPROVED)


def value_impact_compute(*, program: Program, year: int) -> dict[str, Any]:
    """Per KPI and per KPI kind, the portfolio aggregate of year ``year`` (6 queries).

    ``value`` is the sum or the mean over the clusters that reported the KPI, as the KPI's
    ``aggregation`` says; ``change`` and ``relative_change`` compare with year - 1 and are
    null without a previous value (``relative_change`` also when the previous value is 0).
    KPIs whose unit is ``currency`` (member revenue, exports...) are reported in the
    submission's currency and converted into the programme currency like the funding mix
    (the fx rate of that year); a submission without a rate is left out of those KPIs and
    listed in ``excluded``.
    """
    kpis = list(
        KpiDefinition.objects.for_program(program)
        .order_by("code")
        .values("id", "code", "name", "unit", "kind", "aggregation")
    )
    money_kpis = {k["id"] for k in kpis if k["unit"] == CURRENCY_UNIT}
    years = [year - 1, year]
    rows = (
        approved_kpi_values(program=program)
        .filter(submission__year__in=years)
        .order_by()
        .values("kpi_id", "submission__year", "submission__currency")
        .annotate(
            total=ExactSum("value", places=KPI_PLACES),
            clusters=Count("submission__cluster_id", distinct=True),
        )
    )
    rates = {
        (y, currency): rate
        for y, currency, rate in FxRate.objects.for_program(program)
        .filter(year__in=years)
        .values_list("year", "currency", "rate")
    }
    totals: dict[tuple[int, int], tuple[Decimal, int]] = {}
    missing: set[tuple[int, str]] = set()
    for r in rows:
        key, total = (r["kpi_id"], r["submission__year"]), r["total"]
        currency = r["submission__currency"]
        if r["kpi_id"] in money_kpis and currency != program.currency:
            rate = rates.get((r["submission__year"], currency))
            if rate is None:
                missing.add((r["submission__year"], currency))
                continue
            total = EXACT.multiply(total, rate)
        before, n = totals.get(key, (Decimal(0), 0))
        totals[key] = (EXACT.add(before, total), n + r["clusters"])
    excluded = [
        {
            "cluster": slug,
            "reason": f"no fx rate for {currency} in {y}; its currency KPIs are not counted",
        }
        for y, slug, currency in Submission.objects.for_program(program)
        .filter(year__in=years, state=APPROVED, kpis__kpi_id__in=money_kpis)
        .exclude(currency=program.currency)
        .values_list("year", "cluster__slug", "currency")
        .distinct()
        .order_by("-year", "cluster__slug")
        if (y, currency) in missing
    ]
    by_kind_rows = (
        approved_kpi_values(program=program)
        .filter(submission__year=year)
        .order_by()
        .values("kpi__kind")
        .annotate(
            clusters=Count("submission__cluster_id", distinct=True),
            kpis=Count("kpi_id", distinct=True),
        )
    )
    by_kind: dict[str, Mapping[str, Any]] = {r["kpi__kind"]: r for r in by_kind_rows}
    clusters_reporting = (
        Submission.objects.for_program(program).filter(year=year, state=APPROVED).count()
    )

    def aggregate(kpi: dict[str, Any], y: int) -> tuple[Decimal | None, int]:
        total, n = totals.get((kpi["id"], y), (None, 0))
        if total is None or n == 0:
            return None, 0
        if kpi["aggregation"] == KpiAggregation.MEAN:
            return RATIO.divide(total, n), n
        return total, n

    out_kpis = []
    for kpi in kpis:
        value, n = aggregate(kpi, year)
        previous, _ = aggregate(kpi, year - 1)
        change = (
            EXACT.subtract(value, previous) if value is not None and previous is not None else None
        )
        relative = RATIO.divide(change, previous) if change is not None and previous else None
        out_kpis.append(
            {
                "kpi": kpi["code"],
                "name": kpi["name"],
                "unit": kpi["unit"],
                "kind": kpi["kind"],
                "aggregation": kpi["aggregation"],
                "value": number_text(value),
                "clusters": n,
                "previous_value": number_text(previous),
                "change": number_text(change),
                "relative_change": share_float(relative),
            }
        )

    out_kinds = []
    for kind in KpiKind.values:
        row = by_kind.get(kind, {})
        n = row.get("clusters", 0)
        out_kinds.append(
            {
                "kind": kind,
                "kpis_defined": sum(1 for k in kpis if k["kind"] == kind),
                "kpis_reported": row.get("kpis", 0),
                "clusters_reporting": n,
                "share_of_clusters": share_float(
                    RATIO.divide(n, clusters_reporting) if clusters_reporting else Decimal(0)
                ),
            }
        )
    return {
        "year": year,
        "currency": program.currency,
        "clusters_reporting": clusters_reporting,
        "kpis": out_kpis,
        "by_kind": out_kinds,
        "excluded": excluded,
    }


VALUE_IMPACT = "value_impact"


def value_impact_figure(program: Program, year: int, **params: str) -> dict[str, Any]:
    """The registered portfolio figure (``impact.figures.register_figure``)."""
    return value_impact_compute(program=program, year=year)


def value_impact(*, access: Access, year: Any) -> dict[str, Any]:
    """The value-impact figure for a portfolio reader (admin, analyst), with ``as_of``.

    Served from the stored snapshot when the recompute task has written one, else computed
    now; ``source`` says which.
    """
    access.require_portfolio_reader()
    checked = require_year(year)
    assert checked is not None
    return figure_serve(access=access, kind=VALUE_IMPACT, year=checked).as_response()
