"""HTML and PDF from the same Django template.

The HTML is rendered once, in the report's language (``translation.override``: words,
numbers, dates); the PDF is WeasyPrint's rendering of exactly that HTML: A4 pages, page
numbers and the table of contents' page numbers from CSS counters, a tagged PDF (PDF/UA-1:
structure tags, the document language, its title) with real, selectable text; the charts
are inline SVG, drawn as vector text and shapes.

Deterministic: the document's dates (``dcterms.created``/``modified`` in the HTML, the PDF's
CreationDate and ModDate, and the embedded font subsets' own timestamp) are the latest change
to the data it shows, never the clock, and WeasyPrint writes no random identifier for
PDF/UA-1, so the same data gives byte-identical HTML and PDF (tests/test_reports_api.py and
tests/test_reports_documents.py check it). Nothing is fetched while
rendering: a report references no file or URL, and the fetcher refuses any but ``data:``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from ..contexts.cluster import cluster_context
from ..contexts.program import program_context
from ..models import ReportKind

PDF_VARIANT = "pdf/ua-1"
TEMPLATES: dict[str, str] = {
    ReportKind.CLUSTER: "reports/cluster.html",
    ReportKind.PROGRAM: "reports/program.html",
}


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


_epoch_lock = threading.Lock()


@contextlib.contextmanager
def _source_date(when: dt.datetime) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) set to ``when`` while a
    PDF is written: the fonts WeasyPrint subsets with fontTools would otherwise carry the
    current time. The environment is the process's, so renders in one process take turns."""
    with _epoch_lock:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def html_to_pdf(html: str, *, as_of: dt.datetime) -> Pdf:
    """The PDF of a report's HTML (WeasyPrint, tagged PDF/UA-1); ``as_of`` is the document's
    date (the HTML's ``dcterms`` dates say the same)."""
    from weasyprint import HTML  # imported here: loading pango costs time at startup

    with _source_date(as_of):
        document = HTML(string=html, url_fetcher=_fetcher()).render(pdf_variant=PDF_VARIANT)
        return Pdf(document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages))
