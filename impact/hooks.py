"""What the impact app does after a change in the clusters app (``clusters.hooks``).

Registered in ``ImpactConfig.ready()``. Inside the change's transaction the stored figures
it made stale are dropped (so they are computed on demand from the commit on); once the
change commits, their recompute is queued, each (programme, year) once per commit however
many changes of the transaction named it (a bulk approve of 30 clusters of one year queues
one recompute of that year and one of the next). A broker that cannot take the task (Redis
down) loses nothing: the figures stay computed on demand, and the next change or
``manage.py recompute_figures`` stores them again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

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


# The whole programme, in a batch's `queued`.
_ALL_YEARS = None


@dataclass
class _Batch:
    """The recomputes of one commit: the on_commit callbacks of one transaction share it.

    Each change still registers its own callback, so a change undone by a savepoint
    rollback queues nothing; the callbacks that do run skip what the batch queued already.
    Once one has run, the batch belongs to a commit that happened: the next change starts
    a new one.
    """

    queued: set[tuple[int, int | None]] = field(default_factory=set)
    ran: bool = False

    def run(self, program_id: int, years: list[int] | None) -> None:
        self.ran = True
        if (program_id, _ALL_YEARS) in self.queued:
            return  # the whole programme is queued: its years with it
        if years is None:
            self.queued.add((program_id, _ALL_YEARS))
            _enqueue(program_id, None)
            return
        fresh = [year for year in years if (program_id, year) not in self.queued]
        if fresh:
            self.queued.update((program_id, year) for year in fresh)
            _enqueue(program_id, fresh)


# Per database connection (so per thread): the batch of its open transaction.
_batches: WeakKeyDictionary[BaseDatabaseWrapper, _Batch] = WeakKeyDictionary()


def _enqueue_on_commit(program_id: int, years: list[int] | None) -> None:
    connection = transaction.get_connection()
    batch = _batches.get(connection)
    if batch is None or batch.ran:
        batch = _batches[connection] = _Batch()
    transaction.on_commit(lambda: batch.run(program_id, years), robust=True)


def figures_inputs_changed(event: hooks.Event) -> None:
    """Approved content of some years changed: those years and the next ones (value impact
    compares with the year before) are stale."""
    years = sorted(set(event.years) | {year + 1 for year in event.years})
    figures_drop(program_id=event.program_id, years=years)
    _enqueue_on_commit(event.program_id, years)


def figures_program_restated(event: hooks.Event) -> None:
    """Every year changed (a regrouped cluster, a new programme currency)."""
    figures_drop(program_id=event.program_id)
    _enqueue_on_commit(event.program_id, None)


def register() -> None:
    hooks.register(hooks.FIGURE_INPUTS_CHANGED, figures_inputs_changed)
    hooks.register(hooks.PROGRAM_RESTATED, figures_program_restated)
