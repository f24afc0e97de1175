"""Value-impact roadmaps and progress against them.

A roadmap (one per cluster and KPI) is a baseline and milestones with linear or compound
growth between them (``impact.interpolation``). Progress compares the interpolated target
of a year with the approved actual of that year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from clusters.access import Access
from clusters.models import Program
from clusters.numbers import RATIO, number_text, share_float
from clusters.selectors.registry import cluster_list
from clusters.validation import require_year

from ..interpolation import interpolated_target, is_increasing
from ..models import Milestone, Roadmap
from .value_impact import approved_kpi_values


def roadmap_list(
    *, access: Access, cluster_id: int | None = None, with_related: bool = True
) -> QuerySet[Roadmap]:
    """Roadmaps of the clusters the caller may see, with their KPI and milestones (2 queries).

    ``with_related=False`` leaves the joins to the caller (GraphQL's optimizer).
    """
    qs = Roadmap.objects.for_access(access, cluster_path="cluster").order_by(
        "cluster__name", "cluster_id", "kpi__code"
    )
    if with_related:
        qs = qs.select_related("cluster", "kpi").prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.for_program(access.program))
        )
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
        ratio = RATIO.divide(actual, target) if target else None
    return {
        "cluster": roadmap.cluster,
        "cluster_name": roadmap.cluster_name,
        "kpi": roadmap.kpi,
        "interpolation": roadmap.interpolation,
        "direction": "increase" if upward else "decrease",
        "baseline_year": roadmap.baseline_year,
        "baseline_value": number_text(roadmap.baseline_value),
        "target": number_text(target),
        "actual": number_text(actual),
        "ratio": share_float(ratio),
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
        "share_on_track": share_float(RATIO.divide(on_track, len(assessed))) if assessed else None,
        "by_kpi": [
            {
                "kpi": code,
                **counts,
                "share_on_track": share_float(RATIO.divide(counts["on_track"], counts["assessed"]))
                if counts["assessed"]
                else None,
            }
            for code, counts in sorted(by_kpi.items())
        ],
        "items": items,
    }


def roadmap_progress(*, access: Access, year: Any) -> dict[str, Any]:
    """Progress of every cluster against its roadmaps in ``year`` (admin, analyst; 3 queries)."""
    access.require_portfolio_reader()
    checked = require_year(year)
    assert checked is not None
    return roadmap_progress_compute(program=access.program, access=access, year=checked)


def roadmap_body(roadmap: Roadmap) -> dict[str, Any]:
    """A roadmap as a body (the fields a client writes), from a row of ``roadmap_list``."""
    return {
        "kpi": roadmap.kpi.code,
        "statement": roadmap.statement,
        "baseline": {"year": roadmap.baseline_year, "value": number_text(roadmap.baseline_value)},
        "milestones": [
            {"year": m.year, "target": number_text(m.target)} for m in roadmap.milestones.all()
        ],
        "interpolation": roadmap.interpolation,
        "data_source": roadmap.data_source,
        "third_party_verified": roadmap.third_party_verified,
    }
