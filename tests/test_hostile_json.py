"""Nothing a client sends crashes the service: JSON nested too deep, lone surrogates.

Bodies are sent as raw text (``json.dumps`` would refuse neither, but a client need not be
Python): ``"\\ud800"`` in JSON is a lone surrogate once parsed.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from api.json_limits import JsonTooDeep, check_depth
from tests.givens import open_period, sub_url
from tests.graphql_client import gql

DEEP = "[" * 2000 + "]" * 2000
TOO_DEEP = "The JSON nests arrays and objects deeper than 32 levels."
CLUSTERS = "/api/v1/programs/prog-a/clusters/"


def send(member, path: str, raw: str, method: str = "POST", **extra):
    client = Client(raise_request_exception=False)
    return client.generic(
        method,
        path,
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {member.raw}",
        **extra,
    )


# --- the depth scan ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 32 + "]" * 32,
        '{"a": "' + "[" * 100 + '"}',
        '["\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]',
        b'{"name": "\xc3\xa6' + b"{" * 40 + b'"}',
    ],
    ids=["at-the-limit", "brackets-in-a-string", "escaped-quote", "utf8-bytes"],
)
def test_brackets_at_the_limit_or_inside_strings_pass(settings, text):
    settings.API_JSON_MAX_DEPTH = 32

    check_depth(text)  # then no JsonTooDeep


def test_one_level_more_than_the_limit_is_too_deep(settings):
    settings.API_JSON_MAX_DEPTH = 32

    with pytest.raises(JsonTooDeep, match="deeper than 32 levels"):
        check_depth('{"a": ' + "[" * 32 + "]" * 32 + "}")


# --- REST ---------------------------------------------------------------------------------


def test_rest_body_nested_2000_deep_is_a_400_too_deep(cast):
    response = send(cast.admin_a, CLUSTERS, DEEP)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": TOO_DEEP,
        "code": "too_deep",
    }


def test_rest_objects_nested_2000_deep_in_a_put_are_a_400_too_deep(cast):
    open_period(cast.prog_a)
    body = '{"currency": "EUR", "notes": ' + '{"a": ' * 2000 + "1" + "}" * 2000 + "}"

    response = send(cast.admin_a, sub_url(), body, method="PUT")

    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"


def test_rest_brackets_inside_a_string_do_not_count(cast):
    body = json.dumps({"slug": "deep", "name": "[" * 2000})

    response = send(cast.admin_a, CLUSTERS, body)

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "name",
        "code": "max_length",
        "message": "At most 200 characters.",
    }


def test_rest_malformed_json_stays_a_parse_error(cast):
    response = send(cast.admin_a, CLUSTERS, '{"slug": ')

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


# --- GraphQL --------------------------------------------------------------------------------


def test_graphql_body_nested_2000_deep_is_a_400_bad_request(cast):
    response = send(cast.admin_a, "/graphql/", DEEP)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": [
            {
                "message": TOO_DEEP,
                "extensions": {"status": 400, "code": "BAD_REQUEST", "reason": "too_deep"},
            }
        ]
    }


def test_graphql_variables_nested_2000_deep_are_a_400(cast):
    variables = '{"a": ' * 2000 + "1" + "}" * 2000
    body = '{"query": "{ __typename }", "variables": ' + variables + "}"

    response = send(cast.admin_a, "/graphql/", body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["reason"] == "too_deep"


def test_graphql_variables_in_a_get_nested_2000_deep_are_a_400(cast):
    client = Client(raise_request_exception=False)

    response = client.get(
        "/graphql/",
        {"query": "{ __typename }", "variables": DEEP},
        HTTP_AUTHORIZATION=f"Bearer {cast.admin_a.raw}",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["reason"] == "too_deep"


def test_graphql_malformed_json_is_a_json_error_not_plain_text(cast):
    response = send(cast.admin_a, "/graphql/", "{not json")

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Unable to parse request body as JSON",
                "extensions": {"status": 400, "code": "BAD_REQUEST", "reason": "parse_error"},
            }
        ]
    }


def test_graphql_query_literal_nested_too_deep_is_a_syntax_error(cast):
    literal = "[" * 1500 + "]" * 1500
    query = '{ program(slug: "prog-a") { valueImpact(year: %s) { year } } }' % literal

    response = send(cast.admin_a, "/graphql/", json.dumps({"query": query}))

    assert response.status_code == 200
    assert response.json()["errors"][0]["message"] == (
        "Syntax Error: Document is nested too deeply. Parsing aborted."
    )


# --- lone surrogates -------------------------------------------------------------------------

SURROGATE_TEXT = {
    "field": "",
    "code": "invalid_characters",
    "message": "The text is not valid Unicode (a lone surrogate).",
}


def _only(errors: list[dict], field: str) -> list[dict]:
    return [e for e in errors if e["field"] == field]


def test_a_lone_surrogate_in_a_cluster_name_is_a_400(cast):
    body = (
        '{"slug": "s1", "name": "Ocean \\ud800", "country": "NO", "stage": "growth",'
        ' "category": "build"}'
    )

    response = send(cast.admin_a, CLUSTERS, body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{**SURROGATE_TEXT, "field": "name"}]


def test_a_lone_surrogate_echoed_as_an_unknown_key_is_rendered_escaped(cast):
    body = (
        '{"slug": "s1", "name": "Ocean", "country": "NO", "stage": "growth",'
        ' "category": "build", "\\ud800": 1}'
    )

    response = send(cast.admin_a, CLUSTERS, body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert b"\\ud800" in response.content
    assert response.json()["errors"] == [
        {
            "field": "\\ud800",
            "code": "unknown_field",
            "message": "'\\ud800' is not a field of a cluster.",
        }
    ]


def test_a_lone_surrogate_echoed_by_a_code_check_is_escaped(cast):
    body = (
        '{"slug": "s1", "name": "Ocean", "country": "\\udfff", "stage": "growth",'
        ' "category": "build"}'
    )

    response = send(cast.admin_a, CLUSTERS, body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "country",
            "code": "invalid_country",
            "message": "'\\udfff' is not an ISO 3166-1 alpha-2 country code (e.g. NO, ES, MX).",
        }
    ]


def test_a_lone_surrogate_in_a_submission_note_is_a_400(cast):
    open_period(cast.prog_a)
    body = (
        '{"currency": "EUR", "funding": [{"source": "membership_fees", "amount": "1.00",'
        ' "note": "\\ud800"}]}'
    )

    response = send(cast.admin_a, sub_url(), body, method="PUT")

    assert response.status_code == 400
    assert response.json()["errors"] == [{**SURROGATE_TEXT, "field": "funding.0.note"}]


def test_a_lone_surrogate_as_a_funding_source_code_is_a_400(cast):
    open_period(cast.prog_a)
    body = '{"currency": "EUR", "funding": [{"source": "\\ud800", "amount": "1.00"}]}'

    response = send(cast.admin_a, sub_url(), body, method="PUT")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "funding.0.source",
            "code": "unknown_source",
            "message": "Unknown funding source '\\ud800'; see /funding-sources/.",
        }
    ]


def test_a_lone_surrogate_in_a_roadmap_statement_is_a_400(cast):
    body = (
        '{"kpi": "members_total", "interpolation": "linear", "statement": "\\ud800",'
        ' "baseline": {"year": 2021, "value": "10"}, "milestones": [{"year": 2030, "target": "20"}]}'
    )

    response = send(cast.admin_a, "/api/v1/programs/prog-a/clusters/a1/roadmaps/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{**SURROGATE_TEXT, "field": "statement"}]


def test_a_lone_surrogate_as_a_roadmap_kpi_is_a_400(cast):
    body = (
        '{"kpi": "\\ud800", "interpolation": "linear",'
        ' "baseline": {"year": 2021, "value": "10"}, "milestones": [{"year": 2030, "target": "20"}]}'
    )

    response = send(cast.admin_a, "/api/v1/programs/prog-a/clusters/a1/roadmaps/", body)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["kpi"]


def test_a_lone_surrogate_in_a_scenario_name_is_a_400(cast):
    body = (
        '{"year": 2021, "changes": [{"category": "public", "factor": "0.5"}], "save": true,'
        ' "name": "Cut \\ud800"}'
    )

    response = send(cast.admin_a, "/api/v1/programs/prog-a/portfolio/scenarios", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{**SURROGATE_TEXT, "field": "name"}]


def test_a_lone_surrogate_as_a_scenario_source_is_a_400(cast):
    body = '{"year": 2021, "changes": [{"source": "\\ud800", "factor": "0.5"}]}'

    response = send(cast.admin_a, "/api/v1/programs/prog-a/portfolio/scenarios", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "changes.0.source",
            "code": "unknown_source",
            "message": "Unknown funding source '\\ud800'; see /funding-sources/.",
        }
    ]


@pytest.mark.parametrize(
    ("query", "count"),
    [("region=%ED%A0%80", 0), ("search=%ED%A0%80", 0), ("ordering=%ED%A0%80", 2)],
)
def test_query_strings_that_are_not_utf8_filter_nothing_and_never_crash(cast, query, count):
    # Django decodes query strings with replacement characters: no surrogate gets through.
    response = Client(raise_request_exception=False).get(
        f"{CLUSTERS}?{query}", HTTP_AUTHORIZATION=f"Bearer {cast.admin_a.raw}"
    )

    assert response.status_code == 200
    assert response.json()["count"] == count


def test_a_choice_query_that_is_not_utf8_is_a_400_invalid_choice(cast):
    response = Client(raise_request_exception=False).get(
        f"{CLUSTERS}?stage=%ED%A0%80", HTTP_AUTHORIZATION=f"Bearer {cast.admin_a.raw}"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "stage",
            "code": "invalid_choice",
            "message": "'\ufffd\ufffd\ufffd' is not one of baby, emerging, growth, supercluster.",
        }
    ]


def test_a_year_query_that_is_not_utf8_is_a_400(cast):
    response = Client(raise_request_exception=False).get(
        "/api/v1/programs/prog-a/portfolio/funding-mix?year=%ED%A0%80",
        HTTP_AUTHORIZATION=f"Bearer {cast.admin_a.raw}",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"


def test_graphql_lone_surrogate_in_a_variable_is_bad_user_input(cast):
    open_period(cast.prog_a)
    query = """mutation($d: SubmissionInput!) {
      putSubmission(program: "prog-a", cluster: "a1", year: 2021, input: $d) { version } }"""

    result = gql(cast.admin_a, query, {"d": {"currency": "EUR", "notes": "\ud800"}})

    assert result["data"] is None
    assert result["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "status": 400,
        "errors": [{**SURROGATE_TEXT, "field": "notes"}],
    }


def test_graphql_lone_surrogate_in_a_cluster_name_is_bad_user_input(cast):
    query = """mutation($d: ClusterInput!) {
      updateCluster(program: "prog-a", slug: "a1", data: $d) { name } }"""

    result = gql(cast.admin_a, query, {"d": {"name": "\udfff"}})

    assert result["errors"][0]["extensions"]["errors"] == [{**SURROGATE_TEXT, "field": "name"}]


def test_graphql_lone_surrogate_as_a_program_slug_is_bad_user_input(cast):
    # stored text meets check_text; a lookup key meets the database driver's encoder first
    result = gql(cast.admin_a, "query($p: String!) { program(slug: $p) { slug } }", {"p": "\ud800"})

    assert result["data"] == {"program": None}
    assert result["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "status": 400,
        "errors": [{**SURROGATE_TEXT, "field": "body"}],
    }


def test_graphql_lone_surrogate_as_a_cluster_slug_is_bad_user_input(cast):
    query = """query($c: String!) {
      canvas(program: "prog-a", cluster: $c, kind: "strategy") { version } }"""

    result = gql(cast.editor_a1, query, {"c": "a1\udfff"})

    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
