"""Rules that used to live in several places and disagreed now have one home; every
interface asks it, so the same input gets the same answer everywhere."""

from __future__ import annotations

import json

import pytest

from clusters import hooks
from clusters.models import Cluster
from tests.graphql_client import gql

YEAR_PROBLEM = {
    "field": "year",
    "code": "out_of_range",
    "message": "1850 is not a year between 1900 and 2200.",
}


@pytest.mark.parametrize(
    "path",
    [
        "portfolio/funding-mix",
        "portfolio/costs",
        "portfolio/clusters",
        "portfolio/public-reliance",
        "portfolio/value-impact",
        "portfolio/roadmap-progress",
        "exports/facts.csv",
    ],
)
def test_a_bad_year_is_the_same_400_on_every_rest_route(cast, path):
    response = cast.admin_a.client().get(f"/api/v1/programs/prog-a/{path}", {"year": "1850"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [YEAR_PROBLEM]


@pytest.mark.parametrize(
    ("field", "year", "message"),
    [
        ("fundingMix(year: $year) { total }", 1850, YEAR_PROBLEM["message"]),
        ("valueImpact(year: $year) { year }", 99999, "99999 is not a year between 1900 and 2200."),
        ("roadmapProgress(year: $year) { year }", -3, "-3 is not a year between 1900 and 2200."),
    ],
)
def test_a_bad_year_is_the_same_problem_over_graphql(cast, field, year, message):
    query = f'query($year: Int!) {{ program(slug: "prog-a") {{ {field} }} }}'

    errors = gql(cast.admin_a, query, {"year": year})["errors"]

    assert len(errors) == 1
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "status": 400,
        "errors": [{"field": "year", "code": "out_of_range", "message": message}],
    }


def test_region_matches_without_case_or_accent_trouble_everywhere(demo):
    # Monterrey's region is "Nuevo León" (DOMAIN.md); a user types it in capitals.
    registry = demo.admin_a.client().get(
        "/api/v1/programs/prog-a/clusters/", {"region": "NUEVO LEÓN"}
    )
    mix = demo.admin_a.client().get(
        "/api/v1/programs/prog-a/portfolio/funding-mix", {"year": 2021, "region": "NUEVO LEÓN"}
    )
    result = gql(
        demo.admin_a,
        'query { program(slug: "prog-a") { clusters(region: "NUEVO LEÓN") { slug } } }',
    )
    data, errors = result["data"], result["errors"]

    assert [c["slug"] for c in registry.json()["results"]] == ["monterrey-aerocluster"]
    assert mix.json()["clusters"] == 1
    assert mix.json()["total"] == "416000.00"  # 10,000,000 MXN x 0.0416
    assert errors is None
    assert data["program"]["clusters"] == [{"slug": "monterrey-aerocluster"}]


UPDATE = """mutation($data: ClusterInput!) {
  updateCluster(program: "prog-a", slug: "a1", data: $data) { slug website name } }"""


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"website": "javascript:alert(1)"}, "website", "invalid_url"),
        ({"name": "Alpha\x00One"}, "name", "invalid_characters"),
        ({"name": "Alpha\ud800"}, "name", "invalid_characters"),
    ],
)
def test_graphql_refuses_what_rest_refuses(cast, data, field, code):
    rest = cast.admin_a.client().generic(
        "PATCH",
        "/api/v1/programs/prog-a/clusters/a1/",
        json.dumps(data),  # ASCII escapes: a lone surrogate travels as "\\ud800"
        content_type="application/json",
    )
    errors = gql(cast.admin_a, UPDATE, {"data": data})["errors"]

    assert rest.status_code == 400
    assert [(e["field"], e["code"]) for e in rest.json()["errors"]] == [(field, code)]
    assert [(e["field"], e["code"]) for e in errors[0]["extensions"]["errors"]] == [(field, code)]
    assert rest.json()["errors"] == errors[0]["extensions"]["errors"]
    assert Cluster.objects.for_program(cast.prog_a).get(slug="a1").name == "Alpha One"


def test_impact_reaches_clusters_changes_through_the_documented_hook_list():
    registered = hooks.registered()

    assert registered[hooks.FIGURE_INPUTS_CHANGED][0] == "impact.hooks.figures_inputs_changed"
    assert registered[hooks.PROGRAM_RESTATED][0] == "impact.hooks.figures_program_restated"
