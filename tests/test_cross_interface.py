"""The same bad input gets the same status, code and message over every interface: a REST
PUT, GraphQL's putSubmission, the facts CSV import and the XLSX upload.

Only the field's name follows the interface (``funding.0.amount``, ``row 2: amount``,
``Funding!D14``); the rule, its code and its message come from the validation kit.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.givens import open_period, sub_url
from tests.graphql_client import gql

HEADER = "cluster,year,currency,line,code,amount,in_kind,restricted,note\n"
PUT = """mutation($y: Int!, $d: SubmissionInput!) {
  putSubmission(program: "prog-a", cluster: "a1", year: $y, input: $d) { version } }"""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def period(cast):
    open_period(cast.prog_a, 2021)
    return cast


def _answer(status: int, errors: list[dict]) -> list[tuple[int, str, str]]:
    return [(status, e["code"], e["message"]) for e in errors]


def rest(member, body: dict, year: int = 2021):
    response = member.client().put(sub_url(year=year), body, format="json")
    return _answer(response.status_code, response.json()["errors"])


def graphql(member, body: dict, year: int = 2021):
    result = gql(member, PUT, {"y": year, "d": body})
    (error,) = result["errors"]
    return _answer(error["extensions"]["status"], error["extensions"]["errors"])


def csv_import(member, *rows: str):
    file = SimpleUploadedFile(
        "facts.csv", (HEADER + "".join(rows)).encode(), content_type="text/csv"
    )
    response = member.client().post(
        "/api/v1/programs/prog-a/imports/facts", {"file": file}, format="multipart"
    )
    return _answer(response.status_code, response.json()["errors"])


def xlsx_upload(member, change=None, year: int = 2021, raw: bytes | None = None):
    client = member.client()
    if raw is None:
        wb = load_workbook(io.BytesIO(client.get(sub_url(suffix="template.xlsx")).content))
        if change is not None:
            change(wb)
        out = io.BytesIO()
        wb.save(out)
        raw = out.getvalue()
    file = SimpleUploadedFile("a1.xlsx", raw, content_type=XLSX)
    response = client.post(
        sub_url(year=year, suffix="upload.xlsx"), {"file": file}, format="multipart"
    )
    return _answer(response.status_code, response.json()["errors"])


def _fees_row(wb) -> int:
    ws = wb["Funding"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "membership_fees")


def test_year_1850(period):
    expected = [(400, "out_of_range", "1850 is not a year between 1900 and 2200.")]
    body = {"currency": "EUR"}

    assert rest(period.admin_a, body, year=1850) == expected
    assert graphql(period.admin_a, body, year=1850) == expected
    assert csv_import(period.admin_a, "a1,1850,EUR,funding,training,1.00,,,\n") == expected
    assert xlsx_upload(period.admin_a, year=1850) == expected


def test_amount_1e1000000(period):
    expected = [
        (400, "too_large", "1e1000000 is larger than the maximum of 1000000000000.00."),
    ]
    body = {"currency": "EUR", "funding": [{"source": "membership_fees", "amount": "1e1000000"}]}

    def change(wb):
        wb["Funding"][f"D{_fees_row(wb)}"].value = "1e1000000"

    assert rest(period.admin_a, body) == expected
    assert graphql(period.admin_a, body) == expected
    assert csv_import(period.admin_a, "a1,2021,EUR,funding,membership_fees,1e1000000,,,\n") == (
        expected
    )
    assert xlsx_upload(period.admin_a, change) == expected


def test_a_nul_in_a_note(period):
    expected = [
        (400, "invalid_characters", "Control characters (such as NUL) are not allowed in text."),
    ]
    body = {
        "currency": "EUR",
        "funding": [{"source": "membership_fees", "amount": "1.00", "note": "a\x00b"}],
    }

    assert rest(period.admin_a, body) == expected
    assert graphql(period.admin_a, body) == expected
    assert csv_import(period.admin_a, "a1,2021,EUR,funding,membership_fees,1.00,,,a\x00b\n") == (
        expected
    )


def test_a_nul_cannot_be_in_a_workbook_at_all(period):
    # XML 1.0 has no NUL, so openpyxl cannot write one: the nearest a client can send is a
    # character reference to it, which is malformed XML.
    template = period.admin_a.client().get(sub_url(suffix="template.xlsx")).content
    source = zipfile.ZipFile(io.BytesIO(template))
    sheet = source.read("xl/worksheets/sheet1.xml").replace(
        b"<t>source code</t>", b"<t>a&#0;b</t>", 1
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data)

    assert xlsx_upload(period.admin_a, raw=out.getvalue()) == [
        (
            400,
            "invalid_xml",
            "Sheet Funding (xl/worksheets/sheet1.xml) is not well-formed XML "
            "(reference to invalid character number, line 1).",
        )
    ]


def test_an_unknown_funding_source(period):
    expected = [
        (400, "unknown_source", "Unknown funding source 'space_money'; see /funding-sources/.")
    ]
    body = {"currency": "EUR", "funding": [{"source": "space_money", "amount": "1.00"}]}

    def change(wb):
        wb["Funding"].append(["space_money", None, None, "1.00"])

    assert rest(period.admin_a, body) == expected
    assert graphql(period.admin_a, body) == expected
    assert csv_import(period.admin_a, "a1,2021,EUR,funding,space_money,1.00,,,\n") == expected
    assert xlsx_upload(period.admin_a, change) == expected


def test_currency_euro(period):
    expected = [
        (
            400,
            "invalid_currency",
            "'EURO' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
        )
    ]

    def change(wb):
        wb["Info"]["B5"].value = "EURO"

    assert rest(period.admin_a, {"currency": "EURO"}) == expected
    assert graphql(period.admin_a, {"currency": "EURO"}) == expected
    assert csv_import(period.admin_a, "a1,2021,EURO,funding,training,1.00,,,\n") == expected
    assert xlsx_upload(period.admin_a, change) == expected


def test_a_flag_that_is_not_true_or_false(period):
    # GraphQL's schema types the flag as Boolean: "maybe" never reaches the service there.
    expected = [(400, "invalid", "Expected true or false.")]
    body = {
        "currency": "EUR",
        "funding": [{"source": "membership_fees", "amount": "1.00", "in_kind": "maybe"}],
    }

    def change(wb):
        row = _fees_row(wb)
        wb["Funding"][f"D{row}"].value = "1.00"
        wb["Funding"][f"E{row}"].value = "maybe"

    assert rest(period.admin_a, body) == expected
    assert csv_import(period.admin_a, "a1,2021,EUR,funding,membership_fees,1.00,maybe,,\n") == (
        expected
    )
    assert xlsx_upload(period.admin_a, change) == expected
