"""Canvases over GraphQL: the same bodies, rules and problems as REST."""

from __future__ import annotations

import json

import pytest

from tests.canvas_helpers import bodies, ocean_2021, url
from tests.graphql_client import gql

pytestmark = pytest.mark.django_db

PUT = """mutation($body: JSON!, $alt: String) {
  putCanvas(program: "prog-a", cluster: "a1", kind: "business-model-map", body: $body, alternative: $alt) {
    kind alternative version createdBy body } }"""


def test_a_canvas_saved_over_graphql_reads_the_same_over_rest(cast):
    result = gql(cast.editor_a1, PUT, {"body": bodies()["business-model-map"]})

    saved = result["data"]["putCanvas"]
    rest = cast.editor_a1.client().get(url("prog-a", "a1", "business-model-map/")).json()
    assert result["errors"] is None
    assert (saved["kind"], saved["alternative"], saved["version"]) == (
        "business-model-map",
        "current",
        1,
    )
    assert saved["createdBy"] == "token:editor_a1"
    assert saved["body"] == {"shares": rest["shares"]}


def test_a_bad_body_is_bad_user_input_with_the_rest_errors(cast):
    body = {"shares": [{"source": "nope", "share": "2"}]}

    result = gql(cast.editor_a1, PUT, {"body": body})
    rest = cast.editor_a1.client().put(
        url("prog-a", "a1", "business-model-map/"), body, format="json"
    )

    extensions = result["errors"][0]["extensions"]
    assert extensions["code"] == "BAD_USER_INPUT"
    assert extensions["errors"] == rest.json()["errors"]


def test_versions_diff_and_actual_over_graphql(cast):
    ocean_2021(cast.prog_a, cast.a1)
    gql(cast.editor_a1, PUT, {"body": bodies()["business-model-map"]})
    saved = gql(
        cast.editor_a1,
        'mutation { saveActualCanvas(program: "prog-a", cluster: "a1", kind: "business-model-map", year: 2021) { version } }',
    )

    q = """{ canvasVersions(program: "prog-a", cluster: "a1", kind: "business-model-map") { version via }
      canvasDiff(program: "prog-a", cluster: "a1", kind: "business-model-map", from: 1, to: 2) {
        from { version } to { version } changes { field from to } }
      canvasActual(program: "prog-a", cluster: "a1", kind: "business-model-map", year: 2021) }"""
    data = gql(cast.analyst_a, q)["data"]

    assert saved["data"]["saveActualCanvas"]["version"] == 2
    assert data["canvasVersions"] == [{"version": 1, "via": "graphql"}]  # 2 is the current
    assert {"field": "shares.eu_projects.share", "from": None, "to": "0.3"} in data["canvasDiff"][
        "changes"
    ]
    actual = data["canvasActual"]
    if isinstance(actual, str):
        actual = json.loads(actual)
    assert [s["share"] for s in actual["shares"]] == [0.4, 0.3, 0.2, 0.05, 0.05]


def test_an_unknown_kind_is_bad_user_input(cast):
    result = gql(
        cast.admin_a, '{ canvas(program: "prog-a", cluster: "a1", kind: "swot") { version } }'
    )

    assert result["errors"][0]["extensions"]["errors"] == [
        {
            "field": "kind",
            "code": "invalid_choice",
            "message": "'swot' is not one of business-model-map, evolution-map, business-model-canvas, "
            "financing-model, value-impact-roadmap, value-triangle, strategy, self-assessment.",
        }
    ]


def test_only_the_map_and_the_financing_model_are_derived(cast):
    q = '{ canvasActual(program: "prog-a", cluster: "a1", kind: "strategy", year: 2021) }'
    m = 'mutation { saveActualCanvas(program: "prog-a", cluster: "a1", kind: "strategy", year: 2021) { version } }'

    for result in (gql(cast.admin_a, q), gql(cast.admin_a, m)):
        assert result["errors"][0]["extensions"]["errors"] == [
            {
                "field": "kind",
                "code": "invalid_choice",
                "message": "'strategy' is not derived from the submissions; "
                "business-model-map and financing-model are.",
            }
        ]
