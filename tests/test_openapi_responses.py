"""Every documented success answers exactly what the OpenAPI schema says it does.

tests/test_schemathesis.py sends generated requests, which seldom get past validation, so
it mostly checks error answers. Here each row of tests/isolation_matrix.py that programme
A's admin may call (a valid request on real objects) is sent once, and its answer (status,
content type, body) is checked against the operation in /api/schema/, so a schema that
lies about a success fails on every run, not now and then.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from functools import cache

import pytest
import requests
import schemathesis
from django.core.management import call_command
from django.db import OperationalError
from rest_framework.test import APIClient
from schemathesis.core.failures import FailureGroup

from api.rest.programs import ProgramDetail
from clusters.access import system_access
from clusters.errors import ServiceBusy
from clusters.models import Cluster, Membership, Program, Role
from clusters.services.tokens import token_create
from config.wsgi import application
from conftest import Member
from impact.services.roadmaps import roadmap_create
from tests.factories import UserFactory
from tests.isolation_matrix import ENDPOINTS, Endpoint
from tests.test_isolation import _call

SUCCESSES = [e for e in ENDPOINTS if 200 <= e.admin < 300]
# The reads again on the full demo programme (every state, history, roadmaps, exclusions,
# nulls), plus the variants whose answer has another shape.
# Objects the demo has none of, so there is nothing to read there.
NOT_IN_THE_DEMO = {
    "job-detail": "the demo queues no jobs",
    **dict.fromkeys(
        (
            "cluster-report-html",
            "cluster-report-pdf",
            "program-report-html",
            "program-report-pdf",
            "program-reports-zip",
        ),
        "the demo has no generated report (tests/test_reports_api.py reads generated ones)",
    ),
}
DEMO_READS = [e for e in SUCCESSES if e.method == "GET" and e.name not in NOT_IN_THE_DEMO] + [
    replace(e, query=query)
    for e in SUCCESSES
    for route, query in (
        ("portfolio-funding-mix", "year=2021&group_by=region"),
        ("portfolio-clusters", "year=2021&ordering=-public_share"),
        ("portfolio-public-reliance", "year=2021&threshold=0.5&from=2015&to=2021"),
        ("value-impact", "year=2020"),
        ("roadmap-progress", "year=2030"),
    )
    if e.name == route
]


@cache
def _schema():
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


def _operation(url_path: str):
    """The schema operation whose path template matches a concrete URL path."""
    matches = []
    for template, item in _schema().raw_schema["paths"].items():
        # A parameter fills a path segment or part of one ("{kind}.svg").
        pattern = "".join(
            "[^/]+" if piece.startswith("{") else re.escape(piece)
            for piece in re.split(r"(\{[^}/]+\})", template)
        )
        if re.fullmatch(pattern, url_path):
            matches.append((template.count("{"), template, item))
    assert matches, f"{url_path} is not in the OpenAPI schema"
    # Like the URL resolver, a literal segment wins over a parameter.
    _, template, item = min(matches, key=lambda m: m[0])
    return template, item


def _as_schemathesis(response, url: str, method: str) -> schemathesis.Response:
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    request = requests.Request(method, f"http://testserver{url}").prepare()
    headers = {name: [value] for name, value in response.headers.items()}
    return schemathesis.Response(
        status_code=response.status_code,
        headers=headers,
        content=content,
        request=request,
        elapsed=0.0,
        verify=False,
    )


def _check(response, url: str, method: str) -> None:
    path = url.split("?")[0]
    template, item = _operation(path)
    documented = item[method.lower()]["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method} {template}: {status} is not documented"
    media = documented[status].get("content", {})
    if media:
        content_type = response["Content-Type"].split(";")[0]
        assert content_type in media, f"{method} {template} {status}: {content_type} undocumented"
    operation = _schema()[template][method.upper()]
    try:
        operation.validate_response(_as_schemathesis(response, url, method.upper()))
    except (AssertionError, FailureGroup) as failures:
        raise AssertionError(f"{method} {template} {status}: {failures}") from None


def test_every_operation_of_the_schema_has_a_success_row():
    documented = {
        (method.upper(), template)
        for template, item in _schema().raw_schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    covered = {(e.method, _operation("/api/v1/" + e.path)[0]) for e in SUCCESSES}
    # The routes outside the matrix (UNSCOPED_ROUTES), checked by the tests below.
    covered |= {("GET", "/api/v1/programs/")}
    covered |= {(method, "/api/v1/me/notifications") for method, _ in MY_NOTIFICATIONS}
    covered |= {("GET", f"/api/v1/shared/reports/{{token}}.{fmt}") for fmt in SHARED_FORMATS}
    assert documented - covered == set()


MY_NOTIFICATIONS = [("GET", None), ("PUT", {"opted_out": ["reminder"], "digest": True})]


@pytest.mark.parametrize(("method", "data"), MY_NOTIFICATIONS, ids=lambda v: str(v)[:10])
def test_my_notifications_match_their_schema(cast, method, data):
    person = UserFactory.create(username="mail", email="mail@example.org")
    Membership.objects.create(user=person, program=cast.prog_a, role=Role.PROGRAM_ADMIN)
    _, raw = token_create(name="mine", role=Role.PROGRAM_ADMIN, program=cast.prog_a, user=person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = "/api/v1/me/notifications"

    response = client.generic(method, url, json.dumps(data) if data else "", "application/json")

    assert response.status_code == 200
    _check(response, url, method)


SHARED_FORMATS = ("html", "pdf")


@pytest.mark.parametrize("fmt", SHARED_FORMATS)
def test_a_shared_report_matches_its_schema(cast, fmt):
    from tests.isolation_matrix import _reports

    _reports(cast)
    shared = cast.admin_a.client().post(
        "/api/v1/programs/prog-a/clusters/a1/reports/2021/share", {}, format="json"
    )
    url = shared.json()[{"html": "url", "pdf": "pdf_url"}[fmt]].removeprefix("http://testserver")

    response = APIClient().get(url)

    assert response.status_code == 200
    _check(response, url, "GET")


def test_the_programme_list_matches_its_schema(cast):
    url = "/api/v1/programs/"

    response = cast.admin_a.client().get(url)

    assert response.status_code == 200
    _check(response, url, "GET")


@pytest.mark.parametrize("endpoint", SUCCESSES, ids=str)
def test_a_success_matches_its_schema(cast, endpoint: Endpoint):
    if endpoint.setup is not None:
        endpoint.setup(cast)
    url = endpoint.url("prog-a", "a1")

    response = _call(cast.admin_a, endpoint, url)

    assert response.status_code == endpoint.admin
    _check(response, url, endpoint.method)


def test_the_check_catches_a_body_that_lies(cast):
    """The lie CI once tripped on now and then: the trend answered with a paginated object."""
    url = "/api/v1/programs/prog-a/portfolio/funding-mix/trend?from=2020&to=2021"
    response = cast.admin_a.client().get(url)
    assert response.status_code == 200
    response.content = b'{"count": 0, "next": null, "previous": null, "results": []}'

    with pytest.raises(
        AssertionError, match=r'(?s)trend 200: Response violates schema.*is not of type "array"'
    ):
        _check(response, url, "GET")


@pytest.fixture
def demo_admin(db):
    """The demo programme as `make run` loads it, a members_total roadmap for ocean-tech (the
    matrix's roadmap rows name that KPI) and an admin token."""
    call_command("load_demo", "--no-tokens", stdout=io.StringIO())
    program = Program.objects.get(slug="demo")
    access = system_access(program, label="test")
    ocean = Cluster.objects.for_program(program).get(slug="ocean-tech")
    roadmap_create(
        access=access,
        cluster=ocean,
        data={
            "kpi": "members_total",
            "baseline": {"year": 2020, "value": "150"},
            "milestones": [{"year": 2030, "target": "300"}],
        },
    )
    _webhook_with_a_delivery(program)
    token, raw = token_create(name="admin", role=Role.PROGRAM_ADMIN, program=program)
    return Member("admin", token, raw)


def _webhook_with_a_delivery(program: Program) -> None:
    """The matrix's webhook rows read endpoint 9101 (the demo registers none)."""
    from django.utils import timezone

    from webhooks.models import Delivery, Endpoint, Event
    from webhooks.secrets import new_secret, seal

    endpoint = Endpoint.objects.create(
        pk=9101,
        program=program,
        url="https://hooks.example.org/demo",
        events=["submission.approved"],
        secret=seal(new_secret()),
    )
    event = Event.objects.create(
        program=program,
        msg_id="msg_demo",
        type="submission.approved",
        body='{"type":"submission.approved"}',
        created_at=timezone.now(),
    )
    Delivery.objects.create(
        pk=9201, program=program, endpoint=endpoint, event=event, state="succeeded"
    )


@pytest.mark.parametrize("endpoint", DEMO_READS, ids=lambda e: f"{e} {e.query}".strip())
def test_a_read_of_the_demo_matches_its_schema(demo_admin, endpoint: Endpoint):
    url = endpoint.url("demo", "ocean-tech")

    response = _call(demo_admin, endpoint, url)

    assert response.status_code == 200
    _check(response, url, endpoint.method)


def test_a_busy_database_is_a_documented_503_on_a_read(cast, monkeypatch):
    def busy(self, request, program):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ProgramDetail, "get", busy)
    url = "/api/v1/programs/prog-a/"

    client = cast.analyst_a.client()
    client.raise_request_exception = False  # 5xx are reported as request exceptions too

    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == str(ServiceBusy.retry_after)
    assert response.json()["code"] == "busy"
    _check(response, url, "GET")
