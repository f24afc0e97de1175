"""Where a report is read: the API paths of its stored files and the addresses of a shared
link (``PUBLIC_BASE_URL``, the service's public address, or the request's). Built with ``reverse`` from the
route names, so the job results, REST and GraphQL all point where the routes are."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .models import ReportKind, StoredReport


def report_urls(report: StoredReport) -> dict[str, str]:
    """The paths of a stored report's files, with its language (``?lang=es``)."""
    program = report.program.slug
    query = f"?lang={report.language}"
    if report.kind == ReportKind.CLUSTERS:
        path = reverse("program-reports-zip", kwargs={"program": program, "year": report.year})
        return {"zip": path + query}
    out = {}
    for fmt in ("html", "pdf"):
        if report.kind == ReportKind.CLUSTER:
            assert report.cluster is not None
            kwargs = {"program": program, "cluster": report.cluster.slug, "year": report.year}
            out[fmt] = reverse(f"cluster-report-{fmt}", kwargs=kwargs) + query
        else:
            kwargs = {"program": program, "year": report.year}
            out[fmt] = reverse(f"program-report-{fmt}", kwargs=kwargs) + query
    return out


def share_urls(raw: str, *, request: HttpRequest | None = None) -> dict[str, str]:
    """The two addresses a shared link opens: the HTML (``url``) and the PDF. On
    ``PUBLIC_BASE_URL``, or (unset) the address ``request`` came to."""
    base = settings.PUBLIC_BASE_URL or (
        request.build_absolute_uri("/") if request is not None else "http://127.0.0.1:8000"
    )
    base = base.rstrip("/")
    return {
        "url": base + reverse("shared-report-html", kwargs={"token": raw}),
        "pdf_url": base + reverse("shared-report-pdf", kwargs={"token": raw}),
    }
