"""What a cluster's annual report shows, gathered from the domains below.

Figures count the cluster's **approved** submissions, converted into the programme currency
with the programme's fx rate of each year exactly as the portfolio does
(``canvases.actuals.approved_actuals``: the programme currency at rate 1, another currency
at the rate of its year, no rate: not converted and said so). Amounts stay ``Decimal``;
the templates write them out. Every list is in a fixed order, so the same data gives the
same document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from canvases import kinds as k
from canvases.actuals import Actual, approved_actuals, evolution_compare
from canvases.bodies import KindContext
from canvases.models import Canvas
from canvases.selectors import canvas_row, canvas_view, kind_context
from clusters.access import Access
from clusters.models import (
    Cluster,
    FundingCategory,
    FxRate,
    KpiDefinition,
    KpiKind,
    KpiValue,
    Submission,
    SubmissionState,
    WarningRule,
)
from clusters.numbers import EXACT, RATIO, ZERO
from clusters.selectors.submissions import submission_list
from clusters.selectors.warnings import warnings_for
from impact.models import Roadmap
from impact.selectors.roadmaps import RoadmapRow, progress_item, roadmap_list

from ..benchmark import is_european
from .common import latest_change

CATEGORIES = tuple(FundingCategory.values)
KIND_ORDER = {kind: i for i, kind in enumerate(KpiKind.values)}
CURRENCY_UNIT = "currency"


def _relative(change: Decimal | None, before: Decimal | None) -> Decimal | None:
    if change is None or not before:
        return None
    return RATIO.divide(change, before)


@dataclass
class YearFigures:
    """One approved year of the cluster, in the programme currency."""

    year: int
    currency: str  # the submission's
    rate: Decimal
    by_source: list[tuple[str, str, Decimal]]  # (code, category, amount), largest first
    costs: dict[str, Decimal]
    by_category: dict[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_category = dict.fromkeys(CATEGORIES, ZERO)
        for _code, category, amount in self.by_source:
            self.by_category[category] = EXACT.add(self.by_category[category], amount)

    @property
    def total(self) -> Decimal:
        return sum(self.by_category.values(), ZERO)

    @property
    def costs_total(self) -> Decimal:
        return sum(self.costs.values(), ZERO)

    @property
    def balance(self) -> Decimal:
        return EXACT.subtract(self.total, self.costs_total)

    def share(self, amount: Decimal) -> Decimal | None:
        return RATIO.divide(amount, self.total) if self.total > 0 else None

    @property
    def public_share(self) -> Decimal | None:
        return self.share(self.by_category["public"])

    def cost_share(self, amount: Decimal) -> Decimal | None:
        return RATIO.divide(amount, self.costs_total) if self.costs_total > 0 else None


def _figures(actual: Actual) -> YearFigures:
    rows = sorted(
        ((code, actual.categories[code], amount) for code, amount in actual.funding.items()),
        key=lambda r: (-r[2], r[0]),
    )
    return YearFigures(actual.year, actual.currency, actual.rate or Decimal(1), rows, actual.costs)


def _lines(submission: Submission, rate: Decimal | None, names: dict[str, str]) -> dict[str, Any]:
    """The year's lines as reported (in the submission's currency) and converted."""
    funding = sorted(submission.funding.all(), key=lambda line: (-line.amount, line.source.code))
    total = sum((line.amount for line in funding), ZERO)
    costs = sorted(submission.costs.all(), key=lambda line: (-line.amount, line.category))
    costs_total = sum((line.amount for line in costs), ZERO)

    def converted(amount: Decimal) -> Decimal | None:
        return EXACT.multiply(amount, rate) if rate is not None else None

    return {
        "funding": [
            {
                "code": line.source.code,
                "name": names.get(line.source.code, line.source.name),
                "category": line.source.category,
                "amount": line.amount,
                "converted": converted(line.amount),
                "share": RATIO.divide(line.amount, total) if total > 0 else None,
                "in_kind": line.in_kind,
                "restricted": line.restricted,
            }
            for line in funding
        ],
        "costs": [
            {
                "category": line.category,
                "amount": line.amount,
                "converted": converted(line.amount),
                "share": RATIO.divide(line.amount, costs_total) if costs_total > 0 else None,
            }
            for line in costs
        ],
        "total": total,
        "costs_total": costs_total,
    }


def _kpis(
    access: Access, cluster: Cluster, year: int
) -> tuple[list[dict[str, Any]], dict[str, list[tuple[int, Decimal]]]]:
    """KPI rows of the year against the year before, and every KPI's approved values up to
    the year (the roadmaps' actuals)."""
    definitions = {
        d["code"]: d
        for d in KpiDefinition.objects.for_program(access.program).values(
            "code", "name", "unit", "kind"
        )
    }
    series: dict[str, list[tuple[int, Decimal]]] = {}
    currencies: dict[int, str] = {}
    for code, y, value, currency in (
        KpiValue.objects.for_program(access.program)
        .filter(
            submission__cluster=cluster,
            submission__state=SubmissionState.APPROVED,
            submission__year__lte=year,
        )
        .order_by("kpi__code", "submission__year")
        .values_list("kpi__code", "submission__year", "value", "submission__currency")
    ):
        series.setdefault(code, []).append((y, value))
        currencies[y] = currency
    rows = []
    for code, points in series.items():
        by_year = dict(points)
        now, before = by_year.get(year), by_year.get(year - 1)
        if now is None and before is None:
            continue
        definition = definitions[code]
        change = EXACT.subtract(now, before) if now is not None and before is not None else None
        unit = definition["unit"]
        rows.append(
            {
                "code": code,
                "name": definition["name"],
                "kind": definition["kind"],
                "unit": currencies.get(year, "") if unit == CURRENCY_UNIT else unit,
                "value": now,
                "previous": before,
                "change": change,
                "relative": _relative(change, before),
            }
        )
    rows.sort(key=lambda r: (KIND_ORDER.get(r["kind"], 9), r["code"]))
    return rows, series


def _roadmaps(
    access: Access, cluster: Cluster, year: int, series: dict[str, list[tuple[int, Decimal]]]
) -> list[dict[str, Any]]:
    out = []
    for roadmap in roadmap_list(access=access, cluster_id=cluster.pk):
        milestones = [(m.year, m.target) for m in roadmap.milestones.all()]
        row = RoadmapRow(
            roadmap.pk,
            cluster.pk,
            cluster.slug,
            cluster.name,
            roadmap.kpi_id,
            roadmap.kpi.code,
            roadmap.interpolation,
            roadmap.baseline_year,
            roadmap.baseline_value,
            milestones,
        )
        actuals = series.get(roadmap.kpi.code, [])
        progress = progress_item(row, year=year, actual=dict(actuals).get(year))
        out.append(
            {
                "kpi": roadmap.kpi.code,
                "name": roadmap.kpi.name,
                "statement": roadmap.statement,
                "data_source": roadmap.data_source,
                "verified": roadmap.third_party_verified,
                "interpolation": roadmap.interpolation,
                "plan": [(roadmap.baseline_year, roadmap.baseline_value), *milestones],
                "actuals": actuals,
                "target": Decimal(progress["target"]) if progress["target"] else None,
                "actual": Decimal(progress["actual"]) if progress["actual"] else None,
                "ratio": progress["ratio"],
                "on_track": progress["on_track"],
                "status": progress["status"],
            }
        )
    return out


def _canvases(access: Access, cluster: Cluster, ctx: KindContext) -> dict[str, Any]:
    the_map = canvas_view(access=access, cluster=cluster, kind=k.BUSINESS_MODEL_MAP)
    board = canvas_view(access=access, cluster=cluster, kind=k.BUSINESS_MODEL_CANVAS)
    evolution = canvas_row(
        access=access, cluster=cluster, kind=k.EVOLUTION_MAP, alternative=k.CURRENT
    )
    stages = evolution.body.get("stages", []) if evolution is not None else []
    compared = evolution_compare(access=access, cluster=cluster, stages=stages)["stages"]
    return {
        "map": {
            "version": the_map["version"],
            "shares": [
                {
                    "code": s["source"],
                    "name": ctx.source_names.get(s["source"], s["source"]),
                    "category": ctx.sources.get(s["source"], "public"),
                    "share": Decimal(str(s["share"])),
                }
                for s in the_map["shares"]
            ],
        },
        "canvas": {"version": board["version"], "blocks": board["blocks"]},
        "evolution": {
            "version": evolution.version if evolution is not None else 0,
            "stages": compared,
        },
    }


def _completeness(
    data: dict[str, Any], submission: Submission | None, access: Access
) -> list[dict[str, Any]]:
    """What is missing or questionable, in a fixed order (each item a code and its facts)."""
    year = data["year"]
    items: list[dict[str, Any]] = []
    if submission is None:
        items.append({"code": "no_submission", "year": year})
    elif submission.state != SubmissionState.APPROVED:
        items.append({"code": "not_approved", "year": year, "state": submission.state})
    if data["conversion"].get("missing"):
        items.append({"code": "no_rate", "year": year, "currency": data["conversion"]["currency"]})
    if data["current"] is not None and not data["current"].costs:
        items.append({"code": "no_costs", "year": year})
    if data["previous"] is None:
        items.append({"code": "no_previous", "year": year - 1})
    if submission is not None:
        for warning in warnings_for(program=access.program, submissions=[submission])[
            submission.pk
        ]:
            items.append({"code": "warning", "rule": warning.rule, "message": warning.message})
    for roadmap in data["roadmaps"]:
        if roadmap["status"] == "no_actual":
            items.append(
                {
                    "code": "roadmap_no_actual",
                    "kpi": roadmap["kpi"],
                    "name": roadmap["name"],
                    "year": year,
                }
            )
    canvases = data["canvases"]
    for kind in (k.BUSINESS_MODEL_MAP, k.EVOLUTION_MAP, k.BUSINESS_MODEL_CANVAS):
        key = {"business-model-map": "map", "evolution-map": "evolution"}.get(kind, "canvas")
        if not canvases[key]["version"]:
            items.append({"code": "canvas_missing", "kind": kind})
    return items


def cluster_report_data(*, access: Access, cluster: Cluster, year: int) -> dict[str, Any]:
    """Everything the cluster's annual report of ``year`` shows (a fixed number of queries,
    whatever the length of its history)."""
    program = access.program
    submissions = list(submission_list(access=access, cluster=cluster).filter(year__lte=year))
    submission = next((s for s in submissions if s.year == year), None)
    approved_years = sorted(s.year for s in submissions if s.state == SubmissionState.APPROVED)
    found, missing = approved_actuals(
        access=access, cluster=cluster, years=approved_years, with_costs=True
    )
    history = [_figures(found[y]) for y in sorted(found)]
    by_year = {f.year: f for f in history}
    current, previous = by_year.get(year), by_year.get(year - 1)
    ctx = kind_context(access=access, cluster=cluster)  # the catalogue: names, categories
    names = ctx.source_names
    conversion: dict[str, Any] = {"currency": submission.currency if submission else None}
    lines = None
    if submission is not None and submission.state == SubmissionState.APPROVED:
        rate = current.rate if current is not None else None
        conversion.update(rate=rate, missing=missing.get(year))
        lines = _lines(submission, rate, names)
    kpis, series = _kpis(access, cluster, year)
    data: dict[str, Any] = {
        "program": program,
        "cluster": cluster,
        "year": year,
        "currency": program.currency,
        "age": year - cluster.founded_year if cluster.founded_year is not None else None,
        "submission": submission,
        "conversion": conversion,
        "lines": lines,
        "current": current,
        "previous": previous,
        "history": history,
        "history_missing": [{"year": y, "reason": r} for y, r in sorted(missing.items())],
        "kpis": kpis,
        "roadmaps": _roadmaps(access, cluster, year, series),
        "canvases": _canvases(access, cluster, ctx),
        "european": is_european(program.country),
    }
    data["change"] = _change(current, previous)
    data["completeness"] = _completeness(data, submission, access)
    data["as_of"] = latest_change(
        program.updated_at,
        cluster.updated_at,
        *(s.updated_at for s in submissions),
        querysets=(
            FxRate.objects.for_program(program),
            Roadmap.objects.for_program(program).filter(cluster=cluster),
            Canvas.objects.for_program(program).filter(cluster=cluster),
            WarningRule.objects.for_program(program),
        ),
    )
    return data


def _change(current: YearFigures | None, previous: YearFigures | None) -> dict[str, Any] | None:
    """This year against the year before, per category and in total."""
    if current is None or previous is None:
        return None
    rows = []
    for category in (*CATEGORIES, "total"):
        now = current.total if category == "total" else current.by_category[category]
        before = previous.total if category == "total" else previous.by_category[category]
        change = EXACT.subtract(now, before)
        rows.append(
            {
                "category": category,
                "previous": before,
                "value": now,
                "change": change,
                "relative": _relative(change, before),
            }
        )
    share_change = (
        RATIO.subtract(current.public_share, previous.public_share)
        if current.public_share is not None and previous.public_share is not None
        else None
    )
    return {"rows": rows, "public_share_change": share_change}
