"""Value impact at EU scale: N clusters with two years of approved KPIs and roadmaps.

Times, on the database the runner chose, the three on-demand figures of the impact app:
value impact of a year (6 GROUP BY queries), roadmap progress (3 queries plus the Decimal
interpolation per roadmap) and a what-if scenario (5 queries), each also through REST.

``python -m benchmarks --only impact --clusters 3000``.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

PROGRAM_SLUG = "bench-impact"
KPIS = ["members_total", "events", "jobs_created", "member_revenue", "gdp_share"]


def _timed(fn: Callable[[], Any], repeat: int = 7) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _line(label: str, values: list[float]) -> None:
    print(f"   {label:<50} median {statistics.median(values):9.2f} ms   max {max(values):9.2f} ms")


def generate(n: int) -> Any:
    from clusters.models import (
        Cluster,
        CostLine,
        FundingLine,
        FundingSource,
        KpiDefinition,
        KpiValue,
        Program,
        Submission,
    )
    from clusters.services.programs import program_create
    from impact.models import Milestone, Roadmap

    rng = random.Random(4)
    Program.objects.filter(slug=PROGRAM_SLUG).delete()
    program = program_create(slug=PROGRAM_SLUG, name="Impact benchmark", currency="EUR")
    sources = list(FundingSource.objects.for_program(program))
    kpis = {k.code: k for k in KpiDefinition.objects.for_program(program).filter(code__in=KPIS)}
    Cluster.objects.bulk_create(
        Cluster(
            program=program,
            slug=f"c{i:05d}",
            name=f"Cluster {i}",
            country="NO",
            stage="growth",
            category="grow",
        )
        for i in range(n)
    )
    clusters = list(Cluster.objects.for_program(program))
    Submission.objects.bulk_create(
        Submission(program=program, cluster=c, year=y, currency="EUR", state="approved")
        for c in clusters
        for y in (2020, 2021)
    )
    subs = list(Submission.objects.for_program(program))
    FundingLine.objects.bulk_create(
        FundingLine(
            program=program, submission=s, source=src, amount=Decimal(rng.randint(1, 10**6))
        )
        for s in subs
        for src in rng.sample(sources, 6)
    )
    CostLine.objects.bulk_create(
        CostLine(
            program=program, submission=s, category=cat, amount=Decimal(rng.randint(1, 2 * 10**6))
        )
        for s in subs
        for cat in ("staff", "operations")
    )
    KpiValue.objects.bulk_create(
        KpiValue(program=program, submission=s, kpi=k, value=Decimal(rng.randint(1, 10**4)))
        for s in subs
        for k in kpis.values()
    )
    Roadmap.objects.bulk_create(
        Roadmap(
            program=program,
            cluster=c,
            kpi=kpis["members_total"],
            baseline_year=2020,
            baseline_value=Decimal(100),
            interpolation=rng.choice(["linear", "compound"]),
        )
        for c in clusters
    )
    Milestone.objects.bulk_create(
        Milestone(program=program, roadmap=r, year=y, target=Decimal(t))
        for r in Roadmap.objects.for_program(program)
        for y, t in ((2030, 5000), (2040, 9000))
    )
    return program


def run(args: Any) -> None:
    from rest_framework.test import APIClient

    from clusters.access import system_access
    from clusters.models import Role
    from clusters.services.tokens import token_create
    from impact.selectors.roadmaps import roadmap_progress
    from impact.selectors.value_impact import value_impact_compute
    from impact.services.scenarios import scenario_run

    n = getattr(args, "clusters", 3000)
    print(f"   generating {n} clusters x 2 years ...", flush=True)
    program = generate(n)
    access = system_access(program, label="bench")
    body = {"year": 2021, "changes": [{"category": "public", "factor": "0"}]}
    _line(
        "value impact (selector)", _timed(lambda: value_impact_compute(program=program, year=2021))
    )
    _line("roadmap progress (selector)", _timed(lambda: roadmap_progress(access=access, year=2021)))
    _line("scenario (service)", _timed(lambda: scenario_run(access=access, data=body)))

    _, raw = token_create(name="bench analyst", role=Role.PROGRAM_ANALYST, program=program)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    base = f"/api/v1/programs/{PROGRAM_SLUG}/portfolio/"
    _line(
        "GET value-impact (REST, cached after the first)",
        _timed(lambda: client.get(base + "value-impact", {"year": 2021})),
    )
    _line(
        "GET roadmap-progress (REST)",
        _timed(lambda: client.get(base + "roadmap-progress", {"year": 2021})),
    )
    _line(
        "POST scenarios (REST)",
        _timed(lambda: client.post(base + "scenarios", body, format="json")),
    )
