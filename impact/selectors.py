"""Reads of value impact: KPI aggregates, roadmaps and progress against them.

Every figure counts approved submissions only. Aggregates (sums, counts) are computed in
the database with GROUP BY; the query count does not depend on the number of clusters.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum

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
from clusters.selectors.registry import cluster_list
from clusters.services.portfolio import figure_serve

from .interpolation import interpolated_target, is_increasing
from .models import Milestone, Roadmap

APPROVED = SubmissionState.APPROVED
# Products of a KPI value and a 10-decimal fx rate stay exact at this precision.
EXACT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN)
CURRENCY_UNIT = "currency"  # a KPI in money: converted into the programme currency
KPI_PLACES = Decimal("0.000001")  # KPI values carry 6 decimal places
SHARE_PLACES = Decimal("0.000001")


def fmt_value(value: Decimal | None) -> str | None:
    """A KPI value or target as a decimal string with at most 6 decimal places."""
    if value is None:
        return None
    q = value.quantize(KPI_PLACES, rounding=ROUND_HALF_UP)
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_share(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(value.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP))


# --- value impact -----------------------------------------------------------------------


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
        .annotate(total=Sum("value"), clusters=Count("submission__cluster_id", distinct=True))
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
        totals[key] = (before + total, n + r["clusters"])
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
    by_kind = {r["kpi__kind"]: r for r in by_kind_rows}
    clusters_reporting = (
        Submission.objects.for_program(program).filter(year=year, state=APPROVED).count()
    )

    def aggregate(kpi: dict[str, Any], y: int) -> tuple[Decimal | None, int]:
        total, n = totals.get((kpi["id"], y), (None, 0))
        if total is None or n == 0:
            return None, 0
        if kpi["aggregation"] == KpiAggregation.MEAN:
            return total / n, n
        return total, n

    out_kpis = []
    for kpi in kpis:
        value, n = aggregate(kpi, year)
        previous, _ = aggregate(kpi, year - 1)
        change = value - previous if value is not None and previous is not None else None
        relative = change / previous if change is not None and previous else None
        out_kpis.append(
            {
                "kpi": kpi["code"],
                "name": kpi["name"],
                "unit": kpi["unit"],
                "kind": kpi["kind"],
                "aggregation": kpi["aggregation"],
                "value": fmt_value(value),
                "clusters": n,
                "previous_value": fmt_value(previous),
                "change": fmt_value(change),
                "relative_change": fmt_share(relative),
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
                "share_of_clusters": fmt_share(
                    Decimal(n) / clusters_reporting if clusters_reporting else Decimal(0)
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
    """The registered portfolio figure (``clusters.services.portfolio.register_figure``)."""
    return value_impact_compute(program=program, year=year)


def value_impact(*, access: Access, year: int) -> dict[str, Any]:
    """The value-impact figure for a portfolio reader (admin, analyst), with ``as_of``.

    Served from the stored snapshot when the recompute task has written one, else computed
    now; ``source`` says which.
    """
    access.require_portfolio_reader()
    served = figure_serve(access=access, kind=VALUE_IMPACT, year=year)
    return {**served.payload, "as_of": served.as_of.isoformat(), "source": served.source}


# --- roadmaps ---------------------------------------------------------------------------


def roadmap_list(
    *, access: Access, cluster_id: int | None = None, with_related: bool = True
) -> QuerySet[Roadmap]:
    """Roadmaps of the clusters the caller may see, with their KPI and milestones (2 queries).

    ``with_related=False`` leaves the joins to the caller (GraphQL's optimizer).
    """
    qs = (
        Roadmap.objects.for_program(access.program)
        .filter(cluster__deleted_at__isnull=True)
        .order_by("cluster__name", "cluster_id", "kpi__code")
    )
    if with_related:
        qs = qs.select_related("cluster", "kpi").prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.for_program(access.program))
        )
    if access.cluster_ids is not None:
        qs = qs.filter(cluster_id__in=access.cluster_ids)
    if cluster_id is not None:
        qs = qs.filter(cluster_id=cluster_id)
    return qs


def roadmap_get(*, access: Access, cluster_slug: str, kpi_code: str) -> Roadmap:
    """The roadmap, or ``Roadmap.DoesNotExist`` (also for clusters the caller cannot see)."""
    cluster = cluster_list(access=access).get(slug=cluster_slug)
    return roadmap_list(access=access, cluster_id=cluster.pk).get(kpi__code=kpi_code)


def roadmap_points(roadmap: Roadmap) -> list[tuple[int, Decimal]]:
    return [(m.year, m.target) for m in roadmap.milestones.all()]


def roadmap_target(roadmap: Roadmap, year: int) -> Decimal | None:
    return interpolated_target(
        baseline_year=roadmap.baseline_year,
        baseline_value=roadmap.baseline_value,
        milestones=roadmap_points(roadmap),
        interpolation=roadmap.interpolation,
        year=year,
    )


class ProgressStatus:
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_ACTUAL = "no_actual"
    BEFORE_BASELINE = "before_baseline"


@dataclass
class RoadmapRow:
    """The fields progress needs, read with values() (no model instances at scale)."""

    id: int
    cluster_id: int
    cluster: str
    cluster_name: str
    kpi_id: int
    kpi: str
    interpolation: str
    baseline_year: int
    baseline_value: Decimal
    milestones: list[tuple[int, Decimal]] = field(default_factory=list)


def roadmap_rows(*, access: Access) -> list[RoadmapRow]:
    """The caller's roadmaps with their milestones (2 queries)."""
    roadmaps = roadmap_list(access=access, with_related=False)
    rows = {
        r["id"]: RoadmapRow(
            r["id"],
            r["cluster_id"],
            r["cluster__slug"],
            r["cluster__name"],
            r["kpi_id"],
            r["kpi__code"],
            r["interpolation"],
            r["baseline_year"],
            r["baseline_value"],
        )
        for r in roadmaps.values(
            "id",
            "cluster_id",
            "cluster__slug",
            "cluster__name",
            "kpi_id",
            "kpi__code",
            "interpolation",
            "baseline_year",
            "baseline_value",
        )
    }
    for roadmap_id, year, target in (
        Milestone.objects.for_program(access.program)
        .filter(roadmap__in=roadmaps.values("id"))
        .order_by("roadmap_id", "year")
        .values_list("roadmap_id", "year", "target")
    ):
        rows[roadmap_id].milestones.append((year, target))
    return list(rows.values())


def progress_item(roadmap: RoadmapRow, *, year: int, actual: Decimal | None) -> dict[str, Any]:
    """One cluster's progress on one roadmap metric in ``year``.

    On track: the approved actual of that year is at least the interpolated target (at most
    it, for a roadmap whose last target is below its baseline). ``on_track`` is null when
    no approved actual was reported or the year is before the baseline year.
    """
    target = interpolated_target(
        baseline_year=roadmap.baseline_year,
        baseline_value=roadmap.baseline_value,
        milestones=roadmap.milestones,
        interpolation=roadmap.interpolation,
        year=year,
    )
    upward = is_increasing(baseline_value=roadmap.baseline_value, milestones=roadmap.milestones)
    on_track: bool | None = None
    ratio: Decimal | None = None
    if target is None:
        status = ProgressStatus.BEFORE_BASELINE
    elif actual is None:
        status = ProgressStatus.NO_ACTUAL
    else:
        on_track = actual >= target if upward else actual <= target
        status = ProgressStatus.ON_TRACK if on_track else ProgressStatus.BEHIND
        ratio = actual / target if target else None
    return {
        "cluster": roadmap.cluster,
        "cluster_name": roadmap.cluster_name,
        "kpi": roadmap.kpi,
        "interpolation": roadmap.interpolation,
        "direction": "increase" if upward else "decrease",
        "baseline_year": roadmap.baseline_year,
        "baseline_value": fmt_value(roadmap.baseline_value),
        "target": fmt_value(target),
        "actual": fmt_value(actual),
        "ratio": fmt_share(ratio),
        "on_track": on_track,
        "status": status,
    }


def roadmap_progress_compute(*, program: Program, access: Access, year: int) -> dict[str, Any]:
    roadmaps = roadmap_rows(access=access)
    actual_rows = (
        approved_kpi_values(program=program)
        .filter(submission__year=year)
        .filter(kpi_id__in=Roadmap.objects.for_program(program).values("kpi_id"))
        .order_by()
        .values_list("submission__cluster_id", "kpi_id", "value")
    )
    actuals = {(c, k): v for c, k, v in actual_rows}
    items = [
        progress_item(r, year=year, actual=actuals.get((r.cluster_id, r.kpi_id))) for r in roadmaps
    ]
    # A cluster is on track when every metric that can be assessed this year is on track.
    assessed: dict[str, bool] = {}
    by_kpi: dict[str, dict[str, int]] = {}
    for item in items:
        counts = by_kpi.setdefault(item["kpi"], {"roadmaps": 0, "assessed": 0, "on_track": 0})
        counts["roadmaps"] += 1
        if item["on_track"] is None:
            continue
        counts["assessed"] += 1
        counts["on_track"] += int(item["on_track"])
        assessed[item["cluster"]] = assessed.get(item["cluster"], True) and item["on_track"]
    on_track = sum(1 for ok in assessed.values() if ok)
    return {
        "year": year,
        "clusters_with_roadmaps": len({i["cluster"] for i in items}),
        "clusters_assessed": len(assessed),
        "clusters_on_track": on_track,
        "share_on_track": fmt_share(Decimal(on_track) / len(assessed)) if assessed else None,
        "by_kpi": [
            {
                "kpi": code,
                **counts,
                "share_on_track": fmt_share(Decimal(counts["on_track"]) / counts["assessed"])
                if counts["assessed"]
                else None,
            }
            for code, counts in sorted(by_kpi.items())
        ],
        "items": items,
    }


def roadmap_progress(*, access: Access, year: int) -> dict[str, Any]:
    """Progress of every cluster against its roadmaps in ``year`` (admin, analyst; 3 queries)."""
    access.require_portfolio_reader()
    return roadmap_progress_compute(program=access.program, access=access, year=year)
