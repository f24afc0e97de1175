"""Survives its dependencies: Redis stopped, a worker killed mid-recompute, PostgreSQL
restarted. Each test starts the Redis server, worker or PostgreSQL server it takes away, on
ports of its own (16380-16399, 18000-18019), and stops or kills only those."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import LiteralString

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from clusters.models import Submission
from impact.models import PortfolioSnapshot
from impact.services.figures import figures_missing, figures_recompute_year
from impact.tasks import figures_store_missing
from tests.givens import add_submission
from tests.services import free_port

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
MIX = "/api/v1/programs/prog-a/portfolio/funding-mix?year=2021"
GRAPHQL_MIX = '{ program(slug: "prog-a") { fundingMix(year: 2021) { total source } } }'


def _count(conn: psycopg.Connection, sql: LiteralString, params: list[str]) -> int:
    row = conn.execute(sql, params).fetchone()
    assert row is not None  # count(*) always answers one row
    return row[0]


def _snapshot_total(program, year: int) -> str | None:
    snap = (
        PortfolioSnapshot.objects.for_program(program)
        .filter(year=year, kind="funding_mix", params="")
        .first()
    )
    return snap.payload["total"] if snap else None


# --- Redis stops --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_reads_answer_writes_commit_and_figures_catch_up(cast, on_own_redis):
    # given stored 2021 figures (a2 approved) and a1's 2021 submission waiting for approval
    add_submission(cast.a2, 2021, funding=[("membership_fees", "100.00")])
    add_submission(
        cast.a1,
        2021,
        funding=[("membership_fees", "250.00"), ("eu_projects", "750.00")],
        state="submitted",
    )
    figures_recompute_year(program_id=cast.prog_a.pk, year=2021)
    analyst, admin = cast.analyst_a.client(), cast.admin_a.client()

    # when Redis (the cache and the broker) stops
    on_own_redis.stop()

    # then reads answer, from the stored figures in the database
    before = analyst.get(MIX)
    assert before.status_code == 200, before.content
    assert (before.json()["total"], before.json()["source"]) == ("100.00", "stored")
    # and a write commits, though its recompute cannot be queued
    approved = admin.post("/api/v1/programs/prog-a/clusters/a1/submissions/2021/approve")
    assert approved.status_code == 200, approved.content
    assert Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1).state == "approved"
    # and the figures already count it: computed from the database, never the stale ones
    after = analyst.get(MIX)
    assert after.status_code == 200, after.content
    assert (after.json()["total"], after.json()["source"]) == ("1100.00", "computed")
    graphql = analyst.post("/graphql/", {"query": GRAPHQL_MIX}, format="json")
    assert graphql.status_code == 200 and "errors" not in graphql.json(), graphql.content
    assert graphql.json()["data"]["program"]["fundingMix"]["total"] == "1100.00"
    # and the years to store again are known to the database, not to the lost task
    assert figures_missing(program_ids=[cast.prog_a.pk]) == [
        (cast.prog_a.pk, 2021),
        (cast.prog_a.pk, 2022),
    ]

    # when Redis is back and the scheduler's sweep runs (as celery beat runs it every minute)
    on_own_redis.start()
    assert figures_store_missing.apply().get() == 2
    # then the figures are stored again, and served as stored
    assert _snapshot_total(cast.prog_a, 2021) == "1100.00"
    assert figures_missing(program_ids=[cast.prog_a.pk]) == []
    served = analyst.get(MIX).json()
    assert (served["total"], served["source"]) == ("1100.00", "stored")


@pytest.mark.django_db(transaction=True)
def test_missing_figures_are_stored_on_demand_by_a_command(cast, on_own_redis):
    add_submission(cast.a1, 2021, funding=[("membership_fees", "40.00")])
    add_submission(cast.b1, 2020, funding=[("membership_fees", "7.00")])
    on_own_redis.stop()
    # (the approvals above were written directly: nothing was stored or queued for them)
    out = __import__("io").StringIO()
    call_command("recompute_figures", "--missing", "--program", "prog-a", stdout=out)
    assert out.getvalue().splitlines() == [
        "prog-a 2021: stored",
        "prog-a 2022: stored",
        "2 programme-year(s) recomputed.",
    ]
    assert _snapshot_total(cast.prog_a, 2021) == "40.00"
    # prog-b was not asked for
    assert figures_missing() == [(cast.prog_b.pk, 2020), (cast.prog_b.pk, 2021)]


def test_the_scheduler_runs_the_sweep_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["store-missing-figures"]
    assert entry["task"] == "impact.figures_store_missing"
    assert entry["schedule"] == 60.0
    from config.celery_app import app

    assert "impact.figures_store_missing" in app.tasks


# --- a worker killed in the middle of a recompute -------------------------------------------

_WORKER_MARKS = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("CELERY_WORKER_TESTS") != "1",
        reason="needs a real Celery worker: set CELERY_WORKER_TESTS=1 (make test-postgres)",
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs a PostgreSQL DATABASE_URL (the worker shares the test database)",
    ),
]


def needs_worker(test):
    for mark in reversed(_WORKER_MARKS):
        test = mark(test)
    return test


def _test_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(redis_url: str, queue: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": queue,
        # a task whose worker died is redelivered after 2 s, not the production hour
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{queue}-{uuid.uuid4().hex[:6]}@localhost",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


def _stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    """Stop a worker this test started (only those), whatever state it is in."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def _wait_for(predicate, what: str, log: Path | None = None):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}" + (f":\n{log.read_text()}" if log else ""))


@needs_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_recompute_leaves_correct_figures_after_redelivery(
    cast, on_own_redis, tmp_path
):
    from config.celery_app import app

    queue = f"kill-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    log = tmp_path / "workers.log"
    # given a submitted submission; once approved, the programme row is locked by someone
    # else, so the recompute, once started, waits inside its transaction
    add_submission(
        cast.a1,
        2021,
        funding=[("membership_fees", "250.00"), ("eu_projects", "750.00")],
        state="submitted",
    )
    # when the admin approves it (the commit queues the recomputes on our Redis)
    response = cast.admin_a.client().post(
        "/api/v1/programs/prog-a/clusters/a1/submissions/2021/approve"
    )
    assert response.status_code == 200, response.content
    # (NO KEY UPDATE: holds off the recompute's FOR UPDATE, not other writers' foreign keys)
    blocker = psycopg.connect(_test_database_url().replace("postgres://", "postgresql://"))
    blocker.execute(
        "SELECT id FROM clusters_program WHERE id = %s FOR NO KEY UPDATE", [cast.prog_a.pk]
    )
    first = second = None
    try:
        # and a worker takes the 2021 recompute and is killed while it runs
        first = _worker(on_own_redis.url, queue, log)
        # (asked on a connection of its own: inside a transaction the view stays a snapshot)
        watcher = psycopg.connect(
            _test_database_url().replace("postgres://", "postgresql://"), autocommit=True
        )
        _wait_for(
            lambda: _count(
                watcher,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE %s",
                ["%clusters_program%FOR UPDATE%"],
            ),
            "the worker to be inside the recompute",
            log,
        )
        watcher.close()
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=15) == -signal.SIGKILL
        assert _snapshot_total(cast.prog_a, 2021) is None  # nothing was stored by it
    except BaseException:
        _stop_worker(first)
        raise
    finally:
        blocker.rollback()
        blocker.close()
    try:
        # then another worker gets the unacknowledged task again and stores correct figures
        second = _worker(on_own_redis.url, queue, log)
        _wait_for(
            lambda: _snapshot_total(cast.prog_a, 2021) == "1000.00",
            "the redelivered recompute",
            log,
        )
        _wait_for(lambda: _snapshot_total(cast.prog_a, 2022) is not None, "2022", log)
        snap = PortfolioSnapshot.objects.for_program(cast.prog_a).get(
            year=2021, kind="funding_mix", params=""
        )
        assert snap.payload["by_category"]["private"] == {"amount": "250.00", "share": 0.25}
        assert snap.payload["by_category"]["project"] == {"amount": "750.00", "share": 0.75}
        assert figures_missing(program_ids=[cast.prog_a.pk]) == []
        # the 2021 task ran twice in all: started by the killed worker, finished by the other
        assert log.read_text().count("clusters.portfolio_recompute[") >= 3
    finally:
        app.conf.changes.pop("task_default_queue", None)
        for worker in (first, second):
            _stop_worker(worker)


# --- PostgreSQL restarts -------------------------------------------------------------------

PG_BIN = Path("/usr/lib/postgresql")


def _pg_tool(name: str) -> str | None:
    found = sorted(PG_BIN.glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


class OwnPostgres:
    """A PostgreSQL server of our own (initdb in a temporary directory, as the postgres
    user when we are root), on a port of ours: ours to restart."""

    def __init__(self) -> None:
        initdb, pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
        if not initdb or not pg_ctl:
            raise FileNotFoundError("initdb/pg_ctl")
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.port = free_port(range(16390, 16400))
        self.dir = Path(tempfile.mkdtemp(prefix="own-pg-"))
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._run(
            self.pg_ctl,
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def restart(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.start()

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


SEED_TOKEN = """
import django
django.setup()
from clusters.services.programs import program_create
from clusters.services.tokens import token_create
program = program_create(slug="p", name="P", currency="EUR")
print(token_create(name="bi", role="program_analyst", program=program)[1])
"""


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}"} if token else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the PostgreSQL pass runs it (make test-postgres)",
)
def test_after_a_postgresql_restart_requests_recover_without_restarting_the_service(tmp_path):
    try:
        pg = OwnPostgres()
    except FileNotFoundError:
        pytest.skip("PostgreSQL's initdb/pg_ctl are not installed")
    server = None
    try:
        pg.init()
        pg.start()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CELERY_")) and k not in ("REDIS_URL",)
        }
        port = free_port(range(18000, 18020))
        env.update(
            DATABASE_URL=pg.url,
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY="survival-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DATABASE_CONN_MAX_AGE="600",
            # one process, one thread: every request reuses the same persistent connection
            WEB_CONCURRENCY="1",
            WEB_THREADS="1",
            HOST="127.0.0.1",
            PORT=str(port),
            MANAGE_QUIET="1",
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        token = (
            subprocess.run(
                [sys.executable, "-c", SEED_TOKEN],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        log = (tmp_path / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"

        def answering() -> bool:
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped:\n{(tmp_path / 'gunicorn.log').read_text()}")
            try:
                return _get(f"{base}/healthz")[0] == 200
            except urllib.error.URLError:
                return False

        _wait_for(answering, "gunicorn")
        # given a served request (the process now holds a persistent connection)
        assert _get(f"{base}/api/v1/programs/", token)[0] == 200
        # when PostgreSQL stops
        pg.stop()
        # then the process is alive and says the database is down
        assert _get(f"{base}/healthz")[0] == 200
        status, body = _get(f"{base}/readyz")
        assert status == 503 and '"database": "down"' in body
        # and when it is back, the next requests succeed with the same process
        pg.start()
        assert _get(f"{base}/api/v1/programs/", token)[0] == 200
        assert _get(f"{base}/readyz")[0] == 200
        # a restart while connected, too
        pg.restart()
        status, body = _get(f"{base}/api/v1/programs/", token)
        assert status == 200, body
        assert server.poll() is None  # never restarted
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        pg.close()
