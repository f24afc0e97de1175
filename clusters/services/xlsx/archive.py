"""Opening an uploaded workbook safely: every limit is checked before openpyxl parses it.

An ``.xlsx`` file is a zip of XML parts. Before openpyxl sees one:

1. the upload's size (``MAX_UPLOAD_BYTES``: a 413);
2. the zip's directory: number of parts, their total unpacked size and, for large parts,
   the packing ratio, all from the sizes the directory declares, so a zip bomb (a shared
   strings part that unpacks to 200 MiB) is refused without inflating a byte of it (a 413);
3. every part inflated as a stream in chunks (``zipfile`` stops at the declared size and
   checks the CRC, so a part that lies about its size is a 400, never more memory), each
   XML part fed to expat as it comes: malformed XML and any DTD (hence any entity) are a
   400 naming the part or sheet; worksheets are checked for more than ``MAX_SHEET_ROWS``
   rows and for cell values openpyxl would crash on (a numeric cell holding ``nan``,
   ``1e999`` or text, a bad boolean, date or shared-string index), each named by its cell
   (``Funding!D7``).

openpyxl then parses the checked file through defusedxml (installed, so openpyxl uses it)
as a second guard against entities.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from xml.parsers import expat

from django.core.exceptions import ValidationError

from ...errors import PayloadTooLarge
from ...validation import shown

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PARTS = 100  # a template has 13; Excel adds a few (calcChain, printer settings, thumbnails)
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # all parts together: a template unpacks to ~60 KiB
MAX_RATIO = 100  # unpacked / packed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_SHEET_ROWS = 1000  # a catalogue has tens of rows; more is not a submission workbook
CHUNK = 64 * 1024

_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")
_NOT_FINITE = {"nan", "inf", "infinity"}
_CELL_REF = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
# ASCII digits only, and few: str.isdigit() takes "²", which int() refuses, and int()
# refuses more than 4,300 digits.
_WHOLE = re.compile(r"[0-9]{1,9}")
MAX_NUMBER_TEXT = 64  # as the validation kit: longer is not a number anyone typed
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


class _Stop(Exception):
    """Raised inside an expat handler to stop reading a part."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class _Names:
    """What the package parts say about each other: sheet titles by part name."""

    workbook: str = "xl/workbook.xml"
    sheet_ids: dict[str, str] = field(default_factory=dict)  # relationship id -> title
    targets: dict[str, str] = field(default_factory=dict)  # relationship id -> part name
    shared_strings: int = 0

    def sheet(self, part: str) -> str | None:
        for rid, target in self.targets.items():
            if target == part and rid in self.sheet_ids:
                return self.sheet_ids[rid]
        return None

    def label(self, part: str) -> str:
        title = self.sheet(part)
        return f"Sheet {title} ({part})" if title else f"Part {part}"


@dataclass
class _Problems:
    """Bad cells by ``Sheet!A1``, and what is checked once every part has been read."""

    cells: dict[str, list[ValidationError]] = field(default_factory=dict)
    max_string: dict[str, tuple[int, str]] = field(default_factory=dict)  # part -> index, cell

    def cell(self, where: str, message: str, code: str) -> None:
        self.cells.setdefault(where, []).append(ValidationError(message, code=code))


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


class _PartReader:
    """One XML part through expat: refuses DTDs, and reads what the caller asks for."""

    def __init__(self, part: str, names: _Names, problems: _Problems) -> None:
        self.part, self.names, self.problems = part, names, problems
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.is_sheet = part.startswith("xl/worksheets/")
        self.title = names.sheet(part) or part
        self.rows = 0
        self.ref = ""
        self.kind = "n"
        self.value: list[str] | None = None

    def feed(self, data: bytes, final: bool = False) -> None:
        self.parser.Parse(data, final)

    def _doctype(self, *args: Any) -> None:
        raise _Stop("declares a DTD; workbooks with DTDs or entities are refused.", "dtd_forbidden")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if self.is_sheet:
            if tag == "row":
                self._row(attrs)
            elif tag == "c":
                self._cell(attrs)
            elif tag == "v":
                self.value = []
        elif tag == "si" and self.part.endswith("sharedStrings.xml"):
            self.names.shared_strings += 1
        elif tag == "sheet" and self.part == self.names.workbook:
            self.names.sheet_ids[attrs.get(f"{_REL_NS} id", "")] = attrs.get("name", "")
        elif tag == "Relationship":
            self._relationship(attrs)

    def _relationship(self, attrs: dict[str, str]) -> None:
        target = attrs.get("Target", "")
        if self.part == "_rels/.rels":
            if attrs.get("Type", "").endswith("/officeDocument"):
                self.names.workbook = target.lstrip("/")
        elif self.part == _rels_of(self.names.workbook):
            base = self.names.workbook.rpartition("/")[0]
            part = target.lstrip("/") if target.startswith("/") else f"{base}/{target}"
            self.names.targets[attrs.get("Id", "")] = part

    def _row(self, attrs: dict[str, str]) -> None:
        self.rows += 1
        number = attrs.get("r")
        if number is not None and not _WHOLE.fullmatch(number):
            raise _Stop(f"has a row numbered '{shown(number)}'.", "invalid_file")
        if self.rows > MAX_SHEET_ROWS or (number is not None and int(number) > MAX_SHEET_ROWS):
            raise _Stop(f"has more than {MAX_SHEET_ROWS} rows.", "too_many_rows")

    def _cell(self, attrs: dict[str, str]) -> None:
        self.ref = attrs.get("r", "")
        if self.ref and not _CELL_REF.fullmatch(self.ref):
            raise _Stop(f"has a cell named '{shown(self.ref)}'.", "invalid_file")
        style = attrs.get("s")
        if style is not None and not _WHOLE.fullmatch(style):
            raise _Stop(f"has a cell style '{shown(style)}'.", "invalid_file")
        self.kind = attrs.get("t", "n")

    def _text(self, data: str) -> None:
        if self.value is not None:
            self.value.append(data)

    def _end(self, name: str) -> None:
        if self.value is not None and _local(name) == "v":
            self._check_value("".join(self.value))
            self.value = None

    def _check_value(self, raw: str) -> None:
        """The cell values openpyxl's reader would raise on (or read as infinity)."""
        where = f"{self.title}!{self.ref}" if self.ref else self.title
        if not raw:
            return
        if self.kind == "n":
            if len(raw) > MAX_NUMBER_TEXT:
                self.problems.cell(
                    where, f"'{shown(raw)}' is not a decimal number.", "invalid_number"
                )
            elif raw.strip().lower().lstrip("+-") in _NOT_FINITE or (
                _NUMBER.fullmatch(raw) and not math.isfinite(float(raw))
            ):
                self.problems.cell(
                    where, f"'{shown(raw)}' is not a finite number.", "invalid_number"
                )
            elif not _NUMBER.fullmatch(raw):
                self.problems.cell(
                    where, f"'{shown(raw)}' is not a decimal number.", "invalid_number"
                )
        elif self.kind == "b" and raw.strip() not in ("0", "1"):
            self.problems.cell(where, f"'{shown(raw)}' is not TRUE or FALSE.", "invalid")
        elif self.kind == "d" and not _ISO_DATE.fullmatch(raw.strip()):
            self.problems.cell(where, f"'{shown(raw)}' is not a date.", "invalid_date")
        elif self.kind == "s":
            index = raw.strip()
            if not _WHOLE.fullmatch(index):
                self.problems.cell(
                    where, "The cell refers to no text of the workbook.", "invalid_file"
                )
            elif int(index) > self.problems.max_string.get(self.part, (-1, ""))[0]:
                self.problems.max_string[self.part] = (int(index), where)


def _rels_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _order(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The package's own map first (relationships, the workbook), so sheets are named."""
    first = ("_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
    return sorted(infos, key=lambda i: first.index(i.filename) if i.filename in first else 3)


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise _refuse(
            "file",
            f"The workbook has {len(infos)} parts; a submission workbook has at most {MAX_PARTS}.",
            "invalid_file",
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise PayloadTooLarge(
            f"The workbook unpacks to {unpacked} bytes; at most {MAX_UNPACKED_BYTES} are read."
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PayloadTooLarge(
                f"Part {info.filename} unpacks {info.file_size // max(info.compress_size, 1)} "
                f"times its packed size; at most {MAX_RATIO} times is read."
            )


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reader: _PartReader | None) -> int:
    """Inflate one part in chunks (never beyond its declared size); returns the bytes read."""
    read = 0
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > info.file_size:  # pragma: no cover - zipfile stops at the declared size
                raise PayloadTooLarge(f"Part {info.filename} unpacks beyond its declared size.")
            if reader is not None:
                reader.feed(chunk)
    if reader is not None:
        reader.feed(b"", final=True)
    return read


def check_archive(content: BinaryIO, size: int) -> None:
    """Refuse an upload that is too large, not a zip, or has parts openpyxl must not parse.

    Raises ``PayloadTooLarge`` (413) for sizes, ``ValidationError`` (400) naming the file,
    a part, a sheet or a cell otherwise. Leaves ``content`` at its start.
    """
    if size > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(
            f"The file has {size} bytes; a workbook may have at most {MAX_UPLOAD_BYTES}."
        )
    try:
        archive = zipfile.ZipFile(content)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(
            "file", f"The file is not an .xlsx workbook ({type(exc).__name__}).", "invalid_file"
        ) from exc
    names, problems = _Names(), _Problems()
    with archive:
        infos = archive.infolist()
        _check_directory(infos)
        for info in _order(infos):
            xml = info.filename.endswith((".xml", ".rels", ".vml"))
            reader = _PartReader(info.filename, names, problems) if xml else None
            try:
                _read_part(archive, info, reader)
            except _Stop as stop:
                field = (
                    f"{reader.title}!A{MAX_SHEET_ROWS + 1}"
                    if stop.code == "too_many_rows" and reader is not None
                    else "file"
                )
                raise _refuse(
                    field, f"{names.label(info.filename)} {stop.message}", stop.code
                ) from None
            except expat.ExpatError as exc:
                raise _refuse(
                    "file",
                    f"{names.label(info.filename)} is not well-formed XML "
                    f"({expat.errors.messages[exc.code]}, line {exc.lineno}).",
                    "invalid_xml",
                ) from None
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                raise _refuse(
                    "file",
                    f"Part {info.filename} of the workbook cannot be unpacked ({type(exc).__name__}).",
                    "invalid_file",
                ) from None
    for index, where in problems.max_string.values():
        if index >= names.shared_strings:
            problems.cell(where, "The cell refers to no text of the workbook.", "invalid_file")
    content.seek(0)
    if problems.cells:
        raise ValidationError(problems.cells)
