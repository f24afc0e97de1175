"""The programme's portfolio report for a national programme: 300 clusters (fewer with
``--clusters``), ``--years`` years of approved funding, costs and KPIs, roadmaps, a
reporting period and a saved what-if.

Times, on the database the runner chose, each step of the report job against the baseline
of the same run, the figures it shows (the served portfolio figures):
- the figures (``program_report_data``): the baseline;
- the HTML (context, charts, template) and the PDF (WeasyPrint) of those figures;
- the whole job's work (figures, HTML, PDF, storing), and one cluster's annual report.

``python -m benchmarks --only reports`` (``--clusters 100 --years 5`` for a quick look).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

PROGRAM_SLUG = "bench-reports"
MAX_CLUSTERS = 300
KPIS = ["members_total", "events", "jobs_created", "member_revenue", "gdp_share"]
STAGES = ["baby", "emerging", "growth", "supercluster"]
CATEGORIES = ["grow", "transform", "build"]
REGIONS = ["Vestland", "Viken", "Agder", "Nordland", "Innlandet", "Trøndelag", "Rogaland"]


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    out, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - started) * 1000)
    return out, result


def _line(label: str, values: list[float], baseline: float | None = None) -> None:
    median = statistics.median(values)
    ratio = f"   x{median / baseline:7.1f} the figures" if baseline else ""
    print(f"   {label:<44} median {median:10.1f} ms   max {max(values):10.1f} ms{ratio}")


def generate(n: int, years: int) -> Any:
    from clusters.models import (
        Cluster,
        CostLine,
        FundingLine,
        FundingSource,
        KpiDefinition,
        KpiValue,
        Program,
        ReportingPeriod,
        Submission,
    )
    from clusters.services.programs import program_create
    from impact.models import Milestone, Roadmap

    rng = random.Random(11)
    Program.objects.filter(slug=PROGRAM_SLUG).delete()
    program = program_create(
        slug=PROGRAM_SLUG, name="Report benchmark", currency="EUR", country="NO"
    )
    sources = list(FundingSource.objects.for_program(program))
    kpis = {k.code: k for k in KpiDefinition.objects.for_program(program).filter(code__in=KPIS)}
    last = 2021
    span = list(range(last - years + 1, last + 1))
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            program=program,
            year=y,
            opens_on=dt.date(y + 1, 1, 1),
            closes_on=dt.date(y + 1, 3, 31),
            state="closed",
        )
        for y in span
    )
    Cluster.objects.bulk_create(
        Cluster(
            program=program,
            slug=f"c{i:04d}",
            name=f"Cluster {i}",
            country="NO",
            region=rng.choice(REGIONS),
            stage=rng.choice(STAGES),
            category=rng.choice(CATEGORIES),
            founded_year=2000 + rng.randint(0, 15),
        )
        for i in range(n)
    )
    clusters = list(Cluster.objects.for_program(program))
    Submission.objects.bulk_create(
        Submission(program=program, cluster=c, year=y, currency="EUR", state="approved")
        for c in clusters
        for y in span
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
        for cat in ("staff", "operations", "projects")
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
            baseline_year=span[0],
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
    from django.test import override_settings

    from clusters.access import system_access
    from clusters.models import Cluster
    from impact.services.scenarios import scenario_run
    from reports.selectors.cluster import cluster_report_data
    from reports.selectors.program import program_report_data
    from reports.services.generate import cluster_report_generate, program_report_generate
    from reports.services.render import html_to_pdf, report_html

    # Without the system's HarfBuzz-Subset WeasyPrint warns on every font it subsets.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    n = min(getattr(args, "clusters", MAX_CLUSTERS), MAX_CLUSTERS)
    years = getattr(args, "years", 10)
    print(f"   generating {n} clusters x {years} years ...", flush=True)
    program = generate(n, years)
    access = system_access(program, label="bench")
    scenario_run(
        access=access,
        data={
            "year": 2021,
            "save": True,
            "name": "No national programme",
            "changes": [{"source": "national_cluster_programme", "factor": "0"}],
        },
    )

    figures, data = _timed(lambda: program_report_data(access=access, year=2021), 5)
    baseline = statistics.median(figures)
    _line("figures (the baseline)", figures)
    html_times, html = _timed(lambda: report_html(kind="program", data=data, language="en"), 5)
    _line("HTML: context, charts, template", html_times, baseline)
    pdf_times, pdf = _timed(lambda: html_to_pdf(html, as_of=data["as_of"]), 3)
    _line("PDF: WeasyPrint", pdf_times, baseline)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        job_times, _report = _timed(
            lambda: program_report_generate(access=access, year=2021, language="en"), 2
        )
        _line("the whole job (figures, HTML, PDF, store)", job_times, baseline)
        cluster = Cluster.objects.for_program(program).order_by("slug").first()
        one_data, _ = _timed(
            lambda: cluster_report_data(access=access, cluster=cluster, year=2021), 5
        )
        _line("one cluster's report: its figures", one_data)
        one_times, _ = _timed(
            lambda: cluster_report_generate(
                access=access, cluster=cluster, year=2021, language="en"
            ),
            3,
        )
        _line("one cluster's report: the whole job", one_times, statistics.median(one_data))
    print(
        f"   the portfolio report: {pdf.pages} pages, {len(html) / 1024:.0f} KiB of HTML, "
        f"{len(pdf.content) / 1024:.0f} KiB of PDF"
    )
