"""GraphQL isolation of the review mutations and fields, for every member of the cast: what
REST's matrix (tests/isolation_matrix.py) checks for the routes."""

from __future__ import annotations

import pytest

from clusters.models import FieldComment, Submission, WarningRule
from tests.graphql_client import gql
from tests.isolation_matrix import _returned_with_comment

pytestmark = pytest.mark.django_db


def _comment_id(cast, cluster):
    return FieldComment.objects.for_program(cluster.program).get(submission__cluster=cluster).pk


MUTATIONS = {
    "resolve": 'mutation { resolveFieldComment(program: "%(p)s", cluster: "%(c)s", year: 2021,'
    ' id: "%(id)s", resolved: true) { resolved } }',
    "thread": 'mutation { postThreadMessage(program: "%(p)s", cluster: "%(c)s", year: 2021,'
    ' comment: "Hello") { comment } }',
    "rule": 'mutation { updateWarningRule(program: "%(p)s", rule: "kpi_outlier", blocking: true)'
    " { blocking } }",
    "approve": 'mutation { approveSubmissions(program: "%(p)s", year: 2021, clusters: ["%(c)s"])'
    " { done failed results { status } } }",
    "return": 'mutation { returnSubmissions(program: "%(p)s", year: 2021, clusters: ["%(c)s"],'
    ' comment: "Fix.") { done failed results { status } } }',
}

# Expected GraphQL error code (None: it works) for admin, analyst and a1's editor on a1.
EXPECTED = {
    "resolve": (None, "FORBIDDEN", None),
    "thread": (None, "FORBIDDEN", None),
    "rule": (None, "FORBIDDEN", "FORBIDDEN"),
    "approve": (None, "FORBIDDEN", "FORBIDDEN"),
    "return": (None, "FORBIDDEN", "FORBIDDEN"),
}


def _run(member, name, program, cluster, comment_id):
    query = MUTATIONS[name] % {"p": program, "c": cluster, "id": comment_id}
    result = gql(member, query)
    return None if not result["errors"] else result["errors"][0]["extensions"]["code"]


def _given(cast, name):
    _returned_with_comment(cast)
    if name == "approve":
        Submission.objects.for_program(cast.prog_a).update(state="submitted")
        Submission.objects.for_program(cast.prog_b).update(state="submitted")
    if name == "return":
        Submission.objects.for_program(cast.prog_a).update(state="submitted")
        Submission.objects.for_program(cast.prog_b).update(state="submitted")


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("role", [0, 1, 2], ids=["admin", "analyst", "editor"])
def test_members_of_a_get_what_their_role_allows(cast, name, role):
    _given(cast, name)
    member = (cast.admin_a, cast.analyst_a, cast.editor_a1)[role]

    code = _run(member, name, "prog-a", "a1", _comment_id(cast, cast.a1))

    assert code == EXPECTED[name][role]


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_admin_of_b_finds_nothing_of_a_and_changes_nothing(cast, name):
    _given(cast, name)
    before = (
        sorted(Submission.objects.for_program(cast.prog_a).values_list("state", "version")),
        sorted(WarningRule.objects.for_program(cast.prog_a).values_list("rule", "blocking")),
        sorted(FieldComment.objects.for_program(cast.prog_a).values_list("pk", "resolved")),
    )

    code = _run(cast.admin_b, name, "prog-a", "a1", _comment_id(cast, cast.a1))

    assert code == "NOT_FOUND"
    assert before == (
        sorted(Submission.objects.for_program(cast.prog_a).values_list("state", "version")),
        sorted(WarningRule.objects.for_program(cast.prog_a).values_list("rule", "blocking")),
        sorted(FieldComment.objects.for_program(cast.prog_a).values_list("pk", "resolved")),
    )


@pytest.mark.parametrize("name", ["resolve", "thread"])
def test_the_editor_of_a1_cannot_reach_a2(cast, name):
    _given(cast, name)

    code = _run(cast.editor_a1, name, "prog-a", "a2", _comment_id(cast, cast.a2))

    assert code == "NOT_FOUND"


def test_a_comment_id_of_another_programme_is_not_found(cast):
    _given(cast, "resolve")

    code = _run(cast.admin_a, "resolve", "prog-a", "a1", _comment_id(cast, cast.b1))

    assert code == "NOT_FOUND"


def test_a_bulk_move_does_not_reach_another_programmes_cluster(cast):
    _given(cast, "approve")

    result = gql(cast.admin_a, MUTATIONS["approve"] % {"p": "prog-a", "c": "b1", "id": 0})

    assert result["data"]["approveSubmissions"] == {
        "done": 0,
        "failed": 1,
        "results": [{"status": 404}],
    }
    assert Submission.objects.for_program(cast.prog_b).get().state == "submitted"


def test_nested_review_fields_stay_in_the_callers_programme(cast):
    _returned_with_comment(cast)

    result = gql(
        cast.admin_b,
        '{ program(slug: "prog-b") { warningRules { rule } clusters { submissions '
        "{ comments { field } thread { comment } warnings { rule } } } } }",
    )

    clusters = result["data"]["program"]["clusters"]
    assert [len(c["submissions"]) for c in clusters] == [1]
    assert clusters[0]["submissions"][0]["comments"] == [{"field": "costs"}]
    assert len(result["data"]["program"]["warningRules"]) == 6
