"""Database sums of decimal columns that stay exact on SQLite too.

PostgreSQL sums ``numeric`` exactly. SQLite keeps decimals as REAL (binary floating
point), so its plain ``SUM`` adds floats and can lose cents on large amounts. Every stored
value has at most 15 significant digits there, so its whole part and its fraction (as
whole units of 10^-places) are exact integers: ``ExactSum`` adds those two as 64-bit
integers (the fraction's units stay below 10^places per row, so neither sum overflows
for any realistic portfolio) and joins them in Python.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Case, DecimalField, When


class _ExactSumField(DecimalField):
    """The sum's output: a Decimal on every database."""

    def get_internal_type(self) -> str:
        # Not "DecimalField": keeps SQLite's float-based decimal converter away from the
        # "whole:units" text that the SQLite variant returns.
        return "ExactSumField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, str) and ":" in value:
            whole, units = value.split(":")
            return Decimal(int(whole)) + Decimal(int(units)).scaleb(-self.decimal_places)
        return Decimal(value)


class ExactSum(Aggregate):
    """``SUM(expression)`` of a decimal column with ``places`` decimals, exact everywhere."""

    function = "SUM"
    name = "ExactSum"

    def __init__(self, expression: Any, *, places: int, **extra: Any) -> None:
        self.places = places
        super().__init__(
            expression, output_field=_ExactSumField(max_digits=40, decimal_places=places), **extra
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        inner = self.get_source_expressions()[0]
        if self.filter is not None:
            # Each of the two sums takes the filter, as CASE WHEN (NULLs are not summed).
            inner = Case(When(self.filter, then=inner))
        sql, params = compiler.compile(inner)
        scale = 10**self.places
        whole = f"SUM(CAST({sql} AS INTEGER))"
        units = f"SUM(CAST(ROUND(({sql} - CAST({sql} AS INTEGER)) * {scale}) AS INTEGER))"
        return (
            f"(CAST({whole} AS TEXT) || ':' || CAST({units} AS TEXT))",
            (*params, *params, *params),
        )


def money_sum(expression: Any, **extra: Any) -> ExactSum:
    """The exact sum of a money column (two decimals)."""
    return ExactSum(expression, places=2, **extra)
