"""Nothing a client sends crashes the service: ``"1e1000000"`` wherever a number goes.

Every decimal is read by the validation kit's ``check_decimal``, which refuses an exponent
beyond the field's limit before any arithmetic: a 400 ``too_large`` naming the field, on
every interface.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.givens import body, csv_text, open_period, sub_url
from tests.graphql_client import gql

HUGE = "1e1000000"
ROADMAP = "/api/v1/programs/prog-a/clusters/a1/roadmaps/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def too_large(field: str, maximum: str) -> dict[str, str]:
    return {
        "field": field,
        "code": "too_large",
        "message": f"{HUGE} is larger than the maximum of {maximum}.",
    }


MONEY_MAX = "1000000000000.00"
KPI_MAX = "1000000000000000"


@pytest.fixture
def period(cast):
    open_period(cast.prog_a)
    return cast


# --- REST -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"funding": [{"source": "membership_fees", "amount": HUGE}]},
            too_large("funding.0.amount", MONEY_MAX),
        ),
        (
            {"costs": [{"category": "staff", "amount": HUGE}]},
            too_large("costs.0.amount", MONEY_MAX),
        ),
        ({"kpis": [{"code": "members_total", "value": HUGE}]}, too_large("kpis.0.value", KPI_MAX)),
        ({"staff_fte": HUGE}, too_large("staff_fte", "100000")),
    ],
    ids=["funding", "cost", "kpi", "fte"],
)
def test_rest_submission_number_1e1000000_is_too_large(period, changes, error):
    response = period.admin_a.client().put(sub_url(), body(**changes), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [error]


def test_rest_fx_rate_1e1000000_is_too_large(cast):
    response = cast.admin_a.client().put(
        "/api/v1/programs/prog-a/fx-rates/",
        {"year": 2021, "currency": "NOK", "rate": HUGE},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [too_large("0.rate", "10000000000000")]


def test_rest_scenario_factor_1e1000000_is_too_large(cast):
    response = cast.analyst_a.client().post(
        "/api/v1/programs/prog-a/portfolio/scenarios",
        {"year": 2021, "changes": [{"category": "public", "factor": HUGE}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [too_large("changes.0.factor", "1000")]


@pytest.mark.parametrize(
    ("baseline", "target", "field"),
    [(HUGE, "20", "baseline.value"), ("10", HUGE, "milestones.0.target")],
    ids=["baseline", "target"],
)
def test_rest_roadmap_value_1e1000000_is_too_large(cast, baseline, target, field):
    response = cast.admin_a.client().post(
        ROADMAP,
        {
            "kpi": "members_total",
            "baseline": {"year": 2021, "value": baseline},
            "milestones": [{"year": 2030, "target": target}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [too_large(field, KPI_MAX)]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("NaN", "invalid_number"),
        ("-Infinity", "invalid_number"),
        ("1e-1000000", "too_many_decimals"),
        ("9" * 65, "invalid_number"),
    ],
)
def test_rest_other_extreme_number_texts_are_400s(period, raw, code):
    response = period.admin_a.client().put(
        sub_url(), body(funding=[{"source": "membership_fees", "amount": raw}]), format="json"
    )

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("funding.0.amount", code)
    ]


def test_rest_zero_with_a_huge_exponent_is_stored_as_zero(period):
    response = period.admin_a.client().put(
        sub_url(),
        body(funding=[{"source": "membership_fees", "amount": "0e1000000"}], costs=[], kpis=[]),
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["funding"] == [
        {
            "source": "membership_fees",
            "category": "private",
            "amount": "0.00",
            "in_kind": False,
            "restricted": False,
            "note": "",
        }
    ]


# --- GraphQL --------------------------------------------------------------------------------

PUT = """mutation($d: SubmissionInput!) {
  putSubmission(program: "prog-a", cluster: "a1", year: 2021, input: $d) { version } }"""


def test_graphql_submission_amount_1e1000000_is_too_large(period):
    result = gql(
        period.admin_a,
        PUT,
        {"d": {"currency": "EUR", "funding": [{"source": "membership_fees", "amount": HUGE}]}},
    )

    assert result["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "status": 400,
        "errors": [too_large("funding.0.amount", MONEY_MAX)],
    }


def test_graphql_roadmap_target_1e1000000_is_too_large(cast):
    query = """mutation($d: RoadmapInput!) {
      putRoadmap(program: "prog-a", cluster: "a1", kpi: "members_total", data: $d) { kpi } }"""
    data = {
        "baseline": {"year": 2021, "value": "10"},
        "milestones": [{"year": 2030, "target": HUGE}],
    }

    result = gql(cast.admin_a, query, {"d": data})

    assert result["errors"][0]["extensions"]["errors"] == [
        too_large("milestones.0.target", KPI_MAX)
    ]


def test_graphql_scenario_factor_1e1000000_is_too_large(cast):
    query = """query($c: JSON!) { scenario(program: "prog-a", year: 2021, changes: $c) }"""

    result = gql(cast.analyst_a, query, {"c": [{"category": "public", "factor": HUGE}]})

    assert result["errors"][0]["extensions"]["errors"] == [too_large("changes.0.factor", "1000")]


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "maximum"),
    [
        (f"a1,2021,EUR,funding,membership_fees,{HUGE}", MONEY_MAX),
        (f"a1,2021,EUR,kpi,members_total,{HUGE}", KPI_MAX),
    ],
    ids=["amount", "kpi"],
)
def test_facts_csv_cell_1e1000000_is_too_large(period, row, maximum):
    file = SimpleUploadedFile("facts.csv", csv_text(row).encode(), content_type="text/csv")

    response = period.admin_a.client().post(
        "/api/v1/programs/prog-a/imports/facts", {"file": file}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [too_large("row 2: amount", maximum)]


def test_xlsx_cell_1e1000000_is_too_large(period):
    client = period.admin_a.client()
    wb = load_workbook(io.BytesIO(client.get(sub_url(suffix="template.xlsx")).content))
    wb["Funding"]["D2"].value = HUGE
    out = io.BytesIO()
    wb.save(out)
    file = SimpleUploadedFile("a1.xlsx", out.getvalue(), content_type=XLSX)

    response = client.post(sub_url(suffix="upload.xlsx"), {"file": file}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == [too_large("Funding!D2", MONEY_MAX)]
