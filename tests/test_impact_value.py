"""Value impact: GET /programs/{program}/portfolio/value-impact?year=Y and GraphQL valueImpact.

Given (programme A, only approved submissions count):
- a1 (ocean tech) 2020: members_total 150, members_capital 7, staff_fte 3
  a1 2021: members_total 165, members_capital 9, staff_fte 3, global_market_share 0.05
- a2 2020 (Avaesen's figures): public_funds_mobilised 49000000, members_total 120
  a2 2021 (MetaIndustry4): members_total 60, global_market_share 0.12
- a3 2021 submitted, not approved (Health Valley): members_total 250, events 12
"""

from __future__ import annotations

import pytest

from impact.services.figures import figures_recompute_year as portfolio_recompute_year
from tests.factories import ClusterFactory
from tests.givens import add_submission
from tests.graphql_client import gql

URL = "/api/v1/programs/{}/portfolio/value-impact"


@pytest.fixture
def given(cast):
    a, a1, a2 = cast.prog_a, cast.a1, cast.a2
    add_submission(
        a1, 2020, kpis=[("members_total", "150"), ("members_capital", "7"), ("staff_fte", "3")]
    )
    add_submission(
        a1,
        2021,
        kpis=[
            ("members_total", "165"),
            ("members_capital", "9"),
            ("staff_fte", "3"),
            ("global_market_share", "0.05"),
        ],
    )
    add_submission(
        a2, 2020, kpis=[("public_funds_mobilised", "49000000"), ("members_total", "120")]
    )
    add_submission(a2, 2021, kpis=[("members_total", "60"), ("global_market_share", "0.12")])
    a3 = ClusterFactory.create(program=a, slug="health-valley", name="Health Valley")
    add_submission(a3, 2021, state="submitted", kpis=[("members_total", "250"), ("events", "12")])
    # programme B reports too; none of it may show in A
    add_submission(cast.b1, 2021, currency="NOK", kpis=[("members_total", "999")])
    return cast


def kpi(body: dict, code: str) -> dict:
    return next(k for k in body["kpis"] if k["kpi"] == code)


def test_sums_counts_and_change_from_the_previous_year(given):
    response = given.analyst_a.client().get(URL.format("prog-a"), {"year": 2021})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == 2021
    assert body["clusters_reporting"] == 2
    assert kpi(body, "members_total") == {
        "kpi": "members_total",
        "name": "Members (all helices)",
        "unit": "members",
        "kind": "output",
        "aggregation": "sum",
        "value": "225",
        "clusters": 2,
        "previous_value": "270",
        "change": "-45",
        "relative_change": -0.16666667,
    }
    assert kpi(body, "members_capital")["value"] == "9"
    assert kpi(body, "members_capital")["change"] == "2"
    assert kpi(body, "members_capital")["relative_change"] == 0.28571429
    assert kpi(body, "staff_fte")["change"] == "0"
    assert kpi(body, "staff_fte")["relative_change"] == 0.0


def test_a_mean_kpi_is_the_mean_over_reporting_clusters_and_null_change_without_history(given):
    body = given.admin_a.client().get(URL.format("prog-a"), {"year": 2021}).json()

    assert kpi(body, "global_market_share") == {
        "kpi": "global_market_share",
        "name": "Global market share",
        "unit": "share",
        "kind": "impact",
        "aggregation": "mean",
        "value": "0.085",
        "clusters": 2,
        "previous_value": None,
        "change": None,
        "relative_change": None,
    }


def test_a_kpi_reported_only_last_year_has_no_value_and_no_change(given):
    body = given.admin_a.client().get(URL.format("prog-a"), {"year": 2021}).json()

    assert kpi(body, "public_funds_mobilised") == {
        "kpi": "public_funds_mobilised",
        "name": "Public funds mobilised",
        "unit": "currency",
        "kind": "outcome",
        "aggregation": "sum",
        "value": None,
        "clusters": 0,
        "previous_value": "49000000",
        "change": None,
        "relative_change": None,
    }
    assert kpi(body, "events")["value"] is None  # only in a submitted (not approved) submission


def test_by_kind_shows_whether_clusters_report_outcomes_or_only_activity(given):
    body = given.admin_a.client().get(URL.format("prog-a"), {"year": 2021}).json()

    assert body["by_kind"] == [
        {
            "kind": "activity",
            "kpis_defined": 3,
            "kpis_reported": 1,
            "clusters_reporting": 1,
            "share_of_clusters": 0.5,
        },
        {
            "kind": "output",
            "kpis_defined": 7,
            "kpis_reported": 2,
            "clusters_reporting": 2,
            "share_of_clusters": 1.0,
        },
        {
            "kind": "outcome",
            "kpis_defined": 6,
            "kpis_reported": 0,
            "clusters_reporting": 0,
            "share_of_clusters": 0.0,
        },
        {
            "kind": "impact",
            "kpis_defined": 2,
            "kpis_reported": 1,
            "clusters_reporting": 2,
            "share_of_clusters": 1.0,
        },
    ]


def test_avaesen_2020_public_funds_mobilised(given):
    body = given.admin_a.client().get(URL.format("prog-a"), {"year": 2020}).json()

    assert kpi(body, "public_funds_mobilised")["value"] == "49000000"
    assert kpi(body, "public_funds_mobilised")["clusters"] == 1
    assert kpi(body, "members_total")["value"] == "270"
    assert kpi(body, "members_total")["previous_value"] is None


def test_computed_on_demand_then_served_from_the_stored_snapshot(
    given, django_capture_on_commit_callbacks
):
    first = given.admin_a.client().get(URL.format("prog-a"), {"year": 2021}).json()
    assert first["source"] == "computed"

    with django_capture_on_commit_callbacks(execute=True):
        portfolio_recompute_year(program_id=given.prog_a.pk, year=2021)
    stored = given.admin_a.client().get(URL.format("prog-a"), {"year": 2021}).json()

    assert stored["source"] == "stored"
    assert {k: v for k, v in stored.items() if k not in ("as_of", "source")} == {
        k: v for k, v in first.items() if k not in ("as_of", "source")
    }


def test_money_kpis_are_converted_like_the_funding_mix_and_missing_rates_are_listed(cast):
    from decimal import Decimal

    from clusters.models import FxRate

    FxRate.objects.create(program=cast.prog_a, year=2021, currency="MXN", rate=Decimal("0.0416"))
    monterrey = ClusterFactory.create(program=cast.prog_a, slug="monterrey-aerocluster")
    queensland = ClusterFactory.create(program=cast.prog_a, slug="queensland-robotics")
    add_submission(cast.a1, 2021, kpis=[("member_revenue", "1000000"), ("members_total", "165")])
    add_submission(
        monterrey,
        2021,
        currency="MXN",
        kpis=[("member_revenue", "10000000"), ("members_total", "50")],
    )
    add_submission(
        queensland,
        2021,
        currency="AUD",
        kpis=[("member_revenue", "500000"), ("members_total", "40")],
    )

    body = cast.admin_a.client().get(URL.format("prog-a"), {"year": 2021}).json()

    # 1,000,000 EUR + 10,000,000 MXN x 0.0416 = 1,416,000 EUR; the AUD revenue has no rate
    assert body["currency"] == "EUR"
    assert (kpi(body, "member_revenue")["value"], kpi(body, "member_revenue")["clusters"]) == (
        "1416000",
        2,
    )
    assert (kpi(body, "members_total")["value"], kpi(body, "members_total")["clusters"]) == (
        "255",
        3,
    )
    assert body["excluded"] == [
        {
            "cluster": "queensland-robotics",
            "reason": "no fx rate for AUD in 2021; its currency KPIs are not counted",
        }
    ]


def test_editor_gets_403_problem_details(given):
    response = given.editor_a1.client().get(URL.format("prog-a"), {"year": 2021})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "Portfolio figures are for the program_admin and program_analyst roles.",
        "code": "permission_denied",
    }


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ({}, "required", "'year' is required, e.g. year=2021."),
        ({"year": "soon"}, "invalid", "'soon' is not a year, e.g. 2021."),
        ({"year": "3000"}, "out_of_range", "3000 is not a year between 1900 and 2200."),
    ],
)
def test_a_missing_or_bad_year_is_400(given, query, code, message):
    response = given.admin_a.client().get(URL.format("prog-a"), query)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "year", "code": code, "message": message}]


def test_another_programme_is_404(given):
    response = given.admin_b.client().get(URL.format("prog-a"), {"year": 2021})

    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_programme_b_sees_only_its_own(given):
    body = given.admin_b.client().get(URL.format("prog-b"), {"year": 2021}).json()

    assert kpi(body, "members_total")["value"] == "999"
    assert body["clusters_reporting"] == 1


@pytest.mark.parametrize("n", [2, 20])
def test_query_count_is_fixed_whatever_the_number_of_clusters(cast, n, django_assert_num_queries):
    for i in range(n):
        cluster = ClusterFactory.create(program=cast.prog_a, slug=f"c{i:02d}")
        add_submission(cluster, 2021, kpis=[("members_total", "10"), ("events", "2")])
        add_submission(cluster, 2020, kpis=[("members_total", "8")])
    client = cast.admin_a.client()

    # token and programme, the snapshot lookup, then 6 for the figure
    with django_assert_num_queries(QUERIES):
        body = client.get(URL.format("prog-a"), {"year": 2021}).json()

    assert kpi(body, "members_total")["value"] == str(10 * n)


QUERIES = 10


FIELDS = """year currency clustersReporting source excluded { cluster reason }
  kpis { kpi name unit kind aggregation value clusters previousValue change relativeChange }
  byKind { kind kpisDefined kpisReported clustersReporting shareOfClusters }"""


def test_graphql_agrees_with_rest(given):
    rest = given.analyst_a.client().get(URL.format("prog-a"), {"year": 2021}).json()

    result = gql(
        given.analyst_a,
        f'{{ program(slug: "prog-a") {{ valueImpact(year: 2021) {{ {FIELDS} }} }} }}',
    )

    assert result["errors"] is None
    data = result["data"]["program"]["valueImpact"]
    assert data["year"] == rest["year"] and data["clustersReporting"] == rest["clusters_reporting"]
    assert (data["currency"], data["excluded"]) == (rest["currency"], rest["excluded"])
    assert data["kpis"] == [
        {
            "kpi": k["kpi"],
            "name": k["name"],
            "unit": k["unit"],
            "kind": k["kind"],
            "aggregation": k["aggregation"],
            "value": k["value"],
            "clusters": k["clusters"],
            "previousValue": k["previous_value"],
            "change": k["change"],
            "relativeChange": k["relative_change"],
        }
        for k in rest["kpis"]
    ]
    assert data["byKind"] == [
        {
            "kind": k["kind"],
            "kpisDefined": k["kpis_defined"],
            "kpisReported": k["kpis_reported"],
            "clustersReporting": k["clusters_reporting"],
            "shareOfClusters": k["share_of_clusters"],
        }
        for k in rest["by_kind"]
    ]


def test_graphql_editor_is_forbidden_and_other_programme_is_not_found(given):
    editor = gql(
        given.editor_a1, '{ program(slug: "prog-a") { valueImpact(year: 2021) { year } } }'
    )
    other = gql(given.admin_b, '{ program(slug: "prog-a") { valueImpact(year: 2021) { year } } }')

    assert editor["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert editor["errors"][0]["message"] == (
        "Portfolio figures are for the program_admin and program_analyst roles."
    )
    assert other["data"] == {"program": None}
    assert other["errors"] is None
