"""What-if scenarios: POST /programs/{program}/portfolio/scenarios.

Figures from DOMAIN.md's worked examples (clusters/demo.py), 2021, in EUR:
- ocean-tech: funding 1,000,000 (national programme 400k, city 50k, fees 200k, member
  activities 50k, EU projects 300k), costs 1,000,000;
- metaindustry4: funding 400,000 (regional 100k, fees 160k, EU projects 140k), costs 400,000;
- monterrey-aerocluster in MXN at 0.0416: funding 10,000,000 MXN = 416,000.00 EUR (state
  4,000,000 MXN), costs 10,000,000 MXN = 416,000.00 EUR;
- queensland-robotics in AUD: no 2021 rate, so excluded;
- health-valley: submitted, not approved, so not counted.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact.selectors.scenarios import ScenarioRow, cluster_outcome
from tests.factories import ClusterFactory
from tests.givens import add_submission, problem

URL = "/api/v1/programs/{}/portfolio/scenarios"


def run(member, program: str = "prog-a", **body):
    return member.client().post(URL.format(program), body, format="json")


def test_losing_the_national_programme_and_half_the_public_money(demo):
    # Given the demo 2021 submissions
    # When the national programme stops and every other public source halves
    response = run(
        demo.analyst_a,
        year=2021,
        changes=[
            {"source": "national_cluster_programme", "factor": "0"},
            {"category": "public", "factor": "0.5"},
        ],
    )

    # Then each approved, convertible cluster falls into deficit by the lost amount
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == 2021
    assert body["currency"] == "EUR"
    assert body["changes"] == [
        {"source": "national_cluster_programme", "factor": "0"},
        {"category": "public", "factor": "0.5"},
    ]
    assert body["clusters"] == [
        {
            "cluster": "metaindustry4",
            "name": "MetaIndustry4",
            "currency": "EUR",
            "funding_before": "400000.00",
            "funding_after": "350000.00",
            "costs": "400000.00",
            "balance_before": "0.00",
            "balance_after": "-50000.00",
            "can_cover_costs_before": True,
            "can_cover_costs_after": False,
            "shortfall": "50000.00",
        },
        {
            "cluster": "monterrey-aerocluster",
            "name": "Monterrey Aerocluster",
            "currency": "MXN",
            "funding_before": "416000.00",
            "funding_after": "332800.00",
            "costs": "416000.00",
            "balance_before": "0.00",
            "balance_after": "-83200.00",
            "can_cover_costs_before": True,
            "can_cover_costs_after": False,
            "shortfall": "83200.00",
        },
        {
            "cluster": "ocean-tech",
            "name": "Ocean Tech Cluster",
            "currency": "EUR",
            "funding_before": "1000000.00",
            "funding_after": "575000.00",
            "costs": "1000000.00",
            "balance_before": "0.00",
            "balance_after": "-425000.00",
            "can_cover_costs_before": True,
            "can_cover_costs_after": False,
            "shortfall": "425000.00",
        },
    ]
    assert body["totals"] == {
        "clusters": 3,
        "funding_before": "1816000.00",
        "funding_after": "1257800.00",
        "costs": "1816000.00",
        "balance_before": "0.00",
        "balance_after": "-558200.00",
        "shortfall": "558200.00",
        "clusters_in_deficit_before": 0,
        "clusters_in_deficit_after": 3,
    }
    assert body["newly_in_deficit"] == ["metaindustry4", "monterrey-aerocluster", "ocean-tech"]
    assert body["excluded"] == [
        {"cluster": "queensland-robotics", "reason": "no fx rate for AUD in 2021"}
    ]


def test_a_named_source_keeps_its_own_factor_inside_a_changed_category(demo):
    # When public money doubles but the national programme is kept as it is
    response = run(
        demo.admin_a,
        year=2021,
        changes=[
            {"category": "public", "factor": "2"},
            {"source": "national_cluster_programme", "factor": "1"},
        ],
    )

    # Then ocean-tech gains only its city money again (50,000) and stays covered
    ocean = next(c for c in response.json()["clusters"] if c["cluster"] == "ocean-tech")
    assert ocean["funding_after"] == "1050000.00"
    assert ocean["balance_after"] == "50000.00"
    assert ocean["can_cover_costs_after"] is True
    assert ocean["shortfall"] == "0.00"


def test_factor_one_on_every_source_changes_nothing(demo):
    response = run(
        demo.admin_a,
        year=2021,
        changes=[{"category": c, "factor": "1"} for c in ("public", "private", "project")],
    )

    body = response.json()
    assert [(c["funding_before"], c["balance_before"]) for c in body["clusters"]] == [
        (c["funding_after"], c["balance_after"]) for c in body["clusters"]
    ]
    assert body["newly_in_deficit"] == []
    assert body["totals"]["funding_before"] == body["totals"]["funding_after"] == "1816000.00"


def test_factor_zero_on_every_source_puts_every_cluster_with_costs_into_deficit(demo):
    response = run(
        demo.admin_a,
        year=2021,
        changes=[{"category": c, "factor": "0"} for c in ("public", "private", "project")],
    )

    body = response.json()
    assert {c["cluster"]: c["shortfall"] for c in body["clusters"]} == {
        "metaindustry4": "400000.00",
        "monterrey-aerocluster": "416000.00",
        "ocean-tech": "1000000.00",
    }
    assert all(c["can_cover_costs_after"] is False for c in body["clusters"])
    assert body["totals"]["funding_after"] == "0.00"


def test_a_year_without_approved_submissions_gives_empty_figures(cast):
    response = run(cast.admin_a, year=2030, changes=[{"category": "public", "factor": "0"}])

    assert response.status_code == 200
    body = response.json()
    assert body["clusters"] == [] and body["newly_in_deficit"] == [] and body["excluded"] == []
    assert body["totals"]["funding_before"] == "0.00"


# --- the maths, as properties --------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=Decimal("1e12"), places=2)
sources = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), amounts, max_size=4)
factors = st.decimals(min_value=0, max_value=10, places=6)


def _row(by_source: dict[str, Decimal], costs: Decimal) -> ScenarioRow:
    funding: dict[Hashable, Decimal] = {code: amount for code, amount in by_source.items()}
    return ScenarioRow("x", "X", "EUR", Decimal(1), funding, costs)


@given(by_source=sources, costs=amounts)
def test_property_factor_one_changes_nothing(by_source, costs):
    outcome = cluster_outcome(_row(by_source, costs), dict.fromkeys(by_source, Decimal(1)))

    assert outcome.after == outcome.before
    assert outcome.covers_after == outcome.covers_before


@given(by_source=sources, costs=amounts.filter(lambda a: a > 0))
def test_property_factor_zero_everywhere_leaves_every_cluster_with_costs_in_deficit(
    by_source, costs
):
    outcome = cluster_outcome(_row(by_source, costs), dict.fromkeys(by_source, Decimal(0)))

    assert outcome.after == 0
    assert outcome.covers_after is False
    assert outcome.shortfall == costs


@given(by_source=sources, costs=amounts, factor=factors)
def test_property_funding_after_is_the_exact_sum_of_scaled_sources(by_source, costs, factor):
    outcome = cluster_outcome(_row(by_source, costs), {"a": factor})

    expected = sum((v * (factor if k == "a" else 1) for k, v in by_source.items()), Decimal(0))
    assert outcome.after == expected
    assert outcome.shortfall == max(costs - expected, Decimal(0))


# --- errors -------------------------------------------------------------------------------


def test_unknown_source_category_and_bad_factors_are_400_with_every_problem(cast):
    response = run(
        cast.admin_a,
        year=2021,
        changes=[
            {"source": "lottery", "factor": "0"},
            {"category": "charity", "factor": "1"},
            {"source": "training", "factor": "-1"},
            {"source": "membership_fees", "factor": 0.5},
            {"source": "eu_projects", "category": "project", "factor": "1"},
            {"source": "training", "factor": "2"},
            {"source": "events_sponsorship"},
        ],
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["errors"] == [
        {
            "field": "changes.0.source",
            "code": "unknown_source",
            "message": "Unknown funding source 'lottery'; see /funding-sources/.",
        },
        {
            "field": "changes.1.category",
            "code": "invalid_choice",
            "message": "'charity' is not one of public, private, project.",
        },
        {
            "field": "changes.2.factor",
            "code": "negative",
            "message": "-1 is negative; amounts are 0 or more.",
        },
        {
            "field": "changes.3.factor",
            "code": "invalid_number",
            "message": 'Send the number as a decimal string, e.g. "1250.00".',
        },
        {
            "field": "changes.4",
            "code": "source_or_category",
            "message": "Name either a funding 'source' or a funding 'category'.",
        },
        {
            "field": "changes.5",
            "code": "duplicate_change",
            "message": "Source 'training' is changed twice (changes 2 and 5).",
        },
        {
            "field": "changes.6.factor",
            "code": "required",
            "message": 'A factor (a decimal string >= 0, e.g. "0.5") is required.',
        },
    ]


def test_missing_year_and_changes_and_unknown_keys_are_400(cast):
    response = run(cast.admin_a, colour="blue", save=True)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "colour",
            "code": "unknown_field",
            "message": "'colour' is not a field of a scenario.",
        },
        {
            "field": "year",
            "code": "required",
            "message": "'year' is required, e.g. year=2021.",
        },
        {
            "field": "changes",
            "code": "required",
            "message": 'At least one change {"source" or "category", "factor"} is required.',
        },
        {
            "field": "name",
            "code": "required",
            "message": 'A scenario is saved under a name; send "name".',
        },
    ]


# --- saving -------------------------------------------------------------------------------

LIST = "/api/v1/programs/{}/portfolio/scenarios/"


def test_nothing_is_stored_unless_asked(demo):
    run(demo.admin_a, year=2021, changes=[{"category": "public", "factor": "0"}])

    listed = demo.admin_a.client().get(LIST.format("prog-a")).json()

    assert listed["count"] == 0


def test_a_saved_scenario_is_listed_with_its_answer(demo):
    body: dict[str, Any] = {
        "year": 2021,
        "changes": [{"source": "national_cluster_programme", "factor": "0"}],
        "save": True,
        "name": "Programme ends",
    }
    saved = run(demo.analyst_a, **body).json()

    listed = demo.admin_a.client().get(LIST.format("prog-a")).json()

    assert saved["saved"]["name"] == "Programme ends"
    assert listed["count"] == 1
    entry = listed["results"][0]
    assert (entry["name"], entry["year"], entry["changes"], entry["created_by"]) == (
        "Programme ends",
        2021,
        [{"source": "national_cluster_programme", "factor": "0"}],
        "token:analyst_a",
    )
    assert entry["result"]["newly_in_deficit"] == ["ocean-tech"]
    assert entry["result"]["totals"]["shortfall"] == "400000.00"
    assert "saved" not in entry["result"]


def test_a_name_is_saved_once(demo):
    body: dict[str, Any] = {
        "year": 2021,
        "changes": [{"category": "public", "factor": "0"}],
        "save": True,
        "name": "No public",
    }
    run(demo.admin_a, **body)

    again = run(demo.admin_a, **body)

    assert again.status_code == 400
    assert again.json()["errors"] == [
        {
            "field": "name",
            "code": "unique",
            "message": "A scenario named 'No public' is saved already; choose another name.",
        }
    ]


def test_saved_scenarios_stay_in_their_programme_and_away_from_editors(demo):
    run(
        demo.admin_a,
        year=2021,
        changes=[{"category": "public", "factor": "0"}],
        save=True,
        name="A only",
    )

    b_list = demo.admin_b.client().get(LIST.format("prog-b")).json()
    b_on_a = demo.admin_b.client().get(LIST.format("prog-a"))
    editor = demo.editor_a1.client().get(LIST.format("prog-a"))

    assert b_list["count"] == 0
    assert b_on_a.status_code == 404
    assert editor.status_code == 403


def test_a_programme_own_source_counts_and_b_sources_are_unknown_in_a(cast):
    # prog-b's sources are never looked up from prog-a: a code only B has is unknown in A
    from clusters.models import FundingSource

    FundingSource.objects.create(
        program=cast.prog_b, code="oil_fund", name="Oil fund", category="public"
    )

    response = run(cast.admin_a, year=2021, changes=[{"source": "oil_fund", "factor": "0"}])

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_source"


def test_editors_get_403_with_problem_details(cast):
    response = run(cast.editor_a1, year=2021, changes=[{"category": "public", "factor": "0"}])

    assert response.status_code == 403
    assert response.json() == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "Portfolio figures are for the program_admin and program_analyst roles.",
        "code": "permission_denied",
    }


def test_another_programme_is_404_and_shows_nothing(demo):
    response = run(demo.admin_b, year=2021, changes=[{"category": "public", "factor": "0"}])

    assert response.status_code == 404
    assert response.json() == problem(404, "No programme 'prog-a'.", "not_found")


# --- fixed query count --------------------------------------------------------------------


def _clusters(cast, n: int) -> None:
    for i in range(n):
        cluster = ClusterFactory.create(program=cast.prog_a, slug=f"c{i:02d}")
        add_submission(
            cluster,
            2021,
            funding=[("national_cluster_programme", "100.00"), ("membership_fees", "50.00")],
            costs=[("staff", "120.00")],
        )


@pytest.mark.parametrize("n", [2, 20])
def test_query_count_does_not_depend_on_the_number_of_clusters(cast, n, django_assert_num_queries):
    _clusters(cast, n)
    client = cast.admin_a.client()
    body = {"year": 2021, "changes": [{"category": "public", "factor": "0"}]}

    # token, programme, then 1 for the sources and 4 for submissions, rates, funding, costs
    with django_assert_num_queries(QUERIES_PER_CALL):
        response = client.post(URL.format("prog-a"), body, format="json")

    assert response.status_code == 200
    assert len(response.json()["clusters"]) == n


QUERIES_PER_CALL = 8
