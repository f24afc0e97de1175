"""The submission workbook to fill in offline, prefilled with the current values."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...access import Access
from ...models import Cluster, CostCategory, FundingSource, KpiDefinition, Submission
from ...validation import require_year
from .sheets import COSTS_HEADER, FUNDING_HEADER, INFO_LABELS, KPIS_HEADER, workbook_require_writer

BOLD = Font(bold=True)
INPUT = PatternFill("solid", fgColor="FFF7D6")  # the cells to fill in


def _append(ws: Worksheet, values: list[Any]) -> None:
    """A row whose text is text: openpyxl takes a string starting with "=" for a formula,
    and an editor's note ``=HYPERLINK(...)`` must reach whoever opens the file as the text
    it is, never as a live formula."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _header(ws: Worksheet, names: list[str], widths: list[int]) -> None:
    _append(ws, names)
    for i, cell in enumerate(ws[1], start=1):
        cell.font = BOLD
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1]
    ws.freeze_panes = "A2"


def _number(value: Decimal | None) -> Any:
    # Written as text: a spreadsheet number is binary floating point and would not be exact.
    return None if value is None else format(value, "f")


def template_build(*, access: Access, cluster: Cluster, year: int) -> bytes:
    """The workbook for ``cluster``'s ``year`` submission, prefilled when one exists."""
    workbook_require_writer(access=access, cluster=cluster)
    require_year(year)
    program = access.program
    submission = (
        Submission.objects.for_program(program)
        .filter(cluster=cluster, year=year)
        .prefetch_related("funding__source", "costs", "kpis__kpi")
        .first()
    )
    funding = {f.source.code: f for f in submission.funding.all()} if submission else {}
    costs = {c.category: c for c in submission.costs.all()} if submission else {}
    kpis = {k.kpi.code: k for k in submission.kpis.all()} if submission else {}

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = "Funding"
    _header(ws, FUNDING_HEADER, [30, 50, 10, 18, 9, 11, 40])
    for source in FundingSource.objects.for_program(program).order_by("category", "code"):
        line = funding.get(source.code)
        _append(
            ws,
            [
                source.code,
                source.name,
                source.category,
                _number(line.amount) if line else None,
                (line.in_kind if line else False),
                (line.restricted if line else False),
                line.note if line else None,
            ],
        )
    ws = wb.create_sheet("Costs")
    _header(ws, COSTS_HEADER, [14, 22, 18, 40])
    for value, label in CostCategory.choices:
        line = costs.get(value)
        _append(
            ws,
            [
                value,
                str(label),
                _number(line.amount) if line else None,
                line.note if line else None,
            ],
        )
    ws = wb.create_sheet("KPIs")
    _header(ws, KPIS_HEADER, [26, 46, 12, 10, 18])
    for kpi in KpiDefinition.objects.for_program(program).order_by("kind", "code"):
        line = kpis.get(kpi.code)
        _append(ws, [kpi.code, kpi.name, kpi.unit, kpi.kind, _number(line.value) if line else None])
    ws = wb.create_sheet("Info")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 50
    info = {
        "programme": program.slug,
        "cluster": cluster.slug,
        "cluster name": cluster.name,
        "year": year,
        "currency": submission.currency if submission else (program.currency or ""),
        "staff_fte": _number(submission.staff_fte) if submission else None,
        "notes": submission.notes if submission else None,
        "state": submission.state if submission else "new",
        "version": submission.version if submission else None,
    }
    for label in INFO_LABELS:
        _append(ws, [label, info[label]])
        ws.cell(row=ws.max_row, column=1).font = BOLD
    for sheet, column in (("Funding", "D"), ("Costs", "C"), ("KPIs", "E")):
        target = wb[sheet]
        for row in range(2, target.max_row + 1):
            target[f"{column}{row}"].fill = INPUT
            target[f"{column}{row}"].number_format = "@"
    for row in (5, 6, 7):  # currency, staff_fte, notes
        wb["Info"][f"B{row}"].fill = INPUT

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
