"""Reading the facts CSV (CONTRACT.md): one row per funding line, cost line and KPI value.

Three queries whatever the number of clusters (one per line kind), each ordered in the
database and read in chunks (``iterator(chunk_size=...)``: a server-side cursor on
PostgreSQL), merged in Python into the order (cluster slug, year, line, code) with
line in the order funding, cost, kpi. Memory stays constant whatever the size.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from decimal import Decimal

from django.db import connections
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Collate

from config.db import reporting_alias

from ..access import Access
from ..models import CostLine, FundingLine, KpiValue, SubmissionState
from ..models.scoping import visible_clusters

FACTS_HEADER = ("cluster", "year", "currency", "line", "code", "amount")
LINE_ORDER = {"funding": 0, "cost": 1, "kpi": 2}
CHUNK_SIZE = 2000

FactRow = tuple[str, int, str, str, str, Decimal]


def _bytewise(field: str, alias: str) -> F | Collate:
    # The merge below compares in Python (code point order); PostgreSQL's default
    # collation would sort "a-b" and "ab" differently, so ask for "C" there.
    if connections[alias].vendor == "postgresql":
        return Collate(F(field), "C")
    return F(field)


def _scoped(qs: QuerySet, *, access: Access, year: int | None, state: str | None) -> QuerySet:
    qs = qs.filter(visible_clusters("submission__cluster", access.cluster_ids))
    if year is not None:
        qs = qs.filter(submission__year=year)
    if state is not None:
        qs = qs.filter(submission__state=state)
    return qs


def _stream(qs: QuerySet, line: str, code_field: str) -> Iterator[FactRow]:
    # An export: served by the read replica when one is configured.
    alias = reporting_alias()
    qs = (
        qs.using(alias)
        .annotate(line=Value(line))
        .order_by(
            _bytewise("submission__cluster__slug", alias).asc(),
            "submission__year",
            _bytewise(code_field, alias).asc(),
        )
        .values_list(
            "submission__cluster__slug",
            "submission__year",
            "submission__currency",
            "line",
            code_field,
            "amount" if line != "kpi" else "value",
        )
    )
    return qs.iterator(chunk_size=CHUNK_SIZE)


def facts_rows(
    *, access: Access, year: int | None = None, state: str | None = SubmissionState.APPROVED
) -> Iterator[FactRow]:
    """Facts of the caller's clusters; ``state=None`` for submissions in every state."""
    program = access.program
    streams = [
        _stream(
            _scoped(
                FundingLine.objects.for_program(program), access=access, year=year, state=state
            ),
            "funding",
            "source__code",
        ),
        _stream(
            _scoped(CostLine.objects.for_program(program), access=access, year=year, state=state),
            "cost",
            "category",
        ),
        _stream(
            _scoped(KpiValue.objects.for_program(program), access=access, year=year, state=state),
            "kpi",
            "kpi__code",
        ),
    ]
    return heapq.merge(*streams, key=lambda r: (r[0], r[1], LINE_ORDER[r[3]], r[4]))
