"""Celery tasks of the clusters app: they take ids, load rows inside the programme and call
a service. Queued after commit by ``clusters.services.events``; idempotent, so a retry or a
duplicate delivery only recomputes the same figures again."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRY = {
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
def portfolio_recompute(self, program_id: int, year: int) -> int:
    """Recompute and store every portfolio figure of one programme-year."""
    from .services.portfolio import portfolio_recompute_year

    return portfolio_recompute_year(program_id=program_id, year=year)


@shared_task(name="clusters.portfolio_recompute_program", **RETRY)
def portfolio_recompute_program(self, program_id: int) -> list[int]:
    """Recompute every year of a programme that has approved submissions or stored figures."""
    from .models import Program
    from .services.portfolio import portfolio_recompute_year, portfolio_years

    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return []
    years = portfolio_years(program=program)
    for year in years:
        portfolio_recompute_year(program_id=program_id, year=year)
    return years
