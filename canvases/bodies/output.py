"""Bodies as the API shows them: shares as JSON numbers, the financing model's age, and the
empty body of a canvas nobody has saved."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from clusters.numbers import share_float

from .. import kinds as k
from .shares import KindContext


def empty_body(kind: str) -> dict[str, Any]:
    """The body of a canvas nobody has saved yet."""
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        k.BUSINESS_MODEL_MAP: lambda: {"shares": []},
        k.EVOLUTION_MAP: lambda: {"stages": []},
        k.BUSINESS_MODEL_CANVAS: lambda: {"blocks": {code: [] for code in k.BLOCKS}},
        k.FINANCING_MODEL: lambda: {"year": None, "shares": [], "cost_shares": []},
        k.VALUE_IMPACT_ROADMAP: lambda: {"roadmaps": []},
        k.VALUE_TRIANGLE: lambda: dict.fromkeys(k.TRIANGLE_SIDES, ""),
        k.STRATEGY: lambda: {"ambition": "", "focus_areas": [], "value_impact": "", "roadmap": ""},
        k.SELF_ASSESSMENT: lambda: {"year": None, "levels": {}},
    }
    return builders[kind]()


def _shares_out(rows: list[dict[str, str]], key: str = "source") -> list[dict[str, Any]]:
    return [{key: r[key], "share": share_float(Decimal(r["share"]))} for r in rows]


def body_out(kind: str, body: dict[str, Any], ctx: KindContext) -> dict[str, Any]:
    """A stored body as the API shows it: shares as JSON numbers, the financing model's age."""
    if kind == k.BUSINESS_MODEL_MAP:
        return {"shares": _shares_out(body.get("shares", []))}
    if kind == k.EVOLUTION_MAP:
        return {
            "stages": [
                {**s, "shares": _shares_out(s.get("shares", []))} for s in body.get("stages", [])
            ]
        }
    if kind == k.FINANCING_MODEL:
        year = body.get("year")
        age = year - ctx.founded_year if year is not None and ctx.founded_year is not None else None
        return {
            "year": year,
            "age": age,
            "shares": _shares_out(body.get("shares", [])),
            "cost_shares": _shares_out(body.get("cost_shares", []), "category"),
        }
    return body
