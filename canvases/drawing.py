"""Canvases drawn with the chart kit: the canvas as the API shows it, in words and numbers
the picture needs (source names, the programme's currency, a roadmap's actuals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from charts import layouts
from charts.layouts.boards import Block, Note
from charts.layouts.finance import CostShare, Share, Stage
from charts.layouts.roadmap import Metric
from charts.png import svg_to_png
from charts.primitives import format_money
from clusters.access import Access
from clusters.models import Cluster, CostCategory, KpiValue, SubmissionState

from . import kinds as k
from .selectors import canvas_view, kind_context

COST_TITLES = dict(CostCategory.choices)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _shares(
    rows: list[dict[str, Any]], sources: dict[str, str], names: dict[str, str]
) -> list[Share]:
    return [
        Share(names.get(r["source"], r["source"]), sources.get(r["source"], "public"), r["share"])
        for r in rows
    ]


def _actuals(
    access: Access, cluster: Cluster, kpis: list[str]
) -> dict[str, list[tuple[int, float]]]:
    out: dict[str, list[tuple[int, float]]] = {}
    rows = (
        KpiValue.objects.for_program(access.program)
        .filter(
            submission__cluster=cluster,
            submission__state=SubmissionState.APPROVED,
            kpi__code__in=kpis,
        )
        .order_by("submission__year")
        .values_list("kpi__code", "submission__year", "value")
    )
    for code, year, value in rows:
        out.setdefault(code, []).append((year, float(value)))
    return out


def canvas_svg(
    *,
    access: Access,
    cluster: Cluster,
    kind: str,
    alternative: str = k.CURRENT,
    year: int | None = None,
) -> str:
    """The canvas drawn as SVG (same canvas, same bytes)."""
    view = canvas_view(
        access=access, cluster=cluster, kind=kind, alternative=alternative, year=year
    )
    ctx = kind_context(access=access, cluster=cluster)
    currency = access.program.currency
    title = k.TITLES[kind]
    subtitle = (
        cluster.name if alternative == k.CURRENT else f"{cluster.name} · scenario '{alternative}'"
    )
    subtitle += f" · version {view['version']}" if view["version"] else " · not saved yet"
    if kind == k.BUSINESS_MODEL_MAP:
        return layouts.business_model_map(
            title=title,
            subtitle=f"{subtitle} · {currency}",
            shares=_shares(view["shares"], ctx.sources, ctx.source_names),
        )
    if kind == k.EVOLUTION_MAP:
        stages = [
            Stage(
                years=f"{s['year']}–{s['year_to']}" if s.get("year_to") else str(s["year"]),
                label=s["label"],
                budget=format_money(Decimal(s["budget"]), currency),
                budget_needed=format_money(Decimal(s["budget_needed"]), currency),
                stress=s["financial_stress"],
                note=s["note"],
                shares=_shares(s["shares"], ctx.sources, ctx.source_names),
            )
            for s in view["stages"]
        ]
        return layouts.evolution_map(
            title=title, subtitle=f"{subtitle} · {currency}", stages=stages
        )
    if kind == k.FINANCING_MODEL:
        year, age = view["year"], view["age"]
        heading = "No year yet" if year is None else str(year)
        if age is not None:
            heading += f" · the cluster's {_ordinal(age + 1)} year"
        costs = [
            CostShare(
                COST_TITLES.get(c["category"], c["category"]), c["share"], c["category"] == "setup"
            )
            for c in view["cost_shares"]
        ]
        return layouts.financing_model(
            title=title,
            subtitle=f"{subtitle} · {currency}",
            heading=heading,
            shares=_shares(view["shares"], ctx.sources, ctx.source_names),
            costs=costs,
        )
    if kind == k.BUSINESS_MODEL_CANVAS:
        blocks = [
            Block(
                code,
                k.BLOCK_TITLES[code],
                [Note(n["text"], n["state"]) for n in view["blocks"].get(code, [])],
            )
            for code in k.BLOCKS
        ]
        return layouts.business_model_canvas(title=title, subtitle=subtitle, blocks=blocks)
    if kind == k.VALUE_IMPACT_ROADMAP:
        roadmaps = view["roadmaps"]
        actuals = _actuals(access, cluster, [r["kpi"] for r in roadmaps])
        metrics = [
            Metric(
                name=r["kpi"].replace("_", " ").capitalize(),
                statement=r["statement"],
                data_source=r["data_source"],
                verified=r["third_party_verified"],
                plan=[(r["baseline"]["year"], float(r["baseline"]["value"]))]
                + [(m["year"], float(m["target"])) for m in r["milestones"]],
                actuals=actuals.get(r["kpi"], []),
            )
            for r in roadmaps
        ]
        return layouts.roadmap(title=title, subtitle=subtitle, metrics=metrics)
    if kind == k.VALUE_TRIANGLE:
        sides = [(k.TRIANGLE_TITLES[s], view[s]) for s in k.TRIANGLE_SIDES]
        return layouts.value_triangle(title=title, subtitle=subtitle, sides=sides)
    if kind == k.STRATEGY:
        return layouts.strategy(
            title=title,
            subtitle=subtitle,
            ambition=view["ambition"],
            focus_areas=view["focus_areas"],
            value_impact=view["value_impact"],
            roadmap=view["roadmap"],
        )
    levels = view.get("levels", {})
    rows = [
        (
            area.capitalize(),
            levels.get(area, {}).get("level"),
            levels.get(area, {}).get("evidence", ""),
        )
        for area in k.ASSESSMENT_AREAS
    ]
    if view.get("year") is not None:
        subtitle += f" · {view['year']}"
    return layouts.self_assessment(title=title, subtitle=subtitle, levels=rows)


def canvas_png(
    *,
    access: Access,
    cluster: Cluster,
    kind: str,
    alternative: str = k.CURRENT,
    year: int | None = None,
) -> bytes:
    return svg_to_png(
        canvas_svg(access=access, cluster=cluster, kind=kind, alternative=alternative, year=year)
    )
