"""The documents themselves: the PDF rendered to PNG pages (pypdfium2): the expected page
count, no blank page, a tagged PDF with real text; the HTML with no broken reference and
every chart named; user text escaped in both; the same data gives the same bytes."""

from __future__ import annotations

import datetime as dt
import re
import zlib

import pypdfium2 as pdfium
import pytest

from canvases.services import canvas_put
from clusters.access import system_access
from clusters.services.registry import cluster_update
from reports.selectors.cluster import cluster_report_data
from reports.selectors.program import program_report_data
from reports.services.render import html_to_pdf, report_html
from tests.report_helpers import load_demo, page, text_of

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '<script>alert("x")</script> & Ocean'
HOSTILE_NOTE = "<img src=x onerror=alert(1)> Scale-ups"


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    return load_demo(django_capture_on_commit_callbacks)


def _cluster_html(demo, slug: str = "ocean-tech", language: str = "en") -> tuple[str, dt.datetime]:
    access = system_access(demo.program, label="test")
    data = cluster_report_data(access=access, cluster=demo.cluster(slug), year=2021)
    return report_html(kind="cluster", data=data, language=language), data["as_of"]


def _program_html(demo) -> tuple[str, dt.datetime]:
    data = program_report_data(access=system_access(demo.program, label="test"), year=2021)
    return report_html(kind="program", data=data, language="en"), data["as_of"]


def _pages(pdf: bytes) -> list[tuple[str, float]]:
    """Each page's text and the share of its body (header and footer left out) that is not
    white, from the page rendered to an image."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for index in range(len(doc)):
            pdf_page = doc[index]
            text = pdf_page.get_textpage().get_text_range()
            image = pdf_page.render(scale=0.5).to_pil().convert("L")
            width, height = image.size
            body = image.crop((0, int(height * 0.07), width, int(height * 0.93)))
            inked = sum(body.histogram()[:200])  # pixels darker than light grey
            out.append((text, inked / (body.size[0] * body.size[1])))
    finally:
        doc.close()
    return out


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for its structure."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(
                zlib.decompressobj().decompress(pdf[match.end() : match.end() + 4_000_000])
            )
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_cluster_report_has_8_pages_and_none_is_blank(demo):
    html, as_of = _cluster_html(demo)

    pdf = html_to_pdf(html, as_of=as_of)
    pages = _pages(pdf.content)

    assert pdf.pages == len(pages) == 8
    for number, (text, inked) in enumerate(pages, start=1):
        words = [line for line in text.splitlines() if line.strip() and "Page" not in line]
        assert len(words) >= 2, f"page {number} has no text of its own"
        assert inked > 0.005, f"page {number} is blank"
    assert pages[0][0].startswith("Annual report 2021: Ocean Tech Cluster")
    assert "Page 1 of 8" in pages[0][0] and "Page 8 of 8" in pages[7][0]


def test_the_programme_report_has_its_contents_with_page_numbers(demo):
    html, as_of = _program_html(demo)

    pdf = html_to_pdf(html, as_of=as_of)
    pages = _pages(pdf.content)

    assert pdf.pages == len(pages) == 7
    assert [n for n, (_text, inked) in enumerate(pages, start=1) if inked <= 0.005] == []
    entry = re.compile(r"^(\d+\. .*?)\s*\.{3,}\s*(\d+)$")
    contents = [m.groups() for line in pages[0][0].splitlines() if (m := entry.match(line.strip()))]
    # each entry's page number is the page its section's heading is on
    headings = {
        line.strip(): number
        for number, (text, _inked) in enumerate(pages, start=1)
        for line in text.splitlines()
        if number > 1 or "..." not in line
    }
    assert [(title, int(number)) for title, number in contents] == [
        (title, headings[title]) for title, _number in contents
    ]
    assert [title for title, _number in contents] == [
        "1. Funding mix",
        "2. Funding over the years",
        "3. By stage, category and region",
        "4. Reliance on public money",
        "5. Costs and deficits",
        "6. Value impact",
        "7. Progress against roadmaps",
        "8. Completeness of reporting",
        "9. What if",
        "10. The clusters one by one",
    ]


def test_the_pdf_is_tagged_with_its_language_title_and_chart_alternatives(demo):
    html, as_of = _cluster_html(demo)

    pdf = html_to_pdf(html, as_of=as_of).content
    objects = _pdf_objects(pdf)
    doc = pdfium.PdfDocument(pdf)
    meta = doc.get_metadata_dict()
    doc.close()

    assert b"/MarkInfo <</Marked true>>" in objects
    assert b"/StructTreeRoot" in objects
    assert b"/Lang (en)" in objects
    assert b'pdfuaid:part="1"' in objects
    assert b"/Alt (Financing 2021 by source)" in objects
    stamp = as_of.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    assert (meta["Title"], meta["Author"], meta["CreationDate"], meta["ModDate"]) == (
        "Annual report 2021: Ocean Tech Cluster",
        "Demo national cluster programme",
        stamp,
        stamp,
    )


def test_the_html_references_nothing_outside_and_nothing_missing(demo):
    for html, _as_of in (_cluster_html(demo), _program_html(demo)):
        parsed = page(html)

        assert "img" not in parsed.tags and "script" not in parsed.tags
        for tag, ref in parsed.refs:
            assert ref.startswith("#") and ref[1:] in parsed.ids, (tag, ref)
        assert not re.search(r"url\(|https?://|@import", html.split("</style>")[0])
        assert parsed.svgs and all(
            svg["role"] == "img" and (svg["aria-label"] or "").strip() for svg in parsed.svgs
        )
        assert html.count("<svg ") == html.count("<title>") - 1  # each chart's, the page's


def test_user_text_is_escaped_in_the_html_and_shown_as_text_in_the_pdf(demo):
    access = system_access(demo.program, label="test")
    ocean = demo.cluster("ocean-tech")
    cluster_update(access=access, cluster=ocean, data={"name": HOSTILE_NAME})
    canvas_put(
        access=access,
        cluster=ocean,
        kind="business-model-canvas",
        data={"blocks": {"key_activities": [{"text": HOSTILE_NOTE, "state": "to_be"}]}},
    )

    html, as_of = _cluster_html(demo)
    pdf_text = "".join(text for text, _inked in _pages(html_to_pdf(html, as_of=as_of).content))

    parsed = page(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Ocean" in html
    assert "&lt;img src=x onerror=alert(1)&gt; Scale-ups" in html
    assert f"Annual report 2021: {HOSTILE_NAME}" in text_of(html)
    assert f"Annual report 2021: {HOSTILE_NAME}" in pdf_text


def test_the_same_data_renders_the_same_bytes(demo):
    html, as_of = _program_html(demo)
    again, again_as_of = _program_html(demo)

    assert (again, again_as_of) == (html, as_of)
    assert html_to_pdf(html, as_of=as_of).content == html_to_pdf(again, as_of=again_as_of).content
