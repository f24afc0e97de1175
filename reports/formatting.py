"""Numbers and dates written for the report's language, with Django's locale formats.

Django's formats (``django/conf/locale/<lang>/formats.py``) are what the rest of the
service already speaks, need no dependency, and follow ``translation.override``: the same
call writes ``1,816,000.00`` in English and ``1 816 000,00`` (non-breaking spaces) in
Spanish and Norwegian. Values are ``Decimal`` (or decimal strings) and stay exact until
they are written here; grouping is always on, whatever ``USE_THOUSAND_SEPARATOR`` says.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats

from clusters.numbers import EXACT

NBSP = "\u00a0"
DASH = "—"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value: Any, places: int | None = None) -> str:
    """A number with the language's separators: ``places`` decimals (half up), or as exact
    as it is (no trailing zeros) when ``places`` is None."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    if places is None:
        amount = amount.normalize(EXACT)
        if amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
    else:
        amount = amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, EXACT)
    return formats.number_format(amount, places, force_grouping=True)


def money(value: Any) -> str:
    """Money to the cent: ``1,816,000.00``."""
    return number(value, 2)


def money_with(value: Any, currency: str) -> str:
    """Money and its currency: ``1,816,000.00 EUR``."""
    text = money(value)
    return text if text == DASH else f"{text}{NBSP}{currency}"


def percent(value: Any, places: int = 2) -> str:
    """A share (a fraction) as a percentage: 0.39449339 -> ``39.45 %``."""
    share = _decimal(value)
    if share is None:
        return DASH
    return f"{number(share * 100, places)}{NBSP}%"


def percent_short(value: Any) -> str:
    """A share for a chart label: at most one decimal, none when whole (``40 %``, ``12.5 %``)."""
    share = _decimal(value)
    if share is None:
        return DASH
    rounded = (share * 100).quantize(Decimal("0.1"), ROUND_HALF_UP, EXACT)
    return f"{number(rounded)}{NBSP}%"


def signed(text: str, value: Any) -> str:
    """A change with its sign: ``+60,000.00``, ``−5.00 %`` (a real minus sign)."""
    amount = _decimal(value)
    if amount is None or text == DASH:
        return DASH
    if amount > 0:
        return f"+{text}"
    return text.replace("-", "\u2212", 1)


def date(value: dt.date | dt.datetime | None) -> str:
    """A date in words in the language (``Jan. 5, 2022``, ``5 de enero de 2022``)."""
    if value is None:
        return DASH
    if isinstance(value, dt.datetime):
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


def compact(value: Any) -> str:
    """Large numbers short for chart labels, in the language: 350000000 -> ``350M``."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    for limit, suffix in (
        (Decimal(10) ** 12, "T"),
        (Decimal(10) ** 9, "B"),
        (Decimal(10) ** 6, "M"),
        (Decimal(10) ** 3, "k"),
    ):
        if abs(amount) >= limit:
            return number(amount / limit, None if (amount / limit) % 1 == 0 else 1) + suffix
    return number(amount.quantize(Decimal("0.0001"), ROUND_HALF_UP), None)
