"""Annual submissions over REST: content, validation, periods, ETag / If-Match, PATCH."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clusters.models import FundingLine, Submission, SubmissionEvent
from tests.givens import (
    NOT_FOUND,
    YEAR,
    add_submission,
    body,
    open_period,
    problem,
    stale,
    sub_url,
)

pytestmark = pytest.mark.django_db

EXPECTED_FUNDING = [
    {
        "source": "national_cluster_programme",
        "category": "public",
        "amount": "400000.00",
        "in_kind": False,
        "restricted": False,
        "note": "",
    },
    {
        "source": "local_government",
        "category": "public",
        "amount": "50000.00",
        "in_kind": False,
        "restricted": False,
        "note": "",
    },
    {
        "source": "membership_fees",
        "category": "private",
        "amount": "200000.00",
        "in_kind": False,
        "restricted": False,
        "note": "",
    },
    {
        "source": "member_activities",
        "category": "private",
        "amount": "50000.00",
        "in_kind": False,
        "restricted": False,
        "note": "",
    },
    {
        "source": "eu_projects",
        "category": "project",
        "amount": "300000.00",
        "in_kind": False,
        "restricted": True,
        "note": "Horizon",
    },
]


def snapshot(program) -> list[tuple]:
    """Everything a failed write must leave untouched."""
    subs = list(
        Submission.objects.for_program(program).values_list(
            "cluster_id", "year", "state", "version", "currency", "notes", "staff_fte"
        )
    )
    lines = list(FundingLine.objects.for_program(program).values_list("source__code", "amount"))
    events = SubmissionEvent.objects.for_program(program).count()
    return [subs, lines, events]


@pytest.fixture
def period(cast):
    return open_period(cast.prog_a)


@pytest.fixture
def created(cast, period):
    response = cast.admin_a.client().put(sub_url(), body(), format="json")
    assert response.status_code == 201
    return response


# --- create, read, replace -------------------------------------------------------------


def test_put_creates_the_submission_with_the_figures_exactly_as_sent(cast, period):
    response = cast.editor_a1.client().put(sub_url(), body(), format="json")

    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    data = response.json()
    assert data["cluster"] == "a1"
    assert data["year"] == YEAR
    assert data["state"] == "draft"
    assert data["version"] == 1
    assert data["currency"] == "EUR"
    assert data["funding"] == EXPECTED_FUNDING
    assert data["costs"] == [
        {"category": "staff", "amount": "650000.00", "note": ""},
        {"category": "operations", "amount": "100000.00", "note": ""},
        {"category": "projects", "amount": "250000.00", "note": ""},
    ]
    assert data["kpis"] == [
        {"code": "members_total", "value": "165"},
        {"code": "members_capital", "value": "9"},
    ]
    assert data["staff_fte"] == "3.00"
    assert data["notes"] == "10th year"
    assert data["return_comment"] == ""
    assert data["submitted_at"] is None and data["approved_at"] is None
    stored = Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=YEAR)
    assert [(f.source.code, str(f.amount)) for f in stored.funding.all()][0] == (
        "national_cluster_programme",
        "400000.00",
    )


def test_get_returns_the_submission_with_its_etag(cast, created):
    response = cast.analyst_a.client().get(sub_url())

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json() == created.json()


def test_get_of_a_missing_submission_is_404(cast, period):
    response = cast.admin_a.client().get(sub_url(year=2020))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_putting_back_what_was_got_changes_nothing(cast, created):
    response = cast.admin_a.client().put(sub_url(), created.json(), format="json")

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert SubmissionEvent.objects.for_program(cast.prog_a).count() == 1


def test_put_replaces_the_whole_document_and_bumps_the_version(cast, created):
    new = body(funding=[{"source": "membership_fees", "amount": "250000.00"}], costs=[], kpis=[])

    response = cast.editor_a1.client().put(sub_url(), new, format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert response.json()["funding"] == [
        {
            "source": "membership_fees",
            "category": "private",
            "amount": "250000.00",
            "in_kind": False,
            "restricted": False,
            "note": "",
        }
    ]
    assert response.json()["costs"] == [] and response.json()["kpis"] == []


def test_put_accepts_integers_and_stores_them_as_money(cast, period):
    response = cast.admin_a.client().put(
        sub_url(), body(funding=[{"source": "training", "amount": 1250}]), format="json"
    )

    assert response.status_code == 201
    assert response.json()["funding"][0]["amount"] == "1250.00"


# --- PATCH -----------------------------------------------------------------------------


def test_patch_replaces_only_the_keys_it_sends(cast, created):
    response = cast.editor_a1.client().patch(
        sub_url(), {"kpis": [{"code": "jobs_created", "value": "12"}]}, format="json"
    )

    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 2
    assert data["kpis"] == [{"code": "jobs_created", "value": "12"}]
    assert data["funding"] == EXPECTED_FUNDING
    assert data["notes"] == "10th year"
    assert data["staff_fte"] == "3.00"


def test_patch_validates_the_merged_document(cast, created):
    before = snapshot(cast.prog_a)

    response = cast.admin_a.client().patch(sub_url(), {"currency": "XXY"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "currency",
            "code": "invalid_currency",
            "message": "'XXY' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
        }
    ]
    assert snapshot(cast.prog_a) == before


def test_patch_of_a_missing_submission_is_404(cast, period):
    response = cast.admin_a.client().patch(sub_url(), {"notes": "x"}, format="json")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert not Submission.objects.for_program(cast.prog_a).exists()


def test_patch_with_a_list_body_is_400(cast, created):
    response = cast.admin_a.client().patch(sub_url(), [1, 2], format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "body", "code": "invalid", "message": "Expected a JSON object."}
    ]


# --- validation: every rule, exact problem, nothing written -----------------------------


def _funding(*rows):
    return {"funding": list(rows)}


INVALID = [
    (
        "unknown source",
        _funding({"source": "lottery", "amount": "1.00"}),
        [
            (
                "funding.0.source",
                "unknown_source",
                "Unknown funding source 'lottery'; see /funding-sources/.",
            )
        ],
    ),
    (
        "unknown cost category",
        {"costs": [{"category": "travel", "amount": "1.00"}]},
        [
            (
                "costs.0.category",
                "unknown_cost_category",
                "'travel' is not one of setup, staff, operations, projects.",
            )
        ],
    ),
    (
        "unknown KPI",
        {"kpis": [{"code": "happiness", "value": "1"}]},
        [("kpis.0.code", "unknown_kpi", "Unknown KPI 'happiness'; define it in /kpis/ first.")],
    ),
    (
        "negative amount",
        _funding({"source": "training", "amount": "-5.00"}),
        [("funding.0.amount", "negative", "-5.00 is negative; amounts are 0 or more.")],
    ),
    (
        "non-numeric amount",
        _funding({"source": "training", "amount": "lots"}),
        [("funding.0.amount", "invalid_number", "'lots' is not a decimal number.")],
    ),
    (
        "float amount",
        _funding({"source": "training", "amount": 1.5}),
        [
            (
                "funding.0.amount",
                "invalid_number",
                'Send the number as a decimal string, e.g. "1250.00".',
            )
        ],
    ),
    (
        "three decimals",
        _funding({"source": "training", "amount": "1.005"}),
        [("funding.0.amount", "too_many_decimals", "1.005 has more than 2 decimal places.")],
    ),
    (
        "absurd amount",
        _funding({"source": "training", "amount": "5000000000000"}),
        [
            (
                "funding.0.amount",
                "too_large",
                "5000000000000 is larger than the maximum of 1000000000000.00.",
            )
        ],
    ),
    (
        "too many lines",
        {"kpis": [{"code": "events", "value": "1"}] * 201},
        [("kpis", "too_many", "At most 200 items.")],
    ),
    (
        "currency",
        {"currency": "EURO"},
        [
            (
                "currency",
                "invalid_currency",
                "'EURO' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
            )
        ],
    ),
    (
        "no currency",
        {"currency": None},
        [("currency", "required", "The currency (ISO 4217, e.g. EUR) is required.")],
    ),
    (
        "same source twice",
        _funding(
            {"source": "training", "amount": "1.00"}, {"source": "training", "amount": "2.00"}
        ),
        [
            (
                "funding.1.source",
                "duplicate_source",
                "Funding source 'training' appears twice (lines 0 and 1); give one line per source.",
            )
        ],
    ),
    (
        "unknown top-level key",
        {"total": "5"},
        [("total", "unknown_field", "'total' is not a field of a submission.")],
    ),
    (
        "unknown line key",
        _funding({"source": "training", "amount": "1.00", "vat": "0"}),
        [("funding.0.vat", "unknown_field", "'vat' is not a field of a funding line.")],
    ),
]


@pytest.mark.parametrize(("case", "change", "errors"), INVALID, ids=[c[0] for c in INVALID])
def test_an_invalid_new_submission_is_400_and_writes_nothing(cast, period, case, change, errors):
    before = snapshot(cast.prog_a)

    response = cast.editor_a1.client().put(sub_url(), body(**change), format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Bad Request"
    assert [(e["field"], e["code"], e["message"]) for e in problem["errors"]] == errors
    assert snapshot(cast.prog_a) == before


@pytest.mark.parametrize(("case", "change", "errors"), INVALID[:4], ids=[c[0] for c in INVALID[:4]])
def test_an_invalid_replacement_leaves_the_stored_submission_unchanged(
    cast, created, case, change, errors
):
    before = snapshot(cast.prog_a)

    response = cast.admin_a.client().put(sub_url(), body(**change), format="json")

    assert response.status_code == 400
    assert [(e["field"], e["code"], e["message"]) for e in response.json()["errors"]] == errors
    assert snapshot(cast.prog_a) == before


def test_a_year_without_a_reporting_period_is_400_on_year(cast, period):
    response = cast.admin_a.client().put(sub_url(year=1999), body(), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "year",
            "code": "no_period",
            "message": "There is no reporting period for 1999; a program_admin opens one in "
            "/periods/ first.",
        }
    ]
    assert Submission.objects.for_program(cast.prog_a).count() == 0


def test_a_body_over_the_size_limit_is_413(cast, period):
    big = body(notes="x" * (600 * 1024))

    response = cast.admin_a.client().put(sub_url(), big, format="json")

    assert response.status_code == 413
    problem = response.json()
    assert problem["status"] == 413
    assert problem["errors"][0]["field"] == "body"
    assert problem["errors"][0]["code"] == "payload_too_large"
    assert Submission.objects.for_program(cast.prog_a).count() == 0


def test_malformed_json_is_400(cast, period):
    response = cast.admin_a.client().generic(
        "PUT", sub_url(), "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert Submission.objects.for_program(cast.prog_a).count() == 0


# --- who may write when --------------------------------------------------------------


def test_an_analyst_may_not_write(cast, period):
    response = cast.analyst_a.client().put(sub_url(), body(), format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Writing a submission needs the cluster_editor or program_admin role."
    )
    assert Submission.objects.for_program(cast.prog_a).count() == 0


def test_an_editor_of_another_cluster_gets_404(cast, period):
    response = cast.editor_a1.client().put(sub_url(cluster="a2"), body(), format="json")

    assert response.status_code == 404
    assert response.json() == problem(404, "No cluster 'a2'.", "not_found")
    assert not Submission.objects.for_program(cast.prog_a).exists()


def test_an_editor_may_not_write_in_a_closed_period(cast):
    open_period(cast.prog_a, state="closed")

    response = cast.editor_a1.client().put(sub_url(), body(), format="json")

    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "period_closed"
    today = timezone.localdate()
    message = (
        f"The reporting period {YEAR} is closed; cluster editors write only while it is open "
        f"({(today - dt.timedelta(days=30)).isoformat()} to "
        f"{(today + dt.timedelta(days=30)).isoformat()})."
    )
    assert problem["detail"] == message
    assert problem["errors"] == [{"field": "year", "code": "period_closed", "message": message}]
    assert Submission.objects.for_program(cast.prog_a).count() == 0


def test_an_editor_may_not_write_after_closes_on(cast):
    open_period(cast.prog_a, opens_on=dt.date(2022, 1, 1), closes_on=dt.date(2022, 3, 31))

    response = cast.editor_a1.client().put(sub_url(), body(), format="json")

    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        f"The reporting period {YEAR} closed on 2022-03-31;"
    )


def test_an_admin_may_write_in_a_closed_period(cast):
    open_period(cast.prog_a, state="closed")

    response = cast.admin_a.client().put(sub_url(), body(), format="json")

    assert response.status_code == 201
    assert (response.json()["state"], response.json()["version"]) == ("draft", 1)
    assert Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=YEAR).notes == (
        "10th year"
    )


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_content_is_not_written_outside_draft_and_returned(cast, period, state):
    add_submission(cast.a1, state=state)
    before = snapshot(cast.prog_a)

    response = cast.admin_a.client().put(sub_url(), body(), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert response.json()["detail"] == (
        f"The submission is {state}; content is written only in draft or returned "
        "(a program_admin can reopen an approved one)."
    )
    assert snapshot(cast.prog_a) == before


def test_content_is_written_in_returned(cast, period):
    add_submission(cast.a1, state="returned", version=4)

    response = cast.editor_a1.client().put(sub_url(), body(), format="json")

    assert response.status_code == 200
    assert response.json()["version"] == 5
    assert response.json()["state"] == "returned"


# --- ETag / If-Match -------------------------------------------------------------------


def test_a_stale_if_match_is_412_and_nothing_is_lost(cast, created):
    cast.admin_a.client().patch(sub_url(), {"notes": "first"}, format="json", HTTP_IF_MATCH='"1"')
    before = snapshot(cast.prog_a)

    response = cast.editor_a1.client().patch(
        sub_url(), {"notes": "second"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    message = (
        'The submission is at version 2; your If-Match ("1") is stale. GET it again '
        "and reapply your change."
    )
    assert response.json() == {
        "type": "about:blank",
        "title": "Precondition Failed",
        "status": 412,
        "code": "precondition_failed",
        "detail": message,
        "errors": [{"field": "If-Match", "code": "precondition_failed", "message": message}],
    }
    assert snapshot(cast.prog_a) == before
    assert cast.admin_a.client().get(sub_url()).json()["notes"] == "first"


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ('"1"', 200),
        ("1", 200),
        ('"0", "1"', 200),
        ("*", 200),
        ('W/"1"', 412),
        ('"2"', 412),
        ("garbage", 412),
    ],
)
def test_if_match_forms(cast, created, header, status):
    response = cast.admin_a.client().patch(
        sub_url(), {"notes": "changed"}, format="json", HTTP_IF_MATCH=header
    )

    assert response.status_code == status
    notes = Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=YEAR).notes
    if status == 200:
        assert (response.json()["notes"], response.json()["version"]) == ("changed", 2)
        assert notes == "changed"
    else:
        assert response.json() == stale(1, header)
        assert notes == "10th year"


def test_if_match_on_a_missing_submission_is_412(cast, period):
    response = cast.admin_a.client().put(sub_url(), body(), format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    assert response.json()["detail"] == (
        "The submission does not exist yet, so If-Match cannot match."
    )
    assert Submission.objects.for_program(cast.prog_a).count() == 0


# --- list ------------------------------------------------------------------------------


def _years(cast, years):
    client = cast.admin_a.client()
    for year in years:
        open_period(cast.prog_a, year)
        assert client.put(sub_url(year=year), body(), format="json").status_code == 201


def test_the_list_is_paginated_newest_year_first(cast):
    _years(cast, [2019, 2021, 2020])

    response = cast.editor_a1.client().get(sub_url(year=None), {"page_size": 2})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [s["year"] for s in data["results"]] == [2021, 2020]
    assert data["results"][0]["funding"] == EXPECTED_FUNDING
    assert data["next"].endswith("page=2&page_size=2")


@pytest.mark.parametrize("years", [[2021], [2016, 2017, 2018, 2019, 2020, 2021]])
def test_the_list_runs_a_fixed_number_of_queries(cast, years, django_assert_num_queries):
    _years(cast, years)
    client = cast.admin_a.client()

    # token, programme, cluster, count, submissions, funding, costs, kpis, field comments;
    # warning rules, last years' funding, KPI history, fx rates (whatever the years)
    with django_assert_num_queries(13):
        response = client.get(sub_url(year=None))

    assert response.json()["count"] == len(years)


# --- OpenAPI ---------------------------------------------------------------------------


def test_the_schema_documents_the_submission_routes(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/submissions/{year}/",
        "/submissions/{year}/submit",
        "/submissions/{year}/approve",
        "/submissions/{year}/return",
        "/submissions/{year}/reopen",
        "/submissions/{year}/history",
        "/periods/{year}/status",
    ):
        assert (
            f"/api/v1/programs/{{program}}/clusters/{{cluster}}{path}" in text
            or f"/api/v1/programs/{{program}}{path}" in text
        )
    assert "If-Match" in text and "ETag" in text


# --- If-None-Match ---------------------------------------------------------------------


def test_if_none_match_star_only_creates(cast, period):
    first = cast.admin_a.client().put(sub_url(), body(), format="json", HTTP_IF_NONE_MATCH="*")
    before = snapshot(cast.prog_a)

    second = cast.editor_a1.client().put(
        sub_url(), body(notes="mine"), format="json", HTTP_IF_NONE_MATCH="*"
    )

    assert first.status_code == 201
    assert second.status_code == 412
    assert second.json()["code"] == "already_exists"
    assert second.json()["detail"] == (
        f"The {YEAR} submission of a1 exists (version 1); If-None-Match: * only creates."
    )
    assert snapshot(cast.prog_a) == before


@pytest.mark.parametrize(("header", "status"), [('"1"', 304), ('W/"1"', 304), ('"2"', 200)])
def test_get_with_if_none_match(cast, created, header, status):
    response = cast.admin_a.client().get(sub_url(), HTTP_IF_NONE_MATCH=header)

    assert response.status_code == status
    assert response["ETag"] == '"1"'
