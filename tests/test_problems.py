"""Every error from /api/ is RFC 9457 problem details, never an HTML page."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient


def test_an_unknown_api_path_is_a_problem_404(cast):
    response = cast.admin_a.client().get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Nothing is at /api/v1/nothing-here/.",
    }


def test_an_unknown_programme_is_404(cast):
    response = cast.admin_a.client().get("/api/v1/programs/nope/clusters/")

    assert response.status_code == 404
    assert response.json()["detail"] == "No programme 'nope'."


def test_an_unexpected_error_is_a_problem_500(cast, monkeypatch):
    def broken(self, queryset):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("api.rest.clusters.ClusterList.safely_get_queryset", broken)
    client = APIClient(raise_request_exception=False)
    client.credentials(**{"HTTP_AUTHORIZATION": f"Bearer {cast.admin_a.raw}"})

    response = client.get("/api/v1/programs/prog-a/clusters/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Internal Server Error"
    assert "fire" not in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_is_413(cast):
    body = {
        "slug": "big",
        "name": "x" * 5000,
        "country": "NO",
        "stage": "baby",
        "category": "build",
    }

    response = cast.admin_a.client().post("/api/v1/programs/prog-a/clusters/", body, format="json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_malformed_json_is_a_400(cast):
    response = cast.admin_a.client().generic(
        "POST", "/api/v1/programs/prog-a/clusters/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_throttling_is_per_token_with_retry_after(cast, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/minute", "anon": "100/minute"},
    }
    admin, analyst = cast.admin_a.client(), cast.analyst_a.client()

    statuses = [admin.get("/api/v1/programs/").status_code for _ in range(3)]
    other = analyst.get("/api/v1/programs/")

    assert statuses == [200, 200, 429]
    assert other.status_code == 200
    throttled = admin.get("/api/v1/programs/")
    assert throttled["Content-Type"] == "application/problem+json"
    assert 0 < int(throttled["Retry-After"]) <= 60


@pytest.mark.parametrize("method", ["put", "post"])
def test_a_method_not_allowed_is_a_problem(cast, method):
    response = getattr(cast.admin_a.client(), method)("/api/v1/programs/prog-a/", {}, format="json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_text_the_database_cannot_store_is_bad_input_not_a_500():
    # PostgreSQL's refusal of a NUL byte that slipped past validation.
    from django.db import DataError
    from rest_framework.exceptions import ValidationError

    from api.rest.problems import _convert

    converted = _convert(DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"))

    assert isinstance(converted, ValidationError)
    assert converted.status_code == 400
    assert converted.get_codes() == {"body": ["invalid_characters"]}


def test_a_bulk_move_refuses_a_slug_with_a_nul(cast):
    response = cast.admin_a.client().post(
        "/api/v1/programs/prog-a/periods/2021/return",
        {"clusters": ["a1", "x\x00y"], "comment": "Fix it."},
        format="json",
    )

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("clusters.1", "invalid_characters")
    ]


def test_a_database_that_is_restarting_is_a_503_to_retry(cast, monkeypatch):
    from django.db import OperationalError

    def down(self, queryset):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    monkeypatch.setattr("api.rest.clusters.ClusterList.safely_get_queryset", down)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {cast.admin_a.raw}")

    response = client.get("/api/v1/programs/prog-a/clusters/")

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["code"] == "busy"
    assert response.json()["detail"] == "The database is busy or restarting; retry in a moment."
