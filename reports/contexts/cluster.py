"""The cluster report's page context: the selector's figures with their words and charts in
the active language (call inside ``translation.override``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from canvases import kinds as k

from .. import charts, words
from .. import formatting as fmt
from ..benchmark import EUROPEAN_PERIOD, EUROPEAN_PUBLIC_SHARE
from ..selectors.cluster import CATEGORIES
from .common import document


def _completeness_text(item: dict[str, Any], currency: str) -> str:
    code = item["code"]
    if code == "no_submission":
        return _("There is no submission for %(year)s yet.") % item
    if code == "not_approved":
        return _(
            "The %(year)s submission is %(state)s, not approved: its figures are not in this "
            "report."
        ) % {"year": item["year"], "state": words.word(words.SUBMISSION_STATES, item["state"])}
    if code == "no_rate":
        return _(
            "There is no fx rate for %(currency)s in %(year)s: the amounts cannot be converted "
            "into %(program_currency)s."
        ) % {**item, "program_currency": currency}
    if code == "no_costs":
        return _("The %(year)s submission reports no costs.") % item
    if code == "no_previous":
        return _("There is no approved submission for %(year)s to compare with.") % item
    if code == "warning":
        return f"{words.word(words.WARNING_RULES, item['rule'])}: {item['message']}"
    if code == "roadmap_no_actual":
        return _("No approved value of “%(kpi)s” in %(year)s to compare with its roadmap.") % {
            "kpi": words.kpi_name(item["kpi"], item["name"]),
            "year": item["year"],
        }
    return _("The %(canvas)s has not been drawn yet.") % {
        "canvas": words.word(words.CANVAS_TITLES, item["kind"])
    }


def _funding_chart(data: dict[str, Any]) -> str | None:
    current = data["current"]
    if current is None or current.total <= 0:
        return None
    names = {row["code"]: row["name"] for row in (data["lines"] or {}).get("funding", [])}
    return charts.source_map(
        title=_("Financing %(year)s by source") % {"year": data["year"]},
        subtitle=f"{data['cluster'].name} · {fmt.money_with(current.total, data['currency'])}",
        shares=[
            (code, names.get(code, code), category, current.share(amount))
            for code, category, amount in current.by_source
        ],
    )


def _trend_chart(data: dict[str, Any]) -> str | None:
    points = [(f.year, f.public_share) for f in data["history"] if f.public_share is not None]
    if not points:
        return None
    return charts.share_trend(
        title=_("Public share of funding by year"),
        points={"public": points},
        benchmark=(EUROPEAN_PUBLIC_SHARE, EUROPEAN_PERIOD) if data["european"] else None,
    )


def _costs_chart(data: dict[str, Any]) -> str | None:
    current = data["current"]
    if current is None or not current.costs:
        return None
    return charts.amount_bars(
        title=_("Costs %(year)s by category (%(currency)s)")
        % {"year": data["year"], "currency": data["currency"]},
        items=[
            (words.word(words.COST_CATEGORIES, c), a)
            for c, a in sorted(current.costs.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    )


def _roadmaps(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for roadmap in data["roadmaps"]:
        name = words.kpi_name(roadmap["kpi"], roadmap["name"])
        out.append(
            {
                **roadmap,
                "label": name,
                "status_text": words.word(words.PROGRESS, roadmap["status"]),
                "chart": charts.roadmap(
                    title=_("Roadmap: %(kpi)s") % {"kpi": name},
                    plan=roadmap["plan"],
                    actuals=roadmap["actuals"],
                    year=data["year"],
                    target=roadmap["target"],
                ),
            }
        )
    return out


def _canvases(data: dict[str, Any]) -> dict[str, Any]:
    canvases = data["canvases"]
    cluster = data["cluster"].name
    the_map, board, evolution = canvases["map"], canvases["canvas"], canvases["evolution"]
    map_title = words.word(words.CANVAS_TITLES, k.BUSINESS_MODEL_MAP)
    evolution_title = words.word(words.CANVAS_TITLES, k.EVOLUTION_MAP)
    board_title = words.word(words.CANVAS_TITLES, k.BUSINESS_MODEL_CANVAS)
    return {
        "map": {
            **the_map,
            "title": map_title,
            "chart": charts.source_map(
                title=map_title,
                subtitle=_("%(cluster)s · version %(version)s")
                % {"cluster": cluster, "version": the_map["version"]},
                shares=[
                    (s["code"], s["name"], s["category"], s["share"]) for s in the_map["shares"]
                ],
            )
            if the_map["version"]
            else None,
        },
        "evolution": {
            **evolution,
            "title": evolution_title,
            "chart": charts.evolution(
                title=_("%(canvas)s: planned against actual budgets") % {"canvas": evolution_title},
                stages=evolution["stages"],
            )
            if evolution["version"]
            else None,
            "rows": [
                {
                    **stage,
                    "stress": words.word(words.STRESS, stage["planned"]["financial_stress"]),
                    "reason": _("no approved submission for %(year)s") % {"year": stage["year"]}
                    if stage["actual"] is None
                    else "",
                }
                for stage in evolution["stages"]
            ],
        },
        "canvas": {
            **board,
            "title": board_title,
            "chart": charts.canvas_board(
                title=board_title,
                subtitle=_("%(cluster)s · version %(version)s")
                % {"cluster": cluster, "version": board["version"]},
                blocks=board["blocks"],
            )
            if board["version"]
            else None,
        },
    }


def cluster_context(data: dict[str, Any], *, language: str) -> dict[str, Any]:
    """The template context of ``reports/cluster.html``."""
    cluster, program, year = data["cluster"], data["program"], data["year"]
    title = _("Annual report %(year)s: %(cluster)s") % {"year": year, "cluster": cluster.name}
    current = data["current"]
    return {
        **data,
        **document(
            language=language,
            title=title,
            description=_("The annual report of %(cluster)s for %(year)s in %(program)s.")
            % {"cluster": cluster.name, "year": year, "program": program.name},
            author=program.name,
            as_of=data["as_of"],
        ),
        "categories": CATEGORIES,
        "state": words.word(
            words.SUBMISSION_STATES,
            data["submission"].state if data["submission"] else "missing",
        ),
        "stage": words.word(words.STAGES, cluster.stage),
        "cluster_category": words.word(words.CLUSTER_CATEGORIES, cluster.category),
        "category_rows": [
            {
                "category": c,
                "amount": current.by_category[c],
                "share": current.share(current.by_category[c]),
            }
            for c in CATEGORIES
        ]
        if current is not None
        else [],
        "cost_rows": [
            {"category": c, "amount": a, "share": current.cost_share(a)}
            for c, a in sorted(current.costs.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        if current is not None
        else [],
        "charts": {
            "funding": _funding_chart(data),
            "trend": _trend_chart(data),
            "costs": _costs_chart(data),
        },
        "roadmap_rows": _roadmaps(data),
        "canvas_views": _canvases(data),
        "completeness_items": [
            _completeness_text(item, data["currency"]) for item in data["completeness"]
        ],
        "benchmark": {"share": EUROPEAN_PUBLIC_SHARE, "period": EUROPEAN_PERIOD},
    }
