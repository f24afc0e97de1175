"""What happens after a change that affects portfolio figures has committed.

Services call these instead of signals: the work is queued with ``transaction.on_commit``
so a worker never sees a half-written change, and a rolled-back change queues nothing.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def portfolio_inputs_changed(*, program_id: int, years: list[int]) -> None:
    """Queue the recomputation of the stored figures of these programme-years.

    The following year is queued too: its figures compare with this one (value impact's
    change from the previous year).
    """
    years = sorted(set(years) | {year + 1 for year in years})

    def enqueue() -> None:
        from ..tasks import portfolio_recompute
        from .portfolio import portfolio_cache_invalidate

        # Cached on-demand figures are stale from now on; stored ones until the task runs.
        portfolio_cache_invalidate(program_id=program_id)
        for year in years:
            portfolio_recompute.delay(program_id=program_id, year=year)
        log.info("queued portfolio recompute program=%s years=%s", program_id, years)

    # robust: the change has committed; a broker outage must not turn it into a 500.
    transaction.on_commit(enqueue, robust=True)


def portfolio_program_changed(*, program_id: int) -> None:
    """Queue the recomputation of every stored year of a programme.

    For changes that touch every year at once: a cluster's stage, category, region or
    sector (the group-by keys), its slug, or the programme currency.
    """

    def enqueue() -> None:
        from ..tasks import portfolio_recompute_program
        from .portfolio import portfolio_cache_invalidate

        portfolio_cache_invalidate(program_id=program_id)
        portfolio_recompute_program.delay(program_id=program_id)
        log.info("queued portfolio recompute program=%s (every year)", program_id)

    transaction.on_commit(enqueue, robust=True)
