"""Conditions on a table's columns: comparisons joined by ``and`` / ``or``.

The interfaces build them (the query-string filters, OData's ``$filter``); the tables turn
them into a ``Q`` that runs in SQL (``where``), or test them on the rows of a figure table
(``holds``). A column that cannot be filtered is refused before anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from .columns import Column, matches


@dataclass(frozen=True)
class Cmp:
    column: str
    op: str  # eq, ne, gt, ge, lt, le
    value: Any


@dataclass(frozen=True)
class And:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Condition, ...]


Condition = Cmp | And | Or


def both(left: Condition | None, right: Condition | None) -> Condition | None:
    if left is None:
        return right
    if right is None:
        return left
    return And((left, right))


def columns_of(condition: Condition | None) -> set[str]:
    if condition is None:
        return set()
    if isinstance(condition, Cmp):
        return {condition.column}
    return set().union(*(columns_of(item) for item in condition.items))


def where(condition: Condition, columns: dict[str, Column], context: Any = None) -> Q:
    """The condition as a ``Q`` over the table's model."""
    if isinstance(condition, Cmp):
        return columns[condition.column].lookup(condition.op, condition.value, context)
    parts = [where(item, columns, context) for item in condition.items]
    out = parts[0]
    for part in parts[1:]:
        out = (out & part) if isinstance(condition, And) else (out | part)
    return out


def holds(condition: Condition, row: dict[str, Any]) -> bool:
    """The condition tested on one row (a dict by column name)."""
    if isinstance(condition, Cmp):
        return matches(row[condition.column], condition.op, condition.value)
    results = (holds(item, row) for item in condition.items)
    return all(results) if isinstance(condition, And) else any(results)


def may_hold(condition: Condition | None, column: str, value: Any) -> bool:
    """Could a row whose ``column`` is ``value`` match? Comparisons on other columns count
    as possibly true: this narrows which years of figures are read at all."""
    if condition is None:
        return True
    if isinstance(condition, Cmp):
        if condition.column != column:
            return True
        return matches(value, condition.op, condition.value)
    results = (may_hold(item, column, value) for item in condition.items)
    return all(results) if isinstance(condition, And) else any(results)


def named_values(condition: Condition | None, column: str) -> set[Any]:
    """Values an ``eq`` comparison names for ``column`` (``year eq 2030``)."""
    if condition is None:
        return set()
    if isinstance(condition, Cmp):
        ok = condition.column == column and condition.op == "eq" and condition.value is not None
        return {condition.value} if ok else set()
    return set().union(*(named_values(item, column) for item in condition.items))
