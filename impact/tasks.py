"""Celery tasks of the impact app: they take ids, load rows inside the programme and call a
service. Queued after commit by ``impact.hooks``; idempotent, so a retry or a duplicate
delivery only recomputes the same figures again.

The task names keep the ``clusters.`` prefix they had when the figures lived in the
clusters app, so tasks already queued under those names still run.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRY: dict[str, Any] = {
    "bind": True,
    # A database that is briefly unreachable or a lock timeout: try again, backing off.
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(name="clusters.portfolio_recompute", **RETRY)
def portfolio_recompute(self: Any, program_id: int, year: int) -> int:
    """Recompute and store every portfolio figure of one programme-year."""
    from .services.figures import figures_recompute_year

    return figures_recompute_year(program_id=program_id, year=year)


@shared_task(name="clusters.portfolio_recompute_program", **RETRY)
def portfolio_recompute_program(self: Any, program_id: int) -> list[int]:
    """Recompute every year of a programme that has approved submissions or stored figures."""
    from clusters.models import Program

    from .services.figures import figures_recompute_year, figures_years

    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return []
    years = figures_years(program=program)
    for year in years:
        figures_recompute_year(program_id=program_id, year=year)
    return years


@shared_task(name="impact.figures_store_missing", **RETRY)
def figures_store_missing(self: Any) -> int:
    """The scheduler's sweep: store the figures a change left to be recomputed (its queued
    task was lost, or never reached a broker that was down). How many years it stored."""
    from .services.figures import figures_store_missing as store

    return len(store())
