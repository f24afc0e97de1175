"""The shape of a body (objects, known keys, lists), and single values raised at once
(query parameters, single arguments)."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from .limits import MAX_LINES
from .numbers import check_share, check_year
from .problems import Problems, _one, _raised, invalid, shown
from .text import check_choice

# --- the shape of a body -------------------------------------------------------------------------


def check_object(raw: Any, *, field: str, problems: Problems) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        problems.add(field, "Expected an object.", "invalid")
        return None
    return raw


def check_keys(
    row: dict[str, Any], *, allowed: Collection[str], field: str = "", problems: Problems, what: str
) -> bool:
    """Refuse keys a body does not know (``program``, ``id`` of another tenant...)."""
    unknown = sorted(set(row) - set(allowed), key=str)
    for key in unknown:
        # The key is echoed in the field name too: shown() keeps it short and encodable.
        where = f"{field}.{shown(key)}" if field else shown(key)
        problems.add(where, f"'{shown(key)}' is not a field of {what}.", "unknown_field")
    return not unknown


def check_list(
    raw: Any,
    *,
    field: str,
    problems: Problems,
    limit: int = MAX_LINES,
    required: bool = False,
    required_message: str = "At least one item is required.",
) -> list[Any]:
    """A list of at most ``limit`` items (absent: empty unless required)."""
    if raw is None or (required and raw == []):
        if required:
            problems.add(field, required_message, "required")
        return []
    if not isinstance(raw, list):
        problems.add(field, "Expected a list.", "invalid")
        return []
    if len(raw) > limit:
        problems.add(field, f"At most {limit} items.", "too_many")
        return []
    return raw


def require_body(data: Any) -> dict[str, Any]:
    """The body of a write: a JSON object, or one ``body`` problem."""
    if not isinstance(data, dict):
        invalid("body", "Expected a JSON object.", "invalid")
    return data


# --- one value, raised at once (query parameters, single arguments) ------------------------------


def require_year(raw: Any, *, field: str = "year", required: bool = True) -> int | None:
    problems, field = _one(field)
    return _raised(problems, check_year(raw, field=field, problems=problems, required=required))


def require_year_range(raw_from: Any, raw_to: Any, *, max_years: int = 50) -> tuple[int, int]:
    """``from`` and ``to`` years, in order, spanning at most ``max_years``."""
    problems = Problems()
    first = check_year(raw_from, field="from", problems=problems)
    last = check_year(raw_to, field="to", problems=problems)
    problems.raise_if_any()
    assert first is not None and last is not None
    if last < first:
        invalid("to", f"'to' ({last}) is before 'from' ({first}).", "invalid_range")
    if last - first + 1 > max_years:
        invalid("to", f"A range spans at most {max_years} years.", "range_too_long")
    return first, last


def require_choice(
    raw: Any, *, field: str, choices: Collection[str], required: bool = True
) -> str | None:
    problems = Problems()
    return _raised(
        problems,
        check_choice(raw, field=field, problems=problems, choices=choices, required=required),
    )


def require_share(raw: Any, *, field: str) -> Decimal:
    problems = Problems()
    value = check_share(raw, field=field, problems=problems)
    problems.raise_if_any()
    assert value is not None
    return value
