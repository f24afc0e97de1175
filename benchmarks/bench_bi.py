"""BI table export rate: 600,000 funding rows as CSV and Parquet, against raw SQL.

Generates ``--clusters`` x ``--years`` approved submissions with 600,000 funding lines in
all (20 per submission with the defaults of 3,000 x 10), a fifth of them in a currency
converted at the year's fx rate, and measures in the same run:

- raw SQL: one hand-written query joining the lines to their submission, cluster, source
  and fx rate, every row fetched (the floor: no conversion, no formatting);
- the ``funding`` table through ``bi.tables`` (scope, filters, exact conversion) and
  written as CSV (``bi.writers.csv_chunks``), and the same through the whole REST stack
  (``GET .../exports/funding.csv`` with a token, streamed);
- the same table written as Parquet (``bi.writers.parquet_chunks``: decimal128 columns).

Each line prints rows per second and the ratio to raw SQL.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

PROGRAM_SLUG = "bench-bi"
TOTAL_ROWS = 600_000


def _generate(clusters: int, years: int) -> tuple[Any, int]:
    from clusters.models import Cluster, FundingLine, FundingSource, FxRate, Program, Submission
    from clusters.services.programs import program_create

    rng = random.Random(20261201)
    Program.objects.filter(slug=PROGRAM_SLUG).delete()
    program = program_create(slug=PROGRAM_SLUG, name="BI export benchmark", currency="EUR")
    per_submission = max(1, min(30, TOTAL_ROWS // (clusters * years)))
    first = 2015
    FxRate.objects.bulk_create(
        FxRate(program=program, year=y, currency="NOK", rate=Decimal("0.0855555555"))
        for y in range(first, first + years)
    )
    Cluster.objects.bulk_create(
        (
            Cluster(
                program=program,
                slug=f"c{i:05d}",
                name=f"Cluster {i}",
                country="NO",
                stage="growth",
                category="grow",
            )
            for i in range(clusters)
        ),
        batch_size=2000,
    )
    Submission.objects.bulk_create(
        (
            Submission(
                program=program,
                cluster=c,
                year=y,
                currency="NOK" if c.pk % 5 == 0 else "EUR",
                state="approved",
            )
            for c in Cluster.objects.for_program(program)
            for y in range(first, first + years)
        ),
        batch_size=2000,
    )
    sources = list(FundingSource.objects.for_program(program))
    rows = 0
    batch: list[FundingLine] = []
    for sub in Submission.objects.for_program(program).only("pk").iterator(chunk_size=2000):
        for source in rng.sample(sources, per_submission):
            batch.append(
                FundingLine(
                    program=program,
                    submission=sub,
                    source=source,
                    amount=Decimal(rng.randrange(0, 50_000_000)) / 100,
                    restricted=rng.random() < 0.1,
                )
            )
        if len(batch) >= 20_000:
            FundingLine.objects.bulk_create(batch, batch_size=5000)
            rows += len(batch)
            batch = []
    FundingLine.objects.bulk_create(batch, batch_size=5000)
    return program, rows + len(batch)


RAW_SQL = """
SELECT c.slug, s.year, fs.code, fs.category, s.currency, f.amount, fx.rate,
       f.in_kind, f.restricted, f.note, s.state, s.updated_at, c.updated_at
FROM clusters_fundingline f
JOIN clusters_submission s ON s.id = f.submission_id
JOIN clusters_cluster c ON c.id = s.cluster_id
JOIN clusters_fundingsource fs ON fs.id = f.source_id
LEFT JOIN clusters_fxrate fx
  ON fx.program_id = s.program_id AND fx.year = s.year AND fx.currency = s.currency
WHERE f.program_id = %s AND s.state = 'approved'
ORDER BY c.slug{collate}, s.year, fs.code{collate}
"""


def _raw(program: Any) -> int:
    from django.db import connection

    # the table's own order: byte order ("C") on PostgreSQL, as bi.tables sorts
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    n = 0
    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL.format(collate=collate), [program.pk])
        while True:
            chunk = cursor.fetchmany(2000)
            if not chunk:
                return n
            n += len(chunk)


def _drain(chunks: Any) -> int:
    size = 0
    for chunk in chunks:
        size += len(chunk)
    return size


def run(args: Any) -> None:
    from django.http import StreamingHttpResponse
    from django.test import Client

    from bi import writers
    from bi.tables import table_class, table_read
    from clusters.access import system_access
    from clusters.models import Role
    from clusters.services.tokens import token_create

    clusters, years = max(args.clusters, 1), max(args.years, 1)
    started = time.perf_counter()
    program, rows = _generate(clusters, years)
    print(f"   generated {rows:,} funding rows in {time.perf_counter() - started:.1f} s")
    access = system_access(program, label="bench_bi")
    funding = table_class("funding")
    _, raw_token = token_create(name="bench bi", role=Role.PROGRAM_ANALYST, program=program)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")

    def rest_csv() -> int:
        response = client.get(f"/api/v1/programs/{program.slug}/exports/funding.csv")
        assert response.status_code == 200
        assert isinstance(response, StreamingHttpResponse)
        return _drain(response.streaming_content)

    measures = [
        ("raw SQL, rows fetched", lambda: _raw(program)),
        (
            "funding table rows (scope, exact conversion)",
            lambda: sum(1 for _ in table_read(access=access, name="funding").rows()),
        ),
        (
            "CSV (bi.writers.csv_chunks)",
            lambda: _drain(
                writers.csv_chunks(funding, table_read(access=access, name="funding").rows())
            ),
        ),
        ("CSV through REST (token, view, streamed)", rest_csv),
        (
            "Parquet (bi.writers.parquet_chunks)",
            lambda: _drain(
                writers.parquet_chunks(funding, table_read(access=access, name="funding").rows())
            ),
        ),
    ]
    _raw(program)  # warm the database's cache for every measure alike
    baseline = None
    for label, fn in measures:
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        rate = rows / seconds
        baseline = baseline or rate
        size = "" if label.startswith(("raw", "funding table")) else f", {result / 1e6:.1f} MB"
        print(
            f"   {label:<48} {seconds:7.2f} s  {rate:11,.0f} rows/s  "
            f"ratio to raw SQL {baseline / rate:5.2f}x{size}"
        )
