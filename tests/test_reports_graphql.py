"""Reports over GraphQL: generate (a job), where a stored report is, share and revoke; and
the isolation of every report field and mutation for every member of the cast."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from clusters.models import Job
from tests.graphql_client import gql
from tests.isolation_matrix import _SHARES, _reports
from tests.report_helpers import read

pytestmark = pytest.mark.django_db

C = 'program: "%(p)s", year: 2021, cluster: "%(c)s"'
P = 'program: "%(p)s", year: 2021'
OPERATIONS = {
    "annualReport (cluster)": "{ annualReport(%s) { kind year language pdfUrl } }" % C,
    "annualReport (programme)": "{ annualReport(%s) { kind pdfUrl } }" % P,
    "annualReport (zip)": "{ annualReport(%s, clustersZip: true) { zipUrl } }" % P,
    "generateReport (cluster)": "mutation { generateReport(%s) { kind state } }" % C,
    "generateReport (programme)": "mutation { generateReport(%s) { kind state } }" % P,
    "generateClusterReports": "mutation { generateClusterReports(%s) { kind } }" % P,
    "shareReport (cluster)": "mutation { shareReport(%s) { url expiresAt } }" % C,
    "shareReport (programme)": "mutation { shareReport(%s) { url } }" % P,
    "revokeReportShare (cluster)": 'mutation { revokeReportShare(%s, id: "%%(share)s") }' % C,
    "revokeReportShare (programme)": 'mutation { revokeReportShare(%s, id: "%%(share)s") }' % P,
}
# The error code (None: it works) for A's admin, analyst and a1's editor on A and a1.
EXPECTED = {
    "annualReport (cluster)": (None, None, None),
    "annualReport (programme)": (None, None, "FORBIDDEN"),
    "annualReport (zip)": (None, None, "FORBIDDEN"),
    "generateReport (cluster)": (None, "FORBIDDEN", None),
    "generateReport (programme)": (None, "FORBIDDEN", "FORBIDDEN"),
    "generateClusterReports": (None, "FORBIDDEN", "FORBIDDEN"),
    "shareReport (cluster)": (None, "FORBIDDEN", None),
    "shareReport (programme)": (None, "FORBIDDEN", "FORBIDDEN"),
    "revokeReportShare (cluster)": (None, "FORBIDDEN", None),
    "revokeReportShare (programme)": (None, "FORBIDDEN", "FORBIDDEN"),
}
HAS_CLUSTER = {name for name in OPERATIONS if "(cluster)" in name}


def _run(member, name, program, cluster):
    share = _SHARES.get(f"{program}/{cluster if name in HAS_CLUSTER else ''}", 0)
    result = gql(member, OPERATIONS[name] % {"p": program, "c": cluster, "share": share})
    if result["errors"]:
        return result["errors"][0]["extensions"]["code"], result
    return None, result


@pytest.mark.parametrize("name", sorted(OPERATIONS))
@pytest.mark.parametrize("role", [0, 1, 2], ids=["admin", "analyst", "editor"])
def test_members_of_a_get_what_their_role_allows(cast, name, role):
    _reports(cast)
    member = (cast.admin_a, cast.analyst_a, cast.editor_a1)[role]

    code, result = _run(member, name, "prog-a", "a1")

    assert code == EXPECTED[name][role], result
    assert "b1" not in str(result) and "prog-b" not in str(result)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_nobody_reaches_the_other_side(cast, name):
    _reports(cast)

    outcomes = [
        _run(cast.admin_b, name, "prog-a", "a1")[0],
        _run(cast.admin_a, name, "prog-b", "b1")[0],
        _run(cast.editor_a1, name, "prog-a", "a2")[0] if name in HAS_CLUSTER else "NOT_FOUND",
    ]

    assert outcomes == ["NOT_FOUND"] * 3


def test_generating_answers_the_queued_job(cast):
    result = gql(
        cast.editor_a1,
        'mutation { generateReport(program: "prog-a", year: 2021, cluster: "a1", lang: "nb")'
        " { id kind state cluster } }",
    )

    job = result["data"]["generateReport"]
    assert (job["kind"], job["state"], job["cluster"]) == ("report.cluster", "queued", "a1")
    assert Job.objects.for_program(cast.prog_a).get(pk=job["id"]).params == {
        "year": 2021,
        "language": "nb",
    }


def test_a_stored_report_says_where_it_is_and_null_before(cast):
    before = gql(cast.analyst_a, '{ annualReport(program: "prog-a", year: 2021) { pdfUrl } }')
    _reports(cast)

    after = gql(
        cast.analyst_a,
        '{ annualReport(program: "prog-a", year: 2021, lang: "en") { kind language htmlUrl pdfUrl pages } }',
    )

    assert before == {"data": {"annualReport": None}, "errors": None}
    assert after["data"]["annualReport"] == {
        "kind": "program",
        "language": "en",
        "htmlUrl": "/api/v1/programs/prog-a/reports/2021.html?lang=en",
        "pdfUrl": "/api/v1/programs/prog-a/reports/2021.pdf?lang=en",
        "pages": 1,
    }


def test_a_bad_language_is_bad_user_input(cast):
    result = gql(
        cast.admin_a,
        'mutation { generateReport(program: "prog-a", year: 2021, lang: "fr") { id } }',
    )

    error = result["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["errors"] == [
        {"field": "lang", "code": "invalid_choice", "message": "'fr' is not one of en, es, nb."}
    ]


def test_a_shared_link_opens_and_revoking_it_closes_it(cast):
    _reports(cast)
    shared = gql(
        cast.editor_a1,
        'mutation { shareReport(program: "prog-a", year: 2021, cluster: "a1") { id url pdfUrl } }',
    )["data"]["shareReport"]
    path = urlsplit(shared["url"]).path

    opened = read(None, path)
    gql(
        cast.editor_a1,
        'mutation { revokeReportShare(program: "prog-a", year: 2021, cluster: "a1", id: "%s") }'
        % shared["id"],
    )

    assert (opened.status_code, opened.body) == (200, b"<p>Alpha One</p>")
    assert read(None, path).status_code == 404
