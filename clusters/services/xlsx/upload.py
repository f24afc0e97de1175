"""Reading a filled-in workbook back: ``upload.xlsx``.

The upload builds a submission document from the workbook and hands it to
``submission_put``: exactly the validation and write path of a REST PUT. Problems are
reported per cell, ``Funding!D7`` (sheet, column, row), with the validator's message.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ...access import Access
from ...models import Cluster, Submission
from ..documents import ReferenceData, parse_document
from ..submissions import submission_put
from .sheets import SHEETS, workbook_require_writer

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SHEET_ROWS = 1000  # a catalogue has tens of rows; more is not a submission workbook


class _CellErrors:
    def __init__(self) -> None:
        self.items: dict[str, list[ValidationError]] = {}

    def add(self, where: str, message: str, code: str) -> None:
        self.items.setdefault(where, []).append(ValidationError(message, code=code))


def _cell_text(value: Any) -> Any:
    """A cell as the document wants it: decimal text for numbers, None for empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date):
        return value  # rejected by the validator as "not a decimal number"
    text = str(value).strip()
    return text or None


def _flag(value: Any, where: str, errors: _CellErrors) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1", "x"):
        return True
    if text in ("false", "no", "n", "0"):
        return False
    errors.add(where, f"'{value}' is not yes/no (TRUE or FALSE).", "invalid")
    return False


def _rows(ws: Worksheet, errors: _CellErrors) -> list[tuple[int, tuple[Any, ...]]]:
    if ws.max_row and ws.max_row > MAX_SHEET_ROWS:
        errors.add(
            f"{ws.title}!A{MAX_SHEET_ROWS + 1}",
            f"At most {MAX_SHEET_ROWS} rows a sheet.",
            "too_many_rows",
        )
        return []
    return [
        (number, row)
        for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)
        if row and any(v not in (None, "") for v in row)
    ]


def workbook_document(
    *, content: BinaryIO, ref: ReferenceData
) -> tuple[dict[str, Any], dict[str, str]]:
    """Read an uploaded workbook into a submission body and a map body-field -> cell.

    Raises ``ValidationError`` for a file that is not a workbook of the template's shape.
    """
    try:
        wb = load_workbook(content, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            {
                "file": [
                    ValidationError(
                        f"The file is not an .xlsx workbook ({type(exc).__name__}).",
                        code="invalid_file",
                    )
                ]
            }
        ) from exc
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
    errors = _CellErrors()
    cells: dict[str, str] = {}
    data: dict[str, Any] = {"funding": [], "costs": [], "kpis": []}

    for number, row in _rows(wb["Funding"], errors):
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
                "in_kind": _flag(in_kind, f"Funding!E{number}", errors),
                "restricted": _flag(restricted, f"Funding!F{number}", errors),
                "note": "" if note is None else str(note),
            }
        )
    for number, row in _rows(wb["Costs"], errors):
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
                "note": "" if note is None else str(note),
            }
        )
    for number, row in _rows(wb["KPIs"], errors):
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
    for number, row in _rows(wb["Info"], errors):
        label = str(row[0]).strip() if row and row[0] is not None else ""
        info[label] = (number, row[1] if len(row) > 1 else None)
    for field in ("currency", "staff_fte", "notes"):
        line, value = info.get(field, (None, None))
        cells[field] = f"Info!B{line}" if line else "Info"
        value = _cell_text(value)
        if field == "currency":
            data["currency"] = value.upper() if isinstance(value, str) else value
        elif value is not None:
            data[field] = value if field == "staff_fte" else str(value)
    cells.update({"funding": "Funding", "costs": "Costs", "kpis": "KPIs"})
    wb.close()
    if errors.items:
        raise ValidationError(errors.items)
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
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": [
                    ValidationError(
                        f"The file has {size} bytes; a workbook may have at most {MAX_UPLOAD_BYTES}.",
                        code="too_large",
                    )
                ]
            }
        )
    ref = ReferenceData.load(access.program)
    data, cells = workbook_document(content=content, ref=ref)
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
