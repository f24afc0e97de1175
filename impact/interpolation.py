"""Interpolated roadmap targets: exact Decimal maths, no database.

A roadmap is a baseline point (year, value) followed by milestones (year, target). The
target for a year between two points is interpolated:

- ``linear``: v0 + (v1 - v0) * t
- ``compound`` (a constant growth rate between the two points): v0 * (v1 / v0) ** t

with t = (year - y0) / (y1 - y0). Before the baseline year there is no target (the roadmap
does not apply yet); after the last milestone the last target holds.

A target is a KPI value: computed with 40 significant digits, then rounded to the 6
decimals KPI values carry (half up, as they are shown), so progress compares an actual
with the target it shows. Without that, -1 + 3 x (1/3 to 40 digits) would be a target of
-1E-40 that is shown as 0 but is not 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from itertools import pairwise

from .models import Interpolation

# Working precision for the interpolation; results are exact to far more digits than the
# 6 decimal places KPI values carry.
PRECISION = 40
PLACES = Decimal("0.000001")


def interpolated_target(
    *,
    baseline_year: int,
    baseline_value: Decimal,
    milestones: Sequence[tuple[int, Decimal]],
    interpolation: str,
    year: int,
) -> Decimal | None:
    """The roadmap's target for ``year``; None before the baseline year."""
    if year < baseline_year:
        return None
    points = [(baseline_year, baseline_value), *sorted(milestones)]
    if year >= points[-1][0]:
        return points[-1][1]
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for (y0, v0), (y1, v1) in pairwise(points):
            if y0 <= year <= y1:
                if year == y0:
                    return v0
                if year == y1:
                    return v1
                t = Decimal(year - y0) / Decimal(y1 - y0)
                if interpolation == Interpolation.COMPOUND:
                    # Compound roadmaps are validated to have positive values only.
                    target = v0 * ((v1 / v0).ln() * t).exp()
                else:
                    target = v0 + (v1 - v0) * t
                return target.quantize(PLACES, rounding=ROUND_HALF_UP)
    return None  # pragma: no cover - the points cover every year from the baseline on


def is_increasing(*, baseline_value: Decimal, milestones: Sequence[tuple[int, Decimal]]) -> bool:
    """A roadmap aims upwards unless its last target is below its baseline."""
    if not milestones:
        return True
    return sorted(milestones)[-1][1] >= baseline_value
