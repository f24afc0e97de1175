"""Every REST route, called by every member of the cast, on both programmes' objects.

Given the cast (programme A with clusters a1, a2; programme B with b1) and one row of
tests/isolation_matrix.py per route and method:
- A's admin, analyst and a1's editor get exactly the row's statuses on A's objects;
- a1's editor gets 404 wherever the path names a2, a cluster it does not hold;
- B's admin gets 404 on every A path, and nobody's response shows the other side's data;
- no token gives 401.
"""

from __future__ import annotations

import json

import pytest
from django.urls import URLResolver, get_resolver

from tests.givens import problem
from tests.isolation_matrix import ENDPOINTS, UNSCOPED_ROUTES, Endpoint

# Data of the other side that no response may show (slugs in the caller's own URL may be
# echoed back in a 404's detail, so they are not markers).
FOREIGN_MARKERS_FOR_A = ("Programme prog-b", "Beta One", '"b1"')
FOREIGN_MARKERS_FOR_B = ("Programme prog-a", "Alpha One", "Alpha Two", '"a2"')


def _call(member, endpoint: Endpoint, url: str):
    client = member.client()
    method = getattr(client, endpoint.method.lower())
    if endpoint.body is None:
        return method(url)
    if endpoint.format == "multipart":
        return method(url, endpoint.body, format="multipart")
    return method(url, endpoint.body, format="json")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _prepare(cast, endpoint: Endpoint) -> None:
    if endpoint.setup is not None:
        endpoint.setup(cast)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("role", ["admin", "analyst", "editor"])
def test_members_of_a_get_the_statuses_of_their_role(cast, endpoint: Endpoint, role: str):
    _prepare(cast, endpoint)
    member = {"admin": cast.admin_a, "analyst": cast.analyst_a, "editor": cast.editor_a1}[role]

    response = _call(member, endpoint, endpoint.url("prog-a", "a1"))

    assert response.status_code == getattr(endpoint, role), _body(response)[:500]
    body = _body(response)
    for marker in FOREIGN_MARKERS_FOR_A:
        assert marker not in body


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.has_cluster], ids=str)
def test_editor_of_a1_cannot_reach_a2(cast, endpoint: Endpoint):
    _prepare(cast, endpoint)

    response = _call(cast.editor_a1, endpoint, endpoint.url("prog-a", "a2"))

    assert response.status_code == 404, _body(response)[:500]
    assert json.loads(_body(response)) == problem(404, "No cluster 'a2'.", "not_found")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_admin_of_b_gets_404_on_every_path_of_a(cast, endpoint: Endpoint):
    _prepare(cast, endpoint)

    response = _call(cast.admin_b, endpoint, endpoint.url("prog-a", "a1"))

    assert response.status_code == 404, _body(response)[:500]
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(_body(response)) == problem(404, "No programme 'prog-a'.", "not_found")
    body = _body(response)
    for marker in FOREIGN_MARKERS_FOR_B:
        assert marker not in body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_admin_of_a_gets_404_on_b_and_b_is_unchanged(cast, endpoint: Endpoint):
    _prepare(cast, endpoint)
    before = cast.admin_b.client().get("/api/v1/programs/prog-b/clusters/b1/").json()

    response = _call(cast.admin_a, endpoint, endpoint.url("prog-b", "b1"))

    assert response.status_code == 404, _body(response)[:500]
    assert json.loads(_body(response)) == problem(404, "No programme 'prog-b'.", "not_found")
    after = cast.admin_b.client().get("/api/v1/programs/prog-b/clusters/b1/").json()
    assert after == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_token_is_401(cast, endpoint: Endpoint, anon):
    method = getattr(anon, endpoint.method.lower())

    response = method(endpoint.url("prog-a", "a1"))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == 401


def _routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            out += _routes(item, prefix + str(item.pattern))
        elif item.name:
            out.append((item.name, prefix + str(item.pattern)))
    return out


def test_every_api_route_is_in_the_matrix():
    names = {name for name, route in _routes(get_resolver()) if route.startswith("api/v1/")}
    covered = {e.name for e in ENDPOINTS} | set(UNSCOPED_ROUTES)

    assert sorted(names - covered) == []


WRITES_WITH_BODIES = [
    e
    for e in ENDPOINTS
    if e.method in ("POST", "PUT", "PATCH")
    and e.format == "json"
    and isinstance(e.body, (dict, list))
]


def _with_foreign_ids(body, cast):
    smuggled = {"program": cast.prog_b.slug, "program_id": cast.prog_b.pk, "cluster_id": cast.b1.pk}
    if isinstance(body, list):
        return [{**item, **smuggled} for item in body]
    return {**body, **smuggled}


@pytest.mark.parametrize("endpoint", WRITES_WITH_BODIES, ids=str)
def test_mass_assignment_of_another_tenants_ids_is_refused(cast, endpoint: Endpoint):
    """Given a valid body plus `program`/`program_id`/`cluster_id` of programme B, the
    write is refused with those fields named, and B is unchanged."""
    _prepare(cast, endpoint)
    before = cast.admin_b.client().get("/api/v1/programs/prog-b/clusters/b1/").json()
    client = cast.admin_a.client()

    response = getattr(client, endpoint.method.lower())(
        endpoint.url("prog-a", "a1"), _with_foreign_ids(endpoint.body, cast), format="json"
    )

    assert response.status_code == 400, _body(response)[:500]
    fields = {e["field"].split(".")[-1] for e in response.json()["errors"]}
    assert {"program", "program_id", "cluster_id"} <= fields
    assert cast.admin_b.client().get("/api/v1/programs/prog-b/clusters/b1/").json() == before


# --- GraphQL: the same matrix for the fields of issue 9 (canvases, Miro, jobs) ---------------

from tests.graphql_client import gql  # noqa: E402
from tests.isolation_matrix import GRAPHQL_OPERATIONS, GraphqlOperation  # noqa: E402

JOBS = {"a1": 9001, "a2": 9002, "b1": 9003}


def _gql(member, op: GraphqlOperation, program: str, cluster: str) -> tuple[str, str]:
    result = gql(member, op.query % {"p": program, "c": cluster, "job": JOBS[cluster]})
    if result["errors"]:
        return "ERROR", str(result["errors"][0].get("extensions", {}).get("code"))
    return "ok", str(result["data"])


@pytest.mark.parametrize("op", GRAPHQL_OPERATIONS, ids=str)
@pytest.mark.parametrize("role", ["admin", "analyst", "editor"])
def test_graphql_members_of_a_get_the_outcome_of_their_role(cast, op: GraphqlOperation, role: str):
    if op.setup is not None:
        op.setup(cast)
    member = {"admin": cast.admin_a, "analyst": cast.analyst_a, "editor": cast.editor_a1}[role]

    status, detail = _gql(member, op, "prog-a", "a1")

    expected = getattr(op, role)
    assert (status if expected == "ok" else detail) == expected, detail
    for marker in ("Beta One", "b1", "prog-b"):
        assert marker not in detail


@pytest.mark.parametrize("op", GRAPHQL_OPERATIONS, ids=str)
def test_graphql_editor_of_a1_cannot_reach_a2_and_b_cannot_reach_a(cast, op: GraphqlOperation):
    if op.setup is not None:
        op.setup(cast)

    if op.has_cluster:
        assert _gql(cast.editor_a1, op, "prog-a", "a2") == ("ERROR", "NOT_FOUND")
    assert _gql(cast.admin_b, op, "prog-a", "a1") == ("ERROR", "NOT_FOUND")
    assert _gql(cast.admin_a, op, "prog-b", "b1") == ("ERROR", "NOT_FOUND")
