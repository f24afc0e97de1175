"""What every BI table is: named columns with a key, read for a caller with a condition,
an order and a window.

``QueryTable`` reads a model through the caller's scope (``for_access``: the programme, an
editor's clusters) with every condition in SQL, in chunks (a server-side cursor on
PostgreSQL), in a fixed number of queries whatever the size: the rows, plus at most one
for what the conversion needs (the fx rates) and one for a count. ``FigureTable`` serves
rows derived from stored portfolio figures, a handful per year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate

from clusters.access import Access
from clusters.models import TenantModel

from ..columns import TEXT, Column
from ..conditions import Condition, both, columns_of, where
from ..filters import TableFilters

CHUNK_SIZE = 2000

Row = tuple[Any, ...]


def _nulls_last(i: int) -> Callable[[Row], tuple[bool, Any]]:
    """A sort key on column ``i`` that puts empty values after the others."""
    return lambda row: (row[i] is None, row[i])


@dataclass(frozen=True)
class Read:
    """One read of a table: the query-string filters, a condition on columns, an order
    (``(column, descending)`` pairs; the key breaks ties) and a window."""

    filters: TableFilters = TableFilters()
    where: Condition | None = None
    order: tuple[tuple[str, bool], ...] = ()
    offset: int = 0
    limit: int | None = None


class UnusableColumn(ValueError):
    """A column named where it cannot be used (a computed column in an order)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


class Table:
    name: ClassVar[str]  # in URLs: funding-sources
    entity_set: ClassVar[str]  # in OData: FundingSources
    entity_type: ClassVar[str]  # in OData's $metadata: FundingSource
    sql_view: ClassVar[str]  # in the PostgreSQL reporting schema: funding_sources
    description: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]
    # The query-string filters it takes (year, state, updated_since).
    accepts: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def column(cls, name: str) -> Column:
        return cls.by_name()[name]

    @classmethod
    def by_name(cls) -> dict[str, Column]:
        return {c.name: c for c in cls.columns}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(c.name for c in cls.columns)

    def __init__(self, access: Access, read: Read | None = None) -> None:
        read = read or Read()
        self.access = access
        self.read = read
        self.check_access()
        self.condition = both(read.filters.as_condition(self.accepts), read.where)
        columns = self.by_name()
        for name in columns_of(self.condition):
            if name not in columns:
                raise UnusableColumn(name, f"{self.name} has no column '{name}'.")
            if not self.can_filter(columns[name]):
                raise UnusableColumn(name, f"'{name}' is computed and cannot be filtered on.")
        for name, _ in read.order:
            if name not in columns:
                raise UnusableColumn(name, f"{self.name} has no column '{name}'.")
            if not self.can_order(columns[name]):
                raise UnusableColumn(name, f"'{name}' is computed and cannot be ordered by.")

    def check_access(self) -> None:
        """Raise ``PermissionDenied`` when the caller's role may not read this table."""

    def can_filter(self, column: Column) -> bool:
        return column.filterable

    def can_order(self, column: Column) -> bool:
        return column.sortable

    def count(self) -> int:
        raise NotImplementedError

    def rows(self, offset: int | None = None, limit: int | None = None) -> Iterator[Row]:
        """The rows of the read (or of this window of it), in column order."""
        raise NotImplementedError

    def window(self, offset: int | None, limit: int | None) -> tuple[int, int | None]:
        if offset is None and limit is None:
            return self.read.offset, self.read.limit
        return offset or 0, limit


def _ordered(path: str) -> F | Collate:
    # One order on every database: PostgreSQL's default collation would sort "a-b" and
    # "ab" differently from SQLite, and pages of a read must not depend on it.
    if connection.vendor == "postgresql":
        return Collate(F(path), "C")
    return F(path)


class QueryTable(Table):
    model: ClassVar[type[TenantModel]]
    # From the model to its cluster, for an editor's clusters (None: programme-wide rows).
    cluster_path: ClassVar[str | None] = None
    # ORM paths (or names of ``annotations``) read per row, in the order ``convert`` takes them.
    fetch: ClassVar[tuple[str, ...]]
    annotations: ClassVar[dict[str, Any]] = {}

    def context(self) -> Any:
        """What ``convert`` and computed columns' filters need (one query at most)."""
        return None

    def converter(self, context: Any) -> Callable[[Sequence[Any]], Row]:
        """Fetched values -> the row in column order (plain tables: the same tuple)."""
        return tuple

    @cached_property
    def _context(self) -> Any:
        return self.context()

    def scoped(self) -> QuerySet:
        manager = self.model.objects
        if self.cluster_path is None:
            return manager.for_program(self.access.program)
        # Analysts and admins see the rows of deleted clusters, which still count in the
        # portfolio figures; an editor only its held, live clusters.
        return manager.for_access(
            self.access,
            cluster_path=self.cluster_path,
            include_deleted=self.access.cluster_ids is None,
        )

    def queryset(self) -> QuerySet:
        qs = self.scoped()
        if self.condition is not None:
            qs = qs.filter(where(self.condition, self.by_name(), self._context))
        return qs

    def _order(self) -> list[Any]:
        columns = self.by_name()
        order: list[Any] = []
        seen: set[str] = set()
        for name, descending in (*self.read.order, *((k, False) for k in self.key)):
            if name in seen:
                continue
            seen.add(name)
            column = columns[name]
            assert column.path is not None
            expr = _ordered(column.path) if column.type == TEXT else F(column.path)
            order.append(expr.desc() if descending else expr.asc())
        return order

    def count(self) -> int:
        return self.queryset().count()

    def rows(self, offset: int | None = None, limit: int | None = None) -> Iterator[Row]:
        qs = self.queryset().annotate(**self.annotations).order_by(*self._order())
        qs = qs.values_list(*self.fetch)
        start, limit = self.window(offset, limit)
        if limit is not None:
            qs = qs[start : start + limit]
        elif start:
            qs = qs[start:]
        convert = self.converter(self._context)
        return (convert(values) for values in qs.iterator(chunk_size=CHUNK_SIZE))


class FigureTable(Table):
    """Rows derived from stored figures: few, so a condition is tested on each row after
    the figures of the years it can match were read (and only those)."""

    def all_rows(self) -> list[Row]:
        raise NotImplementedError

    def can_filter(self, column: Column) -> bool:
        return True

    def can_order(self, column: Column) -> bool:
        return True

    @cached_property
    def _matching(self) -> list[Row]:
        from ..conditions import holds

        names = self.names()
        rows = self.all_rows()
        if self.condition is not None:
            rows = [r for r in rows if holds(self.condition, dict(zip(names, r, strict=True)))]
        index = {name: i for i, name in enumerate(names)}
        order = [*self.read.order, *((k, False) for k in self.key)]
        for name, descending in reversed(order):
            rows.sort(key=_nulls_last(index[name]), reverse=descending)
        return rows

    def count(self) -> int:
        return len(self._matching)

    def rows(self, offset: int | None = None, limit: int | None = None) -> Iterator[Row]:
        start, limit = self.window(offset, limit)
        end = None if limit is None else start + limit
        return iter(self._matching[start:end])
