"""Liveness and readiness for load balancers, orchestrators and monitoring.

``/healthz`` answers 200 as long as the process serves requests: it checks nothing else,
so a database outage never gets healthy processes restarted. ``/readyz`` asks each
configured dependency (the database; the cache and the Celery broker when REDIS_URL, or
another broker, is set) one cheap question with a short timeout and answers 200 when all
are ``ok``, else 503 naming what is ``down``. Neither needs a token, and neither says more
than names and ``ok``/``down``: no host, no version, no error text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse

from api.rest.problems import problem_response

log = logging.getLogger(__name__)

BROKER_TIMEOUT = 2.0


def _database(alias: str) -> Callable[[], None]:
    def check() -> None:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return check


def _cache() -> None:
    # django-redis swallows errors on ordinary calls (the cache is optional for requests);
    # readiness asks the client itself, which raises.
    # django-redis's cache has `client`; the stubs know BaseCache only.
    cache.client.get_client(write=True).ping()  # type: ignore[attr-defined]


def _broker() -> None:
    from config.celery_app import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
        )


def readiness_checks() -> dict[str, Callable[[], None]]:
    """The dependencies this process is configured with, by name."""
    checks = {"database": _database("default")}
    if "replica" in settings.DATABASES:
        checks["replica"] = _database("replica")
    if settings.CACHES["default"]["BACKEND"].startswith("django_redis."):
        checks["cache"] = _cache
    if not settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL.startswith(
        "memory://"
    ):
        checks["broker"] = _broker
    return checks


def _method_not_allowed(request: HttpRequest) -> JsonResponse:
    response = problem_response(request, 405, f"{request.method} is not allowed here; use GET.")
    response["Allow"] = "GET, HEAD"
    return response


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(request)
    return _no_store(JsonResponse({"status": "ok"}))


def readyz(request: HttpRequest) -> JsonResponse:
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(request)
    results: dict[str, str] = {}
    for name, check in readiness_checks().items():
        try:
            check()
        except Exception as exc:  # any failure means "down"; the reason goes to the log only
            log.warning("readiness check %s is down: %s", name, exc.__class__.__name__)
            results[name] = "down"
        else:
            results[name] = "ok"
    ok = all(value == "ok" for value in results.values())
    body = {"status": "ok" if ok else "down", "checks": results}
    return _no_store(JsonResponse(body, status=200 if ok else 503))
