"""Importing the facts CSV (CONTRACT.md): many submissions restated in one go.

``cluster,year,currency,line,code,amount``; the rows of one cluster-year form one
submission document that REPLACES that submission's funding, costs and KPIs (an import
is a full restatement of the cluster-years it contains; ``staff_fte`` and ``notes`` of an
existing submission, which the format does not carry, are left alone).

Every rule comes from the validation kit (``check_money``, ``check_kpi_value``,
``check_year``...) and ``documents.py`` (``ReferenceData``), so an import validates
exactly like a PUT.

Two passes over the file keep memory bounded by the number of cluster-years, never by
the number of rows:

1. validate every row and keep, per cluster-year, only its currency, a bitmask of the
   (line, code) pairs seen (duplicates) and its row count. Every bad row is reported
   (row number, column, message) and nothing is written.
2. inside one transaction, read the file again, assemble each cluster-year's document
   as soon as its last row has arrived (we know its row count from pass 1) from the
   values pass 1 validated (no second ``parse_document``), and write finished documents
   in batches: one lookup of the batch's existing submissions and lines, COPY (PostgreSQL)
   of new submissions, lines and history events, ``bulk_update`` of changed submissions.
   Foreign keys are checked once per referenced row, not per line (``_skip_fk_triggers``).
   With rows of one cluster-year next to each other (the export's order) only one
   document is open at a time; unsorted files work too but hold the open documents.

Re-importing the same file changes nothing (no version bump, no history entry). History
entries use the submission services' ``document_diff`` (for a new submission its
equivalent ``_created_changes``), written in bulk.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .. import hooks
from ..access import Access
from ..models import (
    Cluster,
    CostCategory,
    CostLine,
    FundingLine,
    FundingSource,
    KpiDefinition,
    KpiValue,
    PeriodState,
    Program,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from ..numbers import money_text, number_text
from ..validation import (
    MAX_LINES,
    Problems,
    check_currency,
    check_kpi_value,
    check_money,
    check_year,
    shown,
)
from .documents import (
    CostItem,
    Document,
    FundingItem,
    KpiItem,
    ReferenceData,
)
from .history import document_diff

FACTS_HEADER = ["cluster", "year", "currency", "line", "code", "amount"]
LINES = ("funding", "cost", "kpi")
EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)
# Beyond this many bad rows the report stops listing them (and says how many it left out):
# a wrong file of 600,000 rows should not answer with a 100 MB error document.
MAX_REPORTED_ERRORS = 10_000
BATCH_ROWS = 5_000  # rows written per batch in pass 2

OpenLines = Callable[[], Iterable[str]]
Progress = Callable[[str, int], None]  # (phase "validate" | "write", rows done since last call)


@dataclass
class FactsImportResult:
    rows: int = 0
    cluster_years: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    years: list[int] = field(default_factory=list)
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
            "seconds": round(self.seconds, 3),
        }


class _RowErrors:
    """Every bad row as ``row N: column`` -> messages, in file order."""

    def __init__(self) -> None:
        self.items: dict[str, list[ValidationError]] = {}
        self.count = 0

    def add(self, row: int, column: str, message: str, code: str) -> None:
        self.count += 1
        if self.count > MAX_REPORTED_ERRORS:
            return
        self.items.setdefault(f"row {row}: {column}", []).append(
            ValidationError(message, code=code)
        )

    def take(self, row: int, column: str, errors: Problems) -> None:
        for messages in errors.items.values():
            for error in messages:
                self.add(row, column, error.message, error.code or "invalid")
        errors.items.clear()

    def raise_if_any(self) -> None:
        if not self.count:
            return
        items = dict(self.items)
        if self.count > MAX_REPORTED_ERRORS:
            items["file"] = [
                ValidationError(
                    f"{self.count - MAX_REPORTED_ERRORS} more problems are not listed; fix these first.",
                    code="too_many_errors",
                )
            ]
        raise ValidationError(items)


@dataclass
class _Group:
    """What pass 1 keeps of one cluster-year: no rows, only keys."""

    currency: str
    first_row: int
    mask: int = 0
    rows: int = 0


@dataclass
class _Context:
    access: Access
    ref: ReferenceData
    clusters: dict[str, int]  # slug -> id, the clusters this caller may import into
    period_years: set[int]
    closed_years: set[int]  # periods a cluster_editor may not write to now
    states: dict[tuple[int, int], str]  # existing submissions (cluster_id, year) -> state
    code_bits: dict[tuple[str, str], int]  # (line, code) -> bit of the duplicates mask
    approve: bool


def _csv_rows(open_lines: OpenLines) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells), row 1 being the header; the source is closed afterwards."""
    source = open_lines()
    try:
        yield from enumerate(csv.reader(source), start=1)
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


def _context(access: Access, *, approve: bool) -> _Context:
    program = access.program
    ref = ReferenceData.load(program)
    clusters = dict(Cluster.objects.for_access(access, cluster_path="pk").values_list("slug", "pk"))
    today = timezone.localdate()
    period_years: set[int] = set()
    closed_years: set[int] = set()
    for year, state, opens_on, closes_on in ReportingPeriod.objects.for_program(
        program
    ).values_list("year", "state", "opens_on", "closes_on"):
        period_years.add(year)
        # Editors write only while a period is open (the submission services' rule).
        if not access.is_admin and not (
            state == PeriodState.OPEN and opens_on <= today <= closes_on
        ):
            closed_years.add(year)
    states = {
        (cluster_id, year): state
        for cluster_id, year, state in Submission.objects.for_program(program).values_list(
            "cluster_id", "year", "state"
        )
    }
    codes = (
        [("funding", c) for c in ref.sources]
        + [("cost", c) for c in CostCategory.values]
        + [("kpi", c) for c in ref.kpis]
    )
    return _Context(
        access=access,
        ref=ref,
        clusters=clusters,
        period_years=period_years,
        closed_years=closed_years,
        states=states,
        code_bits={key: 1 << i for i, key in enumerate(codes)},
        approve=approve,
    )


def _check_header(cells: list[str] | None, errors: _RowErrors) -> bool:
    if cells is None:
        errors.add(
            1,
            "header",
            f"The file is empty; the first line must be {','.join(FACTS_HEADER)}.",
            "empty_file",
        )
        return False
    header = [c.strip().lstrip("\ufeff") for c in cells]
    if header != FACTS_HEADER:
        errors.add(
            1,
            "header",
            f"The header is '{','.join(cells)}'; it must be {','.join(FACTS_HEADER)}.",
            "invalid_header",
        )
        return False
    return True


@dataclass
class _Prefix:
    """The last row's (cluster, year, currency) cells and what they validated to: rows of
    one cluster-year sit next to each other, so most rows repeat the previous row's."""

    cells: tuple[str, str, str] = ("", "", "")
    cluster_id: int = 0
    year: int = 0


def _validate_prefix(
    number: int, slug: str, year_raw: str, currency: str, ctx: _Context, errors: _RowErrors
) -> tuple[int | None, int | None, bool]:
    cluster_id = ctx.clusters.get(slug)
    if cluster_id is None:
        errors.add(
            number, "cluster", f"No cluster '{shown(slug)}' in this programme.", "unknown_cluster"
        )
    problems = Problems()
    year = check_year(year_raw, field="year", problems=problems)
    errors.take(number, "year", problems)
    if year is not None:
        if year not in ctx.period_years:
            errors.add(
                number,
                "year",
                f"The programme has no reporting period for {year}; see /periods/.",
                "no_period",
            )
            year = None
        elif year in ctx.closed_years:
            errors.add(
                number,
                "year",
                f"The {year} reporting period is not open; only a program_admin may import into it.",
                "period_closed",
            )
            year = None
    currency_ok = check_currency(currency, problems=problems) is not None
    errors.take(number, "currency", problems)
    return cluster_id, year, currency_ok


def _validate_row(
    number: int,
    cells: list[str],
    ctx: _Context,
    groups: dict[tuple[int, int], _Group],
    errors: _RowErrors,
    last: _Prefix | None = None,
    parse_errors: Problems | None = None,
) -> None:
    if len(cells) != len(FACTS_HEADER):
        if not any(c.strip() for c in cells):
            return  # a blank line
        errors.add(
            number,
            "row",
            f"The row has {len(cells)} columns; it must have {len(FACTS_HEADER)}.",
            "column_count",
        )
        return
    slug, year_raw, currency, line, code, amount_raw = [c.strip() for c in cells]

    cluster_id: int | None
    year: int | None
    if last is not None and last.cells == (slug, year_raw, currency):
        cluster_id, year, currency_ok = last.cluster_id, last.year, True
    else:
        cluster_id, year, currency_ok = _validate_prefix(
            number, slug, year_raw, currency, ctx, errors
        )
        if last is not None and cluster_id is not None and year is not None and currency_ok:
            last.cells, last.cluster_id, last.year = (slug, year_raw, currency), cluster_id, year

    bit = 0
    if line not in LINES:
        errors.add(number, "line", f"'{line}' is not one of {', '.join(LINES)}.", "invalid_line")
    else:
        bit = ctx.code_bits.get((line, code), 0)
        if not bit:
            if line == "funding":
                errors.add(
                    number,
                    "code",
                    f"Unknown funding source '{code}'; see /funding-sources/.",
                    "unknown_source",
                )
            elif line == "cost":
                errors.add(
                    number,
                    "code",
                    f"'{code}' is not one of {', '.join(CostCategory.values)}.",
                    "unknown_cost_category",
                )
            else:
                errors.add(
                    number,
                    "code",
                    f"Unknown KPI '{code}'; define it in /kpis/ first.",
                    "unknown_kpi",
                )
        if parse_errors is None:
            parse_errors = Problems()
        parse = check_kpi_value if line == "kpi" else check_money
        parse(amount_raw, field="amount", problems=parse_errors)
        if parse_errors.items:
            errors.take(number, "amount", parse_errors)

    if cluster_id is None or year is None:
        return
    key = (cluster_id, year)
    group = groups.get(key)
    if group is None:
        group = groups[key] = _Group(currency=currency, first_row=number)
        state = ctx.states.get(key)
        if state is not None and state not in EDITABLE_STATES and not ctx.approve:
            errors.add(
                number,
                "cluster",
                f"The {year} submission of '{slug}' is {state}; only draft and returned "
                "submissions take new content (an admin may import with approve).",
                "not_editable",
            )
    elif currency_ok and currency != group.currency:
        errors.add(
            number,
            "currency",
            f"'{currency}' differs from {group.currency} (row {group.first_row}); one cluster-year has one currency.",
            "currency_mismatch",
        )
    if bit:
        if group.mask & bit:
            errors.add(
                number, "code", f"{line} '{code}' appears twice for {slug} {year}.", "duplicate_row"
            )
        group.mask |= bit
    group.rows += 1


def _check_line_counts(
    ctx: _Context, groups: dict[tuple[int, int], _Group], errors: _RowErrors
) -> None:
    """``parse_document``'s limit of MAX_LINES lines per list, from pass 1's masks (a
    cluster-year can only exceed it when the programme defines more codes than that)."""
    spans: list[tuple[str, str, int]] = []
    bits = sorted(ctx.code_bits.items(), key=lambda item: item[1])
    for name, line in (("funding", "funding"), ("costs", "cost"), ("kpis", "kpi")):
        mask = 0
        for (kind, _), bit in bits:
            if kind == line:
                mask |= bit
        if mask.bit_count() > MAX_LINES:
            spans.append((name, line, mask))
    if not spans:
        return
    slugs = {pk: slug for slug, pk in ctx.clusters.items()}
    for (cluster_id, year), group in groups.items():
        for name, _, mask in spans:
            if (group.mask & mask).bit_count() > MAX_LINES:
                errors.add(
                    group.first_row,
                    "row",
                    f"{slugs[cluster_id]} {year} has more than {MAX_LINES} {name} lines.",
                    "too_many_lines",
                )


def _snapshot_doc(doc: Document) -> tuple[str, dict, dict, dict]:
    return (
        doc.currency,
        {f.source: (f.amount, f.in_kind, f.restricted, f.note) for f in doc.funding},
        {c.category: (c.amount, c.note) for c in doc.costs},
        {k.code: k.value for k in doc.kpis},
    )


def _as_document(
    snap: tuple[str, dict, dict, dict] | None, sub: Submission | None
) -> Document | None:
    """A snapshot as a ``Document`` for ``document_diff``; staff_fte and notes, which the
    facts format does not carry, are the submission's own on both sides of the diff."""
    if snap is None:
        return None
    currency, funding, costs, kpis = snap
    return Document(
        currency=currency,
        funding=[FundingItem(code, *values) for code, values in funding.items()],
        costs=[CostItem(code, *values) for code, values in costs.items()],
        kpis=[KpiItem(code, value) for code, value in kpis.items()],
        staff_fte=sub.staff_fte if sub is not None else None,
        notes=sub.notes if sub is not None else "",
    )


def document_changes(
    old: tuple[str, dict, dict, dict] | None,
    new: tuple[str, dict, dict, dict],
    sub: Submission | None = None,
) -> list[dict[str, Any]]:
    """The history entry's ``changes``, computed by the submission services' ``document_diff``
    so an import's history reads exactly like a PUT's."""
    return document_diff(_as_document(old, sub), _as_document(new, sub))


def _created_changes(doc: Document) -> list[dict[str, Any]]:
    """``document_diff(None, doc)`` for a brand-new submission, without the generic diff:
    every leaf of ``doc`` except those at their default (a new line's empty note, false
    flags; no staff_fte, no notes), in ``document_diff``'s order. A test holds the two
    equal."""
    changes: list[dict[str, Any]] = [{"field": "currency", "from": None, "to": doc.currency}]
    if doc.staff_fte is not None:
        changes.append({"field": "staff_fte", "from": None, "to": money_text(doc.staff_fte)})
    if doc.notes:
        changes.append({"field": "notes", "from": None, "to": doc.notes})
    for f in doc.funding:
        base = f"funding.{f.source}"
        changes.append({"field": f"{base}.amount", "from": None, "to": money_text(f.amount)})
        if f.in_kind:
            changes.append({"field": f"{base}.in_kind", "from": None, "to": "true"})
        if f.restricted:
            changes.append({"field": f"{base}.restricted", "from": None, "to": "true"})
        if f.note:
            changes.append({"field": f"{base}.note", "from": None, "to": f.note})
    for c in doc.costs:
        changes.append(
            {"field": f"costs.{c.category}.amount", "from": None, "to": money_text(c.amount)}
        )
        if c.note:
            changes.append({"field": f"costs.{c.category}.note", "from": None, "to": c.note})
    for k in doc.kpis:
        changes.append({"field": f"kpis.{k.code}.value", "from": None, "to": number_text(k.value)})
    return changes


def _db_datetime(value: Any) -> Any:
    """A datetime as ``_insert_rows`` should pass it: COPY takes it as it is; elsewhere in
    the backend's own text form, as the ORM would store it."""
    if connection.vendor == "postgresql":
        return value
    return connection.ops.adapt_datetimefield_value(value)


EVENT_COLUMNS = (
    "program_id",
    "submission_id",
    "at",
    "action",
    "actor_id",
    "actor_label",
    "via",
    "from_state",
    "to_state",
    "version",
    "comment",
    "changes",
)


def _record_events(events: list[tuple]) -> None:
    """Write history entries in bulk (the submission services' ``submission_record_event``
    writes one at a time; an import writes thousands, so it inserts them like its lines).
    Each entry is (program_id, submission_id, action, actor_id, actor_label, via,
    from_state, to_state, version, changes): model instances cost more than the insert."""
    now = _db_datetime(timezone.now())
    _insert_rows(
        SubmissionEvent,
        EVENT_COLUMNS,
        [
            (
                program_id,
                submission_id,
                now,
                action,
                actor_id,
                label[:200],
                via[:32],
                from_state,
                to_state,
                version,
                "",
                json.dumps(changes),
            )
            for program_id, submission_id, action, actor_id, label, via, from_state, to_state, version, changes in events
        ],
    )


def _line_rows(
    program_id: int, sub_id: int, doc: Document, ref: ReferenceData
) -> tuple[list, list, list]:
    """Plain tuples for ``_insert_rows``: model instances cost more than the insert itself."""
    sources, kpi_defs = ref.sources, ref.kpis
    funding = [
        (program_id, sub_id, sources[f.source].pk, f.amount, f.in_kind, f.restricted, f.note)
        for f in doc.funding
    ]
    costs = [(program_id, sub_id, c.category, c.amount, c.note) for c in doc.costs]
    kpis = [(program_id, sub_id, kpi_defs[k.code].pk, k.value) for k in doc.kpis]
    return funding, costs, kpis


FUNDING_COLUMNS = (
    "program_id",
    "submission_id",
    "source_id",
    "amount",
    "in_kind",
    "restricted",
    "note",
)
COST_COLUMNS = ("program_id", "submission_id", "category", "amount", "note")
KPI_COLUMNS = ("program_id", "submission_id", "kpi_id", "value")


def _insert_rows(model: type, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many line rows fast: COPY on PostgreSQL, executemany elsewhere.

    The rows were validated by pass 1 (``parse_money``, ``parse_kpi_value``: the model's own rules);
    going around ``bulk_create`` here makes the import four to five times faster.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def _existing_snapshots(
    program: Any, subs: list[Submission], ref: ReferenceData
) -> dict[int, tuple]:
    """The current content of these submissions, three queries whatever their number."""
    ids = [s.pk for s in subs]
    source_codes = {s.pk: code for code, s in ref.sources.items()}
    kpi_codes = {k.pk: code for code, k in ref.kpis.items()}
    snaps: dict[int, tuple[str, dict, dict, dict]] = {s.pk: (s.currency, {}, {}, {}) for s in subs}
    if not ids:
        return snaps
    for sid, source_id, amount, in_kind, restricted, note in (
        FundingLine.objects.for_program(program)
        .filter(submission_id__in=ids)
        .values_list("submission_id", "source_id", "amount", "in_kind", "restricted", "note")
    ):
        snaps[sid][1][source_codes.get(source_id, f"#{source_id}")] = (
            amount,
            in_kind,
            restricted,
            note,
        )
    for sid, category, amount, note in (
        CostLine.objects.for_program(program)
        .filter(submission_id__in=ids)
        .values_list("submission_id", "category", "amount", "note")
    ):
        snaps[sid][2][category] = (amount, note)
    for sid, kpi_id, value in (
        KpiValue.objects.for_program(program)
        .filter(submission_id__in=ids)
        .values_list("submission_id", "kpi_id", "value")
    ):
        snaps[sid][3][kpi_codes.get(kpi_id, f"#{kpi_id}")] = value
    return snaps


SUBMISSION_COLUMNS = (
    "program_id",
    "cluster_id",
    "year",
    "currency",
    "state",
    "version",
    "staff_fte",
    "notes",
    "return_comment",
    "created_at",
    "updated_at",
    "submitted_at",
    "approved_at",
)


def documents_write(
    *,
    access: Access,
    documents: list[tuple[Cluster | int, int, Document]],
    approve: bool = False,
    via: str = "import",
    action: str = SubmissionEvent.Action.IMPORTED,
    ref: ReferenceData | None = None,
    require_editable: bool = True,
) -> tuple[int, int, int, set[int]]:
    """Replace the content of these cluster-years' submissions (create the missing ones).

    The bulk write path of the import, also usable for one document. Unchanged documents
    are left alone (no version bump, no event). Returns (created, changed, unchanged,
    years touched).
    Must run inside a transaction; callers validate first.
    """
    program = access.program
    program_id = program.pk
    ref = ref or ReferenceData.load(program)
    keys = [(c if isinstance(c, int) else c.pk, year) for c, year, _ in documents]
    existing = {
        (s.cluster_id, s.year): s
        for s in Submission.objects.for_program(program)
        .select_for_update()
        .filter(cluster_id__in={k[0] for k in keys}, year__in={k[1] for k in keys})
    }
    wanted = set(keys)
    existing = {k: s for k, s in existing.items() if k in wanted}
    snapshots = _existing_snapshots(program, list(existing.values()), ref)
    now = timezone.now()
    target_new = SubmissionState.APPROVED if approve else SubmissionState.DRAFT
    actor_id = access.user_id
    label = access.label

    # Brand-new submissions: plain rows in, ids read back by their unique (cluster, year).
    new_docs = [
        (key, doc) for key, (_, _, doc) in zip(keys, documents, strict=True) if key not in existing
    ]
    events: list[tuple] = []
    funding: list[tuple] = []
    costs: list[tuple] = []
    kpis: list[tuple] = []
    if new_docs:
        stamp = _db_datetime(now)
        approved_at = stamp if approve else None
        _insert_rows(
            Submission,
            SUBMISSION_COLUMNS,
            [
                (
                    program_id,
                    cluster_id,
                    year,
                    doc.currency,
                    target_new,
                    1,
                    None,
                    "",
                    "",
                    stamp,
                    stamp,
                    None,
                    approved_at,
                )
                for (cluster_id, year), doc in new_docs
            ],
        )
        new_ids = {
            (cluster_id, year): pk
            for cluster_id, year, pk in Submission.objects.for_program(program)
            .filter(
                cluster_id__in={k[0] for k, _ in new_docs}, year__in={k[1] for k, _ in new_docs}
            )
            .values_list("cluster_id", "year", "pk")
        }
        for key, doc in new_docs:
            sub_id = new_ids[key]
            events.append(
                (
                    program_id,
                    sub_id,
                    action,
                    actor_id,
                    label,
                    via,
                    "",
                    target_new,
                    1,
                    _created_changes(doc),
                )
            )
            f, c, k = _line_rows(program_id, sub_id, doc, ref)
            funding += f
            costs += c
            kpis += k

    to_update: list[Submission] = []
    rewrite: list[tuple[Submission, Document]] = []
    unchanged = 0
    for key, (_, year, doc) in zip(keys, documents, strict=True):
        sub = existing.get(key)
        if sub is None:
            continue
        if require_editable and sub.state not in EDITABLE_STATES and not approve:
            # Pass 1 checked this; a concurrent submit since then lands here.
            raise ValidationError(
                {
                    "cluster": [
                        ValidationError(
                            f"The {year} submission is {sub.state} now; nothing was imported.",
                            code="not_editable",
                        )
                    ]
                }
            )
        new_snap = _snapshot_doc(doc)
        old_snap = snapshots[sub.pk]
        to_state = SubmissionState.APPROVED if approve else sub.state
        content_changed = old_snap != new_snap
        if not content_changed and to_state == sub.state:
            unchanged += 1
            continue
        from_state = sub.state
        sub.currency = doc.currency
        sub.version += 1
        sub.updated_at = now
        if to_state != from_state:
            sub.state = to_state
            if to_state == SubmissionState.APPROVED:
                sub.approved_at = now
        to_update.append(sub)
        if content_changed:
            rewrite.append((sub, doc))
        events.append(
            (
                program_id,
                sub.pk,
                action,
                actor_id,
                label,
                via,
                from_state,
                to_state,
                sub.version,
                document_changes(old_snap, new_snap, sub),
            )
        )

    if to_update:
        Submission.objects.for_program(program).bulk_update(
            to_update,
            ["currency", "state", "version", "updated_at", "approved_at"],
            batch_size=1000,
        )
    if rewrite:
        ids = [s.pk for s, _ in rewrite]
        FundingLine.objects.for_program(program).filter(submission_id__in=ids).delete()
        CostLine.objects.for_program(program).filter(submission_id__in=ids).delete()
        KpiValue.objects.for_program(program).filter(submission_id__in=ids).delete()
    for sub, doc in rewrite:
        f, c, k = _line_rows(program_id, sub.pk, doc, ref)
        funding += f
        costs += c
        kpis += k
    _insert_rows(FundingLine, FUNDING_COLUMNS, funding)
    _insert_rows(CostLine, COST_COLUMNS, costs)
    _insert_rows(KpiValue, KPI_COLUMNS, kpis)
    _record_events(events)
    touched = {year for (_, year), _ in new_docs} | {s.year for s in to_update}
    return len(new_docs), len(to_update), unchanged, touched


# Above this many rows the import refreshes the planner's statistics before writing.
ANALYZE_ROWS = 50_000


def _refresh_planner_stats() -> None:
    """ANALYZE the submission tables before a large import writes.

    Without current statistics (fresh tables, or a bulk load autovacuum has not seen yet)
    both SQLite and PostgreSQL pick the ``program_id`` index for "lines of these
    submissions" and read every line of the programme for each batch: an import of N rows
    then costs O(N^2). With statistics they use the ``submission_id`` index.
    """
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        for model in (Submission, FundingLine, CostLine, KpiValue):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _skip_fk_triggers(access: Access, cluster_ids: set[int], ref: ReferenceData) -> bool:
    """On PostgreSQL, check this transaction's foreign keys once per referenced row instead
    of once per inserted row.

    Django's foreign keys are deferred constraint triggers: each inserted line queues
    three checks (programme, submission, source or KPI) that run at commit, about as long
    as the COPY itself. Every key the import writes is known here: the programme, the
    clusters of pass 1, the programme's reference data, the actor, and submissions this
    transaction created or holds FOR UPDATE. So the import takes the same FOR KEY SHARE
    locks the triggers would take, once per row referenced (a row that has gone since
    pass 1 is a validation error), and switches the triggers off for this transaction
    only (``SET LOCAL session_replication_role``, set back to ``origin`` once the lines
    are in). Without the privilege to do so (not a
    superuser, no ``GRANT SET ON PARAMETER``) the triggers stay on and nothing changes.
    """
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    q = connection.ops.quote_name
    checks: list[tuple[type, list[int], str]] = [
        (Program, [access.program.pk], "programme"),
        (Cluster, sorted(cluster_ids), "cluster"),
        (FundingSource, sorted(s.pk for s in ref.sources.values()), "funding source"),
        (KpiDefinition, sorted(k.pk for k in ref.kpis.values()), "KPI"),
    ]
    if access.user_id is not None:
        checks.append((get_user_model(), [access.user_id], "user"))
    with connection.cursor() as cursor:
        for model, ids, what in checks:
            if not ids:
                continue
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {q(model._meta.db_table)} "
                f"WHERE {q(model._meta.pk.column)} = ANY(%s) FOR KEY SHARE) AS locked",
                [ids],
            )
            if cursor.fetchone()[0] != len(ids):
                raise ValidationError(
                    {
                        "file": [
                            ValidationError(
                                f"A {what} this file refers to was removed during the import; nothing was imported.",
                                code="concurrent_change",
                            )
                        ]
                    }
                )
    return True


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
    ctx = _context(access, approve=approve)

    # Pass 1: validate every row, keep only per-cluster-year keys.
    errors = _RowErrors()
    groups: dict[tuple[int, int], _Group] = {}
    header_ok = False
    rows = _csv_rows(open_lines)
    try:
        header_ok = _check_header(next(rows, (1, None))[1], errors)
        if header_ok:
            done = 0
            last, parse_errors = _Prefix(), Problems()
            for number, cells in rows:
                _validate_row(number, cells, ctx, groups, errors, last, parse_errors)
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
    _check_line_counts(ctx, groups, errors)
    errors.raise_if_any()

    result.rows = sum(g.rows for g in groups.values())
    result.cluster_years = len(groups)
    result.years = sorted({year for _, year in groups})

    # Pass 2: assemble each cluster-year once its last row is in, write in batches. Every
    # value was validated by pass 1 (parse_money / parse_kpi_value, duplicates, line counts,
    # one currency), so pass 2 only converts: Decimal(text) is what those parsers return.
    if result.rows >= ANALYZE_ROWS:
        _refresh_planner_stats()
    with transaction.atomic():
        triggers_off = _skip_fk_triggers(access, {cluster_id for cluster_id, _ in groups}, ctx.ref)
        open_docs: dict[tuple[int, int], tuple[str, list, list, list]] = {}
        batch: list[tuple[int, int, Document]] = []
        batch_rows = 0
        years_touched: set[int] = set()

        def flush() -> None:
            nonlocal batch, batch_rows
            if batch:
                created, changed, unchanged, touched = documents_write(
                    access=access, documents=batch, approve=approve, ref=ctx.ref
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
        rows = _csv_rows(open_lines)
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
        if dry_run:
            transaction.set_rollback(True)
        elif years_touched:
            hooks.figure_inputs_changed(program_id=access.program.pk, years=sorted(years_touched))
    result.seconds = time.perf_counter() - started
    return result
