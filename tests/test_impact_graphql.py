"""GraphQL for value impact: scenario parity with REST, fixed query counts for roadmaps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import KpiDefinition
from impact.models import Milestone, Roadmap
from tests.factories import ClusterFactory
from tests.givens import load_demo
from tests.graphql_client import gql

SCENARIO = (
    """query($changes: JSON!) { scenario(program: "prog-a", year: 2021, changes: $changes) }"""
)
CHANGES = [
    {"source": "national_cluster_programme", "factor": "0"},
    {"category": "public", "factor": "0.5"},
]


def test_graphql_scenario_is_the_rest_answer(cast):
    load_demo(cast.prog_a, years=[2021])
    rest = (
        cast.analyst_a.client()
        .post(
            "/api/v1/programs/prog-a/portfolio/scenarios",
            {"year": 2021, "changes": CHANGES},
            format="json",
        )
        .json()
    )

    result = gql(cast.analyst_a, SCENARIO, {"changes": CHANGES})

    assert result["errors"] is None
    assert result["data"]["scenario"] == rest
    assert result["data"]["scenario"]["totals"]["shortfall"] == "558200.00"


def test_graphql_scenario_errors_and_roles(cast):
    bad = gql(cast.admin_a, SCENARIO, {"changes": [{"source": "lottery", "factor": "0"}]})
    editor = gql(cast.editor_a1, SCENARIO, {"changes": CHANGES})
    other = gql(cast.admin_b, SCENARIO, {"changes": CHANGES})

    assert bad["errors"][0]["extensions"]["errors"] == [
        {
            "field": "changes.0.source",
            "code": "unknown_source",
            "message": "Unknown funding source 'lottery'; see /funding-sources/.",
        }
    ]
    assert editor["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def _roadmaps(cast, n: int) -> None:
    kpi = KpiDefinition.objects.for_program(cast.prog_a).get(code="members_total")
    for i in range(n):
        cluster = ClusterFactory.create(program=cast.prog_a, slug=f"c{i:02d}")
        roadmap = Roadmap.objects.create(
            program=cast.prog_a,
            cluster=cluster,
            kpi=kpi,
            baseline_year=2020,
            baseline_value=Decimal("10"),
        )
        Milestone.objects.create(
            program=cast.prog_a, roadmap=roadmap, year=2030, target=Decimal("20")
        )


NESTED = """{ program(slug: "prog-a") {
  roadmaps { cluster kpi milestones { year target } }
  clusters { slug roadmaps { kpi baselineValue milestones { year target } } } } }"""


@pytest.mark.parametrize("n", [2, 20])
def test_nested_roadmaps_run_a_fixed_number_of_queries(cast, n):
    _roadmaps(cast, n)

    with CaptureQueriesContext(connection) as ctx:
        result = gql(cast.analyst_a, NESTED)

    assert result["errors"] is None
    assert len(result["data"]["program"]["roadmaps"]) == n
    assert sum(len(c["roadmaps"]) for c in result["data"]["program"]["clusters"]) == n
    assert len(ctx.captured_queries) == NESTED_QUERIES


NESTED_QUERIES = 8  # auth (3), roadmaps + milestones, clusters + roadmaps + milestones


def test_graphql_delete_roadmap_follows_the_rest_rules(cast):
    from tests.isolation_matrix import _roadmaps as cast_roadmaps

    cast_roadmaps(cast)  # members_total roadmaps on a1, a2 and b1
    delete = """mutation($cluster: String!) {
        deleteRoadmap(program: "prog-a", cluster: $cluster, kpi: "members_total") }"""

    analyst = gql(cast.analyst_a, delete, {"cluster": "a1"})
    other_cluster = gql(cast.editor_a1, delete, {"cluster": "a2"})
    own = gql(cast.editor_a1, delete, {"cluster": "a1"})

    assert analyst["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert other_cluster["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert own == {"data": {"deleteRoadmap": True}, "errors": None}
    assert not Roadmap.objects.for_program(cast.prog_a).filter(cluster=cast.a1).exists()
    assert Roadmap.objects.for_program(cast.prog_a).filter(cluster=cast.a2).exists()
