"""The query-string filters of the BI tables: ``year``, ``state`` and ``updated_since``.

Checked with the validation kit (a malformed ``updated_since`` is a 400 naming the field,
like every other bad parameter), then turned into conditions on the table's own columns,
so they run in SQL like any other filter (``year eq 2021``, ``updated_at ge ...``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clusters.models import SubmissionState
from clusters.validation import Problems, check_choice, check_datetime, check_year

from .conditions import And, Cmp, Condition

ANY = "any"
STATE_CHOICES = (ANY, *SubmissionState.values)
FILTER_NAMES = ("year", "state", "updated_since")


@dataclass(frozen=True)
class TableFilters:
    year: int | None = None
    # None: every state (``state=any``); the default is approved submissions only.
    state: str | None = SubmissionState.APPROVED
    updated_since: dt.datetime | None = None

    def conditions(self, accepted: frozenset[str]) -> list[Condition]:
        out: list[Condition] = []
        if "year" in accepted and self.year is not None:
            out.append(Cmp("year", "eq", self.year))
        if "state" in accepted and self.state is not None:
            out.append(Cmp("state", "eq", self.state))
        if "updated_since" in accepted and self.updated_since is not None:
            out.append(Cmp("updated_at", "ge", self.updated_since))
        return out

    def as_condition(self, accepted: frozenset[str]) -> Condition | None:
        parts = self.conditions(accepted)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))


def table_filters(
    params: Mapping[str, Any], *, table: str, accepted: frozenset[str]
) -> TableFilters:
    """The filters of a request for ``table``; a filter the table does not take is a 400."""
    problems = Problems()
    for name in FILTER_NAMES:
        if name in params and name not in accepted:
            takes = ", ".join(n for n in FILTER_NAMES if n in accepted) or "no filters"
            problems.add(name, f"The {table} table takes {takes}.", "unknown_filter")
    year = check_year(params.get("year"), problems=problems, required=False)
    state_raw = params.get("state") or SubmissionState.APPROVED
    state = check_choice(state_raw, field="state", problems=problems, choices=STATE_CHOICES)
    since = check_datetime(params.get("updated_since"), field="updated_since", problems=problems)
    problems.raise_if_any()
    return TableFilters(year=year, state=None if state == ANY else state, updated_since=since)
