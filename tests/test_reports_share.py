"""Shared links: one report opened without a token until the link expires or is revoked, and
nothing else through it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from rest_framework.test import APIClient

from clusters.access import system_access
from clusters.models import Cluster, Program
from clusters.services.registry import cluster_delete
from reports.models import ReportKind
from reports.services.store import report_store
from tests.report_helpers import Caller, cluster_url, generate, load_demo, program_url, read

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return load_demo(django_capture_on_commit_callbacks)


def _store(program: Program, cluster: Cluster | None, year: int, language: str = "en") -> None:
    """A stored report (through the storing service) with recognisable content."""
    owner = cluster.slug if cluster else program.slug
    report_store(
        program=program,
        kind=ReportKind.CLUSTER if cluster else ReportKind.PROGRAM,
        cluster=cluster,
        year=year,
        language=language,
        files={
            "html": f"<p>report of {owner} {year} {language}</p>".encode(),
            "pdf": f"%PDF-1.7 {owner} {year} {language}".encode(),
        },
        pages=1,
        as_of=NOW,
    )


def _share(caller: Caller, url: str, body: dict | None = None) -> dict:
    response = caller.client().post(url, body or {}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _open(url: str) -> Any:
    """A link opened as a reader would: no token."""
    split = urlsplit(url)
    return read(None, split.path + (f"?{split.query}" if split.query else ""))


OCEAN_SHARE = cluster_url("demo", "ocean-tech", 2021, "/share")


@time_machine.travel(NOW, tick=False)
def test_a_link_opens_its_report_without_a_token(demo):
    _store(demo.program, demo.cluster("ocean-tech"), 2021)

    shared = _share(demo.editor, OCEAN_SHARE)

    assert shared["url"].startswith("http://testserver/api/v1/shared/reports/rs_")
    assert shared["url"].endswith(".html") and shared["pdf_url"] == shared["url"][:-5] + ".pdf"
    assert (shared["language"], shared["year"]) == ("en", 2021)
    assert shared["expires_at"] == "2026-03-31T12:00:00Z"  # 30 days by default
    html, pdf = _open(shared["url"]), _open(shared["pdf_url"])
    assert (html.status_code, html.body) == (200, b"<p>report of ocean-tech 2021 en</p>")
    assert (pdf.status_code, pdf["Content-Type"], pdf.body) == (
        200,
        "application/pdf",
        b"%PDF-1.7 ocean-tech 2021 en",
    )
    assert (html["Cache-Control"], html["Referrer-Policy"], html["X-Robots-Tag"]) == (
        "private, no-store",
        "no-referrer",
        "noindex, nofollow",
    )


def test_a_link_to_a_generated_report_opens_it(demo, django_capture_on_commit_callbacks):
    generate(demo.admin, program_url("demo", 2021), django_capture_on_commit_callbacks)

    shared = _share(demo.admin, program_url("demo", 2021, "/share"))

    html = _open(shared["url"])
    assert b"<title>Portfolio report 2021: Demo national cluster programme</title>" in html.body
    assert _open(shared["pdf_url"]).body.startswith(b"%PDF-1.7")


@time_machine.travel(NOW, tick=False)
def test_the_link_opens_nothing_else(demo):
    ocean, meta = demo.cluster("ocean-tech"), demo.cluster("metaindustry4")
    for cluster, year in ((ocean, 2021), (ocean, 2020), (meta, 2021), (None, 2021)):
        _store(demo.program, cluster, year)
    raw = urlsplit(_share(demo.editor, OCEAN_SHARE)["url"]).path.split("/")[-1][: -len(".html")]
    bearer: Any = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    other_paths = [
        cluster_url("demo", "ocean-tech", 2020, ".html"),
        cluster_url("demo", "metaindustry4", 2021, ".html"),
        program_url("demo", 2021, ".pdf"),
        cluster_url("demo", "ocean-tech", 2021, ".html"),  # its own report, through the API
        "/api/v1/programs/",
        "/api/v1/programs/demo/clusters/ocean-tech/submissions/2021/",
        "/api/v1/programs/prog-b/reports/2021.pdf",  # another programme's
    ]

    assert [APIClient().get(path, **bearer).status_code for path in other_paths] == [401] * 7
    graphql = APIClient().post(
        "/graphql/", {"query": "{ programs { slug } }"}, format="json", **bearer
    )
    assert graphql.status_code == 401
    assert _open(f"http://x/api/v1/shared/reports/{raw}.html?lang=es").status_code == 404
    assert _open(f"http://x/api/v1/shared/reports/{raw[:-1]}x.html").status_code == 404
    assert _open(f"http://x/api/v1/shared/reports/{raw}.zip").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_another_language_of_the_same_report_opens_with_lang(demo):
    ocean = demo.cluster("ocean-tech")
    _store(demo.program, ocean, 2021, "en")
    _store(demo.program, ocean, 2021, "nb")

    shared = _share(demo.admin, OCEAN_SHARE + "?lang=nb")

    assert shared["language"] == "nb"
    assert _open(shared["url"]).body == b"<p>report of ocean-tech 2021 nb</p>"
    assert _open(shared["url"] + "?lang=en").body == b"<p>report of ocean-tech 2021 en</p>"
    assert _open(shared["url"] + "?lang=xx").status_code == 400


def test_a_link_stops_working_when_it_expires(demo):
    _store(demo.program, demo.cluster("ocean-tech"), 2021)
    with time_machine.travel(NOW, tick=False):
        shared = _share(demo.editor, OCEAN_SHARE, {"expires_at": "2026-03-08T12:00:00Z"})

    with time_machine.travel(NOW + dt.timedelta(days=7, seconds=-1), tick=False):
        before = _open(shared["url"]).status_code
    with time_machine.travel(NOW + dt.timedelta(days=7), tick=False):
        after = _open(shared["url"])

    assert (before, after.status_code) == (200, 404)
    assert after.json()["detail"] == "This link is unknown, expired or revoked."


@time_machine.travel(NOW, tick=False)
def test_a_link_stops_working_when_it_is_revoked(demo):
    _store(demo.program, demo.cluster("ocean-tech"), 2021)
    shared = _share(demo.editor, OCEAN_SHARE)
    kept = _share(demo.editor, OCEAN_SHARE)

    first = demo.admin.client().delete(f"{OCEAN_SHARE}/{shared['id']}")
    again = demo.editor.client().delete(f"{OCEAN_SHARE}/{shared['id']}")

    assert (first.status_code, again.status_code) == (204, 204)
    assert _open(shared["url"]).status_code == 404
    assert _open(shared["pdf_url"]).status_code == 404
    assert _open(kept["url"]).status_code == 200
    listed = demo.admin.client().get(OCEAN_SHARE).json()["results"]
    assert [(s["id"], s["active"], s["revoked_at"]) for s in listed] == [
        (kept["id"], True, None),
        (shared["id"], False, "2026-03-01T12:00:00Z"),
    ]
    assert "url" not in listed[0]


@time_machine.travel(NOW, tick=False)
def test_a_link_to_a_removed_cluster_stops_working(demo):
    ocean = demo.cluster("ocean-tech")
    _store(demo.program, ocean, 2021)
    shared = _share(demo.editor, OCEAN_SHARE)

    cluster_delete(access=system_access(demo.program, label="t"), cluster=ocean)

    assert _open(shared["url"]).status_code == 404


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("expires_at", "code", "message"),
    [
        (
            "2026-03-01T11:59:59Z",
            "out_of_range",
            "A link must expire after now and within 365 days (by 2027-03-01T12:00:00Z).",
        ),
        (
            "2027-03-02",
            "out_of_range",
            "A link must expire after now and within 365 days (by 2027-03-01T12:00:00Z).",
        ),
        (
            "next week",
            "invalid",
            "'next week' is not a date or time, e.g. 2026-06-30 or 2026-06-30T12:00:00Z.",
        ),
        (
            20260401,
            "invalid",
            "'20260401' is not a date or time, e.g. 2026-06-30 or 2026-06-30T12:00:00Z.",
        ),
    ],
)
def test_a_bad_expiry_is_a_400(demo, expires_at, code, message):
    _store(demo.program, demo.cluster("ocean-tech"), 2021)

    response = demo.admin.client().post(OCEAN_SHARE, {"expires_at": expires_at}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "expires_at", "code": code, "message": message}]


@time_machine.travel(NOW, tick=False)
def test_a_date_means_the_end_of_that_day(demo):
    _store(demo.program, demo.cluster("ocean-tech"), 2021)

    shared = _share(demo.admin, OCEAN_SHARE, {"expires_at": "2026-06-30"})

    assert shared["expires_at"] == "2026-06-30T23:59:59Z"


def test_nothing_to_share_before_it_is_generated(demo):
    response = demo.admin.client().post(OCEAN_SHARE, {}, format="json")

    assert response.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_who_may_share(demo):
    _store(demo.program, demo.cluster("ocean-tech"), 2021)
    _store(demo.program, None, 2021)

    statuses = [
        demo.analyst.client().post(OCEAN_SHARE, {}, format="json").status_code,
        demo.editor.client()
        .post(program_url("demo", 2021, "/share"), {}, format="json")
        .status_code,
        demo.analyst.client().get(OCEAN_SHARE).status_code,
        demo.admin.client()
        .post(program_url("demo", 2021, "/share"), {}, format="json")
        .status_code,
    ]

    assert statuses == [403, 403, 403, 201]


@time_machine.travel(NOW, tick=False)
def test_a_link_names_the_public_address_when_one_is_set(demo, settings):
    settings.PUBLIC_BASE_URL = "https://reports.example.org/"
    _store(demo.program, demo.cluster("ocean-tech"), 2021)

    shared = _share(demo.editor, OCEAN_SHARE)

    assert shared["url"].startswith("https://reports.example.org/api/v1/shared/reports/rs_")
