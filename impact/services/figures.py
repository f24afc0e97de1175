"""Stored portfolio figures: recompute and store them, drop the ones a change made stale.

``figures_recompute_year`` runs in the Celery task ``impact.tasks.portfolio_recompute``
(queued after a change commits). ``figures_drop`` runs inside the change's own transaction
(``impact.hooks``), so no request ever reads a stored figure older than the data: until
the recompute has stored it again, the figure is computed on demand.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import DateTimeField, Value
from django.utils import timezone

from clusters import hooks
from clusters.models import Program, Submission, SubmissionState

from ..figures import cache_invalidate, canonical_params, registered_figures
from ..models import PortfolioSnapshot
from ..selectors.year_data import year_data_memo

log = logging.getLogger(__name__)


def figures_recompute_year(*, program_id: int, year: int) -> int:
    """Recompute and store every registered figure of a programme-year; safe to run twice.

    Recomputes of one programme are serialised by a row lock on the programme, so a
    recompute that started before a change cannot overwrite the one queued by it.
    Returns how many snapshots were written (0 when the programme is gone).

    The lock is FOR NO KEY UPDATE: it still excludes other recomputes and ``figures_drop``
    (which takes the same lock), but not the foreign-key checks that every write of the
    programme's rows makes at commit (FOR KEY SHARE). With FOR UPDATE, a change committing
    while its figures were being upserted here deadlocked (found by ``make load``).
    """
    with transaction.atomic():
        program = Program.objects.select_for_update(no_key=True).filter(pk=program_id).first()
        if program is None:
            return 0
        now = timezone.now()
        rows = []
        with year_data_memo():
            for figure in registered_figures():
                for variant in figure.variants:
                    params = dict(variant)
                    rows.append(
                        PortfolioSnapshot(
                            program=program,
                            year=year,
                            kind=figure.kind,
                            params=canonical_params(params),
                            payload=figure.compute(program, year, **params),
                            # an expression: keeps PostgreSQL off the UNNEST insert path,
                            # which quotes megabytes of JSON in Python, character by character
                            computed_at=Value(now, output_field=DateTimeField()),
                        )
                    )
        PortfolioSnapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["program", "year", "kind", "params"],
            update_fields=["payload", "computed_at"],
        )
        transaction.on_commit(lambda: cache_invalidate(program_id=program_id))
        # Who cares that fresh figures are stored (webhooks' portfolio.updated) hears it
        # inside this transaction, so a recompute that fails announces nothing.
        hooks.announce(hooks.Event(hooks.FIGURES_UPDATED, program_id, (year,), {"year": year}))
    log.info("portfolio recomputed program=%s year=%s figures=%s", program_id, year, len(rows))
    return len(rows)


def figures_years(*, program: Program) -> list[int]:
    """Years with an approved submission or a stored figure: what a full recompute covers."""
    years = set(
        Submission.objects.for_program(program)
        .filter(state=SubmissionState.APPROVED)
        .values_list("year", flat=True)
        .distinct()
    )
    years |= set(
        PortfolioSnapshot.objects.for_program(program).values_list("year", flat=True).distinct()
    )
    return sorted(years)


def figures_drop(*, program_id: int, years: list[int] | None = None) -> int:
    """Delete the stored figures of these years (every year when ``years`` is None).

    Called in the transaction of the change that made them stale: from its commit on, the
    figures are computed on demand until the recompute stores them again.

    It first takes the programme lock a recompute holds, so it waits for a recompute in
    flight (whose upsert would otherwise wait on these deleted rows while this transaction
    waits on it) and that recompute's figures, older than this change, are dropped too.
    """
    list(Program.objects.select_for_update(no_key=True).filter(pk=program_id).values_list("pk"))
    qs = PortfolioSnapshot.objects.for_program(program_id)
    if years is not None:
        qs = qs.filter(year__in=years)
    deleted, _ = qs.delete()
    return deleted


# --- catching up after an outage ---------------------------------------------------------


def figures_missing(*, program_ids: list[int] | None = None) -> list[tuple[int, int]]:
    """(programme id, year) pairs whose stored figures a recompute should have written but
    has not: years with approved submissions, and the year after each (its comparisons),
    with no stored figure. They exist while a queued recompute has not run, or could not be
    queued (the broker was down when the change committed). Two queries in all."""
    approved = Submission.objects.unscoped().filter(state=SubmissionState.APPROVED)
    stored = PortfolioSnapshot.objects.unscoped()
    if program_ids is not None:
        approved = approved.filter(program_id__in=program_ids)
        stored = stored.filter(program_id__in=program_ids)
    wanted: set[tuple[int, int]] = set()
    for program_id, year in approved.values_list("program_id", "year").distinct():
        wanted |= {(program_id, year), (program_id, year + 1)}
    have = set(stored.values_list("program_id", "year").distinct())
    return sorted(wanted - have)


def figures_store_missing(*, program_ids: list[int] | None = None) -> list[tuple[int, int]]:
    """Recompute and store every missing programme-year (see ``figures_missing``). Run by
    the scheduler every minute (``impact.figures_store_missing``) and by ``manage.py
    recompute_figures --missing``; idempotent, so it may overlap a queued recompute."""
    missing = figures_missing(program_ids=program_ids)
    for program_id, year in missing:
        figures_recompute_year(program_id=program_id, year=year)
    if missing:
        log.info("stored missing portfolio figures: %s", missing)
    return missing
