"""GET /programs/{program}/exports/facts.csv: the facts CSV export."""

from __future__ import annotations

import pytest

from tests.factories import ClusterFactory
from tests.givens import add_submission

URL = "/api/v1/programs/prog-a/exports/facts.csv"


def _text(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def facts(cast):
    """a1 2021 approved (ocean tech), a2 2021 approved in NOK, a1 2020 draft, b1 2021 approved."""
    add_submission(
        cast.a1,
        2021,
        funding=[
            ("national_cluster_programme", "400000.00"),
            ("membership_fees", "200000.00", True, False, "Rooms, lent by the city"),
        ],
        costs=[("staff", "650000.00", 'Two "seniors"')],
        kpis=[("members_total", "165"), ("gdp_share", "0.0425")],
    )
    add_submission(cast.a2, 2021, currency="NOK", funding=[("eu_projects", "1000.50")])
    add_submission(cast.a1, 2020, state="draft", funding=[("local_government", "7.00")])
    add_submission(cast.b1, 2021, currency="NOK", funding=[("eu_projects", "999.00")])
    return cast


def test_admin_gets_approved_rows_of_every_cluster_in_order(facts):
    response = facts.admin_a.client().get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="prog-a-facts-all-years.csv"'
    assert _text(response) == (
        "cluster,year,currency,line,code,amount,in_kind,restricted,note\n"
        'a1,2021,EUR,funding,membership_fees,200000.00,true,false,"Rooms, lent by the city"\n'
        "a1,2021,EUR,funding,national_cluster_programme,400000.00,false,false,\n"
        'a1,2021,EUR,cost,staff,650000.00,,,"Two ""seniors"""\n'
        "a1,2021,EUR,kpi,gdp_share,0.042500,,,\n"
        "a1,2021,EUR,kpi,members_total,165.000000,,,\n"
        "a2,2021,NOK,funding,eu_projects,1000.50,false,false,\n"
    )


def test_state_any_adds_drafts(facts):
    response = facts.analyst_a.client().get(URL, {"state": "any", "year": "2020"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="prog-a-facts-2020-any.csv"'
    assert _text(response) == (
        "cluster,year,currency,line,code,amount,in_kind,restricted,note\n"
        "a1,2020,EUR,funding,local_government,7.00,false,false,\n"
    )


def test_year_filter_keeps_only_that_year(facts):
    response = facts.admin_a.client().get(URL, {"year": 2020})

    assert _text(response) == "cluster,year,currency,line,code,amount,in_kind,restricted,note\n"


def test_editor_gets_only_its_own_clusters_rows(facts):
    response = facts.editor_a1.client().get(URL)

    assert response.status_code == 200
    lines = _text(response).splitlines()
    assert lines[0] == "cluster,year,currency,line,code,amount,in_kind,restricted,note"
    assert {line.split(",")[0] for line in lines[1:]} == {"a1"}
    assert len(lines) == 6


def test_deleted_cluster_is_not_exported(facts):
    from django.utils import timezone

    facts.a2.deleted_at = timezone.now()
    facts.a2.save()

    response = facts.admin_a.client().get(URL)

    assert "a2," not in _text(response)


def test_bad_year_is_a_400_problem(facts):
    response = facts.admin_a.client().get(URL, {"year": "twenty"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "year", "code": "invalid", "message": "'twenty' is not a year, e.g. 2021."}
    ]


def test_bad_state_is_a_400_problem(facts):
    response = facts.admin_a.client().get(URL, {"state": "lost"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "state",
            "code": "invalid_choice",
            "message": "'lost' is not one of any, draft, submitted, returned, approved.",
        }
    ]


def test_other_programme_is_404(facts):
    response = facts.admin_b.client().get(URL)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_accept_text_csv_is_honoured(facts):
    response = facts.admin_a.client().get(URL, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert _text(response).startswith(
        "cluster,year,currency,line,code,amount,in_kind,restricted,note\n"
    )


@pytest.mark.parametrize("clusters", [2, 50])
def test_export_runs_a_fixed_number_of_queries(cast, clusters, django_assert_num_queries):
    for i in range(clusters):
        cluster = ClusterFactory.create(program=cast.prog_a, slug=f"q{i:03d}")
        add_submission(
            cluster,
            2021,
            funding=[("membership_fees", "10.00")],
            costs=[("staff", "5.00")],
            kpis=[("members_total", "3")],
        )
    client = cast.admin_a.client()

    # token, token last-used, programme, then one query per line kind: 6 for any size
    with django_assert_num_queries(6):
        response = client.get(URL)
        body = _text(response)

    assert body.count("\n") == 1 + 3 * clusters
