"""Reads of jobs: a job is visible to whoever may see what it works on."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..access import Access
from ..models import Job
from ..validation import whole_number


def job_list(*, access: Access) -> QuerySet[Job]:
    """The caller's visible jobs: admins and analysts every job of the programme; editors
    the jobs on clusters they hold (never programme-wide ones)."""
    qs = Job.objects.for_program(access.program).select_related("cluster")
    if access.cluster_ids is not None:
        qs = qs.filter(cluster_id__in=access.cluster_ids)
    # A job on a deleted cluster goes with it.
    return qs.filter(Q(cluster__isnull=True) | Q(cluster__deleted_at__isnull=True))


def job_get(*, access: Access, job_id: Any) -> Job:
    """The job, or ``Job.DoesNotExist`` (also for another programme's or an unheld cluster's)."""
    pk = whole_number(job_id)
    if pk is None:
        raise Job.DoesNotExist
    return job_list(access=access).get(pk=pk)


def job_data(job: Job) -> dict[str, Any]:
    """The job as the API shows it (CONTRACT.md "Jobs")."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "progress": float(job.progress),
        "result": job.result,
        "error": job.error or None,
        "cluster": job.cluster.slug if job.cluster is not None else None,
        "requested_by": job.requested_by,
        "created_at": job.created_at.isoformat().replace("+00:00", "Z"),
        "started_at": job.started_at.isoformat().replace("+00:00", "Z") if job.started_at else None,
        "finished_at": job.finished_at.isoformat().replace("+00:00", "Z")
        if job.finished_at
        else None,
    }
