"""A programme's reference data: the seeded catalogue, KPIs, periods and fx rates."""

from __future__ import annotations

from decimal import Decimal

from clusters.catalogue import FUNDING_SOURCES
from clusters.models import FxRate, ReportingPeriod

A = "/api/v1/programs/prog-a"


def test_every_programme_gets_the_domain_catalogue(cast):
    rows = cast.editor_a1.client().get(f"{A}/funding-sources/?page_size=100").json()["results"]

    assert len(rows) == 30
    by_code = {r["code"]: r["category"] for r in rows}
    assert by_code == {code: cat for code, _, cat in FUNDING_SOURCES}
    assert sum(1 for c in by_code.values() if c == "public") == 8
    assert sum(1 for c in by_code.values() if c == "project") == 4


def test_a_programme_adds_a_source_of_its_own(cast):
    response = cast.admin_a.client().post(
        f"{A}/funding-sources/",
        {"code": "crowdfunding", "name": "Crowdfunding", "category": "private"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json() == {
        "code": "crowdfunding",
        "name": "Crowdfunding",
        "category": "private",
        "description": "",
        "is_standard": False,
    }
    other = (
        cast.admin_b.client().get("/api/v1/programs/prog-b/funding-sources/?search=crowd").json()
    )
    assert other["count"] == 0


def test_a_source_code_is_unique_in_the_programme(cast):
    response = cast.admin_a.client().post(
        f"{A}/funding-sources/",
        {"code": "membership_fees", "name": "Dup", "category": "private"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "code",
            "code": "unique",
            "message": "A funding source 'membership_fees' exists in this programme.",
        }
    ]


def test_default_kpis_cover_the_domain(cast):
    rows = cast.analyst_a.client().get(f"{A}/kpis/?page_size=100").json()["results"]
    codes = {r["code"] for r in rows}

    assert {
        "members_industry",
        "members_academia",
        "members_government",
        "members_entrepreneurs",
        "members_capital",
        "jobs_created",
        "startups_created",
        "member_revenue",
        "exports",
        "rd_projects",
        "public_funds_mobilised",
        "capital_raised",
        "events",
        "participants",
        "staff_fte",
    } <= codes
    assert {r["kind"] for r in rows} == {"activity", "output", "outcome", "impact"}


def test_a_kpi_with_an_unknown_kind_is_refused(cast):
    response = cast.admin_a.client().post(
        f"{A}/kpis/", {"code": "x", "name": "X", "unit": "n", "kind": "vanity"}, format="json"
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]


def test_periods_are_created_and_closed(cast):
    client = cast.admin_a.client()
    created = client.post(
        f"{A}/periods/",
        {"year": 2024, "opens_on": "2025-01-01", "closes_on": "2025-03-31"},
        format="json",
    )
    closed = client.patch(f"{A}/periods/2024/", {"state": "closed"}, format="json")

    assert created.status_code == 201
    assert closed.json() == {
        "year": 2024,
        "opens_on": "2025-01-01",
        "closes_on": "2025-03-31",
        "state": "closed",
    }
    assert ReportingPeriod.objects.for_program(cast.prog_a).get(year=2024).state == "closed"


def test_a_period_that_closes_before_it_opens_is_refused(cast):
    response = cast.admin_a.client().post(
        f"{A}/periods/",
        {"year": 2024, "opens_on": "2025-03-01", "closes_on": "2025-01-31"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "closes_on"


def test_a_second_period_for_a_year_is_refused(cast):
    client = cast.admin_a.client()
    body = {"year": 2024, "opens_on": "2025-01-01", "closes_on": "2025-03-31"}
    client.post(f"{A}/periods/", body, format="json")

    response = client.post(f"{A}/periods/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "year",
        "code": "unique",
        "message": "A reporting period for 2024 exists.",
    }


def test_fx_rates_are_set_exactly_and_replaced(cast):
    client = cast.admin_a.client()
    client.put(
        f"{A}/fx-rates/", [{"year": 2021, "currency": "MXN", "rate": "0.0416"}], format="json"
    )

    response = client.put(
        f"{A}/fx-rates/", {"year": 2021, "currency": "MXN", "rate": "0.0417123456"}, format="json"
    )

    assert response.status_code == 200
    assert FxRate.objects.for_program(cast.prog_a).get(year=2021, currency="MXN").rate == Decimal(
        "0.0417123456"
    )
    assert FxRate.objects.for_program(cast.prog_a).count() == 1


def test_bad_fx_rates_change_nothing(cast):
    response = cast.admin_a.client().put(
        f"{A}/fx-rates/",
        [
            {"year": 2021, "currency": "MXN", "rate": "0.04"},
            {"year": 2021, "currency": "ZZZ", "rate": "1"},
            {"year": 2021, "currency": "MXN", "rate": "0.05"},
        ],
        format="json",
    )

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("1.currency", "invalid_currency"),
        ("2.currency", "duplicate"),
    ]
    assert FxRate.objects.for_program(cast.prog_a).count() == 0


def test_the_same_rate_twice_is_refused(cast):
    response = cast.admin_a.client().put(
        f"{A}/fx-rates/",
        [
            {"year": 2021, "currency": "MXN", "rate": "0.04"},
            {"year": 2021, "currency": "MXN", "rate": "0.05"},
        ],
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "1.currency",
            "code": "duplicate",
            "message": "The rate for MXN in 2021 is given twice.",
        }
    ]
    assert FxRate.objects.for_program(cast.prog_a).count() == 0


def test_a_negative_rate_is_refused(cast):
    response = cast.admin_a.client().put(
        f"{A}/fx-rates/", [{"year": 2021, "currency": "MXN", "rate": "-1"}], format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "0.rate"


def test_programme_patch_validates_the_currency(cast):
    response = cast.admin_a.client().patch(f"{A}/", {"currency": "EURO"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "currency"
