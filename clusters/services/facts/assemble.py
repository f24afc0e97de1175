"""Pass 2 of the facts import: the validated file read again, one document per cluster-year.

Every value was validated by pass 1 (``check_money`` / ``check_kpi_value``, flags, notes,
duplicates, line counts, one currency), so this pass only converts: ``Decimal(text)`` is
what those checks return. A cluster-year's document is complete as soon as its last row
has arrived (pass 1 counted them); with rows of one cluster-year next to each other (the
export's order) only one document is open at a time, unsorted files hold the open ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...validation import Problems, check_flag
from ..documents import CostItem, Document, FundingItem, KpiItem
from .rows import ALL_COLUMNS, PLAIN_FLAGS, Group, OpenLines, csv_rows

Batch = list[tuple[int, int, Document]]  # (cluster id, year, document)


def _flag(raw: str) -> bool:
    text = raw.strip().lower()
    if text in PLAIN_FLAGS:
        return text == "true"
    return check_flag(text, field="", problems=Problems())  # pass 1 accepted the spelling


def document_batches(
    open_lines: OpenLines,
    *,
    width: int,
    groups: dict[tuple[int, int], Group],
    clusters: dict[str, int],
    batch_rows: int,
) -> Iterator[tuple[Batch, int]]:
    """Finished documents in batches of about ``batch_rows`` lines, with their line count.

    ``groups`` is pass 1's: its row counts are used up on the way.
    """
    details = width == ALL_COLUMNS
    open_docs: dict[tuple[int, int], tuple[str, list, list, list]] = {}
    batch: Batch = []
    lines = 0
    last_cells: tuple[str, str] = ("", "")
    key: tuple[int, int] = (0, 0)
    rows = csv_rows(open_lines)
    next(rows)  # the header
    try:
        for _number, cells in rows:
            if len(cells) != width:
                continue  # a blank line (pass 1 refused every other short row)
            head = cells[:6] if details else cells
            slug, year_raw, currency, line, code, amount = [c.strip() for c in head]
            if (slug, year_raw) != last_cells:
                last_cells = (slug, year_raw)
                key = (clusters[slug], int(year_raw))
            data = open_docs.get(key)
            if data is None:
                data = open_docs[key] = (currency, [], [], [])
            if line == "funding":
                if details:
                    item = FundingItem(
                        code, Decimal(amount), _flag(cells[6]), _flag(cells[7]), cells[8]
                    )
                else:
                    item = FundingItem(code, Decimal(amount))
                data[1].append(item)
            elif line == "cost":
                data[2].append(CostItem(code, Decimal(amount), cells[8] if details else ""))
            else:
                data[3].append(KpiItem(code, Decimal(amount)))
            group = groups[key]
            group.rows -= 1
            if group.rows == 0:
                del open_docs[key]
                doc = Document(data[0], data[1], data[2], data[3])
                batch.append((key[0], key[1], doc))
                lines += len(doc.funding) + len(doc.costs) + len(doc.kpis)
                if lines >= batch_rows:
                    yield batch, lines
                    batch, lines = [], 0
    finally:
        rows.close()
    if batch:
        yield batch, lines
