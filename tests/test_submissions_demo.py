"""load_demo's yearly figures: periods, fx rates and submissions written through the
services (so with history), idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from clusters.models import FxRate, Program, ReportingPeriod, Submission, SubmissionEvent

pytestmark = pytest.mark.django_db


def _state(program):
    return (
        sorted(
            ReportingPeriod.objects.for_program(program).values_list(
                "year", "state", "opens_on", "closes_on"
            )
        ),
        sorted(FxRate.objects.for_program(program).values_list("year", "currency", "rate")),
        sorted(
            Submission.objects.for_program(program).values_list(
                "cluster__slug", "year", "state", "version"
            )
        ),
        SubmissionEvent.objects.for_program(program).count(),
    )


def test_load_demo_writes_periods_rates_and_submissions_with_history_once():
    call_command("load_demo", "--no-tokens", stdout=io.StringIO())
    program = Program.objects.get(slug="demo")
    first = _state(program)

    call_command("load_demo", "--no-tokens", stdout=io.StringIO())

    assert _state(program) == first
    periods, rates, submissions, events = first
    assert [(y, s) for y, s, *_ in periods] == [(y, "closed") for y in range(2015, 2026)] + [
        (2026, "open")
    ]
    assert [(y, c, str(r)) for y, c, r in rates] == [
        (2020, "AUD", "0.6050000000"),
        (2020, "MXN", "0.0435000000"),
        (2021, "MXN", "0.0416000000"),
        (2022, "MXN", "0.0472000000"),
    ]
    assert ("ocean-tech", 2021, "approved", 3) in submissions
    assert ("health-valley", 2021, "submitted", 2) in submissions
    ocean = Submission.objects.for_program(program).get(cluster__slug="ocean-tech", year=2021)
    assert [(e.action, e.actor_label, e.via) for e in ocean.events.all()] == [
        ("created", "load_demo", "demo"),
        ("submitted", "load_demo", "demo"),
        ("approved", "load_demo", "demo"),
    ]
    assert [(f.source.code, str(f.amount)) for f in ocean.funding.all()][0] == (
        "national_cluster_programme",
        "400000.00",
    )
    monterrey = Submission.objects.for_program(program).get(cluster__slug="monterrey-aerocluster")
    assert [(f.source.code, f.restricted) for f in monterrey.funding.all()][0] == (
        "regional_government",
        True,
    )
