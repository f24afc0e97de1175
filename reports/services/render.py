"""HTML and PDF from the same Django template.

The HTML is rendered once, in the report's language (``translation.override``: words,
numbers, dates); the PDF is WeasyPrint's rendering of exactly that HTML: A4 pages, page
numbers and the table of contents' page numbers from CSS counters, a tagged PDF (PDF/UA-1:
structure tags, the document language, its title) with real, selectable text; the charts
are inline SVG, drawn as vector text and shapes.

Deterministic: the document's dates (``dcterms.created``/``modified`` in the HTML, the PDF's
CreationDate and ModDate) are the latest change to the data it shows, never the clock, and
WeasyPrint writes no random identifier for PDF/UA-1, so the same data gives byte-identical
HTML and PDF (tests/test_reports_documents.py checks it). Nothing is fetched while
rendering: a report references no file or URL, and the fetcher refuses any but ``data:``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from ..contexts.cluster import cluster_context
from ..contexts.program import program_context
from ..models import ReportKind

PDF_VARIANT = "pdf/ua-1"
TEMPLATES = {ReportKind.CLUSTER: "reports/cluster.html", ReportKind.PROGRAM: "reports/program.html"}


def _fetcher() -> Any:
    """Only inline ``data:`` resources; anything else stops the rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True, timeout=1)


def report_html(*, kind: str, data: dict[str, Any], language: str) -> str:
    """The report as one HTML document (styles and charts inline) in ``language``."""
    with translation.override(language):
        if kind == ReportKind.CLUSTER:
            context = cluster_context(data, language=language)
        else:
            context = program_context(data, language=language)
        return render_to_string(TEMPLATES[kind], context)


@dataclass(frozen=True)
class Pdf:
    content: bytes
    pages: int


def html_to_pdf(html: str) -> Pdf:
    """The PDF of a report's HTML (WeasyPrint, tagged PDF/UA-1)."""
    from weasyprint import HTML  # imported here: loading pango costs time at startup

    document = HTML(string=html, url_fetcher=_fetcher()).render(pdf_variant=PDF_VARIANT)
    return Pdf(document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages))
