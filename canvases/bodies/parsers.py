"""Bodies of the canvases: one parser per kind over the validation kit, and the output form.

A parser takes the client's JSON and returns the stored body (shares and amounts as exact
decimal strings), or raises one ``ValidationError`` naming every problem by field
(``stages.1.financial_stress``, ``blocks.members.0.state``). The value-impact roadmap is
validated by ``impact`` (its roadmaps are the one source of truth).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clusters.models import CostCategory
from clusters.numbers import money_text
from clusters.validation import (
    MAX_NOTE,
    MAX_TEXT,
    Problems,
    check_choice,
    check_int,
    check_keys,
    check_list,
    check_money,
    check_object,
    check_text,
    check_year,
    require_body,
)

from .. import kinds as k
from .shares import KindContext, share_rows, source_shares


def _start(data: Any, allowed: tuple[str, ...], what: str) -> tuple[dict[str, Any], Problems]:
    body = require_body(data)
    problems = Problems()
    check_keys(
        {key: v for key, v in body.items() if key not in k.READ_ONLY_KEYS},
        allowed=allowed,
        problems=problems,
        what=what,
    )
    return body, problems


def parse_map(data: Any, ctx: KindContext) -> dict[str, Any]:
    body, problems = _start(data, ("shares",), "a business model map")
    shares = source_shares(body.get("shares"), field="shares", problems=problems, ctx=ctx)
    problems.raise_if_any()
    return {"shares": shares}


STAGE_KEYS = (
    "label",
    "year",
    "year_to",
    "budget",
    "budget_needed",
    "financial_stress",
    "note",
    "shares",
)


def parse_evolution(data: Any, ctx: KindContext) -> dict[str, Any]:
    body, problems = _start(data, ("stages",), "an evolution map")
    stages = []
    previous: int | None = None
    rows = check_list(body.get("stages"), field="stages", problems=problems, limit=k.MAX_STAGES)
    for i, item in enumerate(rows):
        where = f"stages.{i}"
        row = check_object(item, field=where, problems=problems)
        if row is None:
            continue
        check_keys(row, allowed=STAGE_KEYS, field=where, problems=problems, what="a stage")
        label = check_text(
            row.get("label"), field=f"{where}.label", problems=problems, limit=200, required=True
        )
        year = check_year(row.get("year"), field=f"{where}.year", problems=problems)
        year_to = check_year(
            row.get("year_to"), field=f"{where}.year_to", problems=problems, required=False
        )
        if year is not None and year_to is not None and year_to < year:
            problems.add(
                f"{where}.year_to", f"{year_to} is before the stage's year {year}.", "invalid_range"
            )
        if year is not None and previous is not None and year < previous:
            problems.add(
                f"{where}.year",
                f"Stages are in time order: {year} comes before {previous}.",
                "out_of_order",
            )
        previous = year if year is not None else previous
        budget = _required_money(row.get("budget"), f"{where}.budget", problems)
        needed = _required_money(row.get("budget_needed"), f"{where}.budget_needed", problems)
        stress = check_choice(
            row.get("financial_stress"),
            field=f"{where}.financial_stress",
            problems=problems,
            choices=k.STRESS_LEVELS,
        )
        note = check_text(row.get("note"), field=f"{where}.note", problems=problems, limit=MAX_NOTE)
        shares = source_shares(
            row.get("shares"), field=f"{where}.shares", problems=problems, ctx=ctx, required=False
        )
        stage: dict[str, Any] = {
            "label": label,
            "year": year,
            "budget": money_text(budget) if budget is not None else None,
            "budget_needed": money_text(needed) if needed is not None else None,
            "financial_stress": stress,
            "note": note or "",
            "shares": shares,
        }
        if year_to is not None:
            stage["year_to"] = year_to
        stages.append(stage)
    problems.raise_if_any()
    return {"stages": stages}


def _required_money(raw: Any, where: str, problems: Problems) -> Decimal | None:
    if raw is None:
        problems.add(where, 'The amount is required, e.g. "100000.00".', "required")
        return None
    return check_money(raw, field=where, problems=problems)


def parse_canvas(data: Any, ctx: KindContext) -> dict[str, Any]:
    body, problems = _start(data, ("blocks",), "a business model canvas")
    raw_blocks = body.get("blocks")
    blocks: dict[str, list[dict[str, str]]] = {code: [] for code in k.BLOCKS}
    if (
        raw_blocks is not None
        and check_object(raw_blocks, field="blocks", problems=problems) is not None
    ):
        check_keys(
            raw_blocks, allowed=k.BLOCKS, field="blocks", problems=problems, what="the 14 blocks"
        )
        for code in k.BLOCKS:
            where = f"blocks.{code}"
            for i, item in enumerate(
                check_list(
                    raw_blocks.get(code),
                    field=where,
                    problems=problems,
                    limit=k.MAX_NOTES_PER_BLOCK,
                )
            ):
                note = _note(item, f"{where}.{i}", problems)
                if note is not None:
                    blocks[code].append(note)
    problems.raise_if_any()
    return {"blocks": blocks}


def _note(item: Any, where: str, problems: Problems) -> dict[str, str] | None:
    row = check_object(item, field=where, problems=problems)
    if row is None:
        return None
    check_keys(row, allowed=("text", "state"), field=where, problems=problems, what="a note")
    text = check_text(
        row.get("text"), field=f"{where}.text", problems=problems, limit=MAX_NOTE, required=True
    )
    state = check_choice(
        row.get("state"), field=f"{where}.state", problems=problems, choices=k.NOTE_STATES
    )
    if text is None or state is None:
        return None
    return {"text": text, "state": state}


def parse_financing(data: Any, ctx: KindContext) -> dict[str, Any]:
    body, problems = _start(data, ("year", "shares", "cost_shares"), "a financing model")
    year = check_year(body.get("year"), field="year", problems=problems)
    if year is not None and ctx.founded_year is not None and year < ctx.founded_year:
        problems.add(
            "year",
            f"{year} is before the cluster was founded ({ctx.founded_year}).",
            "before_founding",
        )
    shares = source_shares(body.get("shares"), field="shares", problems=problems, ctx=ctx)
    costs = share_rows(
        body.get("cost_shares"),
        field="cost_shares",
        problems=problems,
        key="category",
        choices=tuple(CostCategory.values),
        unknown_code="unknown_cost_category",
        duplicate_code="duplicate_category",
    )
    first_year = ctx.founded_year
    for i, row in enumerate(costs):
        if (
            row["category"] == CostCategory.SETUP
            and year is not None
            and first_year is not None
            and year != first_year
        ):
            problems.add(
                f"cost_shares.{i}.category",
                f"Set-up costs belong to the first year only ({first_year}), not {year}.",
                "setup_after_first_year",
            )
    problems.raise_if_any()
    return {"year": year, "shares": shares, "cost_shares": costs}


def parse_triangle(data: Any, ctx: KindContext) -> dict[str, Any]:
    body, problems = _start(data, k.TRIANGLE_SIDES, "a value triangle")
    out = {
        side: check_text(body.get(side), field=side, problems=problems, limit=MAX_TEXT)
        for side in k.TRIANGLE_SIDES
    }
    problems.raise_if_any()
    return out


def parse_strategy(data: Any, ctx: KindContext) -> dict[str, Any]:
    body, problems = _start(data, ("ambition", "focus_areas", *k.STRATEGY_TEXTS[1:]), "a strategy")
    out: dict[str, Any] = {
        key: check_text(body.get(key), field=key, problems=problems, limit=MAX_TEXT)
        for key in k.STRATEGY_TEXTS
    }
    areas = []
    for i, raw in enumerate(
        check_list(
            body.get("focus_areas"), field="focus_areas", problems=problems, limit=k.MAX_FOCUS_AREAS
        )
    ):
        text = check_text(
            raw, field=f"focus_areas.{i}", problems=problems, limit=MAX_NOTE, required=True
        )
        if text is not None:
            areas.append(text)
    problems.raise_if_any()
    return {
        "ambition": out["ambition"],
        "focus_areas": areas,
        "value_impact": out["value_impact"],
        "roadmap": out["roadmap"],
    }


def parse_assessment(data: Any, ctx: KindContext) -> dict[str, Any]:
    body, problems = _start(data, ("year", "levels"), "a self-assessment")
    year = check_year(body.get("year"), field="year", problems=problems)
    levels: dict[str, dict[str, Any]] = {}
    raw = body.get("levels")
    if raw is None:
        problems.add(
            "levels", f"All five levels are required: {', '.join(k.ASSESSMENT_AREAS)}.", "required"
        )
    elif check_object(raw, field="levels", problems=problems) is not None:
        check_keys(
            raw,
            allowed=k.ASSESSMENT_AREAS,
            field="levels",
            problems=problems,
            what="the five levels",
        )
        for area in k.ASSESSMENT_AREAS:
            where = f"levels.{area}"
            if area not in raw:
                problems.add(where, f"The '{area}' level is required.", "required")
                continue
            row = check_object(raw[area], field=where, problems=problems)
            if row is None:
                continue
            check_keys(
                row, allowed=("level", "evidence"), field=where, problems=problems, what="a level"
            )
            level = check_int(
                row.get("level"), field=f"{where}.level", problems=problems, minimum=1, maximum=5
            )
            evidence = check_text(
                row.get("evidence"), field=f"{where}.evidence", problems=problems, limit=MAX_TEXT
            )
            if level is not None:
                levels[area] = {"level": level, "evidence": evidence or ""}
    problems.raise_if_any()
    return {"year": year, "levels": levels}


PARSERS = {
    k.BUSINESS_MODEL_MAP: parse_map,
    k.EVOLUTION_MAP: parse_evolution,
    k.BUSINESS_MODEL_CANVAS: parse_canvas,
    k.FINANCING_MODEL: parse_financing,
    k.VALUE_TRIANGLE: parse_triangle,
    k.STRATEGY: parse_strategy,
    k.SELF_ASSESSMENT: parse_assessment,
}
