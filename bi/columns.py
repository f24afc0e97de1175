"""The columns of the BI tables: a name, one of a few types, and where the value comes from.

Every format writes a type the same way, so a table reads alike in CSV, JSON, XLSX,
Parquet, OData and the PostgreSQL ``reporting`` views:

| type | CSV / JSON | Parquet | OData (EDM) |
|---|---|---|---|
| ``text`` | text | ``string`` | ``Edm.String`` |
| ``year`` | whole number | ``int32`` | ``Edm.Int32`` |
| ``integer`` | whole number | ``int32`` | ``Edm.Int32`` |
| ``boolean`` | ``true`` / ``false`` | ``bool`` | ``Edm.Boolean`` |
| ``decimal(p, s)`` | decimal text | ``decimal128(p, s)`` | ``Edm.Decimal`` (Precision, Scale) |
| ``double`` | number | ``double`` | ``Edm.Double`` |
| ``datetime`` | ISO 8601, UTC (``Z``) | ``timestamp[us, UTC]`` | ``Edm.DateTimeOffset`` |

A column with an ORM ``path`` can be filtered and ordered in SQL; a computed column (a
converted amount) carries its own ``q`` builder when it can still be filtered in SQL, and
otherwise cannot be filtered or ordered on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Q

TEXT, YEAR, INTEGER, BOOLEAN, DECIMAL, DOUBLE, DATETIME = (
    "text",
    "year",
    "integer",
    "boolean",
    "decimal",
    "double",
    "datetime",
)

# Comparison operators of a filter (OData's eq, ne, gt, ge, lt, le).
OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le")
_LOOKUP = {"eq": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    # ORM path from the table's model (``submission__cluster__slug``); None when computed.
    path: str | None = None
    nullable: bool = False
    precision: int = 0
    scale: int = 0
    # Fewest decimals a decimal is written with in text (money: 2, KPI values: 0).
    min_places: int = 0
    # For a computed column that can still be filtered in SQL: (op, value, context) -> Q.
    q: Callable[[str, Any, Any], Q] | None = None

    @property
    def filterable(self) -> bool:
        return self.path is not None or self.q is not None

    @property
    def sortable(self) -> bool:
        return self.path is not None

    @property
    def orm_path(self) -> str:
        """The ORM path of a column that must have one (a plain table's fetched columns)."""
        assert self.path is not None, f"{self.name} is computed: it has no ORM path"
        return self.path

    @property
    def type_label(self) -> str:
        if self.type == DECIMAL:
            return f"decimal({self.precision},{self.scale})"
        return self.type

    def lookup(self, op: str, value: Any, context: Any = None) -> Q:
        """This column compared with ``value`` as a ``Q`` (SQL), e.g. ``year eq 2021``."""
        if self.q is not None:
            return self.q(op, value, context)
        assert self.path is not None, f"{self.name} cannot be filtered"
        return compare(self.path, op, value)


def compare(path: str, op: str, value: Any) -> Q:
    if value is None:
        if op not in ("eq", "ne"):
            raise ValueError("null compares with eq and ne only")
        return Q(**{f"{path}__isnull": op == "eq"})
    if op == "ne":
        return ~Q(**{f"{path}__exact": value})
    return Q(**{f"{path}__{_LOOKUP[op]}": value})


def matches(value: Any, op: str, literal: Any) -> bool:
    """The same comparison in Python (for the few rows of a figure table); null is only
    equal to null, and ordered comparisons with null are false, as in OData."""
    if value is None or literal is None:
        if op == "eq":
            return value is None and literal is None
        if op == "ne":
            return not (value is None and literal is None)
        return False
    if op == "eq":
        return bool(value == literal)
    if op == "ne":
        return bool(value != literal)
    if op == "gt":
        return bool(value > literal)
    if op == "ge":
        return bool(value >= literal)
    if op == "lt":
        return bool(value < literal)
    return bool(value <= literal)


def text(name: str, description: str, path: str | None = None, **kw: Any) -> Column:
    return Column(name, TEXT, description, path, **kw)


def year(name: str, description: str, path: str | None = None, **kw: Any) -> Column:
    return Column(name, YEAR, description, path, **kw)


def integer(name: str, description: str, path: str | None = None, **kw: Any) -> Column:
    return Column(name, INTEGER, description, path, **kw)


def boolean(name: str, description: str, path: str | None = None, **kw: Any) -> Column:
    return Column(name, BOOLEAN, description, path, **kw)


def decimal(
    name: str,
    description: str,
    path: str | None = None,
    *,
    precision: int,
    scale: int,
    min_places: int = 0,
    **kw: Any,
) -> Column:
    return Column(
        name,
        DECIMAL,
        description,
        path,
        precision=precision,
        scale=scale,
        min_places=min_places,
        **kw,
    )


def double(name: str, description: str, path: str | None = None, **kw: Any) -> Column:
    return Column(name, DOUBLE, description, path, **kw)


def datetime(name: str, description: str, path: str | None = None, **kw: Any) -> Column:
    return Column(name, DATETIME, description, path, **kw)


# --- writing values as text (CSV, JSON) -------------------------------------------------


def decimal_text(value: Decimal, min_places: int) -> str:
    """Exact decimal text without an exponent: trailing zeros dropped down to
    ``min_places`` decimals (``166400.000000000000`` -> ``166400.00`` for money)."""
    if value.is_zero():
        value = abs(value)  # never "-0.00"
    text = format(value, "f")
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        if len(frac) < min_places:
            frac = frac + "0" * (min_places - len(frac))
        text = f"{whole}.{frac}" if frac else whole
    elif min_places:
        text = f"{text}.{'0' * min_places}"
    return text


@lru_cache(maxsize=4096)  # a submission's rows share their updated_at
def datetime_text(value: dt.datetime) -> str:
    """UTC, ISO 8601 with ``Z`` (what Power BI, pandas and DuckDB all read)."""
    value = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value.isoformat().replace("+00:00", "Z")


_BOOL_TEXT = {True: "true", False: "false"}


def text_writer(column: Column) -> Callable[[Any], Any] | None:
    """A function writing this column's non-null values as CSV text (None: as they are)."""
    if column.type == DECIMAL:
        places = column.min_places
        if column.scale == places:
            return lambda v: format(v, "f")  # stored with exactly these decimals
        return lambda v: decimal_text(v, places)
    if column.type == BOOLEAN:
        return _BOOL_TEXT.__getitem__
    if column.type == DATETIME:
        return datetime_text
    if column.type == DOUBLE:
        return lambda v: repr(float(v))
    return None


def as_json(column: Column, value: Any) -> Any:
    """A value for a JSON body: decimals as decimal strings (as everywhere in the API)."""
    if value is None:
        return None
    if column.type == DECIMAL:
        return decimal_text(value, column.min_places)
    if column.type == DATETIME:
        return datetime_text(value)
    return value
