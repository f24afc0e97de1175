"""An attacker's review of tenant isolation and permissions (REST, GraphQL, admin, tasks).

Each hole the review found has a test here that failed before its fix and now pins it
down; the other tests pin behaviour that held from the start and must keep holding. The standing cast is in conftest.py: prog_a (a1, a2), prog_b (b1); admin_a,
analyst_a, editor_a1 (holds a1 only), admin_b.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from clusters.models import (
    ApiToken,
    FundingSource,
    KpiDefinition,
    Membership,
    Role,
    Submission,
    SubmissionState,
)
from clusters.services.tokens import token_create, token_revoke
from impact.models import Roadmap
from tests.factories import ClusterFactory, UserFactory
from tests.givens import (
    BAD_TOKEN,
    PORTFOLIO_ROLES,
    YEAR,
    add_submission,
    body,
    open_period,
    problem,
    sub_url,
)
from tests.graphql_client import gql

pytestmark = pytest.mark.django_db


# --- givens --------------------------------------------------------------------------


def _b_only_reference(cast) -> None:
    """A funding source and a KPI that exist only in programme B."""
    FundingSource.objects.create(
        program=cast.prog_b, code="b_secret_fund", name="B fund", category="public"
    )
    KpiDefinition.objects.create(
        program=cast.prog_b, code="b_secret_kpi", name="B KPI", unit="count", kind="activity"
    )


UNKNOWN_SOURCE = "Unknown funding source 'b_secret_fund'; see /funding-sources/."
UNKNOWN_KPI = "Unknown KPI 'b_secret_kpi'; define it in /kpis/ first."


def _errors(response) -> list[tuple[str, str, str]]:
    return [(e["field"], e["code"], e["message"]) for e in response.json()["errors"]]


def _gql_session(client: Client, query: str, variables: dict | None = None):
    return client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )


ROADMAP_BODY = {
    "kpi": "members_total",
    "baseline": {"year": 2020, "value": "100"},
    "milestones": [{"year": 2023, "target": "150"}],
}


# === 1. Another programme's codes in request bodies ==================================


def test_put_submission_with_a_funding_source_of_b_is_a_400(cast):
    _b_only_reference(cast)
    open_period(cast.prog_a)
    data = body(funding=[{"source": "b_secret_fund", "amount": "1.00"}])

    response = cast.editor_a1.client().put(sub_url(), data, format="json")

    assert response.status_code == 400
    assert _errors(response) == [("funding.0.source", "unknown_source", UNKNOWN_SOURCE)]
    assert not Submission.objects.for_program(cast.prog_a).exists()


def test_put_submission_with_a_kpi_of_b_is_a_400(cast):
    _b_only_reference(cast)
    open_period(cast.prog_a)
    data = body(kpis=[{"code": "b_secret_kpi", "value": "1"}])

    response = cast.admin_a.client().put(sub_url(), data, format="json")

    assert response.status_code == 400
    assert _errors(response) == [("kpis.0.code", "unknown_kpi", UNKNOWN_KPI)]
    assert not Submission.objects.for_program(cast.prog_a).exists()


def test_roadmap_with_a_kpi_of_b_is_a_400(cast):
    _b_only_reference(cast)
    url = "/api/v1/programs/prog-a/clusters/a1/roadmaps/"

    response = cast.editor_a1.client().post(
        url, {**ROADMAP_BODY, "kpi": "b_secret_kpi"}, format="json"
    )

    assert response.status_code == 400
    assert _errors(response) == [("kpi", "unknown_kpi", UNKNOWN_KPI)]
    assert not Roadmap.objects.for_program(cast.prog_a).exists()


def test_scenario_with_a_source_of_b_is_a_400(cast):
    _b_only_reference(cast)
    url = "/api/v1/programs/prog-a/portfolio/scenarios"
    data = {"year": YEAR, "changes": [{"source": "b_secret_fund", "factor": "0.5"}]}

    response = cast.admin_a.client().post(url, data, format="json")

    assert response.status_code == 400
    assert _errors(response) == [("changes.0.source", "unknown_source", UNKNOWN_SOURCE)]


def _facts_csv(rows: list[str]) -> io.BytesIO:
    text = "cluster,year,currency,line,code,amount\n" + "".join(r + "\n" for r in rows)
    f = io.BytesIO(text.encode())
    f.name = "facts.csv"
    return f


def test_facts_import_naming_b1_or_an_unheld_cluster_is_unknown_cluster(cast):
    open_period(cast.prog_a)
    url = "/api/v1/programs/prog-a/imports/facts"

    as_admin = cast.admin_a.client().post(
        url,
        {"file": _facts_csv([f"b1,{YEAR},EUR,funding,membership_fees,1.00"])},
        format="multipart",
    )
    as_editor = cast.editor_a1.client().post(
        url,
        {"file": _facts_csv([f"a2,{YEAR},EUR,funding,membership_fees,1.00"])},
        format="multipart",
    )
    missing = cast.editor_a1.client().post(
        url,
        {"file": _facts_csv([f"zz,{YEAR},EUR,funding,membership_fees,1.00"])},
        format="multipart",
    )

    assert as_admin.status_code == as_editor.status_code == missing.status_code == 400
    assert _errors(as_admin) == [
        ("row 2: cluster", "unknown_cluster", "No cluster 'b1' in this programme.")
    ]
    assert _errors(as_editor) == [
        ("row 2: cluster", "unknown_cluster", "No cluster 'a2' in this programme.")
    ]
    # The editor cannot tell a2 (exists, unheld) from a cluster that does not exist.
    assert [e["message"].replace("a2", "X") for e in as_editor.json()["errors"]] == [
        e["message"].replace("zz", "X") for e in missing.json()["errors"]
    ]
    assert not Submission.objects.for_program(cast.prog_b).exists()
    assert not Submission.objects.for_program(cast.prog_a).filter(cluster=cast.a2).exists()


def test_facts_import_with_a_funding_source_of_b_is_a_400(cast):
    # Given an open period, so the only thing wrong with the row can be its source
    _b_only_reference(cast)
    open_period(cast.prog_a)
    url = "/api/v1/programs/prog-a/imports/facts"

    response = cast.admin_a.client().post(
        url, {"file": _facts_csv([f"a1,{YEAR},EUR,funding,b_secret_fund,1.00"])}, format="multipart"
    )

    assert response.status_code == 400
    assert _errors(response) == [("row 2: code", "unknown_source", UNKNOWN_SOURCE)]
    assert not Submission.objects.for_program(cast.prog_a).exists()


def test_the_same_facts_row_with_a_source_of_a_is_imported(cast):
    # The control of the test above: only the source made that row wrong.
    open_period(cast.prog_a)
    url = "/api/v1/programs/prog-a/imports/facts"

    response = cast.admin_a.client().post(
        url, {"file": _facts_csv([f"a1,{YEAR},EUR,funding,eu_projects,1.00"])}, format="multipart"
    )

    assert response.status_code == 200
    assert Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=YEAR)


def test_xlsx_upload_path_for_b1_or_unheld_a2_is_a_404(cast):
    for member, program, cluster, detail in (
        (cast.admin_a, "prog-b", "b1", "No programme 'prog-b'."),
        (cast.editor_a1, "prog-a", "a2", "No cluster 'a2'."),
        (cast.admin_a, "prog-a", "b1", "No cluster 'b1'."),
    ):
        url = f"/api/v1/programs/{program}/clusters/{cluster}/submissions/{YEAR}/upload.xlsx"
        f = io.BytesIO(b"not a workbook")
        f.name = "x.xlsx"
        response = member.client().post(url, {"file": f}, format="multipart")
        assert response.status_code == 404, cluster
        assert response.json() == problem(404, detail, "not_found")


# === 2. GraphQL nested lists ==========================================================

NESTED = """
query($slug: String!) { program(slug: $slug) { slug
  clusters { slug submissions { year history { action } funding { amount source { code } }
                                 kpis { value kpi { code } } }
             roadmaps { kpi cluster milestones { year } } }
  roadmaps { cluster kpi }
  fundingSources { code } kpis { code } } }
"""


@pytest.fixture
def filled(cast):
    """An approved submission and a roadmap in a1, a2 and b1 (through the services)."""
    from clusters.services import submissions as sub_svc
    from clusters.services import workflow
    from impact.services.roadmaps import roadmap_create

    for program, cluster, admin in (
        (cast.prog_a, cast.a1, cast.admin_a),
        (cast.prog_a, cast.a2, cast.admin_a),
        (cast.prog_b, cast.b1, cast.admin_b),
    ):
        open_period(program)
        access = admin.access(program)
        data = body(currency=program.currency)
        sub_svc.submission_put(access=access, cluster=cluster, year=YEAR, data=data)
        workflow.submission_submit(access=access, cluster=cluster, year=YEAR)
        workflow.submission_approve(access=access, cluster=cluster, year=YEAR)
        roadmap_create(access=access, cluster=cluster, data=ROADMAP_BODY)
    return cast


def test_graphql_nested_lists_as_editor_a1_stay_inside_a1(filled):
    result = gql(filled.editor_a1, NESTED, {"slug": "prog-a"})

    assert result["errors"] is None
    program = result["data"]["program"]
    assert [c["slug"] for c in program["clusters"]] == ["a1"]
    assert {r["cluster"] for r in program["roadmaps"]} == {"a1"}
    cluster = program["clusters"][0]
    assert len(cluster["submissions"]) == 1
    assert cluster["submissions"][0]["history"]  # its own history is readable
    assert {r["cluster"] for r in cluster["roadmaps"]} == {"a1"}


def test_graphql_nested_lists_as_admin_b_see_nothing_of_a(filled):
    result = gql(filled.admin_b, NESTED, {"slug": "prog-a"})
    assert result["data"]["program"] is None
    own = gql(filled.admin_b, NESTED, {"slug": "prog-b"})["data"]["program"]
    assert [c["slug"] for c in own["clusters"]] == ["b1"]
    assert {r["cluster"] for r in own["roadmaps"]} == {"b1"}


def test_graphql_cluster_submission_of_unheld_cluster_is_null(filled):
    q = (
        'query { program(slug: "prog-a") { cluster(slug: "a2") { slug submission(year: %d) { year } } } }'
        % YEAR
    )
    assert gql(filled.editor_a1, q)["data"]["program"]["cluster"] is None


# === 3. GraphQL mutation arguments naming another programme or an unheld cluster =====

MUTATIONS = {
    "putSubmission": 'mutation { putSubmission(program: "%(p)s", cluster: "%(c)s", year: %(y)d, '
    'input: {currency: "EUR"}) { year } }',
    "submitSubmission": 'mutation { submitSubmission(program: "%(p)s", cluster: "%(c)s", year: %(y)d) { year } }',
    "approveSubmission": 'mutation { approveSubmission(program: "%(p)s", cluster: "%(c)s", year: %(y)d) { year } }',
    "returnSubmission": 'mutation { returnSubmission(program: "%(p)s", cluster: "%(c)s", year: %(y)d, '
    'comment: "x") { year } }',
    "reopenSubmission": 'mutation { reopenSubmission(program: "%(p)s", cluster: "%(c)s", year: %(y)d) { year } }',
    "updateCluster": 'mutation { updateCluster(program: "%(p)s", slug: "%(c)s", data: {name: "pwned"}) { slug } }',
    "deleteCluster": 'mutation { deleteCluster(program: "%(p)s", slug: "%(c)s") }',
    "putRoadmap": 'mutation { putRoadmap(program: "%(p)s", cluster: "%(c)s", kpi: "members_total", '
    'data: {baseline: {year: 2020, value: "1"}, milestones: [{year: 2022, target: "2"}]}) { kpi } }',
    "deleteRoadmap": 'mutation { deleteRoadmap(program: "%(p)s", cluster: "%(c)s", kpi: "members_total") }',
}


def _error_code(result) -> str | None:
    errors = result["errors"] or []
    return errors[0].get("extensions", {}).get("code") if errors else None


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize(
    "who,program,cluster",
    [
        ("admin_b", "prog-a", "a1"),  # another programme by slug
        ("admin_a", "prog-a", "b1"),  # B's cluster under A's slug
        ("editor_a1", "prog-a", "a2"),  # an unheld cluster
        ("admin_a", "prog-b", "b1"),  # another programme, its own cluster
    ],
)
def test_graphql_mutations_on_foreign_or_unheld_targets_are_not_found(
    filled, name, who, program, cluster
):
    member = getattr(filled, who)
    before = {(s.cluster_id, s.state, s.version) for s in Submission.objects.unscoped()}
    roadmaps_before = Roadmap.objects.unscoped().count()

    result = gql(member, MUTATIONS[name] % {"p": program, "c": cluster, "y": YEAR})

    assert _error_code(result) == "NOT_FOUND", result
    assert {(s.cluster_id, s.state, s.version) for s in Submission.objects.unscoped()} == before
    assert Roadmap.objects.unscoped().count() == roadmaps_before
    assert "pwned" not in {c.name for c in type(filled.a1).objects.unscoped()}


def test_graphql_create_cluster_in_another_programme_is_not_found(cast):
    q = (
        'mutation { createCluster(program: "prog-b", data: {slug: "x", name: "X", country: "NO", '
        'stage: "baby", category: "build"}) { slug } }'
    )
    assert _error_code(gql(cast.admin_a, q)) == "NOT_FOUND"
    assert not type(cast.b1).objects.for_program(cast.prog_b).filter(slug="x").exists()


# Was a low hole until 9e0d11b: the required-field check ran before the role check.
def test_graphql_create_cluster_by_an_editor_is_forbidden_before_validation(cast):
    q = 'mutation { createCluster(program: "prog-a", data: {name: "X"}) { slug } }'
    assert _error_code(gql(cast.editor_a1, q)) == "FORBIDDEN"


# === 4. Soft-deleted clusters =========================================================


def test_a_deleted_cluster_is_gone_everywhere(filled):
    admin = filled.admin_a.client()
    assert admin.delete("/api/v1/programs/prog-a/clusters/a2/").status_code == 204
    for path in (
        "clusters/a2/",
        f"clusters/a2/submissions/{YEAR}/",
        "clusters/a2/submissions/",
        f"clusters/a2/submissions/{YEAR}/history",
        "clusters/a2/roadmaps/",
        "clusters/a2/roadmaps/members_total/",
        f"clusters/a2/submissions/{YEAR}/template.xlsx",
    ):
        assert admin.get(f"/api/v1/programs/prog-a/{path}").status_code == 404, path
    deleted_slug = type(filled.a2).objects.unscoped().get(pk=filled.a2.pk).slug
    assert admin.get(f"/api/v1/programs/prog-a/clusters/{deleted_slug}/").status_code == 404
    q = (
        'query { program(slug: "prog-a") { clusters { slug } roadmaps { cluster } '
        'cluster(slug: "%s") { slug } } }' % deleted_slug
    )
    data = gql(filled.admin_a, q)["data"]["program"]
    assert [c["slug"] for c in data["clusters"]] == ["a1"]
    assert {r["cluster"] for r in data["roadmaps"]} == {"a1"}
    assert data["cluster"] is None
    csv_text = b"".join(
        admin.get("/api/v1/programs/prog-a/exports/facts.csv?state=any").streaming_content
    )
    assert b"a2" not in csv_text
    result = gql(
        filled.admin_a,
        MUTATIONS["reopenSubmission"] % {"p": "prog-a", "c": deleted_slug, "y": YEAR},
    )
    assert _error_code(result) == "NOT_FOUND"


# === 5. Tokens: expired, revoked, site staff, deactivated users ======================


def test_expired_and_revoked_tokens_are_401_on_graphql(cast):
    revoked = cast.admin_a
    token_revoke(token=revoked.token)
    expired, raw = token_create(
        name="old",
        role=Role.PROGRAM_ADMIN,
        program=cast.prog_a,
        expires_at=timezone.now() + dt.timedelta(seconds=1),
    )
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    for header in (revoked.headers["Authorization"], f"Bearer {raw}"):
        response = Client().post(
            "/graphql/",
            data=json.dumps({"query": "{ programs { slug } }"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=header,
        )
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_site_staff_token_acts_on_every_programme(cast):
    token, raw = token_create(name="staff", role=Role.PROGRAM_ADMIN, program=None, site_staff=True)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    slugs = {p["slug"] for p in client.get("/api/v1/programs/").json()["results"]}
    assert {"prog-a", "prog-b"} <= slugs
    staff = type(cast.admin_a)("staff", token, raw)
    data = gql(staff, '{ programs { slug } b: program(slug: "prog-b") { clusters { slug } } }')[
        "data"
    ]
    assert [c["slug"] for c in data["b"]["clusters"]] == ["b1"]


def test_a_deactivated_users_token_is_refused(cast):
    person = UserFactory.create(username="leaver")
    token, raw = token_create(
        name="leaver", role=Role.PROGRAM_ADMIN, program=cast.prog_a, user=person
    )
    person.is_active = False
    person.save()

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/programs/prog-a/")

    assert response.status_code == 401
    assert response.json() == BAD_TOKEN


# === 6. Exports, period status and portfolio by role =================================


def test_facts_export_as_editor_holds_only_a1_rows_even_with_state_any(filled):
    add_submission(filled.a2, year=YEAR + 1, state=SubmissionState.DRAFT)
    for query in ("", "?state=any", f"?state=any&year={YEAR}", "?state=draft", "?state=approved"):
        response = filled.editor_a1.client().get(
            f"/api/v1/programs/prog-a/exports/facts.csv{query}"
        )
        assert response.status_code == 200
        lines = b"".join(response.streaming_content).decode().splitlines()[1:]
        assert {line.split(",")[0] for line in lines} <= {"a1"}, query
    admin_lines = b"".join(
        filled.admin_a.client()
        .get("/api/v1/programs/prog-a/exports/facts.csv?state=any")
        .streaming_content
    ).decode()
    assert "a2," in admin_lines and "b1," not in admin_lines


PORTFOLIO_PATHS = [
    f"periods/{YEAR}/status",
    f"portfolio/funding-mix?year={YEAR}",
    f"portfolio/funding-mix/trend?from={YEAR}&to={YEAR}",
    f"portfolio/clusters?year={YEAR}",
    f"portfolio/costs?year={YEAR}",
    f"portfolio/public-reliance?year={YEAR}",
    f"portfolio/value-impact?year={YEAR}",
    f"portfolio/roadmap-progress?year={YEAR}",
    "portfolio/scenarios/",
]


@pytest.mark.parametrize("path", PORTFOLIO_PATHS)
def test_period_status_and_portfolio_403_for_editor_404_for_admin_b(filled, path):
    url = f"/api/v1/programs/prog-a/{path}"

    as_editor = filled.editor_a1.client().get(url)
    as_admin_b = filled.admin_b.client().get(url)
    as_analyst = filled.analyst_a.client().get(url)

    assert (as_editor.status_code, as_editor.json()) == (403, PORTFOLIO_ROLES)
    assert (as_admin_b.status_code, as_admin_b.json()) == (
        404,
        problem(404, "No programme 'prog-a'.", "not_found"),
    )
    assert as_analyst.status_code == 200


def test_graphql_portfolio_fields_are_forbidden_for_editor_and_invisible_to_admin_b(filled):
    q = 'query { program(slug: "prog-a") { fundingMix(year: %d) { total } } }' % YEAR
    assert _error_code(gql(filled.editor_a1, q)) == "FORBIDDEN"
    assert gql(filled.admin_b, q)["data"]["program"] is None
    scenario = (
        'query { scenario(program: "prog-a", year: %d, changes: [{source: "membership_fees", '
        'factor: "0"}]) }' % YEAR
    )
    assert _error_code(gql(filled.admin_b, scenario)) == "NOT_FOUND"
    assert _error_code(gql(filled.editor_a1, scenario)) == "FORBIDDEN"


# === 7. 403 vs 404 and error messages =================================================


def test_b_and_a_missing_programme_look_the_same(cast):
    other = cast.admin_b.client().get("/api/v1/programs/prog-a/clusters/a1/")
    missing = cast.admin_b.client().get("/api/v1/programs/prog-zz/clusters/a1/")
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"].replace("prog-a", "X") == missing.json()["detail"].replace(
        "prog-zz", "X"
    )


def test_unheld_and_missing_cluster_look_the_same_to_an_editor(cast):
    for suffix in ("", f"submissions/{YEAR}/", "roadmaps/", f"submissions/{YEAR}/approve"):
        method = "post" if suffix.endswith("approve") else "get"
        unheld = getattr(cast.editor_a1.client(), method)(
            f"/api/v1/programs/prog-a/clusters/a2/{suffix}"
        )
        missing = getattr(cast.editor_a1.client(), method)(
            f"/api/v1/programs/prog-a/clusters/zz/{suffix}"
        )
        assert unheld.status_code == missing.status_code == 404, suffix
        assert unheld.json()["detail"].replace("a2", "X") == missing.json()["detail"].replace(
            "zz", "X"
        )


def test_graphql_invisible_programme_and_missing_programme_look_the_same(cast):
    q = 'mutation { deleteCluster(program: "%s", slug: "b1") }'
    other, missing = gql(cast.admin_a, q % "prog-b"), gql(cast.admin_a, q % "prog-zz")
    assert _error_code(other) == _error_code(missing) == "NOT_FOUND"
    assert other["errors"][0]["message"].replace("prog-b", "X") == missing["errors"][0][
        "message"
    ].replace("prog-zz", "X")


# === 8. Query parameters ==============================================================


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        # Unknown orderings and filters are ignored, like DRF's and django-filter's.
        ("ordering=program", ["a1", "a2"]),
        ("ordering=program__slug", ["a1", "a2"]),
        ("search=Beta", []),
        ("ordering=-cluster__program", ["a1", "a2"]),
        ("program=2", ["a1", "a2"]),
        ("country=NO", ["a1", "a2"]),
    ],
)
def test_filters_and_ordering_never_reach_b(cast, query, slugs):
    response = cast.admin_a.client().get(f"/api/v1/programs/prog-a/clusters/?{query}")

    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["results"]] == slugs
    assert "b1" not in response.content.decode() and "Beta" not in response.content.decode()


def test_editor_search_does_not_reveal_a2(cast):
    response = cast.editor_a1.client().get("/api/v1/programs/prog-a/clusters/?search=Two")
    assert response.json()["count"] == 0


# === 9. Celery tasks ==================================================================


def test_recompute_task_loads_only_its_programme(filled):
    from impact.models import PortfolioSnapshot
    from impact.tasks import portfolio_recompute

    portfolio_recompute.apply(kwargs={"program_id": filled.prog_a.pk, "year": YEAR}).get()
    snaps = PortfolioSnapshot.objects.for_program(filled.prog_a).filter(
        year=YEAR, kind="funding_mix"
    )
    payloads = json.dumps([s.payload for s in snaps])
    assert snaps.exists()
    assert "b1" not in payloads
    assert (
        not PortfolioSnapshot.objects.for_program(filled.prog_b)
        .filter(computed_at__gt=timezone.now() - dt.timedelta(seconds=30), year=YEAR + 50)
        .exists()
    )
    # A programme id that does not exist is a no-op, not an unscoped read.
    assert portfolio_recompute.apply(kwargs={"program_id": 999999, "year": YEAR}).get() == 0


# === 10. Session callers: GraphQL and the Django admin ================================


def test_a_signed_in_member_without_staff_sees_only_their_programme_on_graphql(cast):
    user = UserFactory.create(username="member_a")
    Membership.objects.create(user=user, program=cast.prog_a, role=Role.PROGRAM_ANALYST)
    client = Client()
    client.force_login(user)
    # GraphQL is bearer-only (fixed in eba48a8): a session cookie alone is a 401.
    response = _gql_session(client, '{ programs { slug } b: program(slug: "prog-b") { slug } }')
    assert response.status_code == 401
    # The access rules a session would get: membership only.
    from clusters.access import Scope

    assert list(Scope.of(user=user).programs().values_list("slug", flat=True)) == ["prog-a"]
    with pytest.raises(type(cast.prog_b).DoesNotExist):
        Scope.of(user=user).access("prog-b")


def test_programme_staff_session_cannot_reach_b_on_graphql(cast, staff_of_a):
    client = Client()
    client.force_login(staff_of_a)
    # Was a critical hole before eba48a8: is_staff meant site staff for the session.
    data = _gql_session(
        client, '{ programs { slug } b: program(slug: "prog-b") { clusters { slug } } }'
    )
    result = _gql_session(
        client,
        'mutation { updateCluster(program: "prog-b", slug: "b1", data: {name: "pwned"}) { slug } }',
    )
    cast.b1.refresh_from_db()
    assert data.status_code == result.status_code == 401
    assert cast.b1.name == "Beta One"
    from clusters.access import Scope

    assert list(Scope.of(user=staff_of_a).programs().values_list("slug", flat=True)) == ["prog-a"]
    with pytest.raises(type(cast.prog_b).DoesNotExist):
        Scope.of(user=staff_of_a).access("prog-b")


def test_graphql_session_mutations_need_a_csrf_token(cast):
    user = UserFactory.create(username="member_admin_a")
    Membership.objects.create(user=user, program=cast.prog_a, role=Role.PROGRAM_ADMIN)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    _gql_session(
        client,
        'mutation { updateCluster(program: "prog-a", slug: "a1", data: {name: "csrf"}) { slug } }',
    )

    cast.a1.refresh_from_db()
    assert cast.a1.name == "Alpha One"


def test_programme_staff_cannot_make_a_token_site_wide_in_the_admin(cast, staff_of_a):
    token = cast.admin_a.token
    client = Client()
    client.force_login(staff_of_a)
    client.post(
        f"/admin/clusters/apitoken/{token.pk}/change/",
        {
            "name": token.name,
            "program": cast.prog_a.pk,
            "role": Role.PROGRAM_ADMIN,
            "user": "",
            "is_site_staff": "on",
            "expires_at_0": "",
            "expires_at_1": "",
            "revoked_at_0": "",
            "revoked_at_1": "",
        },
    )
    token.refresh_from_db()

    assert not token.is_site_staff
    assert cast.admin_a.client().get("/api/v1/programs/prog-b/").status_code == 404


def test_programme_staff_admin_forms_do_not_list_other_programmes_people(cast, staff_of_a):
    outsider = UserFactory.create(username="bob_of_programme_b")
    Membership.objects.create(user=outsider, program=cast.prog_b, role=Role.PROGRAM_ADMIN)
    own = Membership.objects.get(user=staff_of_a)
    client = Client()
    client.force_login(staff_of_a)

    page = client.get(f"/admin/clusters/membership/{own.pk}/change/").content.decode()

    assert "staff_a" in page
    assert "bob_of_programme_b" not in page


def test_programme_staff_do_not_see_b_in_the_admin_lists(cast, staff_of_a, filled):
    client = Client()
    client.force_login(staff_of_a)
    for model in (
        "program",
        "cluster",
        "submission",
        "submissionevent",
        "apitoken",
        "membership",
        "fundingsource",
        "kpidefinition",
        "reportingperiod",
        "fxrate",
    ):
        page = client.get(f"/admin/clusters/{model}/")
        assert page.status_code == 200, model
        text = page.content.decode()
        assert "prog-b" not in text and "Beta One" not in text and "admin_b" not in text, model
    b_token = cast.admin_b.token
    assert client.get(f"/admin/clusters/apitoken/{b_token.pk}/change/").status_code == 302


def test_programme_staff_cannot_move_a_cluster_or_token_to_b(cast, staff_of_a):
    client = Client()
    client.force_login(staff_of_a)
    token = cast.editor_a1.token
    client.post(
        f"/admin/clusters/apitoken/{token.pk}/change/",
        {
            "name": token.name,
            "program": cast.prog_b.pk,
            "role": Role.CLUSTER_EDITOR,
            "user": "",
            "expires_at_0": "",
            "expires_at_1": "",
            "revoked_at_0": "",
            "revoked_at_1": "",
        },
    )
    token.refresh_from_db()
    assert token.program_id == cast.prog_a.pk


# === 11. Things that must stay true for new clusters and the editor =================


def test_an_editor_cannot_write_an_a1_roadmap_kpi_into_a2_via_rest(cast):
    url = "/api/v1/programs/prog-a/clusters/a2/roadmaps/"

    response = cast.editor_a1.client().post(url, ROADMAP_BODY, format="json")

    assert response.status_code == 404
    assert response.json() == problem(404, "No cluster 'a2'.", "not_found")
    assert not Roadmap.objects.for_program(cast.prog_a).exists()


def test_a_new_cluster_is_not_held_by_an_existing_editor(cast):
    ClusterFactory.create(program=cast.prog_a, slug="a3", name="Alpha Three")
    assert cast.editor_a1.client().get("/api/v1/programs/prog-a/clusters/a3/").status_code == 404
    q = '{ program(slug: "prog-a") { clusters { slug } } }'
    assert [c["slug"] for c in gql(cast.editor_a1, q)["data"]["program"]["clusters"]] == ["a1"]


def test_graphql_put_submission_with_codes_of_b_is_bad_input(cast):
    _b_only_reference(cast)
    open_period(cast.prog_a)
    for line, error in (
        (
            'funding: [{source: "b_secret_fund", amount: "1.00"}]',
            {"field": "funding.0.source", "code": "unknown_source", "message": UNKNOWN_SOURCE},
        ),
        (
            'kpis: [{code: "b_secret_kpi", value: "1"}]',
            {"field": "kpis.0.code", "code": "unknown_kpi", "message": UNKNOWN_KPI},
        ),
    ):
        q = (
            'mutation { putSubmission(program: "prog-a", cluster: "a1", year: %d, '
            'input: {currency: "EUR", %s}) { year } }' % (YEAR, line)
        )
        result = gql(cast.editor_a1, q)
        assert _error_code(result) == "BAD_USER_INPUT"
        assert result["errors"][0]["extensions"]["errors"] == [error]
    assert not Submission.objects.for_program(cast.prog_a).exists()


def test_graphql_impact_fields_are_forbidden_for_an_editor(filled):
    for field in (
        "valueImpact(year: %d) { year }" % YEAR,
        "roadmapProgress(year: %d) { year }" % YEAR,
    ):
        q = 'query { program(slug: "prog-a") { %s } }' % field
        assert _error_code(gql(filled.editor_a1, q)) == "FORBIDDEN", field
        assert gql(filled.admin_b, q)["data"]["program"] is None


def test_anonymous_graphql_get_sees_no_programme(cast):
    # A GET without a token is a 401 too (since eba48a8) and shows nothing.
    response = Client().get(
        "/graphql/", {"query": '{ programs { slug } a: program(slug: "prog-a") { slug } }'}
    )
    assert response.status_code == 401
    assert "prog-a" not in response.content.decode().replace("program(slug", "")
    mutation = Client().get(
        "/graphql/", {"query": 'mutation { deleteCluster(program: "prog-a", slug: "a1") }'}
    )
    assert mutation.status_code != 200 or mutation.json().get("errors")
    assert (
        type(cast.a1)
        .objects.for_program(cast.prog_a)
        .filter(slug="a1", deleted_at__isnull=True)
        .exists()
    )
