"""Reading stored reports: who may read which, and the files themselves.

A cluster's report is read by whoever sees the cluster (the programme's admins and
analysts, the cluster's editors; another programme's or an unheld cluster never gets
here: the cluster is resolved inside the caller's access first). The programme's reports
(the portfolio report and the zip of every cluster's) are portfolio figures: admins and
analysts.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.files.storage import default_storage

from clusters.access import Access
from clusters.models import Cluster

from ..models import ReportKind, StoredReport
from .common import report_language, report_year

FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "zip": "application/zip"}


class ReportNotGenerated(StoredReport.DoesNotExist):
    """No report of that kind, year and language has been generated (yet)."""


def require_reader(access: Access, kind: str) -> None:
    if kind != ReportKind.CLUSTER:
        access.require_portfolio_reader()


def stored_report_get(
    *,
    access: Access,
    kind: str,
    cluster: Cluster | None,
    year: Any,
    lang: Any,
    fmt: str,
) -> StoredReport:
    """The stored report, or ``ReportNotGenerated`` (a 404) until it has been generated in
    that language."""
    require_reader(access, kind)
    checked, language = report_year(year), report_language(lang, program=access.program)
    report = (
        StoredReport.objects.for_program(access.program)
        .select_related("program", "cluster")
        .filter(kind=kind, cluster=cluster, year=checked, language=language)
        .first()
    )
    if report is None or fmt not in report.files:
        raise ReportNotGenerated(_missing(kind, checked, language, cluster))
    return report


def _missing(kind: str, year: int, language: str, cluster: Cluster | None) -> str:
    names: dict[str, str] = {
        ReportKind.CLUSTER: f"annual report of '{cluster.slug if cluster else ''}'",
        ReportKind.PROGRAM: "portfolio report",
        ReportKind.CLUSTERS: "zip of the clusters' reports",
    }
    what = names[kind]
    return (
        f"No {year} {what} in '{language}' has been generated yet; POST to its reports/{year}/ "
        "URL (with ?lang=) to generate it."
    )


def report_file(report: StoredReport, fmt: str) -> IO[bytes]:
    """The stored file, open for reading (the caller closes it; FileResponse does)."""
    return default_storage.open(report.files[fmt]["name"], "rb")


def file_name(report: StoredReport, fmt: str) -> str:
    """The name a download is saved under: ``ocean-tech-2021-en.pdf``."""
    owner = report.cluster.slug if report.cluster is not None else report.program.slug
    suffix = "-clusters" if report.kind == ReportKind.CLUSTERS else ""
    return f"{owner}-{report.year}{suffix}-{report.language}.{fmt}"
