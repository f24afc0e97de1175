"""The validation kit: every rule about the shape of client input, with one message each.

Services validate their own input with these primitives, whichever interface it came
from (REST, GraphQL, the facts CSV, the XLSX upload, a command), so the same bad input
gets the same ``code`` and message everywhere. Serializers and GraphQL inputs do not
repeat the rules.

Two ways to use it:

- collect every problem of a body, then raise once::

      problems = Problems()
      year = check_year(data.get("year"), field="year", problems=problems)
      amount = check_money(row.get("amount"), field="funding.0.amount", problems=problems)
      problems.raise_if_any()   # one ValidationError naming every field

- check one value and raise at once (query parameters)::

      year = require_year(request.GET.get("year"))

A primitive that finds a problem records it and returns ``None`` (or a neutral value), so
the caller can go on checking the rest of the body. Values a client sent are echoed in
messages only through ``shown()``, which escapes what could not be encoded (a lone
surrogate) and shortens what is long.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NoReturn, TypeVar

import pycountry
from django.core.exceptions import ValidationError

# --- limits: one home ------------------------------------------------------------------

# Reporting years (submissions, periods, fx rates, figures, roadmaps, scenarios, exports).
MIN_YEAR, MAX_YEAR = 1900, 2200
# A cluster's founding year may be older than any reporting (chambers, guilds).
MIN_FOUNDED_YEAR = 1800
# Money in a submission's currency: no cluster reports a trillion in one line.
MAX_AMOUNT = Decimal("1000000000000.00")  # 10^12
MONEY_PLACES = 2
# KPI values and roadmap targets (member revenue of a supercluster: 5 * 10^11).
MAX_KPI_VALUE = Decimal("1000000000000000")  # 10^15
KPI_PLACES = 6
MAX_FTE = Decimal("100000")
# A number sent as text longer than this is not a number anyone typed.
MAX_NUMBER_TEXT = 64
# Significant digits a stored number keeps on every database: SQLite holds decimals as
# REAL (binary floating point), exact to 15 digits. More would be rounded silently there,
# so they are refused everywhere (1000000000000000 has one; 165.000000 has three).
MAX_DIGITS = 15
SHARE_PLACES = 6
SHARE_TOLERANCE = Decimal("0.0001")  # shares sum to 1 within this
MAX_LINES = 200  # items in one list of a body (funding lines, stages, notes of a block)
MAX_NAME = 200
MAX_NOTE = 500
MAX_TEXT = 10_000
MAX_URL = 200

T = TypeVar("T")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_DIGITS = re.compile(r"[+-]?[0-9]{1,6}")


# --- collecting problems -------------------------------------------------------------------


class Problems:
    """The problems of one body, by field (``funding.2.amount``), raised together."""

    def __init__(self) -> None:
        self.items: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.items.setdefault(field or "body", []).append(ValidationError(message, code=code))

    def has(self, field: str) -> bool:
        return field in self.items

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self) -> ValidationError:
        return ValidationError(self.items)

    def collect(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a check that raises (``require_year``, ``figure_filters``...) and keep its
        problems with the others instead of stopping at the first."""
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {"body": exc.error_list}
            for field, errors in by_field.items():
                for error in errors:
                    for message in error.messages:
                        self.add(field, message, error.code or "invalid")
            return None

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def invalid(field: str, message: str, code: str) -> NoReturn:
    """Raise one field problem at once."""
    raise ValidationError({field or "body": [ValidationError(message, code=code)]})


def _one(field: str) -> tuple[Problems, str]:
    return Problems(), field


def _raised(problems: Problems, value: Any) -> Any:
    problems.raise_if_any()
    return value


# --- echoing what a client sent ------------------------------------------------------------


def shown(raw: Any, *, limit: int = 40) -> str:
    """A client's value for a message: text, shortened, and always encodable as UTF-8."""
    text = raw if isinstance(raw, str) else repr(raw)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# --- text ------------------------------------------------------------------------------------


def text_problem(raw: str) -> tuple[str, str] | None:
    """What is wrong with the characters of a text (NUL, control characters, lone
    surrogates), as ``(message, code)``; None when it can be stored."""
    if _CONTROL.search(raw):
        return "Control characters (such as NUL) are not allowed in text.", "invalid_characters"
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return "The text is not valid Unicode (a lone surrogate).", "invalid_characters"
    return None


def check_text(
    raw: Any,
    *,
    field: str,
    problems: Problems,
    limit: int = MAX_TEXT,
    required: bool = False,
    default: str = "",
) -> str | None:
    """Text up to ``limit`` characters. ``None`` or absent is ``default`` unless required."""
    if raw is None or (required and raw == ""):
        if required:
            problems.add(field, "This field is required.", "required")
            return None
        return default
    if not isinstance(raw, str):
        problems.add(field, "Expected text.", "invalid")
        return None
    bad = text_problem(raw)
    if bad is not None:
        problems.add(field, *bad)
        return None
    if len(raw) > limit:
        problems.add(field, f"At most {limit} characters.", "max_length")
        return None
    return raw


def check_slug(raw: Any, *, field: str, problems: Problems, limit: int = 64) -> str | None:
    value = check_text(raw, field=field, problems=problems, limit=limit, required=True)
    if value is not None and not _SLUG.fullmatch(value):
        problems.add(field, "Use letters, numbers, underscores or hyphens only.", "invalid")
        return None
    return value


def check_url(raw: Any, *, field: str, problems: Problems, limit: int = MAX_URL) -> str | None:
    """An http(s) URL (or empty). Other schemes (``javascript:``) are refused."""
    value = check_text(raw, field=field, problems=problems, limit=limit)
    if not value:
        return value
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        problems.add(field, f"'{shown(value)}' is not an http or https URL.", "invalid_url")
        return None
    return value


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


# --- flags, choices, codes ---------------------------------------------------------------------

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def check_flag(raw: Any, *, field: str, problems: Problems, default: bool = False) -> bool:
    """true or false; from a file or form, also the texts true/false, 1/0, yes/no."""
    if raw is None:
        return default
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    problems.add(field, "Expected true or false.", "invalid")
    return default


def check_choice(
    raw: Any, *, field: str, problems: Problems, choices: Collection[str], required: bool = True
) -> str | None:
    if raw is None or raw == "":
        if required:
            problems.add(field, f"This field is required: one of {', '.join(choices)}.", "required")
        return None
    if not isinstance(raw, str) or raw not in choices:
        problems.add(field, f"'{shown(raw)}' is not one of {', '.join(choices)}.", "invalid_choice")
        return None
    return raw


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_country(code: Any) -> bool:
    return isinstance(code, str) and code in _countries()


def is_currency(code: Any) -> bool:
    return isinstance(code, str) and code in _currencies()


def check_country(
    raw: Any, *, field: str = "country", problems: Problems, required: bool = True
) -> str | None:
    if raw is None or raw == "":
        if required:
            problems.add(
                field, "The country (ISO 3166-1 alpha-2, e.g. NO) is required.", "required"
            )
        return "" if not required else None
    if not is_country(raw):
        problems.add(
            field,
            f"'{shown(raw)}' is not an ISO 3166-1 alpha-2 country code (e.g. NO, ES, MX).",
            "invalid_country",
        )
        return None
    return str(raw)


def check_currency(raw: Any, *, field: str = "currency", problems: Problems) -> str | None:
    if raw is None or raw == "":
        problems.add(field, "The currency (ISO 4217, e.g. EUR) is required.", "required")
        return None
    if not is_currency(raw):
        problems.add(
            field,
            f"'{shown(raw)}' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
            "invalid_currency",
        )
        return None
    return str(raw)


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
