"""What-if scenarios and roadmap progress over the largest values the API accepts: exact
answers (hand-computed here), never a 500.

The limits at the door (clusters/validation/, impact/services/scenario_input.py,
clusters/services/programs.py): amounts up to 10^12 with 2 decimals, KPI values and
roadmap values up to +-10^15 with 6 decimals, factors up to 1000 with 6 decimals, fx rates
up to 10^13 with 10 decimals, and at most 15 significant digits in any number (what
SQLite stores exactly).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clusters.models import FxRate
from impact.interpolation import interpolated_target
from impact.selectors.roadmaps import RoadmapRow, progress_item
from tests.givens import add_submission
from tests.graphql_client import gql

MAX_AMOUNT = "1000000000000.00"  # 10^12
NEARLY_MAX = "999999999999.99"
MAX_RATE = "10000000000000"  # 10^13
TINY_RATE = "0.0000000001"
MAX_KPI = Decimal("1000000000000000")  # 10^15
SCENARIOS = "/api/v1/programs/prog-a/portfolio/scenarios"
PROGRESS = "/api/v1/programs/prog-a/portfolio/roadmap-progress"
ROADMAPS = "/api/v1/programs/prog-a/clusters/{}/roadmaps/"
PUBLIC = [
    "national_cluster_programme",
    "regional_government",
    "local_government",
    "national_government",
]


@pytest.fixture
def huge(cast):
    """a1 (EUR): four public lines of 999,999,999,999.99, 10^12 of fees, 0.01 of EU projects,
    costs of 10^12 in each category; a2 (USD at 10^13 EUR a dollar): one public line of
    10^12 and costs of 0.01."""
    add_submission(
        cast.a1,
        2021,
        funding=[(code, NEARLY_MAX) for code in PUBLIC]
        + [("membership_fees", MAX_AMOUNT), ("eu_projects", "0.01")],
        costs=[(c, MAX_AMOUNT) for c in ("setup", "staff", "operations", "projects")],
    )
    add_submission(
        cast.a2,
        2021,
        currency="USD",
        funding=[("national_cluster_programme", MAX_AMOUNT)],
        costs=[("staff", "0.01")],
    )
    FxRate.objects.create(program=cast.prog_a, year=2021, currency="USD", rate=Decimal(MAX_RATE))
    return cast


def test_a_what_if_over_the_largest_amounts_rates_and_factors_is_exact(huge):
    response = huge.analyst_a.client().post(
        SCENARIOS,
        {
            "year": 2021,
            "changes": [
                {"category": "public", "factor": "1000"},
                {"source": "eu_projects", "factor": "999.999999"},
            ],
        },
        format="json",
    )

    assert response.status_code == 200
    a1, a2 = response.json()["clusters"]
    # a1 before: 4 x 999,999,999,999.99 + 10^12 + 0.01
    assert a1["funding_before"] == "4999999999999.97"
    # a1 after: 3,999,999,999,999.96 x 1000 + 10^12 + 0.01 x 999.999999 (9.99999999)
    assert a1["funding_after"] == "4000999999999970.00"
    assert (a1["costs"], a1["shortfall"]) == ("4000000000000.00", "0.00")
    # a2: 10^12 USD x 10^13 = 10^25 EUR, public, x 1000 = 10^28; costs 0.01 x 10^13
    assert a2["funding_before"] == "10000000000000000000000000.00"
    assert a2["funding_after"] == "10000000000000000000000000000.00"
    assert a2["costs"] == "100000000000.00"
    assert response.json()["totals"]["funding_before"] == "10000000000004999999999999.97"
    assert response.json()["totals"]["funding_after"] == "10000000000004000999999999970.00"


def test_the_same_what_if_over_graphql_is_the_same_answer(huge):
    changes = [{"category": "public", "factor": "1000"}]
    rest = huge.analyst_a.client().post(
        SCENARIOS, {"year": 2021, "changes": changes}, format="json"
    )

    result = gql(
        huge.analyst_a,
        'query($c: JSON!) { scenario(program: "prog-a", year: 2021, changes: $c) }',
        {"c": changes},
    )

    assert result["errors"] is None
    assert result["data"]["scenario"]["totals"] == rest.json()["totals"]


def test_a_tiny_fx_rate_keeps_every_cent(cast):
    add_submission(cast.a1, 2021, currency="USD", funding=[("membership_fees", NEARLY_MAX)])
    FxRate.objects.create(program=cast.prog_a, year=2021, currency="USD", rate=Decimal(TINY_RATE))

    response = cast.analyst_a.client().post(
        SCENARIOS,
        {"year": 2021, "changes": [{"category": "private", "factor": "0.000001"}]},
        format="json",
    )

    assert response.status_code == 200
    # 999,999,999,999.99 x 10^-10 = 99.999999999999 -> 100.00; x 10^-6 -> 0.00
    assert response.json()["clusters"][0]["funding_before"] == "100.00"
    assert response.json()["clusters"][0]["funding_after"] == "0.00"


# --- roadmap progress -------------------------------------------------------------------------


def _roadmap(cast, cluster: str, body: dict) -> None:
    response = cast.admin_a.client().post(ROADMAPS.format(cluster), body, format="json")
    assert response.status_code == 201, response.json()


def test_progress_on_a_compound_roadmap_from_a_millionth_to_10_15(cast):
    _roadmap(
        cast,
        "a1",
        {
            "kpi": "member_revenue",
            "interpolation": "compound",
            "baseline": {"year": 2021, "value": "0.000001"},
            "milestones": [{"year": 2042, "target": "1000000000000000"}],
        },
    )
    add_submission(cast.a1, 2028, kpis=[("member_revenue", "-1000000000000000")])

    response = cast.analyst_a.client().get(PROGRESS, {"year": 2028})

    assert response.status_code == 200
    (item,) = response.json()["items"]
    # 10^-6 x (10^21)^(7/21) = 10^-6 x 10^7 = 10
    assert (item["target"], item["actual"]) == ("10", "-1000000000000000")
    assert (item["ratio"], item["on_track"], item["status"]) == (-1e14, False, "behind")


def test_progress_on_a_linear_roadmap_across_the_whole_range(cast):
    _roadmap(
        cast,
        "a1",
        {
            "kpi": "member_revenue",
            "interpolation": "linear",
            "baseline": {"year": 2021, "value": "-1000000000000000"},
            "milestones": [{"year": 2024, "target": "999999999.999999"}],
        },
    )
    add_submission(cast.a1, 2022, kpis=[("member_revenue", "1000000000000000")])

    response = cast.analyst_a.client().get(PROGRESS, {"year": 2022})

    assert response.status_code == 200
    (item,) = response.json()["items"]
    # -10^15 + (10^15 + 999,999,999.999999) / 3 = -666,666,333,333,333.333333(6) -> .333334
    assert item["target"] == "-666666333333333.333334"
    assert (item["on_track"], item["status"]) == (True, "on_track")
    assert item["ratio"] == -1.50000075


def test_a_roadmap_value_with_more_than_15_significant_digits_is_refused(cast):
    response = cast.admin_a.client().post(
        ROADMAPS.format("a1"),
        {
            "kpi": "member_revenue",
            "baseline": {"year": 2021, "value": "-1000000000000000"},
            "milestones": [{"year": 2024, "target": "999999999999999.999999"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "milestones.0.target",
            "code": "too_many_digits",
            "message": "999999999999999.999999 has more than 15 significant digits.",
        }
    ]


def test_the_largest_fx_rate_is_stored_and_read_back_exactly(cast):
    client = cast.admin_a.client()
    rates = [
        {"year": 2021, "currency": "USD", "rate": MAX_RATE},
        {"year": 2021, "currency": "NOK", "rate": "12345.1234567891"},
        {"year": 2021, "currency": "MXN", "rate": TINY_RATE},
    ]

    response = client.put("/api/v1/programs/prog-a/fx-rates/", rates, format="json")

    assert response.status_code == 200
    stored = {
        r["currency"]: r["rate"]
        for r in client.get("/api/v1/programs/prog-a/fx-rates/").json()["results"]
    }
    assert stored == {
        "USD": "10000000000000.0000000000",
        "NOK": "12345.1234567891",
        "MXN": "0.0000000001",
    }


def test_an_fx_rate_of_10_14_is_too_large(cast):
    response = cast.admin_a.client().put(
        "/api/v1/programs/prog-a/fx-rates/",
        {"year": 2021, "currency": "USD", "rate": "100000000000000"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "0.rate",
            "code": "too_large",
            "message": "100000000000000 is larger than the maximum of 10000000000000.",
        }
    ]


def test_a_linear_target_that_is_zero_is_zero_not_a_rounding_residue(cast):
    _roadmap(
        cast,
        "a1",
        {
            "kpi": "member_revenue",
            "interpolation": "linear",
            "baseline": {"year": 2021, "value": "-1"},
            "milestones": [{"year": 2024, "target": "2"}],
        },
    )
    add_submission(cast.a1, 2022, kpis=[("member_revenue", "0")])

    response = cast.analyst_a.client().get(PROGRESS, {"year": 2022})

    (item,) = response.json()["items"]
    # -1 + 3 x 1/3 = 0 exactly: on track, and no ratio to a zero target
    assert (item["target"], item["on_track"], item["ratio"]) == ("0", True, None)


def _accepted(value: Decimal) -> Decimal:
    """``value`` cut to the 15 significant digits the API accepts."""
    return Decimal(f"{value:.15g}").quantize(Decimal("0.000001")) if value else value


kpi_values = st.decimals(-MAX_KPI, MAX_KPI, places=6).map(_accepted)
positive = st.decimals(Decimal("0.000001"), MAX_KPI, places=6).map(_accepted).filter(bool)


@settings(max_examples=200, deadline=None)
@example(Decimal("0.000001"), [(2200, MAX_KPI)], "compound", 2199, -MAX_KPI)
@example(-MAX_KPI, [(1901, MAX_KPI)], "linear", 1900, MAX_KPI)
@given(
    baseline=st.one_of(kpi_values, positive),
    milestones=st.lists(
        st.tuples(st.integers(1901, 2200), positive),
        min_size=1,
        max_size=4,
        unique_by=lambda m: m[0],
    ),
    how=st.sampled_from(["linear", "compound"]),
    year=st.integers(1900, 2200),
    actual=st.one_of(st.none(), kpi_values),
)
def test_property_progress_over_any_accepted_roadmap_never_fails(
    baseline, milestones, how, year, actual
):
    if how == "compound":
        baseline = abs(baseline) or Decimal("0.000001")
    row = RoadmapRow(1, 1, "a1", "A1", 1, "k", how, 1900, baseline, sorted(milestones))

    item = progress_item(row, year=year, actual=actual)

    target = interpolated_target(
        baseline_year=1900,
        baseline_value=baseline,
        milestones=milestones,
        interpolation=how,
        year=year,
    )
    values = [baseline, *(v for _, v in milestones)]
    assert target is not None
    assert min(values) <= target <= max(values)
    assert target == target.quantize(Decimal("0.000001"))
    assert Decimal(item["target"]) == target
    if actual is None:
        assert (item["status"], item["on_track"], item["ratio"]) == ("no_actual", None, None)
    else:
        upward = sorted(milestones)[-1][1] >= baseline
        assert item["on_track"] is (actual >= target if upward else actual <= target)
        assert item["actual"] is not None
