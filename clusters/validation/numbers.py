"""Years, whole numbers, decimals: money, KPI values, FTE and shares."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from .limits import (
    KPI_PLACES,
    MAX_AMOUNT,
    MAX_DIGITS,
    MAX_FTE,
    MAX_ID,
    MAX_KPI_VALUE,
    MAX_NUMBER_TEXT,
    MAX_YEAR,
    MIN_YEAR,
    MONEY_PLACES,
    SHARE_PLACES,
    SHARE_TOLERANCE,
)
from .problems import Problems, shown

_DIGITS = re.compile(r"[+-]?[0-9]{1,6}")
# ASCII digits only, and few: str.isdigit() takes "²" and "٣", which int() refuses or reads
# as another number, and int() refuses more than 4,300 digits.
_WHOLE = re.compile(r"[0-9]{1,19}")


# --- numbers ---------------------------------------------------------------------------------


def check_year(
    raw: Any,
    *,
    field: str = "year",
    problems: Problems,
    required: bool = True,
    minimum: int = MIN_YEAR,
    maximum: int = MAX_YEAR,
) -> int | None:
    """A year: a whole number (or its digits as text, from a query string or a file)."""
    if raw is None or raw == "":
        if required:
            problems.add(field, f"'{field}' is required, e.g. {field}=2021.", "required")
        return None
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
        value = int(raw.strip())
    elif isinstance(raw, float) and raw.is_integer() and abs(raw) < 10**6:
        value = int(raw)  # a spreadsheet's 2021.0
    if value is None:
        problems.add(field, f"'{shown(raw)}' is not a year, e.g. 2021.", "invalid")
        return None
    if not minimum <= value <= maximum:
        problems.add(
            field, f"{value} is not a year between {minimum} and {maximum}.", "out_of_range"
        )
        return None
    return value


def check_decimal(
    raw: Any,
    *,
    field: str,
    problems: Problems,
    places: int,
    maximum: Decimal,
    minimum: Decimal | None = Decimal(0),
) -> Decimal | None:
    """A decimal from a string or an integer, never a float (it would not be exact).

    Refused before any arithmetic: text over 64 characters, NaN and infinities, and
    exponents beyond the limit (``"1e1000000"`` is too large, not a crash). Then more
    than ``places`` decimals, and more than ``MAX_DIGITS`` significant digits (which no
    database here would store exactly).
    """
    if isinstance(raw, bool) or raw is None or isinstance(raw, float):
        problems.add(
            field, 'Send the number as a decimal string, e.g. "1250.00".', "invalid_number"
        )
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | str):
        text = str(raw).strip()
        if len(text) > MAX_NUMBER_TEXT:
            problems.add(field, f"'{shown(text)}' is not a decimal number.", "invalid_number")
            return None
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            problems.add(field, f"'{shown(raw)}' is not a decimal number.", "invalid_number")
            return None
    else:
        problems.add(field, f"'{shown(raw)}' is not a decimal number.", "invalid_number")
        return None
    if not value.is_finite():
        problems.add(field, f"'{shown(raw)}' is not a finite number.", "invalid_number")
        return None
    if value and value.adjusted() > maximum.adjusted():
        problems.add(field, f"{shown(raw)} is larger than the maximum of {maximum}.", "too_large")
        return None
    if minimum is not None and value < minimum:
        if minimum == 0:
            problems.add(field, f"{shown(raw)} is negative; amounts are 0 or more.", "negative")
        else:
            problems.add(field, f"{shown(raw)} is below the minimum of {minimum}.", "too_small")
        return None
    _, digits, exponent = value.as_tuple()
    if isinstance(exponent, int) and -exponent > places:
        problems.add(
            field, f"{shown(raw)} has more than {places} decimal places.", "too_many_decimals"
        )
        return None
    if len(digits) > MAX_DIGITS and _significant(digits) > MAX_DIGITS:
        problems.add(
            field,
            f"{shown(raw)} has more than {MAX_DIGITS} significant digits.",
            "too_many_digits",
        )
        return None
    if abs(value) > maximum:
        problems.add(field, f"{shown(raw)} is larger than the maximum of {maximum}.", "too_large")
        return None
    return value


def check_int(
    raw: Any, *, field: str, problems: Problems, minimum: int, maximum: int, required: bool = True
) -> int | None:
    """A whole number from ``minimum`` to ``maximum`` (a level 1 to 5, a count)."""
    if raw is None or raw == "":
        if required:
            problems.add(field, "This field is required.", "required")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        problems.add(field, f"'{shown(raw)}' is not a whole number.", "invalid")
        return None
    if not minimum <= raw <= maximum:
        problems.add(field, f"{raw} is not between {minimum} and {maximum}.", "out_of_range")
        return None
    return raw


def whole_number(raw: Any, *, maximum: int = MAX_ID) -> int | None:
    """A whole number from 0 to ``maximum`` given as an int or as ASCII digits (an id in a
    path or a GraphQL ``ID``, a version, ``$top``); None for anything else, so the caller
    answers its own 400 or 404 and never hands ``int()`` a value it cannot read."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _WHOLE.fullmatch(raw):
        value = int(raw)
    else:
        return None
    return value if 0 <= value <= maximum else None


def _significant(digits: tuple[int, ...]) -> int:
    """Digits without the trailing zeros (``1000`` has one)."""
    count = len(digits)
    while count > 1 and digits[count - 1] == 0:
        count -= 1
    return count


def check_money(raw: Any, *, field: str, problems: Problems) -> Decimal | None:
    """An amount of money: 0 to 10^12, at most 2 decimals."""
    return check_decimal(
        raw, field=field, problems=problems, places=MONEY_PLACES, maximum=MAX_AMOUNT
    )


def check_kpi_value(raw: Any, *, field: str, problems: Problems) -> Decimal | None:
    """A KPI value or target: -10^15 to 10^15, at most 6 decimals."""
    return check_decimal(
        raw,
        field=field,
        problems=problems,
        places=KPI_PLACES,
        maximum=MAX_KPI_VALUE,
        minimum=-MAX_KPI_VALUE,
    )


def check_fte(raw: Any, *, field: str, problems: Problems) -> Decimal | None:
    return check_decimal(raw, field=field, problems=problems, places=2, maximum=MAX_FTE)


def check_share(raw: Any, *, field: str, problems: Problems) -> Decimal | None:
    """A share: a fraction from 0 to 1 with at most 6 decimals."""
    return check_decimal(
        raw, field=field, problems=problems, places=SHARE_PLACES, maximum=Decimal(1)
    )


def check_shares_sum(
    shares: Iterable[Decimal], *, field: str, problems: Problems, what: str = "shares"
) -> None:
    """Shares that must add up to 1 (within ``SHARE_TOLERANCE``)."""
    total = sum(shares, Decimal(0))
    if abs(total - 1) > SHARE_TOLERANCE:
        problems.add(field, f"The {what} add up to {total}, not 1.", "shares_sum")
