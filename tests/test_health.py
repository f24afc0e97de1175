"""/healthz and /readyz: no token, nothing secret, and the truth about each dependency,
with our own Redis server taken away and brought back."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_healthz_answers_without_a_token_and_checks_nothing(anon):
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_with_the_database_up_and_no_redis_configured(anon, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = anon.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_readyz_asks_redis_as_cache_and_broker_when_configured(anon, on_own_redis):
    response = anon.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_with_redis_stopped_readyz_names_what_is_down_and_healthz_still_answers(anon, on_own_redis):
    # given Redis, the cache and broker, stops
    on_own_redis.stop()
    # when the probes ask
    ready = anon.get("/readyz")
    alive = anon.get("/healthz")
    # then readiness is 503 naming the cache and the broker; the database is fine
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "down",
        "checks": {"database": "ok", "cache": "down", "broker": "down"},
    }
    # and the process itself is alive, so nobody restarts it for Redis's sake
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    # and once Redis is back, so is readiness
    on_own_redis.start()
    assert anon.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_says_nothing_secret(anon, on_own_redis):
    on_own_redis.stop()
    text = anon.get("/readyz").content.decode()
    assert "127.0.0.1" not in text and str(on_own_redis.port) not in text
    assert "redis://" not in text and "Error" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_refuse_writes_with_a_problem(anon, path):
    response = anon.post(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD"
