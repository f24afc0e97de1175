"""Shared givens for the submission tests: periods, bodies, URLs, direct row set-up."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone

from clusters.models import Cluster, Program, ReportingPeriod, Submission, SubmissionState

YEAR = 2021

# DOMAIN.md's ocean tech cluster, 2021 (in EUR).
OCEAN_2021: dict[str, Any] = {
    "currency": "EUR",
    "funding": [
        {"source": "national_cluster_programme", "amount": "400000.00"},
        {"source": "local_government", "amount": "50000.00"},
        {"source": "membership_fees", "amount": "200000.00"},
        {"source": "member_activities", "amount": "50000.00"},
        {"source": "eu_projects", "amount": "300000.00", "restricted": True, "note": "Horizon"},
    ],
    "costs": [
        {"category": "staff", "amount": "650000.00"},
        {"category": "operations", "amount": "100000.00"},
        {"category": "projects", "amount": "250000.00"},
    ],
    "kpis": [{"code": "members_total", "value": "165"}, {"code": "members_capital", "value": "9"}],
    "staff_fte": "3",
    "notes": "10th year",
}


def body(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(OCEAN_2021)
    data.update(changes)
    return data


def open_period(
    program: Program,
    year: int = YEAR,
    *,
    state: str = "open",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> ReportingPeriod:
    today = timezone.localdate()
    period, _ = ReportingPeriod.objects.for_program(program).update_or_create(
        program=program,
        year=year,
        defaults={
            "opens_on": opens_on or today - dt.timedelta(days=30),
            "closes_on": closes_on or today + dt.timedelta(days=30),
            "state": state,
        },
    )
    return period


def sub_url(
    program: str = "prog-a", cluster: str = "a1", year: int | None = YEAR, suffix: str = ""
) -> str:
    base = f"/api/v1/programs/{program}/clusters/{cluster}/submissions/"
    if year is None:
        return base
    return f"{base}{year}/{suffix}"  # suffix: "", "submit", "approve", "history"...


def make_submission(
    cluster: Cluster, year: int = YEAR, state: str = SubmissionState.DRAFT, version: int = 1
) -> Submission:
    """A bare submission row in ``state`` (no lines, no history): a given, not a behaviour."""
    submission, _ = Submission.objects.for_program(cluster.program_id).get_or_create(
        program_id=cluster.program_id,
        cluster=cluster,
        year=year,
        defaults={"currency": "EUR", "state": state, "version": version},
    )
    return submission
