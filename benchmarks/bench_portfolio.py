"""Portfolio figures at EU scale: 3,000 clusters x 10 years, ~10 funding lines each.

Measures, on the database the runner chose (SQLite or PostgreSQL):
- recomputing and storing one programme-year, and a whole programme (every year);
- the funding-mix endpoint served from stored results (median, p95), with and without
  the cache, through the full REST stack (token, programme, view, JSON);
- the on-demand path (no stored figure: the selector's queries + exact Decimal
  conversion + the statistics) against hand-written SQL, each printed with its ratio:
  A, one GROUP BY computing the category totals (with a check that both give the same
  total to the cent); B, one GROUP BY returning the per-cluster rows the median and HHI
  need; B + C, those and the by-source totals, i.e. every input of the full figure.

Aims (issue 4): served endpoint p95 < 25 ms; on-demand within 2x of raw SQL; one
programme-year recomputed < 2 s on PostgreSQL.

``make bench`` (or ``python -m benchmarks --only portfolio``); also runs standalone:
``python -m benchmarks.bench_portfolio [--clusters N] [--years N]``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

PROGRAM_SLUG = "bench-portfolio"
CURRENCIES = [("EUR", None)] * 17 + [("NOK", "0.0855555555"), ("MXN", "0.0416"), ("AUD", None)]


def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _line(label: str, values: list[float], aim: str = "") -> None:
    med, p95 = statistics.median(values), _p(values, 0.95)
    print(f"   {label:<58} median {med:9.2f} ms   p95 {p95:9.2f} ms  {aim}")


def generate(n_clusters: int, n_years: int, first_year: int = 2015) -> Any:
    """The programme with its clusters, approved submissions, lines and fx rates."""
    from clusters.models import (
        Cluster,
        CostLine,
        FundingLine,
        FundingSource,
        FxRate,
        Program,
        Submission,
    )
    from clusters.services.programs import program_create

    rng = random.Random(20261122)
    Program.objects.filter(slug=PROGRAM_SLUG).delete()
    program = program_create(slug=PROGRAM_SLUG, name="EU-wide benchmark", currency="EUR")
    sources = list(FundingSource.objects.for_program(program))
    years = list(range(first_year, first_year + n_years))
    FxRate.objects.bulk_create(
        FxRate(program=program, year=y, currency=c, rate=Decimal(r))
        for y in years
        for c, r in CURRENCIES
        if r
    )
    stages = ["baby", "emerging", "growth", "supercluster"]
    categories = ["grow", "transform", "build"]
    regions = [f"Region {i}" for i in range(40)]
    Cluster.objects.bulk_create(
        (
            Cluster(
                program=program,
                slug=f"c{i:05d}",
                name=f"Cluster {i}",
                country="NO",
                region=rng.choice(regions),
                sector=f"Sector {i % 25}",
                stage=rng.choice(stages),
                category=rng.choice(categories),
            )
            for i in range(n_clusters)
        ),
        batch_size=2000,
    )
    clusters = list(Cluster.objects.for_program(program).order_by("pk"))
    subs = [
        Submission(
            program=program,
            cluster=c,
            year=y,
            currency=rng.choice(CURRENCIES)[0],
            state="approved" if rng.random() < 0.95 else "submitted",
        )
        for c in clusters
        for y in years
    ]
    Submission.objects.bulk_create(subs, batch_size=2000)
    subs = list(Submission.objects.for_program(program).order_by("pk"))
    lines: list[FundingLine] = []
    costs: list[CostLine] = []
    for sub in subs:
        for source in rng.sample(sources, 10):
            lines.append(
                FundingLine(
                    program=program,
                    submission=sub,
                    source=source,
                    amount=Decimal(rng.randrange(0, 50_000_000)) / 100,
                )
            )
        for category in ("staff", "operations", "projects"):
            costs.append(
                CostLine(
                    program=program,
                    submission=sub,
                    category=category,
                    amount=Decimal(rng.randrange(0, 100_000_000)) / 100,
                )
            )
        if len(lines) >= 50_000:
            FundingLine.objects.bulk_create(lines, batch_size=5000)
            CostLine.objects.bulk_create(costs, batch_size=5000)
            lines, costs = [], []
    FundingLine.objects.bulk_create(lines, batch_size=5000)
    CostLine.objects.bulk_create(costs, batch_size=5000)
    return program, years


RAW_SQL = """
SELECT fs.category, SUM(fl.amount * CASE WHEN s.currency = %s THEN 1 ELSE fx.rate END)
FROM clusters_fundingline fl
JOIN clusters_submission s ON s.id = fl.submission_id
JOIN clusters_fundingsource fs ON fs.id = fl.source_id
LEFT JOIN clusters_fxrate fx
  ON fx.program_id = s.program_id AND fx.year = s.year AND fx.currency = s.currency
WHERE s.program_id = %s AND s.year = %s AND s.state = 'approved'
  AND (s.currency = %s OR fx.rate IS NOT NULL)
GROUP BY fs.category
"""


# The per-cluster rows the cluster statistics need (mean/median/min/max public share and
# the HHI: each cluster's amount by category and its sum of squared converted lines),
# converted in SQL: what a hand-written report would fetch for the full funding mix.
RAW_SQL_PER_CLUSTER = """
SELECT r.id,
       SUM(CASE WHEN fs.category = 'public' THEN fl.amount * r.rate END),
       SUM(CASE WHEN fs.category = 'private' THEN fl.amount * r.rate END),
       SUM(CASE WHEN fs.category = 'project' THEN fl.amount * r.rate END),
       SUM(fl.amount * r.rate * fl.amount * r.rate)
FROM (SELECT s.id, CASE WHEN s.currency = %s THEN 1 ELSE fx.rate END AS rate
      FROM clusters_submission s
      LEFT JOIN clusters_fxrate fx
        ON fx.program_id = s.program_id AND fx.year = s.year AND fx.currency = s.currency
      WHERE s.program_id = %s AND s.year = %s AND s.state = 'approved') r
JOIN clusters_fundingline fl ON fl.submission_id = r.id
JOIN clusters_fundingsource fs ON fs.id = fl.source_id
WHERE r.rate IS NOT NULL
GROUP BY r.id
"""

# by_source: one more GROUP BY over the same lines.
RAW_SQL_BY_SOURCE = """
SELECT fs.code, fs.category, SUM(fl.amount * CASE WHEN s.currency = %s THEN 1 ELSE fx.rate END)
FROM clusters_fundingline fl
JOIN clusters_submission s ON s.id = fl.submission_id
JOIN clusters_fundingsource fs ON fs.id = fl.source_id
LEFT JOIN clusters_fxrate fx
  ON fx.program_id = s.program_id AND fx.year = s.year AND fx.currency = s.currency
WHERE s.program_id = %s AND s.year = %s AND s.state = 'approved'
  AND (s.currency = %s OR fx.rate IS NOT NULL)
GROUP BY fs.code, fs.category
"""


def _show_sql(label: str, sql: str) -> None:
    print(f"   {label}:")
    for line in sql.strip().splitlines():
        print(f"      {line}")


def run(args: Any) -> None:
    from django.core.cache import cache
    from django.db import connection
    from rest_framework.test import APIClient

    from clusters.access import system_access
    from clusters.models import FundingLine, Role
    from clusters.services.tokens import token_create
    from impact import figures as svc
    from impact.selectors import funding
    from impact.selectors import year_data as sel
    from impact.selectors.figures import figure_serve
    from impact.services.figures import figures_recompute_year
    from impact.tasks import portfolio_recompute_program

    n_clusters, n_years = getattr(args, "clusters", 3000), getattr(args, "years", 10)
    # Like a production server: keep the connection between requests (the test client
    # closes it after each request when CONN_MAX_AGE is 0, and reconnecting is then timed).
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None
    print(f"   generating {n_clusters} clusters x {n_years} years ...", flush=True)
    started = time.perf_counter()
    program, years = generate(n_clusters, n_years)
    lines = FundingLine.objects.for_program(program).count()
    print(f"   generated {lines} funding lines in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    year = years[len(years) // 2]

    # 1. recompute
    with sel.year_data_memo():
        for kind, figure in sorted(svc._REGISTRY.items()):
            for variant in figure.variants:

                def compute(f: Any = figure, v: Any = variant) -> Any:
                    return f.compute(program, year, **dict(v))

                ms = _timed(compute, 1)[0]
                label = kind + (f" ({svc.canonical_params(dict(variant))})" if variant else "")
                print(f"   compute {label:<50} {ms:9.1f} ms (inputs shared in one recompute)")
    recompute = _timed(lambda: figures_recompute_year(program_id=program.pk, year=year), 3)
    _line(
        f"recompute + store one programme-year ({len(svc._REGISTRY)} kinds)",
        recompute,
        "aim < 2000 ms on PostgreSQL",
    )
    started = time.perf_counter()
    portfolio_recompute_program(program_id=program.pk)
    print(
        f"   {'recompute + store the whole programme (' + str(n_years) + ' years)':<58} "
        f"total  {(time.perf_counter() - started) * 1000:9.0f} ms"
    )

    # 2. the endpoint, served from stored results
    _, raw = token_create(name="bench analyst", role=Role.PROGRAM_ANALYST, program=program)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/programs/{PROGRAM_SLUG}/portfolio/funding-mix?year={year}"
    assert client.get(url).json()["source"] == "stored"
    baseline = f"/api/v1/programs/{PROGRAM_SLUG}/"
    client.get(baseline)
    _line(
        "baseline: GET programme detail (auth, programme, JSON)",
        _timed(lambda: client.get(baseline), 200),
    )
    cached = _timed(lambda: client.get(url), 200)
    _line("GET funding-mix, stored, cache warm", cached, "aim p95 < 25 ms")

    def uncached() -> None:
        cache.clear()
        client.get(url)

    stored = _timed(uncached, 100)
    _line("GET funding-mix, stored, cache cleared each time", stored, "aim p95 < 25 ms")

    # 3. on demand vs one hand-written GROUP BY
    def on_demand() -> dict[str, Any]:
        return funding.funding_mix(sel.year_data(program=program, year=year))

    def raw_sql() -> list[tuple[str, Decimal]]:
        with connection.cursor() as cur:
            cur.execute(RAW_SQL, [program.currency, program.pk, year, program.currency])
            return cur.fetchall()

    def raw_sql_per_cluster() -> None:
        with connection.cursor() as cur:
            cur.execute(RAW_SQL_PER_CLUSTER, [program.currency, program.pk, year])
            cur.fetchall()

    def raw_sql_by_source() -> None:
        with connection.cursor() as cur:
            cur.execute(RAW_SQL_BY_SOURCE, [program.currency, program.pk, year, program.currency])
            cur.fetchall()

    def raw_sql_full() -> None:
        # every input of the full figure: per-cluster rows (category totals are their sum)
        # and by-source totals
        raw_sql_per_cluster()
        raw_sql_by_source()

    _show_sql("raw SQL A, the category totals alone", RAW_SQL)
    _show_sql("raw SQL B, the per-cluster rows the median / HHI need", RAW_SQL_PER_CLUSTER)
    _show_sql("raw SQL C, by-source totals", RAW_SQL_BY_SOURCE)
    ours = on_demand()
    theirs = raw_sql()
    raw_total = sum((Decimal(str(t)) for _, t in theirs), Decimal(0))
    same = ours["total"] == str(raw_total.quantize(Decimal("0.01")))
    print(
        f"   totals agree to the cent: {same} ({ours['total']} vs {raw_total:.2f}); "
        f"excluded {len(ours['excluded'])}"
    )
    demand = _timed(on_demand, 9)
    inputs = _timed(lambda: sel.year_data(program=program, year=year).sources(), 9)
    sql = _timed(raw_sql, 9)
    sql_clusters = _timed(raw_sql_per_cluster, 9)
    sql_full = _timed(raw_sql_full, 9)
    _line("on demand: the whole funding mix (3 queries + exact Decimal)", demand)
    _line("on demand: its 3 queries and conversion only (no statistics)", inputs)
    _line("raw SQL A: category totals (1 GROUP BY, fx join)", sql)
    _line("raw SQL B: per-cluster rows (1 GROUP BY, fx join)", sql_clusters)
    _line("raw SQL B + C: every input of the full figure (2 GROUP BYs)", sql_full)
    med = statistics.median(demand)
    print(
        f"   ratio on-demand / raw SQL A, category totals (medians):     "
        f"{med / statistics.median(sql):.2f}x   aim <= 2x"
    )
    print(
        f"   ratio on-demand / raw SQL B, per-cluster rows (medians):    "
        f"{med / statistics.median(sql_clusters):.2f}x"
    )
    print(
        f"   ratio on-demand / raw SQL B + C, every input (medians):     "
        f"{med / statistics.median(sql_full):.2f}x"
    )
    access = system_access(program, label="bench")

    def serve_uncached() -> Any:
        cache.clear()
        return figure_serve(access=access, kind="costs", year=years[0] - 1)

    endpoint = _timed(serve_uncached, 5)
    _line("serve a figure for a year with nothing stored (empty year)", endpoint)

    def endpoint_on_demand() -> None:
        cache.clear()
        client.get(
            f"/api/v1/programs/{PROGRAM_SLUG}/portfolio/funding-mix?year={year}&sector=Sector%203"
        )

    _line("GET funding-mix with a filter (computed on demand)", _timed(endpoint_on_demand, 5))


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import main as runner

    return runner(["--only", "portfolio", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    sys.exit(main())
