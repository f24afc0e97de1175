"""The chart kit's pieces for the reports: grouped bars, rows of stacked bars, reference
lines, a fixed value axis, words in another language, and an accessible name."""

from __future__ import annotations

import re

import pytest

from charts.layouts import business_model_canvas, business_model_map
from charts.layouts.boards import Block, Note
from charts.layouts.finance import Share
from charts.primitives import (
    Bar,
    BarGroup,
    Reference,
    Segment,
    Series,
    grouped_bars,
    line_chart,
    stacked_rows,
)
from charts.svg import Svg, labelled


def _rects(svg: str) -> list[tuple[float, ...]]:
    return [
        tuple(float(v) for v in m)
        for m in re.findall(
            r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg
        )
    ]


def test_grouped_bars_stand_side_by_side_in_proportion():
    svg = Svg(400, 300, background="")
    grouped_bars(
        svg,
        0,
        0,
        400,
        300,
        [
            BarGroup("2015", [Bar("planned", 100, "#111"), Bar("actual", 50, "#222")]),
            BarGroup("2020", [Bar("planned", 300, "#111"), Bar("actual", 0, "#222")]),
        ],
        size=10,
    )

    heights = [round(h, 2) for _x, _y, _w, h in _rects(svg.render())]

    # chart height = 300 - 10 * 2.6 (labels) - 10 * 1.6 (values) = 258, the tallest bar
    assert heights == [86.0, 43.0, 258.0, 0.0]


def test_stacked_rows_draw_one_bar_per_group_and_a_placeholder_for_nothing():
    svg = Svg(500, 200, background="")

    used = stacked_rows(
        svg,
        0,
        0,
        500,
        [
            ("Growth", [Segment("a", 1, "#111"), Segment("b", 3, "#222")]),
            ("Baby", [Segment("a", 0, "#111")]),
        ],
        row_h=20,
        label_w=100,
    )

    assert used == 52
    assert _rects(svg.render()) == [(100, 0, 100, 20), (200, 0, 300, 20), (100, 26, 400, 20)]


def test_a_reference_line_is_drawn_at_its_value_on_a_fixed_axis():
    svg = Svg(600, 300, background="")
    line_chart(
        svg,
        0,
        0,
        600,
        300,
        [Series("Public", [(2020, 0.51), (2021, 0.45)], "#2f6db5")],
        y_range=(0.0, 1.0),
        references=[Reference(0.45, "Europe 45 %", "#8a2be2")],
    )

    out = svg.render()

    # plot from y=276 (0) to y=16 (1): 0.45 sits at 276 - 0.45 * 260 = 159
    assert '<line x1="56" y1="159" x2="592" y2="159" stroke="#8a2be2"' in out
    assert ">Europe 45 %</text>" in out


def test_an_empty_line_chart_says_so_in_the_callers_words():
    svg = Svg(200, 100)

    line_chart(svg, 0, 0, 200, 100, [], empty="Sin datos")

    assert ">Sin datos</text>" in svg.render()


def test_the_map_and_the_canvas_take_their_words_from_the_caller():
    the_map = business_model_map(
        title="Mapa",
        subtitle="",
        shares=[Share("Cuotas", "private", 1.0)],
        category_titles={"public": "Pública", "private": "Privada", "project": "Proyectos"},
        share_format=lambda v: f"{v * 100:.0f} por ciento",
    )
    canvas = business_model_canvas(
        title="Lienzo",
        subtitle="",
        blocks=[Block("members", "Miembros", [Note("165", "as_is")])],
        legend_labels=("Actual", "Futuro"),
    )

    assert ">Privada 100 por ciento</text>" in the_map and ">Pública</text>" in the_map
    assert (
        ">Actual</text>" in canvas and ">Futuro</text>" in canvas and ">Miembros</text>" in canvas
    )


@pytest.mark.parametrize("label", ['Funding "2021" <by source>', "Finansiering & kilder"])
def test_labelled_names_the_image_and_escapes_the_name(label):
    out = labelled(Svg(10, 10, title="t").render(), label)

    assert out.startswith('<svg role="img" aria-label="')
    assert "<by" not in out.split(">")[0] and '"2021"' not in out.split(">")[0]


def test_labelled_refuses_what_is_not_a_kit_svg():
    with pytest.raises(ValueError):
        labelled("<p>not an svg</p>", "x")
