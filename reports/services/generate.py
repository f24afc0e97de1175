"""Generating reports: gather the figures, render HTML and PDF, store them.

The work of the report jobs (``reports.tasks``), and callable directly (benchmarks, the
shell). ``progress`` receives a fraction from 0 to 1 as the work advances.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from typing import Any

from django.db.models import Q

from clusters.access import Access
from clusters.models import Cluster, ClusterStatus, Job, Submission
from clusters.selectors.registry import cluster_list

from ..models import ReportKind, StoredReport
from ..selectors.cluster import cluster_report_data
from ..selectors.program import program_report_data
from .render import html_to_pdf, report_html
from .store import report_store

Progress = Callable[[float], None]


def _quiet(_fraction: float) -> None:
    pass


def cluster_report_generate(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    language: str,
    job: Job | None = None,
    progress: Progress = _quiet,
) -> StoredReport:
    data = cluster_report_data(access=access, cluster=cluster, year=year)
    progress(0.2)
    html = report_html(kind=ReportKind.CLUSTER, data=data, language=language)
    progress(0.4)
    pdf = html_to_pdf(html, as_of=data["as_of"])
    progress(0.9)
    return report_store(
        program=access.program,
        kind=ReportKind.CLUSTER,
        cluster=cluster,
        year=year,
        language=language,
        files={"html": html.encode(), "pdf": pdf.content},
        pages=pdf.pages,
        as_of=data["as_of"],
        job=job,
    )


def program_report_generate(
    *, access: Access, year: int, language: str, job: Job | None = None, progress: Progress = _quiet
) -> StoredReport:
    data = program_report_data(access=access, year=year)
    progress(0.2)
    html = report_html(kind=ReportKind.PROGRAM, data=data, language=language)
    progress(0.4)
    pdf = html_to_pdf(html, as_of=data["as_of"])
    progress(0.9)
    return report_store(
        program=access.program,
        kind=ReportKind.PROGRAM,
        cluster=None,
        year=year,
        language=language,
        files={"html": html.encode(), "pdf": pdf.content},
        pages=pdf.pages,
        as_of=data["as_of"],
        job=job,
    )


def batch_clusters(*, access: Access, year: int) -> list[Cluster]:
    """The clusters a programme-wide batch reports on: every active cluster, and any other
    (alumni, closed) that has a submission for the year; never a deleted one."""
    with_submission = Submission.objects.for_program(access.program).filter(year=year)
    return list(
        cluster_list(access=access)
        .filter(Q(status=ClusterStatus.ACTIVE) | Q(pk__in=with_submission.values("cluster_id")))
        .order_by("slug")
    )


def clusters_report_generate(
    *, access: Access, year: int, language: str, job: Job | None = None, progress: Progress = _quiet
) -> tuple[StoredReport, list[Cluster]]:
    """Every cluster's report of the year (each stored as that cluster's report, replacing
    it), and all of them in one zip: ``<slug>-<year>-<language>.pdf`` and ``.html``."""
    clusters = batch_clusters(access=access, year=year)
    latest = None
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for i, cluster in enumerate(clusters):
                report = cluster_report_generate(
                    access=access, cluster=cluster, year=year, language=language, job=job
                )
                latest = report.as_of if latest is None else max(latest, report.as_of)
                for fmt in ("pdf", "html"):
                    info = zipfile.ZipInfo(f"{cluster.slug}-{year}-{language}.{fmt}")
                    # The archive's dates are the data's, so the same data gives the same zip.
                    stamp = report.as_of.timetuple()[:6]
                    info.date_time = (max(stamp[0], 1980), *stamp[1:])
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, _read(report, fmt))
                progress(0.95 * (i + 1) / max(len(clusters), 1))
        program = access.program
        stored = report_store(
            program=program,
            kind=ReportKind.CLUSTERS,
            cluster=None,
            year=year,
            language=language,
            files={"zip": spool},
            pages=None,
            as_of=latest or program.updated_at,
            job=job,
        )
    return stored, clusters


def _read(report: StoredReport, fmt: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(report.files[fmt]["name"], "rb") as handle:
        return handle.read()


def report_result(report: StoredReport, *, urls: dict[str, str], **extra: Any) -> dict[str, Any]:
    """What a finished report job answers (``Job.result``)."""
    return {
        "year": report.year,
        "language": report.language,
        **urls,
        "pages": report.pages,
        "sizes": {fmt: f["size"] for fmt, f in sorted(report.files.items())},
        "as_of": report.as_of.isoformat().replace("+00:00", "Z"),
        **extra,
    }


__all__ = [
    "batch_clusters",
    "cluster_report_generate",
    "clusters_report_generate",
    "program_report_generate",
    "report_result",
]
