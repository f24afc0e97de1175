"""The portfolio report's page context: the served figures with their words, charts and
table of contents in the active language (call inside ``translation.override``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .. import charts, words
from .. import formatting as fmt
from ..selectors.program import GROUPS
from .common import document

CATEGORIES = ("public", "private", "project")
# The public-reliance trends worth a line of their own (the others are counted).
MOVING = ("towards_private", "towards_public", "stuck")
GROUP_TABLES = {"stage": words.STAGES, "category": words.CLUSTER_CATEGORIES}


def _d(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _source_label(data: dict[str, Any], code: str) -> str:
    return words.source_name(code, data["source_names"].get(code, code))


def _sections(data: dict[str, Any]) -> list[dict[str, str]]:
    sections = [
        ("funding", _("Funding mix")),
        ("trend", _("Funding over the years")),
        ("groups", _("By stage, category and region")),
        ("reliance", _("Reliance on public money")),
        ("costs", _("Costs and deficits")),
        ("impact", _("Value impact")),
        ("roadmaps", _("Progress against roadmaps")),
        ("reporting", _("Completeness of reporting")),
    ]
    if data["scenario"] is not None:
        sections.append(("whatif", _("What if")))
    sections.append(("clusters", _("The clusters one by one")))
    return [{"id": key, "title": title} for key, title in sections]


def _group_label(group_by: str, key: str) -> str:
    table = GROUP_TABLES.get(group_by)
    return words.word(table, key) if table else (key or _("(no region)"))


def _groups(data: dict[str, Any]) -> list[dict[str, Any]]:
    titles = {
        "stage": _("By stage"),
        "category": _("By category (why the cluster exists)"),
        "region": _("By region"),
    }
    out = []
    for group_by in GROUPS:
        groups = data["groups"][group_by]["groups"]
        rows = [
            {
                "label": _group_label(group_by, g["key"]),
                "clusters": g["clusters"],
                "total": g["total"],
                "shares": {c: _d(g["by_category"][c]["share"]) for c in CATEGORIES},
                "public_median": g["cluster_public_share"]["median"],
            }
            for g in groups
        ]
        out.append(
            {
                "group_by": group_by,
                "title": titles[group_by],
                "rows": rows,
                "chart": charts.category_rows(
                    title=titles[group_by], rows=[(r["label"], r["shares"]) for r in rows]
                )
                if rows
                else None,
            }
        )
    return out


def _trend(data: dict[str, Any]) -> dict[str, Any]:
    years = [t for t in data["trend"] if Decimal(t["total"]) > 0]
    points = {c: [(t["year"], _d(t["by_category"][c]["share"])) for t in years] for c in CATEGORIES}
    benchmark = data["benchmark"]
    chart = (
        charts.share_trend(
            title=_("Funding mix by year"),
            points=points,
            benchmark=(benchmark["share"], benchmark["period"]) if data["european"] else None,
        )
        if years
        else None
    )
    return {"rows": data["trend"], "chart": chart}


def _benchmark(data: dict[str, Any]) -> dict[str, Any] | None:
    if not data["european"]:
        return None
    share = data["mix"]["by_category"]["public"]["share"]
    gap = _d(share) - data["benchmark"]["share"]
    return {**data["benchmark"], "public": share, "gap": gap, "counted": data["mix"]["clusters"]}


def _impact(data: dict[str, Any]) -> dict[str, Any]:
    vi = data["value_impact"]
    by_kind = vi["by_kind"]
    outcome = next((k for k in by_kind if k["kind"] == "outcome"), None)
    reported = [k for k in vi["kpis"] if k["clusters"]]
    return {
        **vi,
        "reported": reported,
        "outcome": outcome,
        "chart": charts.share_bars(
            title=_("Share of reporting clusters with KPIs of each kind"),
            items=[
                (words.word(words.KPI_KINDS, k["kind"]), k["share_of_clusters"]) for k in by_kind
            ],
        ),
    }


def _reliance(data: dict[str, Any]) -> dict[str, Any]:
    reliance = data["reliance"]
    trend = reliance["trend"]
    return {
        **reliance,
        "towards_private": [t for t in trend if t["direction"] == "towards_private"],
        "towards_public": [t for t in trend if t["direction"] == "towards_public"],
        "stuck": [t for t in trend if t["direction"] == "stuck"],
        "moving": [t for t in trend if t["direction"] in MOVING],
    }


def _costs(data: dict[str, Any]) -> dict[str, Any]:
    costs = data["costs"]
    items = sorted(
        ((c, _d(v["amount"])) for c, v in costs["by_category"].items()),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return {
        **costs,
        "rows": [{"category": c, **costs["by_category"][c]} for c, _a in items],
        "chart": charts.amount_bars(
            title=_("Costs %(year)s by category (%(currency)s)")
            % {"year": data["year"], "currency": data["currency"]},
            items=[(words.word(words.COST_CATEGORIES, c), a) for c, a in items],
        )
        if any(a for _c, a in items)
        else None,
    }


def _funding_chart(data: dict[str, Any]) -> str | None:
    mix = data["mix"]
    if _d(mix["total"]) <= 0:
        return None
    names = data["source_names"]
    return charts.source_map(
        title=_("The portfolio's business model map %(year)s") % {"year": data["year"]},
        subtitle=f"{data['program'].name} · {fmt.money_with(mix['total'], data['currency'])}",
        shares=[
            (s["source"], names.get(s["source"], s["source"]), s["category"], _d(s["share"]))
            for s in mix["by_source"]
        ],
    )


def _status(data: dict[str, Any]) -> dict[str, Any] | None:
    status = data["status"]
    if status is None:
        return None
    counts = status.counts
    return {
        "period": status.period,
        "counts": [
            {"state": s, "count": counts.get(s, 0)}
            for s in ("approved", "submitted", "returned", "draft", "missing")
        ],
        "clusters": counts.get("clusters", 0),
        "approved": counts.get("approved", 0),
        "share": (
            Decimal(counts.get("approved", 0)) / Decimal(counts["clusters"])
            if counts.get("clusters")
            else None
        ),
        "follow_up": [c for c in status.clusters if c["state"] != "approved" or c["warnings"]],
    }


def program_context(data: dict[str, Any], *, language: str) -> dict[str, Any]:
    """The template context of ``reports/program.html``."""
    program, year = data["program"], data["year"]
    title = _("Portfolio report %(year)s: %(program)s") % {"year": year, "program": program.name}
    return {
        **data,
        **document(
            language=language,
            title=title,
            description=_("The portfolio report of %(program)s for %(year)s.")
            % {"program": program.name, "year": year},
            author=program.name,
            as_of=data["as_of"],
        ),
        "categories": CATEGORIES,
        "category_rows": [{"category": c, **data["mix"]["by_category"][c]} for c in CATEGORIES],
        "source_rows": [
            {**s, "label": _source_label(data, s["source"])} for s in data["mix"]["by_source"]
        ],
        "scenario_changes": [
            {
                **c,
                "label": _source_label(data, c["source"])
                if c.get("source")
                else words.word(words.FUNDING_CATEGORIES, c.get("category")),
            }
            for c in (data["scenario"]["result"]["changes"] if data["scenario"] else [])
        ],
        "progress_rows": [
            {**i, "label": words.kpi_name(i["kpi"], data["kpi_names"].get(i["kpi"], i["kpi"]))}
            for i in data["progress"]["items"]
        ],
        "scenario_newly": [
            c
            for c in (data["scenario"]["result"]["clusters"] if data["scenario"] else [])
            if c["cluster"] in data["scenario"]["result"]["newly_in_deficit"]
        ],
        "sections": _sections(data),
        "funding_chart": _funding_chart(data),
        "trend_view": _trend(data),
        "benchmark_view": _benchmark(data),
        "group_views": _groups(data),
        "reliance_view": _reliance(data),
        "costs_view": _costs(data),
        "impact_view": _impact(data),
        "status_view": _status(data),
    }
