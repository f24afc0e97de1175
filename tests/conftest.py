"""Fixtures for the tests that take a service away: a Redis server of the test's own, and
this process configured to use it as a deployment with REDIS_URL would."""

from __future__ import annotations

import pytest

from tests.services import OwnRedis, use_broker


@pytest.fixture
def own_redis():
    try:
        server = OwnRedis()
    except FileNotFoundError:
        pytest.skip("redis-server is not installed")
    server.start()
    yield server
    server.close()


@pytest.fixture
def on_own_redis(settings, own_redis):
    """Redis as the cache and the Celery broker (tasks are published, not run eagerly)."""
    from config.celery_app import app

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1.0,
                "SOCKET_TIMEOUT": 1.0,
            },
        }
    }
    settings.CELERY_BROKER_URL = own_redis.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with use_broker(app, own_redis.url):
        yield own_redis
