"""Bulk review: approve or return many submissions of a year, one by one or all or nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import FieldComment, Submission, SubmissionEvent
from tests.factories import ClusterFactory
from tests.graphql_client import gql
from tests.review_helpers import doc, write

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/prog-a/periods/2021/"


def _states(cast):
    return dict(
        Submission.objects.for_program(cast.prog_a)
        .filter(year=2021)
        .values_list("cluster__slug", "state")
    )


def test_bulk_approve_approves_each_and_records_each(cast):
    write(cast.a1, 2021, doc(), state="submitted")
    write(cast.a2, 2021, doc(), state="submitted")

    response = cast.admin_a.client().post(
        URL + "approve", {"clusters": ["a1", "a2"]}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "year": 2021,
        "action": "approve",
        "atomic": False,
        "done": 2,
        "failed": 0,
        "results": [
            {
                "cluster": c,
                "ok": True,
                "state": "approved",
                "version": 2,
                "status": 200,
                "code": "",
                "message": "",
            }
            for c in ("a1", "a2")
        ],
    }
    assert _states(cast) == {"a1": "approved", "a2": "approved"}
    assert list(
        SubmissionEvent.objects.for_program(cast.prog_a)
        .filter(action="approved")
        .values_list("submission__cluster__slug", "actor_label")
    ) == [("a1", "token:admin_a"), ("a2", "token:admin_a")]


def test_a_failure_is_named_and_the_others_stay_done(cast):
    write(cast.a1, 2021, doc(), state="submitted")
    write(cast.a2, 2021, doc(), state="draft")

    response = cast.admin_a.client().post(
        URL + "approve", {"clusters": ["a1", "a2", "ghost"]}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["done"], body["failed"]) == (1, 2)
    assert [(r["cluster"], r["ok"], r["status"], r["code"]) for r in body["results"]] == [
        ("a1", True, 200, ""),
        ("a2", False, 409, "invalid_transition"),
        ("ghost", False, 404, "not_found"),
    ]
    assert body["results"][2]["message"] == "No cluster 'ghost'."
    assert _states(cast) == {"a1": "approved", "a2": "draft"}


def test_atomic_undoes_everything_on_one_failure(cast):
    write(cast.a1, 2021, doc(), state="submitted")
    write(cast.a2, 2021, doc(), state="draft")

    response = cast.admin_a.client().post(
        URL + "approve", {"clusters": ["a1", "a2"], "atomic": True}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "bulk_failed"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("clusters.1", "invalid_transition")
    ]
    assert _states(cast) == {"a1": "submitted", "a2": "draft"}
    assert not SubmissionEvent.objects.for_program(cast.prog_a).filter(action="approved").exists()


def test_bulk_return_gives_each_the_comment_and_field_comments(cast):
    write(cast.a1, 2021, doc(), state="submitted")
    write(cast.a2, 2021, doc(), state="submitted")

    response = cast.admin_a.client().post(
        URL + "return",
        {
            "clusters": ["a1", "a2"],
            "comment": "Add your KPIs.",
            "fields": [{"field": "kpis", "comment": "Jobs created are missing."}],
        },
        format="json",
    )

    assert response.json()["done"] == 2
    assert set(
        Submission.objects.for_program(cast.prog_a).values_list("return_comment", flat=True)
    ) == {"Add your KPIs."}
    assert sorted(
        FieldComment.objects.for_program(cast.prog_a).values_list(
            "submission__cluster__slug", "field"
        )
    ) == [("a1", "kpis"), ("a2", "kpis")]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"clusters": []}, "clusters", "required"),
        ({"clusters": ["a1", "a1"]}, "clusters.1", "duplicate"),
        ({"clusters": ["a1"], "atomic": "maybe"}, "atomic", "invalid"),
        ({"clusters": ["a1"], "comment": "x"}, "comment", "unknown_field"),
    ],
)
def test_a_bad_bulk_approve_body_is_a_400(cast, body, field, code):
    response = cast.admin_a.client().post(URL + "approve", body, format="json")

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def test_a_bulk_return_needs_a_comment(cast):
    response = cast.admin_a.client().post(URL + "return", {"clusters": ["a1"]}, format="json")

    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("comment", "required")]


def test_an_editor_may_not_bulk_approve(cast):
    write(cast.a1, 2021, doc(), state="submitted")

    response = cast.editor_a1.client().post(URL + "approve", {"clusters": ["a1"]}, format="json")

    assert response.status_code == 403
    assert _states(cast) == {"a1": "submitted"}


def test_another_programmes_cluster_is_not_found_and_untouched(cast):
    write(cast.b1, 2021, doc(currency="NOK"), state="submitted")

    response = cast.admin_a.client().post(URL + "approve", {"clusters": ["b1"]}, format="json")

    assert response.json()["results"][0]["status"] == 404
    assert Submission.objects.for_program(cast.prog_b).get().state == "submitted"


def _approve_queries(cast, slugs):
    client = cast.admin_a.client()
    client.get("/api/v1/programs/prog-a/")  # the token's first use records last_used_at
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL + "approve", {"clusters": slugs}, format="json")
    assert response.json()["done"] == len(slugs)
    return len(ctx)


def test_each_cluster_costs_a_fixed_number_of_queries(cast):
    slugs = []
    for i in range(5):
        cluster = ClusterFactory.create(program=cast.prog_a, slug=f"x{i}")
        write(cluster, 2021, doc(), state="submitted")
        slugs.append(cluster.slug)
    two = _approve_queries(cast, slugs[:2])
    Submission.objects.for_program(cast.prog_a).update(state="submitted")
    five = _approve_queries(cast, slugs)

    # per cluster: two savepoints (the bulk's and the approve's), lock, save, history entry,
    # the programme lock and the stored figures dropped (impact.services.figures.figures_drop),
    # the mail outbox entry, the webhook endpoints that want the event, two releases
    assert (five - two) == 3 * PER_CLUSTER


PER_CLUSTER = 11


def test_graphql_bulk_approve_reports_each_cluster(cast):
    write(cast.a1, 2021, doc(), state="submitted")

    result = gql(
        cast.admin_a,
        'mutation { approveSubmissions(program: "prog-a", year: 2021, clusters: ["a1", "a2"])'
        " { done failed results { cluster ok state status code } } }",
    )

    assert result["data"]["approveSubmissions"] == {
        "done": 1,
        "failed": 1,
        "results": [
            {"cluster": "a1", "ok": True, "state": "approved", "status": 200, "code": ""},
            {"cluster": "a2", "ok": False, "state": None, "status": 404, "code": "not_found"},
        ],
    }


def test_graphql_atomic_bulk_return_is_a_conflict(cast):
    write(cast.a1, 2021, doc(), state="submitted")

    result = gql(
        cast.admin_a,
        'mutation { returnSubmissions(program: "prog-a", year: 2021, clusters: ["a1", "a2"],'
        ' comment: "Fix.", atomic: true) { done } }',
    )

    assert result["errors"][0]["extensions"]["reason"] == "bulk_failed"
    assert _states(cast) == {"a1": "submitted"}
