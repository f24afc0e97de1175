"""Portfolio figures over GraphQL: same numbers as REST, same roles and invisibility."""

from __future__ import annotations

from typing import Any

import pytest

from tests.graphql_client import gql

MIX_FIELDS = """year currency clusters total
  byCategory { public { amount share } private { amount share } project { amount share } }
  bySource { source category amount share }
  clusterPublicShare { mean median min max } meanHhi excluded { cluster reason } asOf source"""

FUNDING_MIX = f"""query($slug: String!, $year: Int!) {{
  program(slug: $slug) {{ fundingMix(year: $year) {{ {MIX_FIELDS} }} }} }}"""


def _camel(payload: Any) -> Any:
    """REST's snake_case body in GraphQL's camelCase."""
    if isinstance(payload, dict):
        out = {}
        for key, value in payload.items():
            head, *rest = key.split("_")
            out[head + "".join(w.title() for w in rest)] = _camel(value)
        return out
    if isinstance(payload, list):
        return [_camel(v) for v in payload]
    return payload


def test_funding_mix_has_the_hand_computed_figures(demo):
    result = gql(demo.analyst_a, FUNDING_MIX, {"slug": "prog-a", "year": 2021})
    data, errors = result["data"], result["errors"]

    assert errors is None
    mix = data["program"]["fundingMix"]
    assert mix["total"] == "1816000.00"
    assert mix["clusters"] == 3
    assert mix["byCategory"]["public"] == {"amount": "716400.00", "share": 0.39449339}
    assert mix["clusterPublicShare"] == {
        "mean": 0.36666667,
        "median": 0.4,
        "min": 0.25,
        "max": 0.45,
    }
    assert mix["meanHhi"] == 0.30166667
    assert mix["excluded"] == [
        {"cluster": "queensland-robotics", "reason": "no fx rate for AUD in 2021"}
    ]


@pytest.mark.parametrize("year", [2015, 2020, 2021, 2025, 2019])
def test_rest_and_graphql_agree(demo, year):
    rest = (
        demo.analyst_a.client()
        .get(f"/api/v1/programs/prog-a/portfolio/funding-mix?year={year}")
        .json()
    )
    result = gql(demo.analyst_a, FUNDING_MIX, {"slug": "prog-a", "year": year})
    data, errors = result["data"], result["errors"]

    assert errors is None
    mix = data["program"]["fundingMix"]
    rest.pop("as_of"), mix.pop("asOf")
    assert mix == _camel(rest)


def test_groups_trend_costs_clusters_and_reliance(demo):
    query = """query { program(slug: "prog-a") {
      fundingMixGroups(year: 2021, groupBy: "stage") { key clusters total }
      fundingMixTrend(from: 2020, to: 2021) { year total }
      portfolioCosts(year: 2015) { total balance deficitClusters { cluster balance } }
      portfolioClusters(year: 2021, region: "asturias") { cluster total publicShare hhi balance }
      publicReliance(year: 2021, threshold: "0.4", from: 2020) { fromYear toYear
        aboveThreshold { cluster publicShare } trend { cluster change direction } } } }"""

    result = gql(demo.analyst_a, query)
    data, errors = result["data"], result["errors"]

    assert errors is None
    p = data["program"]
    assert p["fundingMixGroups"] == [
        {"key": "emerging", "clusters": 1, "total": "400000.00"},
        {"key": "growth", "clusters": 2, "total": "1416000.00"},
    ]
    assert p["fundingMixTrend"] == [
        {"year": 2020, "total": "2340000.00"},
        {"year": 2021, "total": "1816000.00"},
    ]
    assert p["portfolioCosts"] == {
        "total": "125000.00",
        "balance": "-25000.00",
        "deficitClusters": [{"cluster": "evolution-cluster", "balance": "-25000.00"}],
    }
    assert p["portfolioClusters"] == [
        {
            "cluster": "metaindustry4",
            "total": "400000.00",
            "publicShare": 0.25,
            "hhi": 0.345,
            "balance": "0.00",
        }
    ]
    # ocean tech: 480k/940k public in 2020 (0.5106383), 450k/1000k in 2021
    assert p["publicReliance"] == {
        "fromYear": 2020,
        "toYear": 2021,
        "aboveThreshold": [{"cluster": "ocean-tech", "publicShare": 0.45}],
        "trend": [
            {"cluster": "avaesen", "change": None, "direction": "insufficient_data"},
            {"cluster": "evolution-cluster", "change": None, "direction": "insufficient_data"},
            {"cluster": "metaindustry4", "change": None, "direction": "insufficient_data"},
            {"cluster": "monterrey-aerocluster", "change": None, "direction": "insufficient_data"},
            {"cluster": "ocean-tech", "change": -0.0606383, "direction": "towards_private"},
        ],
    }


def test_another_programme_is_null(demo):
    result = gql(demo.admin_b, FUNDING_MIX, {"slug": "prog-a", "year": 2021})
    data, errors = result["data"], result["errors"]

    assert errors is None
    assert data == {"program": None}


def test_editor_is_forbidden(demo):
    result = gql(demo.editor_a1, FUNDING_MIX, {"slug": "prog-a", "year": 2021})
    data, errors = result["data"], result["errors"]

    assert data == {"program": None}
    assert len(errors) == 1
    assert errors[0]["message"] == (
        "Portfolio figures are for the program_admin and program_analyst roles."
    )
    assert errors[0]["extensions"] == {"code": "FORBIDDEN", "status": 403}
    assert errors[0]["path"] == ["program", "fundingMix"]


def test_invalid_year_is_bad_user_input(demo):
    result = gql(demo.analyst_a, FUNDING_MIX, {"slug": "prog-a", "year": 1800})
    data, errors = result["data"], result["errors"]

    assert data == {"program": None}
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "status": 400,
        "errors": [
            {
                "field": "year",
                "code": "out_of_range",
                "message": "1800 is not a year between 1900 and 2200.",
            }
        ],
    }


def test_invalid_group_by_is_bad_user_input(demo):
    query = 'query { program(slug: "prog-a") { fundingMixGroups(year: 2021, groupBy: "colour") { key } } }'

    errors = gql(demo.analyst_a, query)["errors"]

    assert errors[0]["extensions"]["errors"] == [
        {
            "field": "group_by",
            "code": "invalid_choice",
            "message": "'colour' is not one of stage, category, region, sector.",
        }
    ]
