"""Celery: the report jobs. The task takes ids, loads the job inside its programme, and
calls the generating service with the programme's standing (the report shows the same
whoever asked for it); progress and the outcome are recorded on the job. A duplicate
delivery finds the job no longer queued and does nothing."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from clusters.access import system_access
from clusters.models import Job, Program
from clusters.services.jobs import job_fail, job_progress, job_start, job_succeed

from .links import report_urls
from .models import ReportKind
from .services.generate import (
    cluster_report_generate,
    clusters_report_generate,
    program_report_generate,
    report_result,
)
from .services.requests import KINDS_OF_JOBS

logger = logging.getLogger(__name__)


class ClusterGone(Exception):
    """The cluster of a queued report was removed before the job ran."""


def _work(job: Job) -> dict[str, Any]:
    access = system_access(job.program, label=job.requested_by or "report", via="report")
    year, language = job.params["year"], job.params["language"]
    kind = KINDS_OF_JOBS[job.kind]

    def progress(fraction: float) -> None:
        job_progress(job=job, progress=fraction)

    if kind == ReportKind.CLUSTER:
        if job.cluster is None or job.cluster.deleted_at is not None:
            raise ClusterGone("The cluster was removed before its report could be generated.")
        report = cluster_report_generate(
            access=access,
            cluster=job.cluster,
            year=year,
            language=language,
            job=job,
            progress=progress,
        )
        return report_result(report, urls=report_urls(report))
    if kind == ReportKind.PROGRAM:
        report = program_report_generate(
            access=access, year=year, language=language, job=job, progress=progress
        )
        return report_result(report, urls=report_urls(report))
    report, clusters = clusters_report_generate(
        access=access, year=year, language=language, job=job, progress=progress
    )
    return report_result(report, urls=report_urls(report), clusters=[c.slug for c in clusters])


@shared_task(
    name="reports.generate",
    acks_late=True,
    time_limit=settings.REPORTS_TASK_TIME_LIMIT,
    soft_time_limit=max(settings.REPORTS_TASK_TIME_LIMIT - 60, 1),
)
def generate_report(program_id: int, job_id: int) -> None:
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return
    job = (
        Job.objects.for_program(program)
        .select_related("program", "cluster")
        .filter(pk=job_id, kind__in=list(KINDS_OF_JOBS))
        .first()
    )
    if job is None or not job_start(job=job):
        return  # gone, or already run (a duplicate delivery)
    try:
        result = _work(job)
    except ClusterGone as exc:
        job_fail(job=job, error=str(exc))
    except SoftTimeLimitExceeded:
        job_fail(
            job=job,
            error=f"Stopped after {settings.REPORTS_TASK_TIME_LIMIT - 60} seconds "
            "(REPORTS_TASK_TIME_LIMIT); the report being written was not stored.",
        )
    except Exception:  # the job is where a failure is reported: record it, never lose it
        logger.exception("report job %s failed", job_id)
        job_fail(job=job, error="Internal error while generating the report; nothing was replaced.")
    else:
        job_succeed(job=job, result=result)
