"""The canvases drawn: golden SVG files (same data, same bytes), PNGs that decode, long and
hostile texts that stay inside their boxes and escaped.

Regenerate the golden files after an intended change of the drawings with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_canvases_pictures.py`` and look at
them (git diff, or open the .svg files) before committing.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from canvases.kinds import KINDS
from charts.layouts.boards import GRID, TITLE_H, note_cells
from charts.text import fit, text_width
from tests.canvas_helpers import bodies, ocean_2021, url
from tests.givens import add_submission

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "golden"


def _given_every_canvas(cast):
    client = cast.editor_a1.client()
    for kind in KINDS:
        response = client.put(url("prog-a", "a1", f"{kind}/"), bodies()[kind], format="json")
        assert response.status_code == 201, response.content
    ocean_2021(cast.prog_a, cast.a1)
    add_submission(cast.a1, 2022, funding=[("training", "1.00")])
    return client


@pytest.mark.parametrize("kind", KINDS)
def test_each_svg_matches_its_golden_file(cast, kind):
    client = _given_every_canvas(cast)
    from clusters.models import KpiDefinition, KpiValue, Submission

    sub = Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=2021)
    KpiValue.objects.create(
        program=cast.prog_a,
        submission=sub,
        kpi=KpiDefinition.objects.for_program(cast.prog_a).get(code="gdp_share"),
        value="0.045",
    )

    response = client.get(url("prog-a", "a1", f"{kind}.svg"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    ElementTree.fromstring(svg)  # well-formed XML
    golden = GOLDEN / f"{kind}.svg"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(svg, encoding="utf-8")
    assert svg == golden.read_text(encoding="utf-8")
    assert client.get(url("prog-a", "a1", f"{kind}.svg")).content == response.content


@pytest.mark.parametrize("kind", KINDS)
def test_each_png_decodes_at_the_svgs_size_and_is_not_blank(cast, kind):
    client = _given_every_canvas(cast)
    svg = client.get(url("prog-a", "a1", f"{kind}.svg")).content.decode()
    size = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    assert size is not None
    width, height = (float(v) for v in size.groups())

    response = client.get(url("prog-a", "a1", f"{kind}.png"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert image.size == (round(width), round(height))
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20  # text, boxes and fills, not a blank page
    background = max(colours)[0] / (image.size[0] * image.size[1])
    assert background < 0.95


def test_a_script_note_is_drawn_as_text_never_as_markup(cast):
    body = bodies()["business-model-canvas"]
    body["blocks"]["members"] = [
        {"text": '<script>alert("x")</script> & <b>bold</b>', "state": "to_be"}
    ]
    client = cast.editor_a1.client()
    client.put(url("prog-a", "a1", "business-model-canvas/"), body, format="json")

    svg = client.get(url("prog-a", "a1", "business-model-canvas.svg")).content.decode()

    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in svg
    texts = [t.text for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert '<script>alert("x")</script> & <b>bold</b>' in texts


def test_long_notes_wrap_or_shrink_inside_their_own_cells(cast):
    body = bodies()["business-model-canvas"]
    long = "Supercalifragilisticexpialidocious " * 10 + "W" * 120  # 470 characters
    body["blocks"]["members"] = [{"text": long, "state": "as_is"} for _ in range(12)]
    client = cast.editor_a1.client()
    put = client.put(url("prog-a", "a1", "business-model-canvas/"), body, format="json")
    assert put.status_code == 201, put.content

    svg = client.get(url("prog-a", "a1", "business-model-canvas.svg")).content.decode()

    cells = note_cells(GRID["members"], 12)
    for a, b in zip(cells, cells[1:], strict=False):  # cells never overlap
        assert a[0] + a[2] <= b[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
    for cell in cells:  # and stay inside the block, below its title
        x, y, w, h = GRID["members"]
        assert cell[0] >= x and cell[0] + cell[2] <= x + w
        assert cell[1] >= y + TITLE_H and cell[1] + cell[3] <= y + h
    fitted = fit(long, cells[0][2] - 8, cells[0][3] - 8, size=11, min_size=5)
    assert all(text_width(line, fitted.size) <= cells[0][2] - 8 for line in fitted.lines)
    assert fitted.height <= cells[0][3] - 8
    assert fitted.lines[-1].endswith("…")
    assert svg.count(f'font-size="{fitted.size:g}"') >= 12


def test_labels_carry_the_programmes_currency(cast):
    client = cast.editor_a1.client()
    client.put(url("prog-a", "a1", "evolution-map/"), bodies()["evolution-map"], format="json")

    svg = client.get(url("prog-a", "a1", "evolution-map.svg")).content.decode()

    assert "EUR 100,000" in svg and "needed: EUR 125,000" in svg and "EUR 800,000" in svg
