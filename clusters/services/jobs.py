"""Writes of jobs: create one for a caller, then move it queued -> running -> done.

The worker side (``job_start``, ``job_progress``, ``job_succeed``, ``job_fail``) saves
each step at once, outside any transaction of the work itself, so a reader sees progress
while the job runs and a failure is recorded even when the work rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..access import Access
from ..models import Cluster, Job, JobState
from ..validation import MAX_TEXT

log = logging.getLogger(__name__)

PROGRESS_PLACES = Decimal("0.0001")


def job_create(
    *,
    access: Access,
    kind: str,
    cluster: Cluster | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    """A queued job of ``kind`` asked by the caller (the caller's role is checked by the
    service that offers the work)."""
    return Job.objects.create(
        program=access.program,
        kind=kind,
        cluster=cluster,
        params=params or {},
        requested_by=access.label,
        requested_by_user=access.user if access.user_id else None,
    )


def job_enqueue(*, job: Job, run: Callable[..., Any]) -> None:
    """Queue ``run(program_id, job_id)`` (a Celery task's ``delay``) once the job is committed.

    When the broker cannot take it (Redis down), the job ends ``failed`` with an error that
    says to try again, and the request that asked for it still answers: no job waits
    forever for a task that was never queued.
    """
    program_id, job_id = job.program_id, job.pk

    def enqueue() -> None:
        try:
            run(program_id, job_id)
        except Exception:  # noqa: BLE001 - the broker's errors vary by transport
            log.warning("could not queue job %s of program %s", job_id, program_id, exc_info=True)
            queued = Job.objects.for_program(program_id).filter(pk=job_id).first()
            if queued is not None:
                job_fail(
                    job=queued,
                    error="The job could not be queued (the task broker is unavailable); "
                    "ask for it again in a moment.",
                )

    transaction.on_commit(enqueue)


def _save(job: Job, *fields: str) -> None:
    Job.objects.for_program(job.program_id).filter(pk=job.pk).update(
        **{f: getattr(job, f) for f in fields}
    )


def job_start(*, job: Job) -> bool:
    """Mark a queued job running; False when it already ran (a duplicate delivery)."""
    updated = (
        Job.objects.for_program(job.program_id)
        .filter(pk=job.pk, state=JobState.QUEUED)
        .update(state=JobState.RUNNING, started_at=timezone.now())
    )
    if updated:
        job.state = JobState.RUNNING
    return bool(updated)


def job_progress(*, job: Job, progress: float | Decimal) -> None:
    value = min(max(Decimal(str(progress)), Decimal(0)), Decimal(1))
    job.progress = value.quantize(PROGRESS_PLACES)
    _save(job, "progress")


def job_succeed(*, job: Job, result: dict[str, Any]) -> None:
    job.state, job.progress, job.result = JobState.SUCCEEDED, Decimal(1), result
    job.error, job.finished_at = "", timezone.now()
    _save(job, "state", "progress", "result", "error", "finished_at")


def job_fail(*, job: Job, error: str, result: dict[str, Any] | None = None) -> None:
    """End the job failed with a readable ``error`` (never a secret: callers pass messages
    they wrote, not raw responses)."""
    job.state, job.error, job.finished_at = JobState.FAILED, error[:MAX_TEXT], timezone.now()
    if result is not None:
        job.result = result
    _save(job, "state", "error", "result", "finished_at")
