"""Every OData route, called by every member of the cast, on both programmes.

Given the cast (programme A with clusters a1 and a2, programme B with b1) with approved
2021 submissions everywhere: A's admin and analyst read every entity set of A, a1's editor
reads a1's rows only (and gets 403 on the funding mix, a portfolio figure), B's admin gets
404 on A and A's admin 404 on B, and no token is a 401.
"""

from __future__ import annotations

import json

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from bi.tables import TABLES
from tests.isolation_matrix import _portfolio

SETS = [t.entity_set for t in TABLES.values()]
# Entity sets whose rows name a cluster.
WITH_CLUSTER = {"Clusters", "Funding", "Costs", "KpiValues", "Submissions"}


def _get(member, path: str, **params):
    headers = {"Authorization": f"Bearer {member.raw}"} if member else {}
    response = Client(headers=headers).get(path, params)
    if isinstance(response, StreamingHttpResponse):
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


FACT_SETS = {"Funding", "Costs", "KpiValues", "Submissions"}


@pytest.fixture
def given(cast):
    from decimal import Decimal

    from clusters.models import KpiDefinition, KpiValue, Submission

    _portfolio(cast)
    for cluster in (cast.a1, cast.a2, cast.b1):
        submission = Submission.objects.for_program(cluster.program).get(cluster=cluster)
        KpiValue.objects.create(
            program=cluster.program,
            submission=submission,
            kpi=KpiDefinition.objects.for_program(cluster.program).get(code="members_total"),
            value=Decimal("12"),
        )
    return cast


@pytest.mark.parametrize("entity_set", SETS)
@pytest.mark.parametrize("role", ["admin_a", "analyst_a"])
def test_admins_and_analysts_of_a_read_only_a(given, role, entity_set):
    params = {"state": "any"} if entity_set in FACT_SETS else {}
    status, content = _get(getattr(given, role), f"/odata/prog-a/{entity_set}", **params)

    assert status == 200, content[:300]
    rows = json.loads(content)["value"]
    assert rows
    if entity_set in WITH_CLUSTER:
        assert {r["cluster"] for r in rows} == {"a1", "a2"}
    assert b"b1" not in content and b"Beta One" not in content


@pytest.mark.parametrize("entity_set", sorted(set(SETS) - {"FundingMix"}))
def test_the_editor_of_a1_reads_only_a1(given, entity_set):
    status, content = _get(given.editor_a1, f"/odata/prog-a/{entity_set}")

    assert status == 200, content[:300]
    if entity_set in WITH_CLUSTER:
        assert {r["cluster"] for r in json.loads(content)["value"]} == {"a1"}
    assert b"a2" not in content and b"Alpha Two" not in content and b"b1" not in content


def test_the_editor_gets_403_on_the_funding_mix(given):
    status, content = _get(given.editor_a1, "/odata/prog-a/FundingMix")

    assert status == 403
    assert json.loads(content)["error"]["code"] == "forbidden"


@pytest.mark.parametrize("path", ["", "$metadata", *SETS, "Funding/$count"])
def test_the_admin_of_b_gets_404_on_a_and_a_404_on_b(given, path):
    b_on_a = _get(given.admin_b, f"/odata/prog-a/{path}")
    a_on_b = _get(given.admin_a, f"/odata/prog-b/{path}")

    assert (b_on_a[0], a_on_b[0]) == (404, 404)
    assert json.loads(b_on_a[1]) == {
        "error": {"code": "not_found", "message": "No programme 'prog-a'."}
    }
    assert b"Alpha" not in b_on_a[1] and b"Beta" not in a_on_b[1]


@pytest.mark.parametrize("path", ["", "$metadata", *SETS])
def test_no_token_is_401(given, path):
    status, content = _get(None, f"/odata/prog-a/{path}")

    assert status == 401
    assert json.loads(content)["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("path", ["", "$metadata"])
@pytest.mark.parametrize("role", ["admin_a", "analyst_a", "editor_a1"])
def test_every_member_of_a_reads_the_service_document_and_metadata(given, role, path):
    status, _ = _get(getattr(given, role), f"/odata/prog-a/{path}")

    assert status == 200
