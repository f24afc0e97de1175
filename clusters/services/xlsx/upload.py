"""Reading a filled-in workbook back: ``upload.xlsx``.

``archive.check_archive`` first refuses what must not be parsed; openpyxl then reads
the checked file. The upload builds a submission document from the workbook and hands
it to ``submission_put``: exactly the validation and write path of a REST PUT. Problems
are reported per cell, ``Funding!D7`` (sheet, column, row), with the validator's code and
message.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ...access import Access
from ...models import Cluster, Submission
from ..documents import ReferenceData, parse_document
from ..submissions import submission_put
from .archive import MAX_SHEET_ROWS, check_archive
from .sheets import SHEETS, workbook_require_writer

# The columns each sheet's reading needs (the template's, sheets.py): wider rows are cut.
COLUMNS = {"Funding": 7, "Costs": 4, "KPIs": 5, "Info": 2}
# What openpyxl may still raise on a file check_archive let through (a styles part with
# values of the wrong type, a missing part the package refers to): the file is the
# client's, so these are a 400 naming the file, never a 500.
UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    OSError,
    EOFError,
    ValueError,  # defusedxml's refusals included
    TypeError,
    AttributeError,
    SyntaxError,  # xml.etree's ParseError
    OverflowError,
)


def _unreadable(exc: Exception, where: str = "file") -> ValidationError:
    return ValidationError(
        {
            where: [
                ValidationError(
                    f"The workbook cannot be read ({type(exc).__name__}).", code="invalid_file"
                )
            ]
        }
    )


def _cell_text(value: Any) -> Any:
    """A cell as the document wants it: decimal text for numbers, None for empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # check_archive refused non-finite numbers; repr is the shortest exact text.
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return value  # rejected by the validator as "not a decimal number"
    text = str(value).strip()
    return text or None


def _note(value: Any) -> Any:
    return "" if value is None else value if isinstance(value, str) else _cell_text(value)


def _rows(wb: Workbook, title: str) -> list[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows of a sheet below its header, cut to the columns read."""
    try:
        return [
            (number, row)
            for number, row in enumerate(
                wb[title].iter_rows(
                    min_row=2,
                    max_row=MAX_SHEET_ROWS,
                    max_col=COLUMNS[title],
                    values_only=True,
                ),
                start=2,
            )
            if row and any(v not in (None, "") for v in row)
        ]
    except UNREADABLE as exc:
        raise _unreadable(exc, title) from exc


def workbook_document(*, content: BinaryIO) -> tuple[dict[str, Any], dict[str, str]]:
    """Read an uploaded workbook (``check_archive`` passed) into a submission body and a map
    body-field -> cell.

    Raises ``ValidationError`` for a file that is not a workbook of the template's shape.
    """
    try:
        wb = load_workbook(content, read_only=True, data_only=True)
    except UNREADABLE as exc:
        raise _unreadable(exc) from exc
    try:
        return _document(wb)
    finally:
        wb.close()


def _document(wb: Workbook) -> tuple[dict[str, Any], dict[str, str]]:
    missing = [s for s in SHEETS if s not in wb.sheetnames]
    if missing:
        raise ValidationError(
            {
                "file": [
                    ValidationError(
                        f"The workbook has no sheet {', '.join(missing)}; start from template.xlsx.",
                        code="missing_sheet",
                    )
                ]
            }
        )
    cells: dict[str, str] = {}
    data: dict[str, Any] = {"funding": [], "costs": [], "kpis": []}

    for number, row in _rows(wb, "Funding"):
        code, _, _, amount, in_kind, restricted, note = (list(row) + [None] * 7)[:7]
        amount = _cell_text(amount)
        if amount is None:
            continue  # an empty amount: no line for this source
        i = len(data["funding"])
        cells.update(
            {
                f"funding.{i}.source": f"Funding!A{number}",
                f"funding.{i}.amount": f"Funding!D{number}",
                f"funding.{i}.in_kind": f"Funding!E{number}",
                f"funding.{i}.restricted": f"Funding!F{number}",
                f"funding.{i}.note": f"Funding!G{number}",
                f"funding.{i}": f"Funding!A{number}",
            }
        )
        data["funding"].append(
            {
                "source": _cell_text(code),
                "amount": amount,
                # Flags and notes go to the document as they are: parse_document's
                # check_flag and check_text judge them as they judge a PUT's.
                "in_kind": _cell_text(in_kind),
                "restricted": _cell_text(restricted),
                "note": _note(note),
            }
        )
    for number, row in _rows(wb, "Costs"):
        category, _, amount, note = (list(row) + [None] * 4)[:4]
        amount = _cell_text(amount)
        if amount is None:
            continue
        i = len(data["costs"])
        cells.update(
            {
                f"costs.{i}.category": f"Costs!A{number}",
                f"costs.{i}.amount": f"Costs!C{number}",
                f"costs.{i}.note": f"Costs!D{number}",
                f"costs.{i}": f"Costs!A{number}",
            }
        )
        data["costs"].append(
            {
                "category": _cell_text(category),
                "amount": amount,
                "note": _note(note),
            }
        )
    for number, row in _rows(wb, "KPIs"):
        code, _, _, _, value = (list(row) + [None] * 5)[:5]
        value = _cell_text(value)
        if value is None:
            continue
        i = len(data["kpis"])
        cells.update(
            {
                f"kpis.{i}.code": f"KPIs!A{number}",
                f"kpis.{i}.value": f"KPIs!E{number}",
                f"kpis.{i}": f"KPIs!A{number}",
            }
        )
        data["kpis"].append({"code": _cell_text(code), "value": value})

    info: dict[str, tuple[int | None, Any]] = {}
    for number, row in _rows(wb, "Info"):
        label = str(row[0]).strip() if row and row[0] is not None else ""
        info[label] = (number, row[1] if len(row) > 1 else None)
    for field in ("currency", "staff_fte", "notes"):
        line, value = info.get(field, (None, None))
        cells[field] = f"Info!B{line}" if line else "Info"
        value = _cell_text(value)
        if field == "currency":
            data["currency"] = value.upper() if isinstance(value, str) else value
        elif value is not None:
            data[field] = value if field == "staff_fte" else _note(value)
    cells.update({"funding": "Funding", "costs": "Costs", "kpis": "KPIs"})
    return data, cells


def cell_errors(exc: ValidationError, cells: dict[str, str]) -> ValidationError:
    """The validator's body fields (``funding.2.amount``) as cells (``Funding!D7``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {cells.get(field, field): errs for field, errs in exc.error_dict.items()}
    )


def workbook_validate(
    *, access: Access, cluster: Cluster, content: BinaryIO, size: int
) -> dict[str, Any]:
    """Check the upload and return the submission body it holds (errors name cells)."""
    workbook_require_writer(access=access, cluster=cluster)
    check_archive(content, size)
    data, cells = workbook_document(content=content)
    ref = ReferenceData.load(access.program)
    try:
        parse_document(data, ref=ref)  # the PUT validator, run here to name cells in errors
    except ValidationError as exc:
        raise cell_errors(exc, cells) from exc
    return data


def workbook_upload(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    content: BinaryIO,
    size: int,
    if_match: str | None = None,
) -> tuple[Submission, bool]:
    """Write the workbook's document through ``submission_put`` (the REST PUT's path)."""
    data = workbook_validate(access=access, cluster=cluster, content=content, size=size)
    return submission_put(
        access=access.with_via("xlsx"), cluster=cluster, year=year, data=data, if_match=if_match
    )
