"""Run every ``benchmarks/bench_*.py`` module's ``run(args)`` on a throwaway database.

Usage: ``python -m benchmarks [--only NAME] [--clusters N] [--years N]``

The database follows ``DATABASE_URL`` (SQLite when unset) but is never the dev database:
on PostgreSQL the runner uses ``<name>_bench`` (or the name itself when it already ends
in ``_bench``), dropped and recreated on every run; on SQLite a temporary file. Both are
migrated from scratch before the first benchmark runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent


def discover() -> list[str]:
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(HERE)])
        if m.name.startswith("bench_")
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this benchmark (bench_NAME.py); repeat for several",
    )
    parser.add_argument(
        "--clusters", type=int, default=3000, help="clusters to generate (default 3000)"
    )
    parser.add_argument("--years", type=int, default=10, help="years per cluster (default 10)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the throwaway database afterwards (PostgreSQL) for a look",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return parser.parse_args(argv)


def _bench_postgres(url: str) -> tuple[str, str]:
    """Point DATABASE_URL at <name>_bench, (re)created empty; return (url, dbname)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    bench_name = name if name.endswith("_bench") else f"{name}_bench"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{bench_name}"')
    return urlunsplit(parts._replace(path=f"/{bench_name}")), bench_name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    available = discover()
    if args.list:
        print("\n".join(available))
        return 0
    chosen = available
    if args.only:
        unknown = sorted(set(args.only) - set(available))
        if unknown:
            print(
                f"Unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}",
                file=sys.stderr,
            )
            return 2
        chosen = [name for name in available if name in args.only]

    url = os.environ.get("DATABASE_URL", "")
    cleanup = None
    tmpdir = None
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        bench_url, bench_name = _bench_postgres(url)
        os.environ["DATABASE_URL"] = bench_url
        args.database = f"PostgreSQL {bench_name}"
        if not args.keep:
            cleanup = lambda: _drop_postgres(bench_url, bench_name)  # noqa: E731
    elif url and not url.startswith("sqlite"):
        print(f"Unsupported DATABASE_URL for benchmarks: {url}", file=sys.stderr)
        return 2
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="clusterbase-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir.name}/bench.sqlite3"
        args.database = "SQLite (temporary file)"
    # Tasks queued by the code under test run in-process unless the caller says otherwise.
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # the benchmarks call the API through the test client, whose host is "testserver"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DJANGO_DEBUG", "false")  # DEBUG keeps every query in memory
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        print(f"== clusterbase benchmarks on {args.database}: {', '.join(chosen)}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"   migrated in {time.perf_counter() - started:.1f} s")
        for name in chosen:
            module = importlib.import_module(f"benchmarks.bench_{name}")
            print(f"\n== {name}")
            started = time.perf_counter()
            module.run(args)
            print(f"== {name} done in {time.perf_counter() - started:.1f} s")
    finally:
        connections.close_all()
        if cleanup is not None:
            cleanup()
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
