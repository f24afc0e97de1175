"""Reading the facts CSV (CONTRACT.md): one row per funding line, cost line and KPI value.

The six columns of the contract, then ``in_kind,restricted,note``: a funding line's flags
(``true``/``false``) and note, a cost line's note (its flags empty), nothing more for a KPI
value. The import reads the same columns back, so an export re-imported changes nothing.

Three queries whatever the number of clusters (one per line kind), each ordered in the
database and read in chunks (``iterator(chunk_size=...)``: a server-side cursor on
PostgreSQL), merged in Python into the order (cluster slug, year, line, code) with
line in the order funding, cost, kpi. Memory stays constant whatever the size.
"""

from __future__ import annotations

import csv
import heapq
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Collate

from ..access import Access
from ..models import CostLine, FundingLine, KpiValue, SubmissionState
from ..models.scoping import visible_clusters
from ..replica import reporting_alias

FACTS_HEADER = ("cluster", "year", "currency", "line", "code", "amount")
# Optional after the six: funding lines' flags and funding and cost lines' notes.
DETAIL_COLUMNS = ("in_kind", "restricted", "note")
EXPORT_HEADER = FACTS_HEADER + DETAIL_COLUMNS
LINE_ORDER = {"funding": 0, "cost": 1, "kpi": 2}
CHUNK_SIZE = 2000
FLAG_TEXT = {True: "true", False: "false"}

FactRow = tuple[str, int, str, str, str, Decimal, str, str, str]


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


def _stream(qs: QuerySet, line: str, code_field: str) -> Iterator[tuple[Any, ...]]:
    details = {
        "funding": ("in_kind", "restricted", "note"),
        "cost": ("no_flag", "no_flag", "note"),
        "kpi": ("no_flag", "no_flag", "no_flag"),
    }[line]
    # An export: served by the read replica when one is configured.
    alias = reporting_alias()
    qs = (
        qs.using(alias)
        .annotate(line=Value(line), no_flag=Value(""))
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
            *details,
        )
    )
    return qs.iterator(chunk_size=CHUNK_SIZE)


def _as_text(rows: Iterator[tuple[Any, ...]]) -> Iterator[FactRow]:
    flag = FLAG_TEXT
    for row in rows:
        if row[3] == "funding":
            yield (*row[:6], flag[row[6]], flag[row[7]], row[8])
        else:
            yield row


def facts_rows(
    *, access: Access, year: int | None = None, state: str | None = SubmissionState.APPROVED
) -> Iterator[FactRow]:
    """Facts of the caller's clusters, in ``EXPORT_HEADER``'s columns; ``state=None`` for
    submissions in every state."""
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
    return _as_text(heapq.merge(*streams, key=lambda r: (r[0], r[1], LINE_ORDER[r[3]], r[4])))


class _Echo:
    def write(self, value: str) -> str:
        return value


def facts_csv_lines(rows: Iterator[FactRow], *, chunk: int = 500) -> Iterator[str]:
    """The CSV text of ``EXPORT_HEADER`` and ``rows``, ``chunk`` lines at a time.

    Lines end with ``\n``. The writer is told ``\r\n`` so that it quotes every field
    holding either character (a note typed in a browser form has ``\r\n`` in it): told
    ``\n`` alone, it would leave a ``\r`` unquoted and the file could not be read back.
    """
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(EXPORT_HEADER)[:-2] + "\n"
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow(row)[:-2] + "\n")
        if len(buffer) >= chunk:  # fewer, larger pieces for the server to send
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)
