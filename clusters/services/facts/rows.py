"""Pass 1 of the facts import: reading the CSV and validating every row.

``cluster,year,currency,line,code,amount``, optionally followed by
``in_kind,restricted,note`` (the export writes them). Every rule comes from the validation
kit (``check_money``, ``check_kpi_value``, ``check_year``, ``check_currency``,
``check_flag``, ``check_text``...) and the programme's ``ReferenceData``, so a row is
refused with the code and message a PUT gives. Flags belong to funding lines only, notes
to funding and cost lines: a value in another line's cell is a row error.

Pass 1 keeps, per cluster-year, only its currency, a bitmask of the (line, code) pairs
seen (duplicates) and its row count: memory grows with the number of cluster-years, never
with the number of rows. Every bad row is collected (row number, column, message).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from ...access import Access
from ...models import (
    Cluster,
    CostCategory,
    PeriodState,
    ReportingPeriod,
    Submission,
    SubmissionState,
)
from ...selectors.facts import DETAIL_COLUMNS, EXPORT_HEADER, FACTS_HEADER
from ...validation import (
    MAX_LINES,
    MAX_NOTE,
    Problems,
    check_currency,
    check_flag,
    check_kpi_value,
    check_money,
    check_text,
    check_year,
    shown,
)
from ..documents import ReferenceData

CONTRACT_COLUMNS = len(FACTS_HEADER)
ALL_COLUMNS = len(EXPORT_HEADER)
HEADERS = {FACTS_HEADER: CONTRACT_COLUMNS, EXPORT_HEADER: ALL_COLUMNS}
HEADER_TEXT = f"{','.join(FACTS_HEADER)}, optionally followed by {','.join(DETAIL_COLUMNS)}"
LINES = ("funding", "cost", "kpi")
PLAIN_FLAGS = frozenset(("", "true", "false"))  # the export's spelling: no kit call needed
EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)
# Beyond this many bad rows the report stops listing them (and says how many it left out):
# a wrong file of 600,000 rows should not answer with a 100 MB error document.
MAX_REPORTED_ERRORS = 10_000

OpenLines = Callable[[], Iterable[str]]


class RowErrors:
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
                self.add(row, column, str(error.message), error.code or "invalid")
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
class Group:
    """What pass 1 keeps of one cluster-year: no rows, only keys."""

    currency: str
    first_row: int
    mask: int = 0
    rows: int = 0


@dataclass
class ImportContext:
    access: Access
    ref: ReferenceData
    clusters: dict[str, int]  # slug -> id, the clusters this caller may import into
    period_years: set[int]
    closed_years: set[int]  # periods a cluster_editor may not write to now
    states: dict[tuple[int, int], str]  # existing submissions (cluster_id, year) -> state
    code_bits: dict[tuple[str, str], int]  # (line, code) -> bit of the duplicates mask
    approve: bool


def csv_rows(open_lines: OpenLines) -> Generator[tuple[int, list[str]], None, None]:
    """(row number, cells), row 1 being the header; the source is closed afterwards."""
    source = open_lines()
    try:
        yield from enumerate(csv.reader(source), start=1)
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


def import_context(access: Access, *, approve: bool) -> ImportContext:
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
    return ImportContext(
        access=access,
        ref=ref,
        clusters=clusters,
        period_years=period_years,
        closed_years=closed_years,
        states=states,
        code_bits={key: 1 << i for i, key in enumerate(codes)},
        approve=approve,
    )


def check_header(cells: list[str] | None, errors: RowErrors) -> int:
    """The number of columns the header announces (6 or 9); 0 after an error."""
    if cells is None:
        errors.add(
            1, "header", f"The file is empty; the first line must be {HEADER_TEXT}.", "empty_file"
        )
        return 0
    header = tuple(c.strip().lstrip("\ufeff") for c in cells)
    if header not in HEADERS:
        errors.add(
            1,
            "header",
            f"The header is '{shown(','.join(cells), limit=120)}'; it must be {HEADER_TEXT}.",
            "invalid_header",
        )
        return 0
    return HEADERS[header]


@dataclass
class Prefix:
    """The last row's (cluster, year, currency) cells and what they validated to: rows of
    one cluster-year sit next to each other, so most rows repeat the previous row's."""

    cells: tuple[str, str, str] = ("", "", "")
    cluster_id: int = 0
    year: int = 0


def validate_prefix(
    number: int, slug: str, year_raw: str, currency: str, ctx: ImportContext, errors: RowErrors
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


def validate_row(
    number: int,
    cells: list[str],
    width: int,
    ctx: ImportContext,
    groups: dict[tuple[int, int], Group],
    errors: RowErrors,
    last: Prefix | None = None,
    parse_errors: Problems | None = None,
) -> None:
    if len(cells) != width:
        if not any(c.strip() for c in cells):
            return  # a blank line
        errors.add(
            number,
            "row",
            f"The row has {len(cells)} columns; it must have {width}.",
            "column_count",
        )
        return
    head = cells if width == CONTRACT_COLUMNS else cells[:CONTRACT_COLUMNS]
    slug, year_raw, currency, line, code, amount_raw = [c.strip() for c in head]

    cluster_id: int | None
    year: int | None
    if last is not None and last.cells == (slug, year_raw, currency):
        cluster_id, year, currency_ok = last.cluster_id, last.year, True
    else:
        cluster_id, year, currency_ok = validate_prefix(
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
        if width == ALL_COLUMNS:
            validate_details(number, line, cells, errors, parse_errors)

    if cluster_id is None or year is None:
        return
    key = (cluster_id, year)
    group = groups.get(key)
    if group is None:
        group = groups[key] = Group(currency=currency, first_row=number)
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


def validate_details(
    number: int, line: str, cells: list[str], errors: RowErrors, problems: Problems
) -> None:
    """``in_kind``, ``restricted`` (funding lines) and ``note`` (funding and cost lines)."""
    for column, raw in (("in_kind", cells[6]), ("restricted", cells[7])):
        flag = raw.strip()
        if line != "funding":
            if flag:
                errors.add(
                    number,
                    column,
                    f"Only funding lines carry {column}; leave it empty on a {line} line.",
                    "not_allowed",
                )
        elif flag.lower() not in PLAIN_FLAGS:
            check_flag(flag, field=column, problems=problems)
            errors.take(number, column, problems)
    note = cells[8]
    if note:
        if line == "kpi":
            errors.add(number, "note", "A KPI value has no note; leave it empty.", "not_allowed")
        else:
            check_text(note, field="note", problems=problems, limit=MAX_NOTE)
            errors.take(number, "note", problems)


def check_line_counts(
    ctx: ImportContext, groups: dict[tuple[int, int], Group], errors: RowErrors
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
