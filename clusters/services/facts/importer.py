"""The facts import's entry point: ``facts_import`` validates the whole file, then writes
all of it or nothing.

1. pass 1 (``rows.py``) validates every row; any problem raises one ``ValidationError``
   listing every bad row and nothing is written.
2. pass 2, inside one transaction, reads the file again (``assemble.py``: one document
   per cluster-year, from the values pass 1 validated) and writes the documents in
   batches (``bulk.py``).

A file with the columns ``in_kind,restricted,note`` restates the lines' flags and notes;
a file without them keeps the stored flags and note of every line that exists already
(new lines get none).

An import with ``approve`` moves the existing submissions it approves as the approve
endpoint does: each announces ``submission_moved`` (action ``approved``), so webhooks and
mail follow. Submissions the import creates are not moves: a first import of a programme's
history would otherwise tell every editor about every past year.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from ... import hooks
from ...access import Access
from ...models import SubmissionEvent, SubmissionState
from ...validation import Problems
from .assemble import document_batches
from .bulk import documents_write
from .changes import change_entry
from .rows import (
    ALL_COLUMNS,
    Group,
    ImportContext,
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
    width, groups = _validate(open_lines, ctx, progress)
    result.rows = sum(g.rows for g in groups.values())
    result.cluster_years = len(groups)
    result.years = sorted({year for _, year in groups})

    if result.rows >= ANALYZE_ROWS:
        refresh_planner_stats()
    with transaction.atomic():
        triggers_off = skip_fk_triggers(access, {cluster_id for cluster_id, _ in groups}, ctx.ref)
        years_touched: set[int] = set()
        moves: list[tuple[int, int, int, str, str]] = []
        slugs = {pk: slug for slug, pk in ctx.clusters.items()}
        reported = 0
        batches = document_batches(
            open_lines, width=width, groups=groups, clusters=ctx.clusters, batch_rows=BATCH_ROWS
        )
        for batch, lines in batches:
            outcome = documents_write(
                access=access,
                documents=batch,
                approve=approve,
                ref=ctx.ref,
                keep_details=width != ALL_COLUMNS,
            )
            for cluster_id, year, from_state, to_state, diff in outcome.report:
                if reported + len(diff) > MAX_REPORTED_CHANGES:
                    result.changes_truncated, diff = True, []
                reported += len(diff)
                result.changes.append(
                    change_entry(slugs[cluster_id], year, from_state, to_state, diff)
                )
            years_touched |= outcome.years
            moves += outcome.moves
            result.created += outcome.created
            result.changed += outcome.changed
            result.unchanged += outcome.unchanged
            if progress is not None:
                progress("write", lines)
        if triggers_off:
            # SET LOCAL lasts to the end of the outermost transaction: a caller's own
            # atomic block around the import must get its foreign-key checks back.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        result.changes.sort(key=lambda c: (c["cluster"], c["year"]))
        if dry_run:
            transaction.set_rollback(True)
        else:
            _announce_moves(access, moves, slugs)
            if years_touched:
                hooks.figure_inputs_changed(
                    program_id=access.program.pk, years=sorted(years_touched)
                )
    result.seconds = time.perf_counter() - started
    return result


# The import's only state change is approve; its hook action is the approve move's.
_MOVE_ACTIONS: dict[str, str] = {SubmissionState.APPROVED: SubmissionEvent.Action.APPROVED}


def _announce_moves(
    access: Access, moves: list[tuple[int, int, int, str, str]], slugs: dict[int, str]
) -> None:
    """``submission_moved`` for each existing submission whose state the import changed,
    with the data ``workflow`` gives it, in cluster and year order."""
    for submission_id, cluster_id, year, _, to_state in sorted(
        moves, key=lambda m: (slugs[m[1]], m[2])
    ):
        action = _MOVE_ACTIONS.get(to_state)
        if action is None:
            continue
        data = {
            "submission_id": submission_id,
            "cluster": slugs[cluster_id],
            "year": year,
            "action": action,
            "state": to_state,
        }
        hooks.announce(hooks.Event(hooks.SUBMISSION_MOVED, access.program.pk, (year,), data))


def _validate(
    open_lines: OpenLines, ctx: ImportContext, progress: Progress | None
) -> tuple[int, dict[tuple[int, int], Group]]:
    """Pass 1: the header's width and, per cluster-year, what pass 2 needs; raises
    ``ValidationError`` listing every bad row."""
    errors = RowErrors()
    groups: dict[tuple[int, int], Group] = {}
    width = 0
    rows = csv_rows(open_lines)
    try:
        width = check_header(next(rows, (1, None))[1], errors)
        if width:
            done = 0
            last, problems = Prefix(), Problems()
            for number, cells in rows:
                validate_row(number, cells, width, ctx, groups, errors, last, problems)
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
    if width and not errors.count and not groups:
        errors.add(2, "row", "The file has a header but no rows.", "empty_file")
    check_line_counts(ctx, groups, errors)
    errors.raise_if_any()
    return width, groups
