"""Comments on fields (given with return, resolved by a change or by hand, kept in the
history) and the thread between a cluster's editors and its programme, REST and GraphQL."""

from __future__ import annotations

import pytest

from clusters.models import FieldComment
from tests.givens import sub_url
from tests.graphql_client import gql
from tests.review_helpers import doc, write

pytestmark = pytest.mark.django_db

FUNDING = {"national_cluster_programme": "400.00", "membership_fees": "500.00"}
RETURN = {
    "comment": "Two things to fix.",
    "fields": [
        {"field": "funding.membership_fees.amount", "comment": "Fees look too high."},
        {"field": "kpis", "comment": "Report jobs created."},
    ],
}


def _returned(cast):
    write(cast.a1, 2021, doc(FUNDING), state="submitted")
    response = cast.admin_a.client().post(sub_url(suffix="return"), RETURN, format="json")
    assert response.status_code == 200, response.content
    return response


def _comments(member, cluster="a1"):
    return [
        (c["field"], c["comment"], c["resolved"])
        for c in member.client().get(sub_url(cluster=cluster)).json()["comments"]
    ]


def test_return_with_field_comments_shows_them_on_the_submission(cast):
    response = _returned(cast)

    comments = response.json()["comments"]
    assert [
        {k: c[k] for k in ("field", "comment", "resolved", "author", "version")} for c in comments
    ] == [
        {
            "field": "funding.membership_fees.amount",
            "comment": "Fees look too high.",
            "resolved": False,
            "author": "token:admin_a",
            "version": 2,
        },
        {
            "field": "kpis",
            "comment": "Report jobs created.",
            "resolved": False,
            "author": "token:admin_a",
            "version": 2,
        },
    ]
    assert response.json()["return_comment"] == "Two things to fix."


def test_the_editor_sees_the_comments(cast):
    _returned(cast)

    assert _comments(cast.editor_a1) == [
        ("funding.membership_fees.amount", "Fees look too high.", False),
        ("kpis", "Report jobs created.", False),
    ]


def test_changing_the_commented_field_resolves_only_its_comment(cast):
    _returned(cast)

    response = cast.editor_a1.client().put(
        sub_url(), doc({**FUNDING, "membership_fees": "300.00"}), format="json"
    )

    assert response.status_code == 200
    assert [
        (c["field"], c["resolved"], c["resolved_how"]) for c in response.json()["comments"]
    ] == [
        ("funding.membership_fees.amount", True, "changed"),
        ("kpis", False, ""),
    ]


def test_a_comment_on_a_section_is_resolved_by_a_change_inside_it(cast):
    _returned(cast)

    cast.editor_a1.client().patch(
        sub_url(),
        {
            "kpis": [
                {"code": "members_total", "value": "100"},
                {"code": "jobs_created", "value": "3"},
            ]
        },
        format="json",
    )

    assert _comments(cast.editor_a1)[1] == ("kpis", "Report jobs created.", True)


def test_a_write_that_changes_another_field_resolves_nothing(cast):
    _returned(cast)

    cast.editor_a1.client().patch(sub_url(), {"notes": "See the annex."}, format="json")

    assert [resolved for *_, resolved in _comments(cast.editor_a1)] == [False, False]


def test_the_history_keeps_the_comments_given_and_resolved(cast):
    _returned(cast)
    cast.editor_a1.client().put(
        sub_url(), doc({**FUNDING, "membership_fees": "300.00"}), format="json"
    )

    history = cast.admin_a.client().get(sub_url(suffix="history")).json()["results"]

    assert [(e["action"], e["comments"]) for e in history[-2:]] == [
        ("returned", RETURN["fields"]),
        (
            "updated",
            [
                {
                    "field": "funding.membership_fees.amount",
                    "comment": "Fees look too high.",
                    "resolved": True,
                }
            ],
        ),
    ]


def test_an_editor_resolves_a_comment_by_hand_and_the_history_says_so(cast):
    _returned(cast)
    comment = FieldComment.objects.for_program(cast.prog_a).get(field="kpis")

    response = cast.editor_a1.client().patch(
        sub_url(suffix=f"comments/{comment.pk}"), {"resolved": True}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["resolved"], response.json()["resolved_by"]) == (
        True,
        "token:editor_a1",
    )
    assert response.json()["resolved_how"] == "by_hand"
    last = cast.admin_a.client().get(sub_url(suffix="history")).json()["results"][-1]
    assert (last["action"], last["comments"]) == (
        "resolved",
        [{"field": "kpis", "comment": "Report jobs created.", "resolved": True}],
    )


def test_an_admin_opens_a_resolved_comment_again(cast):
    _returned(cast)
    comment = FieldComment.objects.for_program(cast.prog_a).get(field="kpis")
    url = sub_url(suffix=f"comments/{comment.pk}")
    cast.editor_a1.client().patch(url, {"resolved": True}, format="json")

    response = cast.admin_a.client().patch(url, {"resolved": False}, format="json")

    assert (response.json()["resolved"], response.json()["resolved_at"]) == (False, None)


def test_an_analyst_may_read_but_not_resolve(cast):
    _returned(cast)
    comment = FieldComment.objects.for_program(cast.prog_a).get(field="kpis")

    listed = cast.analyst_a.client().get(sub_url(suffix="comments"))
    response = cast.analyst_a.client().patch(
        sub_url(suffix=f"comments/{comment.pk}"), {"resolved": True}, format="json"
    )

    assert [c["field"] for c in listed.json()["results"]] == [
        "funding.membership_fees.amount",
        "kpis",
    ]
    assert response.status_code == 403


def test_a_comment_of_another_submission_is_404(cast):
    write(cast.a2, 2021, doc(FUNDING), state="submitted")
    cast.admin_a.client().post(sub_url(cluster="a2", suffix="return"), RETURN, format="json")
    write(cast.a1, 2021, doc(FUNDING), state="returned")
    other = FieldComment.objects.for_program(cast.prog_a).filter(field="kpis").first()

    response = cast.admin_a.client().patch(
        sub_url(suffix=f"comments/{other.pk}"), {"resolved": True}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("funding.nope.amount", "unknown_field_path"),
        ("costs.staff.value", "unknown_field_path"),
        ("version", "unknown_field_path"),
        ("kpis.jobs_created.value.x", "unknown_field_path"),
    ],
)
def test_a_field_path_outside_the_document_shape_is_a_400(cast, field, code):
    write(cast.a1, 2021, doc(FUNDING), state="submitted")

    response = cast.admin_a.client().post(
        sub_url(suffix="return"),
        {"comment": "Fix.", "fields": [{"field": field, "comment": "?"}]},
        format="json",
    )

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("fields.0.field", code)
    ]
    assert _comments(cast.admin_a) == []


def test_a_field_comment_without_text_is_a_400(cast):
    write(cast.a1, 2021, doc(FUNDING), state="submitted")

    response = cast.admin_a.client().post(
        sub_url(suffix="return"),
        {"comment": "Fix.", "fields": [{"field": "costs", "comment": "  "}]},
        format="json",
    )

    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("fields.0.comment", "required")
    ]


# --- the thread -----------------------------------------------------------------------


def test_editor_and_admin_talk_in_the_thread_with_who_and_when(cast):
    write(cast.a1, 2021, doc(FUNDING), state="submitted")
    url = sub_url(suffix="thread")

    first = cast.editor_a1.client().post(url, {"comment": "Is EU money public?"}, format="json")
    cast.admin_a.client().post(url, {"comment": "No: project funding."}, format="json")
    listed = cast.analyst_a.client().get(url)

    assert first.status_code == 201
    assert first.json()["created_at"]
    assert [(m["author"], m["role"], m["comment"]) for m in listed.json()["results"]] == [
        ("token:editor_a1", "cluster_editor", "Is EU money public?"),
        ("token:admin_a", "program_admin", "No: project funding."),
    ]


def test_an_empty_thread_comment_is_a_400(cast):
    write(cast.a1, 2021, doc(FUNDING))

    response = cast.editor_a1.client().post(
        sub_url(suffix="thread"), {"comment": ""}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "comment"


def test_a_thread_of_a_missing_submission_is_404(cast):
    response = cast.editor_a1.client().get(sub_url(year=2019, suffix="thread"))

    assert response.status_code == 404


# --- GraphQL --------------------------------------------------------------------------

RETURN_GQL = """
mutation {
  returnSubmission(program: "prog-a", cluster: "a1", year: 2021, comment: "Fix fees.",
    fields: [{field: "funding.membership_fees.amount", comment: "Too high."}]) {
    state comments { id field comment resolved author }
  }
}
"""


def test_graphql_return_with_field_comments_then_an_edit_resolves_them(cast):
    write(cast.a1, 2021, doc(FUNDING), state="submitted")

    returned = gql(cast.admin_a, RETURN_GQL)
    cast.editor_a1.client().put(
        sub_url(), doc({**FUNDING, "membership_fees": "300.00"}), format="json"
    )
    read = gql(
        cast.editor_a1,
        '{ program(slug: "prog-a") { cluster(slug: "a1") { submission(year: 2021) '
        "{ comments { field resolved resolvedHow } history { action comments { field resolved } } } } } }",
    )

    assert returned["errors"] is None
    assert returned["data"]["returnSubmission"]["comments"][0]["resolved"] is False
    submission = read["data"]["program"]["cluster"]["submission"]
    assert submission["comments"] == [
        {"field": "funding.membership_fees.amount", "resolved": True, "resolvedHow": "changed"}
    ]
    assert submission["history"][-1] == {
        "action": "updated",
        "comments": [{"field": "funding.membership_fees.amount", "resolved": True}],
    }


def test_graphql_resolves_by_hand_and_posts_in_the_thread(cast):
    write(cast.a1, 2021, doc(FUNDING), state="submitted")
    comment_id = gql(cast.admin_a, RETURN_GQL)["data"]["returnSubmission"]["comments"][0]["id"]

    resolved = gql(
        cast.editor_a1,
        'mutation { resolveFieldComment(program: "prog-a", cluster: "a1", year: 2021, id: "%s",'
        " resolved: true) { resolved resolvedHow } }" % comment_id,
    )
    posted = gql(
        cast.editor_a1,
        'mutation { postThreadMessage(program: "prog-a", cluster: "a1", year: 2021,'
        ' comment: "Fixed.") { author role comment } }',
    )

    assert resolved["data"]["resolveFieldComment"] == {"resolved": True, "resolvedHow": "by_hand"}
    assert posted["data"]["postThreadMessage"] == {
        "author": "token:editor_a1",
        "role": "cluster_editor",
        "comment": "Fixed.",
    }


def test_graphql_nested_comments_stay_in_the_callers_clusters(cast):
    write(cast.a2, 2021, doc(FUNDING), state="submitted")
    cast.admin_a.client().post(sub_url(cluster="a2", suffix="return"), RETURN, format="json")

    result = gql(
        cast.editor_a1,
        '{ program(slug: "prog-a") { clusters { slug submissions { comments { field } } } } }',
    )

    assert result["data"]["program"]["clusters"] == [{"slug": "a1", "submissions": []}]
