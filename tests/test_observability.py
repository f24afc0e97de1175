"""Structured logs: one JSON line per request and per task, carrying the request id from
(or into) X-Request-ID, and never a token."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from config.log import logging_config
from tests.givens import add_submission


@pytest.fixture
def json_log():
    """Production's logging (LOG_FORMAT=json) writing into a buffer; the lines, parsed."""
    buffer = io.StringIO()
    logging.config.dictConfig(logging_config(fmt="json", level="INFO"))
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    yield lines
    logging.config.dictConfig(settings.LOGGING)


def _requests(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "clusterbase.request"]


@pytest.mark.django_db
def test_a_request_logs_one_json_line_with_the_callers_request_id(cast, json_log):
    # given a caller that sends its own request id
    client = cast.analyst_a.client()
    # when it lists clusters
    response = client.get("/api/v1/programs/prog-a/clusters/", HTTP_X_REQUEST_ID="bi-run-42")
    # then the response carries the id back
    assert response.status_code == 200
    assert response["X-Request-ID"] == "bi-run-42"
    # and one JSON line says what happened, with the token's name but never its value
    (line,) = _requests(json_log())
    assert {k: line[k] for k in ("request_id", "method", "path", "status", "program", "token")} == {
        "request_id": "bi-run-42",
        "method": "GET",
        "path": "/api/v1/programs/prog-a/clusters/",
        "status": 200,
        "program": "prog-a",
        "token": "analyst_a",
    }
    assert line["level"] == "INFO" and line["duration_ms"] >= 0
    assert cast.analyst_a.raw not in json.dumps(json_log())


@pytest.mark.django_db
def test_a_request_without_a_usable_id_gets_a_new_one(cast, json_log):
    client = cast.analyst_a.client()
    first = client.get("/api/v1/programs/prog-a/clusters/")
    hostile = client.get("/api/v1/programs/", HTTP_X_REQUEST_ID='x"}\n{"level": "ERROR"')
    ids = [line["request_id"] for line in _requests(json_log())]
    assert ids == [first["X-Request-ID"], hostile["X-Request-ID"]]
    assert len(ids[0]) == 32 and ids[0] != ids[1]
    assert "ERROR" not in hostile["X-Request-ID"]


@pytest.mark.django_db
def test_expected_client_errors_log_at_info_not_error(cast, json_log):
    cast.analyst_a.client().get("/api/v1/programs/prog-b/")  # another programme: 404
    cast.editor_a1.client().get("/api/v1/programs/prog-a/portfolio/funding-mix?year=2021")  # 403
    lines = json_log()
    assert [(line["status"], line["level"]) for line in _requests(lines)] == [
        (404, "INFO"),
        (403, "INFO"),
    ]
    assert [line for line in lines if line["level"] == "ERROR"] == []


@pytest.mark.django_db(transaction=True)
def test_the_task_a_request_queues_logs_one_line_with_the_same_request_id(cast, json_log):
    # given a submitted submission
    add_submission(cast.a1, 2021, funding=[("membership_fees", "10.00")], state="submitted")
    # when the admin approves it (the recompute tasks run after the commit)
    response = cast.admin_a.client().post(
        "/api/v1/programs/prog-a/clusters/a1/submissions/2021/approve",
        HTTP_X_REQUEST_ID="approve-1",
    )
    assert response.status_code == 200, response.content
    # then each task run is one line tied to the request that queued it
    tasks = [line for line in json_log() if line["logger"] == "clusterbase.task"]
    assert tasks, "no task line"
    assert {(t["state"], t["request_id"]) for t in tasks} == {("SUCCESS", "approve-1")}
    recomputes = [t for t in tasks if t["task"] == "clusters.portfolio_recompute"]
    assert len(recomputes) == 2  # 2021 and 2022 (next year's comparisons)
    (request_line,) = _requests(json_log())
    assert request_line["request_id"] == "approve-1" and request_line["token"] == "admin_a"


def test_a_queued_task_carries_the_request_id_in_its_message_headers():
    """What a worker reads the id from: the headers of the message the request published.
    (A throwaway app on the in-memory transport: the publish signal is the same.)"""
    from celery import Celery, signals

    from config.log import request_id_var

    seen: list[dict] = []

    def capture(headers=None, **_):
        seen.append(dict(headers or {}))

    signals.before_task_publish.connect(capture, weak=False)
    probe = Celery("probe", broker="memory://", set_as_current=False)
    token = request_id_var.set("req-77")
    try:
        probe.send_task("clusters.portfolio_recompute", kwargs={"program_id": 0, "year": 2021})
    finally:
        request_id_var.reset(token)
        signals.before_task_publish.disconnect(capture)
        probe.close()
    assert [h.get("request_id") for h in seen] == ["req-77"]
