"""`make load`: a bounded load test of the whole service, as it runs in production.

Starts, on this machine only, gunicorn (config/gunicorn.py, production settings, plain
HTTP on 127.0.0.1) and one Celery worker, on a throwaway PostgreSQL database (dropped and
recreated) and the given Redis; loads a programme of --clusters clusters with --years
years of approved submissions (the portfolio benchmark's generator) and stores its
figures; then runs benchmarks/load_clients.py (locust) for --duration seconds with
--users concurrent clients: analysts reading the registry, a cluster, the funding mix and
its trend, the facts export and GraphQL; programme offices writing a submission,
submitting, approving and reopening it (each approval queues recomputes on the worker).
Prints throughput, p50/p95/p99 per request kind and the error count, then stops every
process it started and drops the database (unless --keep).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = "load"
WRITE_YEAR = 2025  # the year after the generated ones (2015-2024)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n")[0]
    )
    p.add_argument("--database-url", required=True, help="PostgreSQL URL; its name gets _load")
    p.add_argument("--redis-url", required=True)
    p.add_argument("--port", type=int, default=18010)
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--writers", type=int, default=10, help="of the users, programme offices")
    p.add_argument("--duration", type=int, default=60, help="seconds")
    p.add_argument("--clusters", type=int, default=200)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--think", default="0.5-1.5", help="seconds between a client's requests")
    p.add_argument("--web-concurrency", type=int, default=None)
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return p.parse_args(argv)


def _load_database(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "clusterbase"
    name = name if name.endswith("_load") else f"{name}_load"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return urlunsplit(parts._replace(path=f"/{name}")), name, admin


def _recreate(admin: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _env(args: argparse.Namespace, database_url: str, queue: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # plain HTTP on loopback: the load test has no TLS proxy in front
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX=f"load-{queue}",
        CELERY_QUEUE=queue,
        HOST="127.0.0.1",
        PORT=str(args.port),
        LOG_LEVEL="INFO",
        MANAGE_QUIET="1",
    )
    if args.web_concurrency:
        env["WEB_CONCURRENCY"] = str(args.web_concurrency)
    return env


SETUP = """
import json, sys
import django
django.setup()
from benchmarks.bench_portfolio import generate
from clusters.access import system_access
from clusters.models import Cluster, Program, Role
from clusters.services.programs import period_create
from clusters.services.tokens import token_create

program, years = generate({clusters}, {years})
Program.objects.filter(pk=program.pk).update(slug="{program}")
program.refresh_from_db()
access = system_access(program, label="load", via="load")
period_create(access=access, data={{"year": {write_year}, "opens_on": "2000-01-01",
                                   "closes_on": "2100-01-01"}})
clusters = list(Cluster.objects.for_program(program).order_by("pk"))
readers = [token_create(name=f"load analyst {{i}}", role=Role.PROGRAM_ANALYST, program=program)[1]
           for i in range({users})]
writers = []
for i in range({writers}):
    editor = token_create(name=f"load editor {{i}}", role=Role.CLUSTER_EDITOR, program=program,
                          cluster_slugs=[clusters[i].slug])[1]
    admin = token_create(name=f"load office {{i}}", role=Role.PROGRAM_ADMIN, program=program)[1]
    writers.append({{"cluster": clusters[i].slug, "editor": editor, "admin": admin}})
from impact.services.figures import figures_recompute_year
for year in years:
    figures_recompute_year(program_id=program.pk, year=year)
json.dump({{"program": "{program}", "years": years, "write_year": {write_year},
           "clusters": [c.slug for c in clusters], "readers": readers, "writers": writers}},
          sys.stdout)
"""


def _wait_ready(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"gunicorn did not become ready:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _print(result: dict, args: argparse.Namespace, elapsed: float) -> None:
    print()
    print(
        f"{args.users} clients ({args.users - args.writers} analysts, {args.writers} programme "
        f"offices), {args.duration} s, think time {args.think} s; {os.cpu_count()} cores"
    )
    print(
        f"{'request kind':<24}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}"
    )
    for row in result["kinds"]:
        print(
            f"{row['name']:<24}{row['requests']:>9}{row['rps']:>8.1f}{row['p50']:>8.0f}"
            f"{row['p95']:>8.0f}{row['p99']:>8.0f}{row['errors']:>8}"
        )
    for row in (result["reads"], result["writes"], result["total"]):
        print(
            f"{row['name']:<24}{row['requests']:>9}{row['rps']:>8.1f}{row['p50']:>8.0f}"
            f"{row['p95']:>8.0f}{row['p99']:>8.0f}{row['errors']:>8}"
        )
    if result["errors"]:
        print("errors:")
        for error in result["errors"]:
            print(f"  {error}")
    print(f"recomputes run by the worker during the test: {result.get('tasks', '?')}")
    print(f"wall time {elapsed:.0f} s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url, name, admin = _load_database(args.database_url)
    queue = f"load-{uuid.uuid4().hex[:8]}"
    env = _env(args, database_url, queue)
    tmp = Path(tempfile.mkdtemp(prefix="clusterbase-load-"))
    web = worker = None
    started = time.monotonic()
    try:
        print(f"database {name} (recreated), redis {args.redis_url}, port {args.port}")
        _recreate(admin, name)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env, "DJANGO_STATIC_ROOT": str(tmp / "static")},
            check=True,
        )
        print(f"loading {args.clusters} clusters x {args.years} years ...")
        setup = SETUP.format(
            clusters=args.clusters,
            years=args.years,
            program=PROGRAM,
            write_year=WRITE_YEAR,
            users=args.users,
            writers=args.writers,
        )
        loaded = subprocess.run(
            [sys.executable, "-c", setup],
            cwd=ROOT,
            env={**env, "LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
        )
        if loaded.returncode != 0:
            print(loaded.stderr[-3000:], file=sys.stderr)
            return 1
        plan = loaded.stdout
        plan_file = tmp / "plan.json"
        plan_file.write_text(plan)
        web_log, worker_log = tmp / "web.log", tmp / "worker.log"
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env={**env, "DJANGO_STATIC_ROOT": str(tmp / "static")},
            stdout=web_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
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
                f"{queue}@localhost",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=worker_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        _wait_ready(args.port, web, web_log)
        print(f"running {args.users} clients for {args.duration} s ...")
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.load_clients",
                str(plan_file),
                f"http://127.0.0.1:{args.port}",
                str(args.users),
                str(args.writers),
                str(args.duration),
                args.think,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        result = json.loads(out.stdout.strip().splitlines()[-1])
        time.sleep(2)  # let the worker finish the recomputes queued at the end
        result["tasks"] = sum(
            1 for line in worker_log.read_text().splitlines() if '"clusterbase.task"' in line
        )
        errors_logged = [
            line for line in web_log.read_text().splitlines() if '"level": "ERROR"' in line
        ]
        _print(result, args, time.monotonic() - started)
        if errors_logged:
            print(f"server errors logged: {len(errors_logged)}; first: {errors_logged[0][:500]}")
        return 0 if result["total"]["errors"] == 0 and not errors_logged else 1
    finally:
        _stop(web)
        _stop(worker)
        if not args.keep:
            try:
                _recreate(admin, name, drop_only=True)
            except Exception as exc:  # reported, not fatal: the figures are already printed
                print(f"could not drop {name}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
