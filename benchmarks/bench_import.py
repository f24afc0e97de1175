"""The facts CSV import: rows per second and peak memory, for a full and a 1/4 file.

Generates ``--clusters`` x ``--years`` x 20 rows (3,000 x 10 x 20 = 600,000 by default),
sorted like the export, and imports them through ``facts_import`` (the code path of
``manage.py import_facts`` and the REST import) into a fresh programme:

1. timed import (new submissions), 2. timed re-import of the same file (nothing changes),
3. the import again into another fresh programme under ``tracemalloc`` for its peak
   Python memory (tracing slows it down, so it is not timed).

The same for a file with a quarter of the clusters: the peak memory should not grow with
the file size (it is bounded by the number of cluster-years the first pass keeps as keys,
a few hundred bytes each, plus one write batch).

The portfolio recompute queued after the import is left out (it runs on a worker in
production; ``bench_portfolio`` measures it).
"""

from __future__ import annotations

import csv
import random
import resource
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

LINES_PER_CLUSTER_YEAR = 20
FIRST_YEAR = 2010


def _setup_program(slug: str, clusters: int, years: int) -> Any:
    import datetime as dt

    from clusters.models import Cluster, ReportingPeriod
    from clusters.services.programs import program_create

    program = program_create(slug=slug, name=f"Benchmark {slug}", currency="EUR", country="NO")
    Cluster.objects.bulk_create(
        [
            Cluster(
                program=program,
                slug=f"c{i:05d}",
                name=f"Cluster {i}",
                country="NO",
                stage="growth",
                category="grow",
            )
            for i in range(clusters)
        ],
        batch_size=2000,
    )
    ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(
                program=program,
                year=y,
                opens_on=dt.date(y + 1, 1, 1),
                closes_on=dt.date(y + 1, 3, 31),
            )
            for y in range(FIRST_YEAR, FIRST_YEAR + years)
        ]
    )
    return program


def _write_file(path: Path, clusters: int, years: int) -> int:
    from clusters.catalogue import DEFAULT_KPIS, FUNDING_SOURCES

    sources = sorted(code for code, _, _ in FUNDING_SOURCES)
    kpis = sorted(code for code, *_ in DEFAULT_KPIS)
    costs = ["staff", "operations", "projects", "setup"]  # line order: funding, cost, kpi
    rng = random.Random(42)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cluster", "year", "currency", "line", "code", "amount"])
        for i in range(clusters):
            slug = f"c{i:05d}"
            currency = "EUR" if i % 5 else "NOK"
            for y in range(FIRST_YEAR, FIRST_YEAR + years):
                for code in sorted(rng.sample(sources, 8)):
                    w.writerow(
                        [
                            slug,
                            y,
                            currency,
                            "funding",
                            code,
                            f"{Decimal(rng.randrange(0, 10**8)) / 100}",
                        ]
                    )
                for code in costs:
                    w.writerow(
                        [
                            slug,
                            y,
                            currency,
                            "cost",
                            code,
                            f"{Decimal(rng.randrange(0, 10**8)) / 100}",
                        ]
                    )
                for code in sorted(rng.sample(kpis, 8)):
                    w.writerow([slug, y, currency, "kpi", code, str(rng.randrange(0, 10**6))])
                rows += LINES_PER_CLUSTER_YEAR
    return rows


def _import(program: Any, path: Path) -> Any:
    from clusters.access import system_access
    from clusters.services.facts import facts_import

    return facts_import(
        access=system_access(program, label="bench_import", via="import"),
        open_lines=lambda: path.open(encoding="utf-8", newline=""),
    )


def _measure(label: str, clusters: int, years: int, tmp: Path, run_id: str) -> dict[str, float]:
    path = tmp / f"facts-{label}.csv"
    started = time.perf_counter()
    rows = _write_file(path, clusters, years)
    size_mb = path.stat().st_size / 1e6
    print(
        f"   {label}: {rows:,} rows ({clusters:,} clusters x {years} years), {size_mb:.1f} MB, "
        f"generated in {time.perf_counter() - started:.1f} s"
    )

    program = _setup_program(f"bench-import-{run_id}-{label}", clusters, years)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    result = _import(program, path)
    cpu = time.process_time() - cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # CPU seconds of this process beside the wall clock: on a busy machine the difference
    # is time spent waiting for a core or for the database.
    print(
        f"   {label}: import    {result.seconds:7.2f} s  {rows / result.seconds:10,.0f} rows/s  "
        f"(Python CPU {cpu:.2f} s; {result.created:,} submissions created)"
    )
    cpu = time.process_time()
    again = _import(program, path)
    cpu = time.process_time() - cpu
    print(
        f"   {label}: re-import {again.seconds:7.2f} s  {rows / again.seconds:10,.0f} rows/s  "
        f"(Python CPU {cpu:.2f} s; {again.unchanged:,} unchanged, {again.changed} changed)"
    )

    traced = _setup_program(f"bench-import-{run_id}-{label}-traced", clusters, years)
    tracemalloc.start()
    _import(traced, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"   {label}: peak Python memory of the import {peak / 1e6:7.1f} MB "
        f"(tracemalloc); max RSS grew {max(rss_after - rss_before, 0) / 1024:.1f} MB"
    )
    path.unlink()
    return {"rows": rows, "rate": rows / result.seconds, "peak_mb": peak / 1e6}


def run(args: Any) -> None:
    from clusters import hooks

    hooks.figure_inputs_changed = lambda **kwargs: None  # a worker's job; see docstring
    clusters, years = max(args.clusters, 4), max(args.years, 1)
    run_id = str(int(time.time()))
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        full = _measure("full", clusters, years, Path(tmp), run_id)
        quarter = _measure("quarter", clusters // 4, years, Path(tmp), run_id)
    print(
        f"   summary on {args.database}: full file {full['rows']:,} rows at {full['rate']:,.0f} rows/s, "
        f"peak {full['peak_mb']:.1f} MB; quarter file {quarter['rows']:,} rows at "
        f"{quarter['rate']:,.0f} rows/s, peak {quarter['peak_mb']:.1f} MB "
        f"(ratio {full['peak_mb'] / max(quarter['peak_mb'], 1e-9):.2f} for 4x the rows)"
    )
