"""Calendar dates and moments (ISO 8601)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .limits import MAX_YEAR, MIN_YEAR
from .problems import Problems, shown


def check_date(
    raw: Any, *, field: str, problems: Problems, required: bool = True
) -> dt.date | None:
    """A calendar date as ISO 8601 text (``2026-03-31``), or a date."""
    if raw is None or raw == "":
        if required:
            problems.add(field, "A date (YYYY-MM-DD) is required.", "required")
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and len(raw) <= 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    problems.add(field, f"'{shown(raw)}' is not a date (YYYY-MM-DD).", "invalid_date")
    return None


_OFFSET_AFTER_SPACE = re.compile(r"(T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")


def check_datetime(
    raw: Any, *, field: str, problems: Problems, required: bool = False
) -> dt.datetime | None:
    """A moment as ISO 8601 text (``2026-03-31T12:00:00Z``, ``2026-03-31`` for midnight UTC).

    Without an offset the time is UTC. A ``+`` of an offset that arrived as a space (an
    unencoded query string) is read as ``+``.
    """
    if raw is None or raw == "":
        if required:
            problems.add(field, "A date and time (ISO 8601) is required.", "required")
        return None
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, str) and len(raw) <= 40:
        text = _OFFSET_AFTER_SPACE.sub(r"\1+\2", raw.strip())
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            value = None
    else:
        value = None
    if value is None:
        problems.add(
            field,
            f"'{shown(raw)}' is not an ISO 8601 date and time, e.g. 2026-03-31T12:00:00Z.",
            "invalid_datetime",
        )
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        problems.add(
            field, f"{value.year} is not a year between {MIN_YEAR} and {MAX_YEAR}.", "out_of_range"
        )
        return None
    return value
