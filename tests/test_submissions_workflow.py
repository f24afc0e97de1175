"""The submission workflow: every move by every role from every state, history, events,
the period status report and the GraphQL equivalents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clusters.models import Submission, SubmissionEvent
from clusters.services.documents import Document, FundingItem
from clusters.services.history import document_diff
from tests.givens import NOT_FOUND, YEAR, add_submission, body, open_period, sub_url
from tests.graphql_client import gql

pytestmark = pytest.mark.django_db

OK, CONFLICT, FORBIDDEN = 200, 409, 403

# (move, role, state) -> (status, state afterwards, new history entry?)
MATRIX = [
    # submit: the cluster's editor or an admin; draft|returned -> submitted.
    ("submit", "admin", "draft", OK, "submitted", True),
    ("submit", "admin", "returned", OK, "submitted", True),
    ("submit", "admin", "submitted", OK, "submitted", False),
    ("submit", "admin", "approved", CONFLICT, "approved", False),
    ("submit", "editor", "draft", OK, "submitted", True),
    ("submit", "editor", "returned", OK, "submitted", True),
    ("submit", "editor", "submitted", OK, "submitted", False),
    ("submit", "editor", "approved", CONFLICT, "approved", False),
    ("submit", "analyst", "draft", FORBIDDEN, "draft", False),
    ("submit", "analyst", "returned", FORBIDDEN, "returned", False),
    ("submit", "analyst", "submitted", FORBIDDEN, "submitted", False),
    ("submit", "analyst", "approved", FORBIDDEN, "approved", False),
    # approve: admin only; submitted -> approved.
    ("approve", "admin", "draft", CONFLICT, "draft", False),
    ("approve", "admin", "returned", CONFLICT, "returned", False),
    ("approve", "admin", "submitted", OK, "approved", True),
    ("approve", "admin", "approved", OK, "approved", False),
    ("approve", "editor", "draft", FORBIDDEN, "draft", False),
    ("approve", "editor", "returned", FORBIDDEN, "returned", False),
    ("approve", "editor", "submitted", FORBIDDEN, "submitted", False),
    ("approve", "editor", "approved", FORBIDDEN, "approved", False),
    ("approve", "analyst", "draft", FORBIDDEN, "draft", False),
    ("approve", "analyst", "returned", FORBIDDEN, "returned", False),
    ("approve", "analyst", "submitted", FORBIDDEN, "submitted", False),
    ("approve", "analyst", "approved", FORBIDDEN, "approved", False),
    # return: admin only; submitted -> returned.
    ("return", "admin", "draft", CONFLICT, "draft", False),
    ("return", "admin", "returned", OK, "returned", False),
    ("return", "admin", "submitted", OK, "returned", True),
    ("return", "admin", "approved", CONFLICT, "approved", False),
    ("return", "editor", "draft", FORBIDDEN, "draft", False),
    ("return", "editor", "returned", FORBIDDEN, "returned", False),
    ("return", "editor", "submitted", FORBIDDEN, "submitted", False),
    ("return", "editor", "approved", FORBIDDEN, "approved", False),
    ("return", "analyst", "draft", FORBIDDEN, "draft", False),
    ("return", "analyst", "returned", FORBIDDEN, "returned", False),
    ("return", "analyst", "submitted", FORBIDDEN, "submitted", False),
    ("return", "analyst", "approved", FORBIDDEN, "approved", False),
    # reopen: admin only; approved -> draft.
    ("reopen", "admin", "draft", OK, "draft", False),
    ("reopen", "admin", "returned", CONFLICT, "returned", False),
    ("reopen", "admin", "submitted", CONFLICT, "submitted", False),
    ("reopen", "admin", "approved", OK, "draft", True),
    ("reopen", "editor", "draft", FORBIDDEN, "draft", False),
    ("reopen", "editor", "returned", FORBIDDEN, "returned", False),
    ("reopen", "editor", "submitted", FORBIDDEN, "submitted", False),
    ("reopen", "editor", "approved", FORBIDDEN, "approved", False),
    ("reopen", "analyst", "draft", FORBIDDEN, "draft", False),
    ("reopen", "analyst", "returned", FORBIDDEN, "returned", False),
    ("reopen", "analyst", "submitted", FORBIDDEN, "submitted", False),
    ("reopen", "analyst", "approved", FORBIDDEN, "approved", False),
]


def _member(cast, role):
    return {"admin": cast.admin_a, "editor": cast.editor_a1, "analyst": cast.analyst_a}[role]


def _post(member, move, **kwargs):
    data = {"comment": "Costs are missing."} if move == "return" else None
    return member.client().post(sub_url(suffix=move), data, format="json", **kwargs)


@pytest.mark.parametrize(
    ("move", "role", "state", "status", "after", "logged"),
    MATRIX,
    ids=[f"{m}-{r}-{s}" for m, r, s, *_ in MATRIX],
)
def test_the_workflow_matrix(cast, recomputes, move, role, state, status, after, logged):
    open_period(cast.prog_a)
    add_submission(cast.a1, state=state, version=3)

    response = _post(_member(cast, role), move)

    assert response.status_code == status, response.content
    stored = Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=YEAR)
    assert stored.state == after
    assert stored.version == (4 if logged else 3)
    events_ = list(SubmissionEvent.objects.for_program(cast.prog_a))
    assert len(events_) == (1 if logged else 0)
    if status == OK:
        assert response.json()["state"] == after
        assert response["ETag"] == f'"{stored.version}"'
    if status == CONFLICT:
        assert response.json()["code"] == "invalid_transition"
    if logged:
        assert (events_[0].from_state, events_[0].to_state, events_[0].version) == (state, after, 4)
    expect_recompute = logged and move in ("approve", "reopen")
    assert recomputes == (
        [{"program_id": cast.prog_a.pk, "years": [YEAR]}] if expect_recompute else []
    )


def test_an_impossible_move_explains_itself(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="draft")

    response = _post(cast.admin_a, "approve")

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    message = "Cannot approve a submission that is draft; approve applies to submitted submissions."
    assert response.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "code": "invalid_transition",
        "detail": message,
        "errors": [{"field": "state", "code": "invalid_transition", "message": message}],
    }


def test_an_editor_may_not_submit_in_a_closed_period_but_an_admin_may(cast):
    open_period(cast.prog_a, state="closed")
    add_submission(cast.a1, state="draft")

    denied = _post(cast.editor_a1, "submit")
    allowed = _post(cast.admin_a, "submit")

    assert denied.status_code == 409
    assert denied.json()["code"] == "period_closed"
    assert allowed.status_code == 200


def test_return_needs_a_comment(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="submitted")

    response = cast.admin_a.client().post(sub_url(suffix="return"), {"comment": " "}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "comment",
            "code": "required",
            "message": "Say what the cluster should fix: a comment is required.",
        }
    ]
    assert Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1).state == "submitted"


def test_return_rejects_unknown_keys(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="submitted")

    response = cast.admin_a.client().post(
        sub_url(suffix="return"), {"comment": "x", "state": "draft"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "state"


def test_a_move_on_a_missing_submission_is_404(cast):
    open_period(cast.prog_a)

    response = _post(cast.admin_a, "submit")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert not Submission.objects.for_program(cast.prog_a).exists()


def test_a_stale_if_match_on_a_move_is_412(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="submitted", version=5)

    response = _post(cast.admin_a, "approve", HTTP_IF_MATCH='"4"')

    assert response.status_code == 412
    assert Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1).state == "submitted"


def test_a_repeated_move_is_safe_even_with_the_old_if_match(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="submitted", version=5)
    first = _post(cast.admin_a, "approve", HTTP_IF_MATCH='"5"')

    again = _post(cast.admin_a, "approve", HTTP_IF_MATCH='"5"')

    assert first.status_code == again.status_code == 200
    assert again.json()["version"] == 6
    assert SubmissionEvent.objects.for_program(cast.prog_a).count() == 1


# --- history ---------------------------------------------------------------------------


def test_history_records_every_change_with_its_differences(cast):
    open_period(cast.prog_a)
    editor, admin = cast.editor_a1.client(), cast.admin_a.client()
    editor.put(
        sub_url(),
        body(
            funding=[{"source": "membership_fees", "amount": "1.00"}],
            costs=[],
            kpis=[],
            notes="",
            staff_fte=None,
        ),
        format="json",
    )
    editor.patch(
        sub_url(),
        {
            "funding": [
                {"source": "membership_fees", "amount": "2.00"},
                {"source": "training", "amount": "5.00"},
            ]
        },
        format="json",
    )
    _post(cast.editor_a1, "submit")
    admin.post(sub_url(suffix="return"), {"comment": "Add costs."}, format="json")
    editor.patch(sub_url(), {"costs": [{"category": "staff", "amount": "3.00"}]}, format="json")
    _post(cast.editor_a1, "submit")
    _post(cast.admin_a, "approve")

    response = cast.analyst_a.client().get(sub_url(suffix="history"))

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 7
    rows = [
        (
            e["action"],
            e["actor"],
            e["via"],
            e["from_state"],
            e["to_state"],
            e["version"],
            e["comment"],
            e["changes"],
        )
        for e in data["results"]
    ]
    assert rows == [
        (
            "created",
            "token:editor_a1",
            "rest",
            "",
            "draft",
            1,
            "",
            [
                {"field": "currency", "from": None, "to": "EUR"},
                {"field": "funding.membership_fees.amount", "from": None, "to": "1.00"},
            ],
        ),
        (
            "updated",
            "token:editor_a1",
            "rest",
            "draft",
            "draft",
            2,
            "",
            [
                {"field": "funding.membership_fees.amount", "from": "1.00", "to": "2.00"},
                {"field": "funding.training.amount", "from": None, "to": "5.00"},
            ],
        ),
        ("submitted", "token:editor_a1", "rest", "draft", "submitted", 3, "", []),
        ("returned", "token:admin_a", "rest", "submitted", "returned", 4, "Add costs.", []),
        (
            "updated",
            "token:editor_a1",
            "rest",
            "returned",
            "returned",
            5,
            "",
            [{"field": "costs.staff.amount", "from": None, "to": "3.00"}],
        ),
        ("submitted", "token:editor_a1", "rest", "returned", "submitted", 6, "", []),
        ("approved", "token:admin_a", "rest", "submitted", "approved", 7, "", []),
    ]
    assert cast.admin_a.client().get(sub_url()).json()["return_comment"] == "Add costs."


def test_history_of_a_missing_submission_is_404(cast):
    response = cast.admin_a.client().get(sub_url(suffix="history"))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("changes", [1, 6])
def test_history_runs_a_fixed_number_of_queries(cast, changes, django_assert_num_queries):
    open_period(cast.prog_a)
    client = cast.admin_a.client()
    for i in range(changes):
        client.put(sub_url(), body(notes=f"v{i}"), format="json")

    # token, programme, cluster, submission, count, events
    with django_assert_num_queries(6):
        response = client.get(sub_url(suffix="history"))

    assert response.json()["count"] == changes


def test_document_diff_reports_removed_lines_and_flags():
    old = Document("EUR", funding=[FundingItem("training", __import__("decimal").Decimal("5"))])
    new = Document(
        "NOK",
        funding=[FundingItem("eu_projects", __import__("decimal").Decimal("7.5"), in_kind=True)],
    )

    assert document_diff(old, new) == [
        {"field": "currency", "from": "EUR", "to": "NOK"},
        {"field": "funding.eu_projects.amount", "from": None, "to": "7.50"},
        {"field": "funding.eu_projects.in_kind", "from": None, "to": "true"},
        {"field": "funding.training.amount", "from": "5.00", "to": None},
    ]


# --- period status ---------------------------------------------------------------------


def _status_world(cast, *, closes_on):
    open_period(cast.prog_a, opens_on=dt.date(2022, 1, 1), closes_on=closes_on)
    add_submission(cast.a1, state="approved", version=4)
    # a2 has nothing; another programme's submission never counts.
    open_period(cast.prog_b)
    add_submission(cast.b1, state="draft")


def test_period_status_after_the_close(cast):
    _status_world(cast, closes_on=dt.date(2022, 3, 31))

    response = cast.analyst_a.client().get("/api/v1/programs/prog-a/periods/2021/status")

    assert response.status_code == 200
    data = response.json()
    assert (
        data["year"],
        data["opens_on"],
        data["closes_on"],
        data["period_state"],
        data["past_close"],
    ) == (2021, "2022-01-01", "2022-03-31", "open", True)
    assert data["counts"] == {
        "clusters": 2,
        "missing": 1,
        "draft": 0,
        "submitted": 0,
        "returned": 0,
        "approved": 1,
        "late": 1,
    }
    assert [(c["cluster"], c["state"], c["version"], c["late"]) for c in data["clusters"]] == [
        ("a1", "approved", 4, False),
        ("a2", "missing", None, True),
    ]


def test_period_status_before_the_close_has_nothing_late(cast):
    _status_world(cast, closes_on=timezone.localdate() + dt.timedelta(days=5))
    add_submission(cast.a2, state="draft")

    data = cast.admin_a.client().get("/api/v1/programs/prog-a/periods/2021/status").json()

    assert data["counts"]["late"] == 0
    assert data["counts"]["draft"] == 1 and data["counts"]["missing"] == 0
    assert [c["late"] for c in data["clusters"]] == [False, False]


def test_period_status_is_not_for_editors(cast):
    _status_world(cast, closes_on=dt.date(2022, 3, 31))

    response = cast.editor_a1.client().get("/api/v1/programs/prog-a/periods/2021/status")

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Portfolio figures are for the program_admin and program_analyst roles."
    )


def test_period_status_of_a_missing_period_is_404(cast):
    response = cast.admin_a.client().get("/api/v1/programs/prog-a/periods/1990/status")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("extra_clusters", [0, 12])
def test_period_status_runs_a_fixed_number_of_queries(
    cast, extra_clusters, django_assert_num_queries
):
    from tests.factories import ClusterFactory

    _status_world(cast, closes_on=dt.date(2022, 3, 31))
    for i in range(extra_clusters):
        add_submission(ClusterFactory.create(program=cast.prog_a, slug=f"x{i}"), state="submitted")
    client = cast.admin_a.client()
    client.get("/api/v1/programs/prog-a/")  # the token's first use records last_used_at

    # token, programme, period, counts, rows; the submissions and their funding, costs and
    # KPIs; warning rules, last year's funding, KPI history, fx rates
    with django_assert_num_queries(13):
        response = client.get("/api/v1/programs/prog-a/periods/2021/status")

    assert response.json()["counts"]["clusters"] == 2 + extra_clusters


# --- GraphQL ---------------------------------------------------------------------------

PUT = """
mutation($input: SubmissionInput!, $ifMatch: Int, $cluster: String!) {
  putSubmission(program: "prog-a", cluster: $cluster, year: 2021, input: $input, ifMatch: $ifMatch) {
    year state version currency funding { amount inKind source { code category } }
    kpis { value kpi { code } }
  }
}"""

GQL_INPUT = {
    "currency": "EUR",
    "funding": [{"source": "membership_fees", "amount": "200000.00"}],
    "kpis": [{"code": "members_total", "value": "165"}],
}


def test_graphql_put_submit_and_read_history(cast):
    open_period(cast.prog_a)

    put = gql(cast.editor_a1, PUT, {"input": GQL_INPUT, "cluster": "a1"})
    submit = gql(
        cast.editor_a1,
        """mutation { submitSubmission(program: "prog-a", cluster: "a1",
        year: 2021, ifMatch: 1) { state version } }""",
    )
    read = gql(
        cast.analyst_a,
        """{ program(slug: "prog-a") { cluster(slug: "a1") {
        submission(year: 2021) { state version history { action actorLabel via fromState toState
        version changes { field from to } } } } } }""",
    )

    assert put["errors"] is None
    assert put["data"]["putSubmission"] == {
        "year": 2021,
        "state": "draft",
        "version": 1,
        "currency": "EUR",
        "funding": [
            {
                "amount": "200000.00",
                "inKind": False,
                "source": {"code": "membership_fees", "category": "private"},
            }
        ],
        "kpis": [{"value": "165", "kpi": {"code": "members_total"}}],
    }
    assert submit["data"]["submitSubmission"] == {"state": "submitted", "version": 2}
    history = read["data"]["program"]["cluster"]["submission"]["history"]
    assert history == [
        {
            "action": "created",
            "actorLabel": "token:editor_a1",
            "via": "graphql",
            "fromState": "",
            "toState": "draft",
            "version": 1,
            "changes": [
                {"field": "currency", "from": None, "to": "EUR"},
                {"field": "funding.membership_fees.amount", "from": None, "to": "200000.00"},
                {"field": "kpis.members_total.value", "from": None, "to": "165"},
            ],
        },
        {
            "action": "submitted",
            "actorLabel": "token:editor_a1",
            "via": "graphql",
            "fromState": "draft",
            "toState": "submitted",
            "version": 2,
            "changes": [],
        },
    ]


def test_graphql_validation_errors_name_the_field(cast):
    open_period(cast.prog_a)
    bad = {**GQL_INPUT, "funding": [{"source": "membership_fees", "amount": "-1"}]}

    result = gql(cast.admin_a, PUT, {"input": bad, "cluster": "a1"})

    assert result["data"] is None
    assert result["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "status": 400,
        "errors": [
            {
                "field": "funding.0.amount",
                "code": "negative",
                "message": "-1 is negative; amounts are 0 or more.",
            }
        ],
    }
    assert Submission.objects.for_program(cast.prog_a).count() == 0


def test_graphql_stale_if_match_is_precondition_failed(cast):
    open_period(cast.prog_a)
    gql(cast.admin_a, PUT, {"input": GQL_INPUT, "cluster": "a1"})

    result = gql(
        cast.admin_a,
        PUT,
        {"input": {**GQL_INPUT, "currency": "NOK"}, "ifMatch": 7, "cluster": "a1"},
    )

    assert result["errors"][0]["extensions"] == {
        "code": "PRECONDITION_FAILED",
        "status": 412,
        "reason": "precondition_failed",
        "errors": [
            {
                "field": "If-Match",
                "code": "precondition_failed",
                "message": "The submission is at version 1; your If-Match (7) is stale. "
                "GET it again and reapply your change.",
            }
        ],
    }
    assert result["errors"][0]["message"] == (
        "The submission is at version 1; your If-Match (7) is stale. GET it again and reapply "
        "your change."
    )


def test_graphql_impossible_move_is_conflict(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="draft")

    result = gql(
        cast.admin_a,
        """mutation { reopenSubmission(program: "prog-a", cluster: "a1",
        year: 2021) { state } approveSubmission(program: "prog-a", cluster: "a1", year: 2021)
        { state } }""",
    )

    assert result["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "status": 409,
        "reason": "invalid_transition",
        "errors": [
            {
                "field": "state",
                "code": "invalid_transition",
                "message": "Cannot approve a submission that is draft; "
                "approve applies to submitted submissions.",
            }
        ],
    }


def test_graphql_return_and_roles(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="submitted")
    mutation = """mutation { returnSubmission(program: "prog-a", cluster: "a1", year: 2021,
        comment: "Add costs.") { state returnComment } }"""

    denied = gql(cast.editor_a1, mutation)
    done = gql(cast.admin_a, mutation)

    assert denied["errors"][0]["extensions"] == {"code": "FORBIDDEN", "status": 403}
    assert done["data"]["returnSubmission"] == {"state": "returned", "returnComment": "Add costs."}


@pytest.mark.parametrize(("member", "cluster"), [("admin_b", "a1"), ("editor_a1", "a2")])
def test_graphql_never_reaches_another_tenant_or_an_unheld_cluster(cast, member, cluster):
    open_period(cast.prog_a)
    add_submission(cast.a2, state="submitted")
    add_submission(cast.a1, state="submitted")

    write = gql(getattr(cast, member), PUT, {"input": GQL_INPUT, "cluster": cluster})
    read = gql(
        getattr(cast, member),
        """query($c: String!) { program(slug: "prog-a") {
        cluster(slug: $c) { submission(year: 2021) { state } } } }""",
        {"c": cluster},
    )

    assert write["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert read["data"]["program"] in (None, {"cluster": None})
    assert (
        Submission.objects.for_program(cast.prog_a).get(cluster=getattr(cast, cluster)).version == 1
    )


NESTED = """{ program(slug: "prog-a") { clusters { slug submissions { year state
    funding { amount source { code } } history { action version } } } } }"""


@pytest.mark.parametrize("extra", [0, 4])
def test_graphql_nested_history_has_a_fixed_query_count(cast, extra, django_assert_num_queries):
    from tests.factories import ClusterFactory

    open_period(cast.prog_a)
    client = cast.admin_a.client()
    clusters = ["a1", "a2"] + [
        ClusterFactory.create(program=cast.prog_a, slug=f"n{i}").slug for i in range(extra)
    ]
    for slug in clusters:
        assert client.put(sub_url(cluster=slug), body(), format="json").status_code == 201
    gql(cast.admin_a, "{ programs { slug } }")  # warm up the token

    # token, programme, clusters, submissions, funding, sources, history
    with django_assert_num_queries(7):
        result = gql(cast.admin_a, NESTED)

    rows = result["data"]["program"]["clusters"]
    assert len(rows) == len(clusters)
    assert all(
        r["submissions"][0]["history"] == [{"action": "created", "version": 1}] for r in rows
    )


def test_graphql_nested_history_stays_inside_the_editors_clusters(cast):
    open_period(cast.prog_a)
    open_period(cast.prog_b)
    for member, slug, program in (
        (cast.admin_a, "a1", "prog-a"),
        (cast.admin_a, "a2", "prog-a"),
        (cast.admin_b, "b1", "prog-b"),
    ):
        member.client().put(sub_url(program=program, cluster=slug), body(), format="json")

    result = gql(cast.editor_a1, NESTED)

    assert [r["slug"] for r in result["data"]["program"]["clusters"]] == ["a1"]
    assert len(result["data"]["program"]["clusters"][0]["submissions"][0]["history"]) == 1
