"""The submission workbook: GET .../template.xlsx and POST .../upload.xlsx."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from clusters.models import Submission
from tests.givens import add_submission, content, open_period, problem, stale

BASE = "/api/v1/programs/prog-a/clusters/a1/submissions/2021/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(response):
    return load_workbook(io.BytesIO(response.content))


def _upload(client, wb: Workbook | bytes, **headers):
    if isinstance(wb, Workbook):
        out = io.BytesIO()
        wb.save(out)
        wb = out.getvalue()
    file = SimpleUploadedFile("a1-2021.xlsx", wb, content_type=XLSX)
    return client.post(BASE + "upload.xlsx", {"file": file}, format="multipart", **headers)


def _row(ws, code: str) -> int:
    for (value,), number in zip(
        ws.iter_rows(min_col=1, max_col=1, values_only=True), range(1, ws.max_row + 1), strict=True
    ):
        if value == code:
            return number
    raise AssertionError(f"{code} not in {ws.title}")


@pytest.fixture
def draft(cast):
    open_period(cast.prog_a, 2021)
    add_submission(
        cast.a1,
        2021,
        state="draft",
        funding=[("membership_fees", "200000.00")],
        costs=[("staff", "650000.00")],
        kpis=[("members_total", "165")],
    )
    return cast


def test_template_lists_the_catalogue_prefilled_with_current_values(draft):
    response = draft.editor_a1.client().get(BASE + "template.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="a1-2021-submission.xlsx"'
    wb = _book(response)
    assert wb.sheetnames == ["Funding", "Costs", "KPIs", "Info"]
    funding = wb["Funding"]
    assert [c.value for c in funding[1]] == [
        "source code",
        "name",
        "category",
        "amount",
        "in_kind",
        "restricted",
        "note",
    ]
    assert funding.max_row == 1 + 30
    fees = _row(funding, "membership_fees")
    assert [c.value for c in funding[fees]] == [
        "membership_fees",
        "Membership fees",
        "private",
        "200000.00",
        False,
        False,
        None,
    ]
    assert funding[_row(funding, "eu_projects")][3].value is None
    costs = wb["Costs"]
    assert [[c.value for c in row] for row in costs.iter_rows(min_row=2)] == [
        ["setup", "Set-up (one-off)", None, None],
        ["staff", "Staff", "650000.00", None],
        ["operations", "Operations", None, None],
        ["projects", "Projects", None, None],
    ]
    kpis = wb["KPIs"]
    assert kpis.max_row == 1 + 18
    assert [c.value for c in kpis[_row(kpis, "members_total")]] == [
        "members_total",
        "Members (all helices)",
        "members",
        "output",
        "165.000000",
    ]
    info = {row[0]: row[1] for row in wb["Info"].iter_rows(values_only=True)}
    assert info == {
        "programme": "prog-a",
        "cluster": "a1",
        "cluster name": "Alpha One",
        "year": 2021,
        "currency": "EUR",
        "staff_fte": None,
        "notes": None,
        "state": "draft",
        "version": 1,
    }


def test_template_for_a_new_submission_is_empty_in_the_programme_currency(cast):
    response = cast.admin_a.client().get(
        "/api/v1/programs/prog-a/clusters/a2/submissions/2030/template.xlsx"
    )

    assert response.status_code == 200
    wb = _book(response)
    assert all(row[3] is None for row in wb["Funding"].iter_rows(min_row=2, values_only=True))
    info = {row[0]: row[1] for row in wb["Info"].iter_rows(values_only=True)}
    assert (info["currency"], info["state"], info["version"]) == ("EUR", "new", None)


def test_analyst_may_not_get_the_template(cast):
    response = cast.analyst_a.client().get(BASE + "template.xlsx")

    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "The submission workbook is for the cluster's editor and program_admin."
    )


def test_filled_template_uploads_like_a_put(draft):
    client = draft.editor_a1.client()
    wb = _book(client.get(BASE + "template.xlsx"))
    funding = wb["Funding"]
    funding.cell(_row(funding, "membership_fees"), 4).value = 210000.5  # typed as a number
    row = _row(funding, "eu_projects")
    funding.cell(row, 4).value = "300000"
    funding.cell(row, 6).value = True
    funding.cell(row, 7).value = "Horizon"
    wb["Costs"].cell(_row(wb["Costs"], "staff"), 3).value = None  # cleared: no staff line
    wb["KPIs"].cell(_row(wb["KPIs"], "events"), 5).value = 12
    wb["Info"]["B6"].value = "3"

    response = _upload(client, wb, HTTP_IF_MATCH='"1"')

    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    assert content(draft.prog_a)[("a1", 2021)] == {
        "currency": "EUR",
        "state": "draft",
        "funding": [
            ("eu_projects", Decimal("300000.00")),
            ("membership_fees", Decimal("210000.50")),
        ],
        "costs": [],
        "kpis": [("events", Decimal("12")), ("members_total", Decimal("165"))],
    }
    sub = Submission.objects.for_program(draft.prog_a).get(cluster=draft.a1, year=2021)
    assert sub.staff_fte == Decimal("3.00")
    line = sub.funding.get(source__code="eu_projects")
    assert (line.restricted, line.in_kind, line.note) == (True, False, "Horizon")
    assert sub.events.order_by("id").last().via == "xlsx"


def test_upload_creates_a_missing_submission(cast):
    open_period(cast.prog_a, 2021)
    wb = _book(cast.admin_a.client().get(BASE + "template.xlsx"))
    wb["Funding"].cell(_row(wb["Funding"], "training"), 4).value = "5.00"

    response = _upload(cast.admin_a.client(), wb)

    assert response.status_code == 201
    assert content(cast.prog_a)[("a1", 2021)]["funding"] == [("training", Decimal("5.00"))]


def test_bad_cells_are_reported_by_sheet_column_and_row(draft):
    client = draft.editor_a1.client()
    wb = _book(client.get(BASE + "template.xlsx"))
    funding = wb["Funding"]
    fees = _row(funding, "membership_fees")
    funding.cell(fees, 4).value = "lots"
    training = _row(funding, "training")
    funding.cell(training, 4).value = "1.005"
    funding.cell(training, 5).value = "maybe"
    kpis = wb["KPIs"]
    kpis.append(["happiness", None, None, None, "3"])
    wb["Info"]["B5"].value = "EURO"

    response = _upload(client, wb)

    # Every problem at once, each with the code and message a PUT gets (check_flag too).
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "Info!B5",
            "code": "invalid_currency",
            "message": "'EURO' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
        },
        {
            "field": f"Funding!D{fees}",
            "code": "invalid_number",
            "message": "'lots' is not a decimal number.",
        },
        {
            "field": f"Funding!D{training}",
            "code": "too_many_decimals",
            "message": "1.005 has more than 2 decimal places.",
        },
        {"field": f"Funding!E{training}", "code": "invalid", "message": "Expected true or false."},
        {
            "field": f"KPIs!A{kpis.max_row}",
            "code": "unknown_kpi",
            "message": "Unknown KPI 'happiness'; define it in /kpis/ first.",
        },
    ]
    assert content(draft.prog_a)[("a1", 2021)]["funding"] == [
        ("membership_fees", Decimal("200000.00"))
    ]


def test_a_file_that_is_not_a_workbook_is_a_400(draft):
    response = _upload(draft.admin_a.client(), b"cluster,year\n")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "file",
            "code": "invalid_file",
            "message": "The file is not an .xlsx workbook (BadZipFile).",
        }
    ]


def test_a_workbook_without_the_sheets_is_a_400(draft):
    response = _upload(draft.admin_a.client(), Workbook())

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "file",
            "code": "missing_sheet",
            "message": "The workbook has no sheet Funding, Costs, KPIs, Info; start from template.xlsx.",
        }
    ]


def test_upload_into_an_approved_submission_is_a_409(cast):
    open_period(cast.prog_a, 2021)
    add_submission(cast.a1, 2021, state="approved", funding=[("membership_fees", "1.00")])
    wb = _book(cast.admin_a.client().get(BASE + "template.xlsx"))

    response = _upload(cast.admin_a.client(), wb)

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"


def test_stale_if_match_is_a_412(draft):
    wb = _book(draft.admin_a.client().get(BASE + "template.xlsx"))

    response = _upload(draft.admin_a.client(), wb, HTTP_IF_MATCH='"7"')

    assert response.status_code == 412
    assert response.json() == stale(1, '"7"')


def test_analyst_may_not_upload(draft):
    response = _upload(draft.analyst_a.client(), Workbook())

    assert response.status_code == 403
    assert response.json() == problem(
        403,
        "The submission workbook is for the cluster's editor and program_admin.",
        "permission_denied",
    )


def test_missing_file_is_a_400(draft):
    response = draft.admin_a.client().post(BASE + "upload.xlsx", {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "file", "code": "required", "message": "No file was submitted."}
    ]
