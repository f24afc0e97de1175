"""20 parallel writes on the default SQLite database (a file, as ``make run`` uses): none is
a 500. Writers wait for SQLite's one write lock (``transaction_mode: IMMEDIATE`` and a busy
timeout, config/settings/base.py) and succeed, or get the 412 their ``If-Match`` asks for;
a lock held past the timeout is a 503 with ``Retry-After``.

The writers run in a subprocess (``tests/sqlite_writers.py``) on a temporary file database:
pytest-django's SQLite test database is in memory, where file locking never happens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
REST_CREATED = {"status": 201, "code": None, "retry_after": None, "graphql": None}
GRAPHQL_OK: dict[str, Any] = {"status": 200, "code": None, "retry_after": None, "graphql": []}


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict:
    db_file = tmp_path_factory.mktemp("writers") / "db.sqlite3"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    env.update(DATABASE_URL=f"sqlite:///{db_file}", DJANGO_SETTINGS_MODULE="config.settings.test")
    done = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_writers", str(db_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_sqlite_is_configured_for_waiting_writers():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the settings under test are SQLite's")

    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert options["init_command"] == "PRAGMA journal_mode=WAL"


def test_20_parallel_writes_to_different_submissions_all_succeed(answers):
    assert answers["distinct"] == [REST_CREATED] * 10 + [GRAPHQL_OK] * 10


def test_20_parallel_writes_with_the_same_if_match_one_wins_the_rest_412(answers):
    statuses = sorted(a["status"] for a in answers["same"])

    assert statuses == [200] + [412] * 19
    assert {a["code"] for a in answers["same"] if a["status"] == 412} == {"precondition_failed"}


def test_a_write_lock_held_past_the_timeout_is_a_503_with_retry_after(answers):
    assert answers["held"] == {"status": 503, "code": "busy", "retry_after": "2", "graphql": None}
