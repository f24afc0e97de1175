"""One log line per request and per Celery task, tied together by a request id.

The request id comes from the caller's ``X-Request-ID`` header when it is a sane token
(letters, digits and ``._:@/+=-``, at most 128 characters), otherwise a new one is made; it
is echoed in the response's ``X-Request-ID``, set on every log record of the request, and
travels in the headers of the tasks the request queues, so a worker's task line carries it
too. The access line holds method, path (never the query string), status, duration,
programme and token *name*; never the token itself, a cookie or a body.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from .log import request_id_var

log = logging.getLogger("clusterbase.request")
task_log = logging.getLogger("clusterbase.task")

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
# Probes hit these every few seconds: their successful answers log at DEBUG.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})


def incoming_request_id(value: str | None) -> str:
    """The caller's id when it is sane, else a new random one."""
    if value and _VALID_ID.match(value):
        return value
    return uuid.uuid4().hex


def _token_of(request: HttpRequest) -> Any:
    # DRF sets request.auth on the Django request; the GraphQL view keeps (user, token).
    token = getattr(request, "auth", None)
    if token is None:
        pair = getattr(request, "clusterbase_auth", None)
        token = pair[1] if pair else None
    return token


def _program_of(request: HttpRequest, token: Any) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and isinstance(match.kwargs.get("program"), str):
        return match.kwargs["program"]
    program = getattr(token, "program", None)
    return getattr(program, "slug", "") or ""


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request.headers.get(HEADER))
        # read by the log filter and views: the stubs' HttpRequest declares no such attribute.
        request.request_id = request_id  # type: ignore[attr-defined]
        reset = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            self._log(request, response, (time.perf_counter() - started) * 1000)
            return response
        finally:
            request_id_var.reset(reset)

    @staticmethod
    def _log(request: HttpRequest, response: HttpResponse, duration_ms: float) -> None:
        status = response.status_code
        if status >= 500:
            level = logging.ERROR
        elif request.path in QUIET_PATHS and status < 400:
            level = logging.DEBUG
        else:
            level = logging.INFO
        if not log.isEnabledFor(level):
            return
        token = _token_of(request)
        fields = {
            "request_id": request_id_var.get(),
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round(duration_ms, 1),
            "program": _program_of(request, token),
            "token": getattr(token, "name", "") or "",
        }
        log.log(
            level,
            "%s %s %s %.1fms",
            fields["method"],
            fields["path"],
            status,
            duration_ms,
            extra=fields,
        )


# --- Celery: the request id travels with the task; one line per task run -------------------

_started: dict[str, tuple[float, contextvars.Token[str]]] = {}


def _before_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


def _prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is None:
        return
    request = getattr(task, "request", None)
    # Celery puts a message's custom headers on the task's request (some versions only in
    # request.headers).
    request_id = getattr(request, "request_id", None) or (
        (getattr(request, "headers", None) or {}).get("request_id")
    )
    # An eager task (no broker) runs inside the request that queued it: keep its id.
    request_id = request_id or request_id_var.get() or f"task-{task_id}"
    _started[task_id] = (time.perf_counter(), request_id_var.set(request_id))


def _postrun(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any):
    started, reset = _started.pop(task_id or "", (None, None))
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    level = {"FAILURE": logging.ERROR, "RETRY": logging.WARNING}.get(state or "", logging.INFO)
    name = getattr(task, "name", "?")
    request = getattr(task, "request", None)
    task_log.log(
        level,
        "task %s %s %.1fms",
        name,
        state,
        duration_ms,
        extra={
            "request_id": request_id_var.get(),
            "task": name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round(duration_ms, 1),
            "retries": getattr(request, "retries", 0) or 0,
            "redelivered": bool((getattr(request, "delivery_info", None) or {}).get("redelivered")),
        },
    )
    if reset is not None:
        request_id_var.reset(reset)


def connect_task_logging() -> None:
    """Wire the Celery signals (called once by config.celery_app)."""
    from celery import signals

    signals.before_task_publish.connect(_before_publish, weak=False)
    signals.task_prerun.connect(_prerun, weak=False)
    signals.task_postrun.connect(_postrun, weak=False)
