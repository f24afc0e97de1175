"""The number kit: decimal contexts, rounding and formatting, in one place.

Money is ``Decimal`` from the request to the response. Arithmetic that must be exact
(sums and currency conversions) runs in ``EXACT``; ratios and shares, which are not money,
in ``RATIO``. Rounding happens only when a figure is written out: money to the cent
(half up), shares to 8 decimals, KPI values to their 6 stored decimals.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import ParamSpec, TypeVar

ZERO = Decimal(0)
ONE = Decimal(1)

# A 10^12 amount times a rate with 10 decimals times a factor with 6 decimals needs more
# than the default 28 significant digits to stay exact; 80 leaves room for sums of many.
EXACT = decimal.Context(prec=80, rounding=ROUND_HALF_EVEN)
# Shares and ratios: 34 significant digits are far beyond the 8 decimals they are shown
# with, and much cheaper than the exact context.
RATIO = decimal.Context(prec=34, rounding=ROUND_HALF_EVEN)

CENT = Decimal("0.01")
KPI_PLACES = Decimal("0.000001")  # KPI values carry 6 decimal places
SHARE_PLACES = Decimal("1e-8")  # shares are shown with 8 decimals

P = ParamSpec("P")
R = TypeVar("R")


def exact(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` in the exact context, so its sums and products are never rounded."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with decimal.localcontext(EXACT):
            return fn(*args, **kwargs)

    return wrapper


def ratio(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole`` in the ratio context; 0 when ``whole`` is not above 0."""
    return RATIO.divide(part, whole) if whole > 0 else ZERO


def mean(values: list[Decimal]) -> Decimal:
    return RATIO.divide(sum(values, ZERO), Decimal(len(values)))


def money_text(value: Decimal) -> str:
    """Money for output: two decimals, half up (``"1816000.00"``)."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP, context=EXACT))


def money_text_or_none(value: Decimal | None) -> str | None:
    return None if value is None else money_text(value)


def share_float(value: Decimal | None) -> float | None:
    """A share or ratio for output: a JSON number with 8 decimals (half even)."""
    if value is None:
        return None
    return float(value.quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN, context=EXACT))


def number_text(value: Decimal | None) -> str | None:
    """A KPI value, target or FTE as sent: at most 6 decimals, no trailing zeros, no exponent.

    ``Decimal("165.000000")`` -> ``"165"``, ``Decimal("1E+3")`` -> ``"1000"``.
    """
    if value is None:
        return None
    q = value.quantize(KPI_PLACES, rounding=ROUND_HALF_UP, context=EXACT)
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
