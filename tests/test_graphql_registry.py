"""GraphQL: same roles and the same invisibility as REST, nested lists included."""

from __future__ import annotations

import pytest
from django.test import Client

from clusters.models import Cluster, KpiDefinition, KpiValue
from tests.factories import ClusterFactory
from tests.givens import UNAUTHENTICATED_GRAPHQL, add_submission
from tests.graphql_client import gql

PROGRAM = """query($slug: String!) { program(slug: $slug) { slug clusters { slug submissions { year } } } }"""


def test_a_member_sees_its_programme_and_clusters(cast):
    result = gql(cast.analyst_a, PROGRAM, {"slug": "prog-a"})

    assert result["errors"] is None
    assert result["data"]["program"] == {
        "slug": "prog-a",
        "clusters": [{"slug": "a1", "submissions": []}, {"slug": "a2", "submissions": []}],
    }


@pytest.mark.parametrize("member", ["admin_a", "analyst_a", "editor_a1"])
def test_another_programme_is_null(cast, member):
    result = gql(getattr(cast, member), PROGRAM, {"slug": "prog-b"})

    assert result == {"data": {"program": None}, "errors": None}


def test_the_editor_sees_only_its_cluster_and_its_submissions(cast):
    add_submission(cast.a1, 2021, state="draft")
    add_submission(cast.a2, 2021, state="draft")

    result = gql(cast.editor_a1, PROGRAM, {"slug": "prog-a"})

    assert result["data"]["program"]["clusters"] == [
        {"slug": "a1", "submissions": [{"year": 2021}]}
    ]


def test_programs_lists_only_the_callers(cast):
    assert gql(cast.admin_b, "{ programs { slug } }")["data"] == {"programs": [{"slug": "prog-b"}]}


def test_cluster_by_slug_does_not_cross_programmes(cast):
    query = """{ program(slug: "prog-a") { cluster(slug: "b1") { slug } } }"""

    assert gql(cast.admin_a, query)["data"] == {"program": {"cluster": None}}


def test_nested_prefetch_stays_in_scope(cast, django_assert_max_num_queries):
    # Submissions of B share year and cluster ids ranges; nested lists must not mix them in.
    add_submission(cast.b1, 2021, state="draft")
    add_submission(cast.a2, 2020, state="draft")
    query = """{ programs { slug clusters { slug submissions { year funding { amount } } } } }"""

    result = gql(cast.admin_a, query)

    assert result["data"] == {
        "programs": [
            {
                "slug": "prog-a",
                "clusters": [
                    {"slug": "a1", "submissions": []},
                    {"slug": "a2", "submissions": [{"year": 2020, "funding": []}]},
                ],
            }
        ]
    }


@pytest.mark.parametrize("n", [5, 60])
def test_nested_query_count_does_not_grow_with_clusters(cast, django_assert_num_queries, n):
    for cluster in ClusterFactory.create_batch(n, program=cast.prog_a):
        add_submission(cluster, 2021, state="draft")
    query = """{ program(slug: "prog-a") { clusters { slug submissions { year funding { amount source { code } } costs { amount } } } } }"""
    gql(cast.analyst_a, "{ programs { slug } }")  # first use records last_used_at

    # token, programme, clusters, submissions, funding (+ source join), costs
    with django_assert_num_queries(6):
        result = gql(cast.analyst_a, query)

    assert len(result["data"]["program"]["clusters"]) == n + 2


def test_admin_creates_a_cluster(cast):
    mutation = """mutation { createCluster(program: "prog-a", data: {slug: "g1", name: "Gamma", country: "SE", stage: "baby", category: "build"}) { slug country } }"""

    result = gql(cast.admin_a, mutation)

    assert result == {"data": {"createCluster": {"slug": "g1", "country": "SE"}}, "errors": None}
    assert Cluster.objects.for_program(cast.prog_a).filter(slug="g1").exists()


def test_validation_errors_name_the_field(cast):
    mutation = """mutation { createCluster(program: "prog-a", data: {slug: "a1", name: "Dup", country: "XX", stage: "baby", category: "build"}) { slug } }"""

    result = gql(cast.admin_a, mutation)

    ext = result["errors"][0]["extensions"]
    assert ext["code"] == "BAD_USER_INPUT"
    assert sorted((e["field"], e["code"]) for e in ext["errors"]) == [
        ("country", "invalid_country"),
        ("slug", "unique"),
    ]


@pytest.mark.parametrize(
    "member, code",
    [("analyst_a", "FORBIDDEN"), ("editor_a1", "FORBIDDEN"), ("admin_b", "NOT_FOUND")],
)
def test_only_the_admin_of_the_programme_writes(cast, member, code):
    mutation = """mutation { updateCluster(program: "prog-a", slug: "a1", data: {name: "Hacked"}) { name } }"""

    result = gql(getattr(cast, member), mutation)

    assert result["errors"][0]["extensions"]["code"] == code
    assert Cluster.objects.for_program(cast.prog_a).get(slug="a1").name == "Alpha One"


def test_editor_cannot_touch_a_cluster_it_does_not_hold(cast):
    result = gql(cast.editor_a1, """mutation { deleteCluster(program: "prog-a", slug: "a2") }""")

    assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_no_token_is_401():
    response = Client().post(
        "/graphql/", {"query": "{ programs { slug } }"}, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_GRAPHQL


def test_introspection_is_off_outside_debug(cast):
    result = gql(cast.admin_a, "{ __schema { types { name } } }")

    assert result["data"] is None
    assert "introspection" in result["errors"][0]["message"].lower()


def test_depth_is_limited(cast, settings):
    settings.GRAPHQL_MAX_DEPTH = 4
    deep = "{ programs { clusters { submissions { funding { source { code } } } } } }"

    result = gql(cast.admin_a, deep)

    assert result["data"] is None
    assert "exceeds maximum operation depth" in result["errors"][0]["message"]


def test_aliases_are_limited(cast):
    many = "{ " + " ".join(f"x{i}: programs {{ slug }}" for i in range(20)) + " }"

    result = gql(cast.admin_a, many)

    assert result["data"] is None
    assert "aliases" in result["errors"][0]["message"].lower()


def test_tokens_are_limited(cast, settings):
    settings.GRAPHQL_MAX_TOKENS = 5

    result = gql(cast.admin_a, "{ programs { slug name country currency } }")

    assert result["data"] is None
    assert "token" in result["errors"][0]["message"].lower()


def test_kpi_values_read_as_sent_like_rest(cast):
    s = add_submission(cast.a1, 2021, state="draft")
    KpiValue.objects.create(
        program=cast.prog_a,
        submission=s,
        kpi=KpiDefinition.objects.for_program(cast.prog_a).get(code="members_total"),
        value="165",
    )
    r = gql(
        cast.admin_a,
        '{ program(slug:"prog-a") { cluster(slug:"a1") { submissions { kpis { value kpi { code } } } } } }',
    )
    assert r["data"]["program"]["cluster"]["submissions"][0]["kpis"] == [
        {"value": "165", "kpi": {"code": "members_total"}}
    ]


def test_a_get_without_token_is_401_too():
    response = Client().get("/graphql/", {"query": "{ programs { slug } }"})

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_GRAPHQL


def test_graphql_cluster_writes_follow_the_same_rules_as_rest(cast):
    mutation = (
        """mutation { createCluster(program: "prog-a", data: {slug: "Not a slug!!", name: "%s", country: "NO", stage: "baby"}) { slug } }"""
        % ("n" * 300)
    )

    result = gql(cast.admin_a, mutation)

    errors = sorted((e["field"], e["code"]) for e in result["errors"][0]["extensions"]["errors"])
    assert errors == [("category", "required"), ("name", "max_length"), ("slug", "invalid")]


def test_graphql_shares_the_tokens_rate_limit(cast, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/minute", "anon": "100/minute"},
    }
    cast.admin_a.client().get("/api/v1/programs/")
    gql(cast.admin_a, "{ programs { slug } }")

    response = Client().post(
        "/graphql/",
        {"query": "{ programs { slug } }"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {cast.admin_a.raw}"},
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


@pytest.mark.parametrize("n", [3, 30])
def test_submission_of_a_year_is_one_query_for_any_number_of_clusters(
    cast, django_assert_num_queries, n
):
    for cluster in ClusterFactory.create_batch(n, program=cast.prog_a):
        add_submission(cluster, 2021, state="draft")
    query = """{ program(slug: "prog-a") { clusters { slug submission(year: 2021) { year state } } } }"""
    gql(cast.analyst_a, "{ programs { slug } }")  # first use records last_used_at

    # token, programme, clusters, the year's submissions
    with django_assert_num_queries(4):
        result = gql(cast.analyst_a, query)

    rows = result["data"]["program"]["clusters"]
    assert sum(1 for r in rows if r["submission"] == {"year": 2021, "state": "draft"}) == n
    assert [r["submission"] for r in rows if r["slug"] in ("a1", "a2")] == [None, None]
