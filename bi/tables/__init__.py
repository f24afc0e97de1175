"""The BI tables of a programme, by name (CONTRACT.md, "Exports, OData and webhooks").

``table_read(access=, name=, read=)`` is the one way in: REST exports, OData and the
benchmarks all read a table through it, so every interface gets the same rows.
"""

from __future__ import annotations

from clusters.access import Access

from .base import FigureTable, QueryTable, Read, Row, Table, UnusableColumn
from .dimensions import ClustersTable, FundingSourcesTable, KpisTable
from .facts import CostsTable, FundingTable, KpiValuesTable, SubmissionsTable
from .mix import FundingMixTable

TABLES: dict[str, type[Table]] = {
    t.name: t
    for t in (
        ClustersTable,
        FundingSourcesTable,
        KpisTable,
        FundingTable,
        CostsTable,
        KpiValuesTable,
        SubmissionsTable,
        FundingMixTable,
    )
}
BY_ENTITY_SET: dict[str, type[Table]] = {t.entity_set: t for t in TABLES.values()}


class UnknownTable(LookupError):
    pass


def table_class(name: str) -> type[Table]:
    try:
        return TABLES[name]
    except KeyError:
        raise UnknownTable(name) from None


def table_read(*, access: Access, name: str, read: Read | None = None) -> Table:
    """A read of the table for this caller (``PermissionDenied`` when the role may not:
    the funding mix is for admins and analysts; ``UnusableColumn`` for a bad column)."""
    return table_class(name)(access, read or Read())


__all__ = [
    "BY_ENTITY_SET",
    "TABLES",
    "FigureTable",
    "QueryTable",
    "Read",
    "Row",
    "Table",
    "UnknownTable",
    "UnusableColumn",
    "table_class",
    "table_read",
]
