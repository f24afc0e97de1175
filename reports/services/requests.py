"""Asking for a report: a job queued once the request commits (``reports.tasks``).

Generating is a write: the programme's admins generate every report; a cluster's editors
generate their cluster's annual report; analysts read reports but do not generate them.
The year and the language (``?lang=``, the programme's language otherwise) are checked
here, before any job exists, so a bad request leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from clusters.access import Access
from clusters.models import Cluster, Job
from clusters.services.jobs import job_create, job_enqueue
from clusters.validation import Problems, check_keys

from ..models import ReportKind
from ..selectors.common import report_language, report_year

JOB_KINDS: dict[str, str] = {
    ReportKind.CLUSTER: "report.cluster",
    ReportKind.PROGRAM: "report.program",
    ReportKind.CLUSTERS: "report.clusters",
}
KINDS_OF_JOBS = {job_kind: kind for kind, job_kind in JOB_KINDS.items()}


def require_generator(access: Access, kind: str) -> None:
    """Admins generate every report; editors their (visible, so held) cluster's."""
    if access.is_admin or (kind == ReportKind.CLUSTER and access.is_editor):
        return
    if kind == ReportKind.CLUSTER:
        raise PermissionDenied(
            "Generating a cluster's report needs the program_admin role or the cluster's "
            "cluster_editor role."
        )
    raise PermissionDenied("Generating the programme's reports needs the program_admin role.")


def _no_body(data: Any) -> None:
    """The language and year are in the URL; a body, if any, must be an empty object."""
    if data is None or data == "" or (hasattr(data, "keys") and not list(data.keys())):
        return
    problems = Problems()
    if not isinstance(data, dict):
        problems.add("body", "Expected no body, or an empty JSON object.", "invalid")
    else:
        check_keys(data, allowed=(), problems=problems, what="a report request")
    problems.raise_if_any()


@transaction.atomic
def report_request(
    *,
    access: Access,
    kind: str,
    year: Any,
    lang: Any = None,
    cluster: Cluster | None = None,
    data: Any = None,
) -> Job:
    """Queue the generation of a report: a cluster's (``cluster``), the programme's, or
    every cluster's in one zip (``ReportKind.CLUSTERS``). Answers the queued job."""
    from ..tasks import generate_report

    require_generator(access, kind)
    problems = Problems()
    checked = problems.collect(report_year, year)
    language = problems.collect(report_language, lang, program=access.program)
    problems.raise_if_any()
    _no_body(data)
    job = job_create(
        access=access,
        kind=JOB_KINDS[kind],
        cluster=cluster if kind == ReportKind.CLUSTER else None,
        params={"year": checked, "language": language},
    )
    job_enqueue(job=job, run=generate_report.delay)
    return job
