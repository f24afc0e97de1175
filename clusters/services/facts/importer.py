"""The facts import's entry point: ``facts_import`` validates the whole file, then writes
all of it or nothing.

1. pass 1 (``rows.py``) validates every row; any problem raises one ``ValidationError``
   listing every bad row and nothing is written.
2. pass 2, inside one transaction, reads the file again, assembles each cluster-year's
   document as soon as its last row has arrived (pass 1 counted them) from the values
   pass 1 validated, and writes finished documents in batches (``bulk.py``). With rows of
   one cluster-year next to each other (the export's order) only one document is open at
   a time; unsorted files work too but hold the open documents.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from ... import hooks
from ...access import Access
from ...validation import Problems
from ..documents import (
    CostItem,
    Document,
    FundingItem,
    KpiItem,
)
from .bulk import documents_write
from .changes import change_entry
from .rows import (
    FACTS_HEADER,
    Group,
    OpenLines,
    Prefix,
    RowErrors,
    check_header,
    check_line_counts,
    csv_rows,
    import_context,
    validate_row,
)
from .tuning import ANALYZE_ROWS, refresh_planner_stats, skip_fk_triggers

BATCH_ROWS = 5_000  # rows written per batch in pass 2
# The report lists at most this many field changes in all (a first import of a large
# history would otherwise answer with the whole file again); cluster-years stay listed.
MAX_REPORTED_CHANGES = 50_000
Progress = Callable[[str, int], None]  # (phase "validate" | "write", rows done since last call)


@dataclass
class FactsImportResult:
    rows: int = 0
    cluster_years: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    years: list[int] = field(default_factory=list)
    # Per cluster-year: what was (or, in a dry run, would be) added, changed, removed, and
    # which state changes (``changes.change_entry``), ordered by cluster and year.
    changes: list[dict[str, Any]] = field(default_factory=list)
    changes_truncated: bool = False
    approve: bool = False
    dry_run: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "cluster_years": self.cluster_years,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "years": self.years,
            "approve": self.approve,
            "dry_run": self.dry_run,
            "changes": self.changes,
            "changes_truncated": self.changes_truncated,
            "seconds": round(self.seconds, 3),
        }


def facts_import_require_role(*, access: Access, approve: bool) -> None:
    """Admins import anything; editors their own clusters without approve; analysts nothing."""
    if not (access.is_admin or access.is_editor):
        raise PermissionDenied("Importing facts needs the program_admin or cluster_editor role.")
    if approve:
        access.require_admin("Importing with approve")


def facts_import(
    *,
    access: Access,
    open_lines: OpenLines,
    approve: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> FactsImportResult:
    """Validate the whole facts file, then write all of it or nothing.

    ``open_lines`` opens the file afresh (it is read twice) as an iterable of text lines.
    Raises ``ValidationError`` listing every bad row as ``row N: column``, and
    ``PermissionDenied`` for analysts and for an editor asking to approve.
    """
    facts_import_require_role(access=access, approve=approve)
    started = time.perf_counter()
    result = FactsImportResult(approve=approve, dry_run=dry_run)
    ctx = import_context(access, approve=approve)

    # Pass 1: validate every row, keep only per-cluster-year keys.
    errors = RowErrors()
    groups: dict[tuple[int, int], Group] = {}
    header_ok = False
    rows = csv_rows(open_lines)
    try:
        header_ok = check_header(next(rows, (1, None))[1], errors)
        if header_ok:
            done = 0
            last, parse_errors = Prefix(), Problems()
            for number, cells in rows:
                validate_row(number, cells, ctx, groups, errors, last, parse_errors)
                done += 1
                if progress is not None and done == 10_000:
                    progress("validate", done)
                    done = 0
            if progress is not None and done:
                progress("validate", done)
    except UnicodeDecodeError as exc:
        errors.add(0, "file", f"The file is not UTF-8 text ({exc.reason}).", "invalid_encoding")
    except csv.Error as exc:
        errors.add(0, "file", f"The file is not a readable CSV ({exc}).", "invalid_csv")
    finally:
        rows.close()
    if header_ok and not errors.count and not groups:
        errors.add(2, "row", "The file has a header but no rows.", "empty_file")
    check_line_counts(ctx, groups, errors)
    errors.raise_if_any()

    result.rows = sum(g.rows for g in groups.values())
    result.cluster_years = len(groups)
    result.years = sorted({year for _, year in groups})

    # Pass 2: assemble each cluster-year once its last row is in, write in batches. Every
    # value was validated by pass 1 (check_money / check_kpi_value, duplicates, line counts,
    # one currency), so pass 2 only converts: Decimal(text) is what those parsers return.
    if result.rows >= ANALYZE_ROWS:
        refresh_planner_stats()
    with transaction.atomic():
        triggers_off = skip_fk_triggers(access, {cluster_id for cluster_id, _ in groups}, ctx.ref)
        open_docs: dict[tuple[int, int], tuple[str, list, list, list]] = {}
        batch: list[tuple[int, int, Document]] = []
        batch_rows = 0
        years_touched: set[int] = set()
        slugs = {pk: slug for slug, pk in ctx.clusters.items()}
        reported = 0

        def flush() -> None:
            nonlocal batch, batch_rows, reported
            if batch:
                report: list[tuple] = []
                created, changed, unchanged, touched = documents_write(
                    access=access, documents=batch, approve=approve, ref=ctx.ref, report=report
                )
                for cluster_id, year, from_state, to_state, diff in report:
                    if reported + len(diff) > MAX_REPORTED_CHANGES:
                        result.changes_truncated, diff = True, []
                    reported += len(diff)
                    result.changes.append(
                        change_entry(slugs[cluster_id], year, from_state, to_state, diff)
                    )
                years_touched.update(touched)
                result.created += created
                result.changed += changed
                result.unchanged += unchanged
                if progress is not None:
                    progress("write", batch_rows)
            batch, batch_rows = [], 0

        clusters = ctx.clusters
        last_cells: tuple[str, str] = ("", "")
        key: tuple[int, int] = (0, 0)
        rows = csv_rows(open_lines)
        next(rows)
        for _number, cells in rows:
            if len(cells) != len(FACTS_HEADER):
                continue  # blank line (pass 1 rejected every other short row)
            slug, year_raw, currency, line, code, amount = [c.strip() for c in cells]
            if (slug, year_raw) != last_cells:
                last_cells = (slug, year_raw)
                key = (clusters[slug], int(year_raw))
            data = open_docs.get(key)
            if data is None:
                data = open_docs[key] = (currency, [], [], [])
            if line == "funding":
                data[1].append(FundingItem(code, Decimal(amount)))
            elif line == "cost":
                data[2].append(CostItem(code, Decimal(amount)))
            else:
                data[3].append(KpiItem(code, Decimal(amount)))
            group = groups[key]
            group.rows -= 1
            if group.rows == 0:
                del open_docs[key]
                doc = Document(data[0], data[1], data[2], data[3])
                batch.append((key[0], key[1], doc))
                batch_rows += len(doc.funding) + len(doc.costs) + len(doc.kpis)
                if batch_rows >= BATCH_ROWS:
                    flush()
        flush()
        if triggers_off:
            # SET LOCAL lasts to the end of the outermost transaction: a caller's own
            # atomic block around the import must get its foreign-key checks back.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        result.changes.sort(key=lambda c: (c["cluster"], c["year"]))
        if dry_run:
            transaction.set_rollback(True)
        elif years_touched:
            hooks.figure_inputs_changed(program_id=access.program.pk, years=sorted(years_touched))
    result.seconds = time.perf_counter() - started
    return result
