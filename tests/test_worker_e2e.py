"""End to end with a REAL Celery worker on Redis and PostgreSQL.

Approving a submission through the API commits, the commit queues the recompute task on
the Redis broker, a separate worker process runs it against the test database, and the
stored portfolio figures change, without any request having asked for them.

Runs only with CELERY_WORKER_TESTS=1, REDIS_URL and a PostgreSQL DATABASE_URL (``make
test-postgres`` sets them), e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dev_c REDIS_URL=redis://127.0.0.1:6379/13 \\
    CELERY_WORKER_TESTS=1 .venv/bin/pytest tests/test_worker_e2e.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from impact.models import PortfolioSnapshot
from impact.services.figures import figures_recompute_year as portfolio_recompute_year
from tests.givens import add_submission

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        os.environ.get("CELERY_WORKER_TESTS") != "1",
        reason="needs a real Celery worker: set CELERY_WORKER_TESTS=1 (make test-postgres)",
    ),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (the Celery broker)"
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs a PostgreSQL DATABASE_URL (the worker shares the test database)",
    ),
]

TIMEOUT = 30.0


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _celery_bin() -> str:
    candidate = Path(sys.executable).with_name("celery")
    return str(candidate) if candidate.exists() else str(ROOT / ".venv" / "bin" / "celery")


@pytest.fixture
def worker(settings):
    """A worker process on its own queue, against this test's database; the test process
    itself enqueues to the broker instead of running tasks eagerly."""
    from config.celery_app import app

    queue = f"e2e-{uuid.uuid4().hex[:8]}"
    hostname = f"{queue}@localhost"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    log = tempfile.NamedTemporaryFile(prefix="celery-e2e-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [
            _celery_bin(),
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-n",
            hostname,
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = {k: app.conf[k] for k in ("task_always_eager", "task_default_queue", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = settings.CELERY_BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        deadline = time.monotonic() + TIMEOUT
        while not app.control.ping(destination=[hostname], timeout=1.0):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not answer a ping:\n{Path(log.name).read_text()}")
        yield proc, Path(log.name)
    finally:
        for key, value in saved.items():
            app.conf[key] = value
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def _wait_for(predicate, log: Path):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {TIMEOUT} s; worker log:\n{log.read_text()}")


@pytest.mark.django_db(transaction=True)
def test_approving_updates_the_stored_figures_through_the_worker(cast, worker):
    _, log = worker
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    # given stored 2021 figures without a1's submitted submission
    add_submission(
        cast.a1,
        2021,
        funding=[("membership_fees", "250.00"), ("eu_projects", "750.00")],
        state="submitted",
    )
    portfolio_recompute_year(program_id=cast.prog_a.pk, year=2021)
    before = PortfolioSnapshot.objects.for_program(cast.prog_a).get(
        year=2021, kind="funding_mix", params=""
    )
    assert before.payload["total"] == "0.00"

    # when the admin approves it through the API (the commit queues the task on Redis)
    response = cast.admin_a.client().post(
        "/api/v1/programs/prog-a/clusters/a1/submissions/2021/approve"
    )
    assert response.status_code == 200, response.content

    # then the worker recomputes and stores the figure, with nobody asking for it
    def updated():
        # the approval dropped the stale snapshot in its own transaction; the worker stores
        # the new one
        snap = (
            PortfolioSnapshot.objects.for_program(cast.prog_a)
            .filter(year=2021, kind="funding_mix", params="")
            .first()
        )
        return snap if snap is not None and snap.payload["total"] == "1000.00" else None

    after = _wait_for(updated, log)
    assert after.computed_at > before.computed_at
    # (and it was the worker, not an eager run in this process)
    _wait_for(
        lambda: (
            "clusters.portfolio_recompute[" in log.read_text() and "succeeded" in log.read_text()
        ),
        log,
    )
    assert after.payload["by_category"]["private"] == {"amount": "250.00", "share": 0.25}
    assert after.payload["by_category"]["project"] == {"amount": "750.00", "share": 0.75}
    # and the API serves the stored figure
    body = (
        cast.analyst_a.client()
        .get("/api/v1/programs/prog-a/portfolio/funding-mix?year=2021")
        .json()
    )
    assert (body["source"], body["total"]) == ("stored", "1000.00")
