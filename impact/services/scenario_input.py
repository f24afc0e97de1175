"""The body of a what-if scenario: which funding sources or categories change, by what factor.

A change names either one funding ``source`` or a whole funding ``category``; factors are
decimal strings from 0 to 1000 with at most 6 decimals ("0" removes the funding, "0.5"
halves it). Validated with the validation kit, every problem named by its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clusters.models import FundingCategory
from clusters.validation import (
    MAX_NAME,
    Problems,
    check_choice,
    check_decimal,
    check_flag,
    check_keys,
    check_list,
    check_object,
    check_text,
    check_year,
    require_body,
    shown,
)

MAX_FACTOR = Decimal("1000")
MAX_CHANGES = 100
SCENARIO_KEYS = {"year", "changes", "save", "name"}


@dataclass(frozen=True)
class Change:
    factor: Decimal
    source: str | None = None
    category: str | None = None

    def as_json(self) -> dict[str, str]:
        key = "source" if self.source is not None else "category"
        return {key: self.source or self.category or "", "factor": str(self.factor)}


@dataclass(frozen=True)
class Scenario:
    year: int
    changes: list[Change]
    save: bool = False
    name: str = ""


def parse_scenario(data: Any, *, sources: dict[str, str]) -> Scenario:
    """Validate a scenario body against the programme's funding sources (code -> category)."""
    errors = Problems()
    data = require_body(data)
    check_keys(data, allowed=SCENARIO_KEYS, problems=errors, what="a scenario")
    year = check_year(data.get("year"), field="year", problems=errors)
    raw = check_list(
        data.get("changes"),
        field="changes",
        problems=errors,
        limit=MAX_CHANGES,
        required=True,
        required_message='At least one change {"source" or "category", "factor"} is required.',
    )
    changes: list[Change] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(raw):
        where = f"changes.{i}"
        if check_object(row, field=where, problems=errors) is None:
            continue
        check_keys(
            row,
            allowed=("source", "category", "factor"),
            field=where,
            problems=errors,
            what="a change",
        )
        source, category = row.get("source"), row.get("category")
        target: tuple[str, str] | None = None
        if (source is None) == (category is None):
            errors.add(
                where,
                "Name either a funding 'source' or a funding 'category'.",
                "source_or_category",
            )
        elif source is not None:
            if not isinstance(source, str) or source not in sources:
                errors.add(
                    f"{where}.source",
                    f"Unknown funding source '{shown(source)}'; see /funding-sources/.",
                    "unknown_source",
                )
            else:
                target = ("source", source)
        elif check_choice(
            category, field=f"{where}.category", problems=errors, choices=FundingCategory.values
        ):
            target = ("category", category)
        if "factor" not in row:
            errors.add(
                f"{where}.factor",
                'A factor (a decimal string >= 0, e.g. "0.5") is required.',
                "required",
            )
            factor = None
        else:
            factor = check_decimal(
                row["factor"],
                field=f"{where}.factor",
                problems=errors,
                places=6,
                maximum=MAX_FACTOR,
            )
        if target is not None:
            if target in seen:
                errors.add(
                    where,
                    f"{target[0].title()} '{target[1]}' is changed twice (changes {seen[target]} and {i}).",
                    "duplicate_change",
                )
            else:
                seen[target] = i
        if target is not None and factor is not None:
            kind, code = target
            changes.append(Change(factor=factor, **{kind: code}))
    save = check_flag(data.get("save"), field="save", problems=errors)
    name = check_text(data.get("name"), field="name", problems=errors, limit=MAX_NAME) or ""
    if save and not name.strip() and not errors.has("name"):
        errors.add("name", 'A scenario is saved under a name; send "name".', "required")
    errors.raise_if_any()
    assert year is not None
    return Scenario(year=year, changes=changes, save=save, name=name.strip())
