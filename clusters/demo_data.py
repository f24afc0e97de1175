"""Yearly demo figures for the demo clusters (periods, fx rates, submissions).

Everything goes through the services, so the demo submissions have the same history a
real programme would have (created, submitted, approved...). Idempotent: what exists is
left alone, so running ``load_demo`` twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from .access import Access
from .demo import DEMO_FX_RATES, DEMO_PERIOD_YEARS, DEMO_SUBMISSIONS
from .models import Cluster, FxRate, PeriodState, ReportingPeriod, Submission, SubmissionState
from .services.programs import fx_rates_put, period_create
from .services.submissions import submission_put
from .services.workflow import submission_approve, submission_return, submission_submit

DEMO_RETURN_COMMENT = "Please split the project funding by programme."


def _period_window(year: int, *, latest: bool) -> tuple[dt.date, dt.date, str]:
    """Closed years report from January to March of the next year; the latest year is open
    from its own January to the end of the next March, and at least a year from the day the
    demo is loaded, so editors can try it (and the README's examples run) whenever that is."""
    if latest:
        closes_on = max(dt.date(year + 1, 3, 31), timezone.localdate() + dt.timedelta(days=366))
        return dt.date(year, 1, 1), closes_on, PeriodState.OPEN
    return dt.date(year + 1, 1, 1), dt.date(year + 1, 3, 31), PeriodState.CLOSED


def _document(item: dict[str, Any]) -> dict[str, Any]:
    funding = []
    for line in item["funding"]:
        code, amount, *extra = line
        funding.append({"source": code, "amount": amount, **(extra[0] if extra else {})})
    return {
        "currency": item["currency"],
        "funding": funding,
        "costs": [{"category": c, "amount": a} for c, a in item.get("costs", [])],
        "kpis": [{"code": k, "value": v} for k, v in item.get("kpis", [])],
        "staff_fte": item.get("staff_fte"),
        "notes": item.get("notes", ""),
    }


# The moves that take a new draft to each demo state.
_PATH = {
    SubmissionState.DRAFT: [],
    SubmissionState.SUBMITTED: ["submit"],
    SubmissionState.RETURNED: ["submit", "return"],
    SubmissionState.APPROVED: ["submit", "approve"],
}


def load_demo_years(*, access: Access, log: Callable[[str], object]) -> None:
    program = access.program
    latest = max(DEMO_PERIOD_YEARS)
    have_periods = set(ReportingPeriod.objects.for_program(program).values_list("year", flat=True))
    for year in DEMO_PERIOD_YEARS:
        if year not in have_periods:
            opens_on, closes_on, state = _period_window(year, latest=year == latest)
            period_create(
                access=access,
                data={
                    "year": year,
                    "opens_on": opens_on.isoformat(),
                    "closes_on": closes_on.isoformat(),
                    "state": state,
                },
            )
    log(
        f"Reporting periods: {len(DEMO_PERIOD_YEARS)} "
        f"({len(set(DEMO_PERIOD_YEARS) - have_periods)} new; {latest} open)."
    )

    have_rates = set(FxRate.objects.for_program(program).values_list("year", "currency"))
    missing = [
        {"year": year, "currency": currency, "rate": str(rate)}
        for year, currency, rate in DEMO_FX_RATES
        if (year, currency) not in have_rates
    ]
    if missing:
        fx_rates_put(access=access, rates=missing)
    log(f"Fx rates: {len(DEMO_FX_RATES)} ({len(missing)} new).")

    clusters = {c.slug: c for c in Cluster.objects.for_program(program)}
    have_submissions = set(
        Submission.objects.for_program(program).values_list("cluster__slug", "year")
    )
    created = 0
    for item in DEMO_SUBMISSIONS:
        cluster = clusters[item["cluster"]]
        if (cluster.slug, item["year"]) in have_submissions:
            continue
        submission_put(access=access, cluster=cluster, year=item["year"], data=_document(item))
        for move in _PATH[item["state"]]:
            if move == "submit":
                submission_submit(access=access, cluster=cluster, year=item["year"])
            elif move == "approve":
                submission_approve(access=access, cluster=cluster, year=item["year"])
            elif move == "return":
                submission_return(
                    access=access, cluster=cluster, year=item["year"], comment=DEMO_RETURN_COMMENT
                )
        created += 1
    log(f"Submissions: {len(DEMO_SUBMISSIONS)} ({created} new).")
