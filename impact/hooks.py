"""What the impact app does after a change in the clusters app (``clusters.hooks``).

Registered in ``ImpactConfig.ready()``. Inside the change's transaction the stored figures
it made stale are dropped (so they are computed on demand from the commit on); once the
change commits, their recompute is queued. A broker that cannot take the task (Redis down)
loses nothing: the figures stay computed on demand, and the next change or
``manage.py recompute_figures`` stores them again.
"""

from __future__ import annotations

import logging

from django.db import transaction

from clusters import hooks

from .figures import cache_invalidate
from .services.figures import figures_drop

log = logging.getLogger(__name__)


def _enqueue(program_id: int, years: list[int] | None) -> None:
    from .tasks import portfolio_recompute, portfolio_recompute_program

    cache_invalidate(program_id=program_id)
    try:
        if years is None:
            portfolio_recompute_program.delay(program_id=program_id)
        else:
            for year in years:
                portfolio_recompute.delay(program_id=program_id, year=year)
    except Exception:  # noqa: BLE001 - the change has committed; its figures compute on demand
        log.warning(
            "could not queue the portfolio recompute program=%s years=%s: figures are "
            "computed on demand until it runs",
            program_id,
            years,
            exc_info=True,
        )
        return
    log.info("queued portfolio recompute program=%s years=%s", program_id, years or "all")


def figures_inputs_changed(event: hooks.Event) -> None:
    """Approved content of some years changed: those years and the next ones (value impact
    compares with the year before) are stale."""
    years = sorted(set(event.years) | {year + 1 for year in event.years})
    figures_drop(program_id=event.program_id, years=years)
    transaction.on_commit(lambda: _enqueue(event.program_id, years), robust=True)


def figures_program_restated(event: hooks.Event) -> None:
    """Every year changed (a regrouped cluster, a new programme currency)."""
    figures_drop(program_id=event.program_id)
    transaction.on_commit(lambda: _enqueue(event.program_id, None), robust=True)


def register() -> None:
    hooks.register(hooks.FIGURE_INPUTS_CHANGED, figures_inputs_changed)
    hooks.register(hooks.PROGRAM_RESTATED, figures_program_restated)
