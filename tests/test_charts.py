"""The chart kit on its own: deterministic, escaped, text that fits."""

from __future__ import annotations

from decimal import Decimal

from charts.layouts import business_model_map
from charts.layouts.finance import Share
from charts.primitives import (
    Bar,
    Segment,
    bars,
    format_compact,
    format_money,
    format_share,
    stacked_bar,
)
from charts.svg import Svg, escape
from charts.text import fit, text_width, wrap


def test_the_same_data_gives_the_same_bytes():
    shares = [
        Share("National cluster programme", "public", 0.6),
        Share("Local government", "public", 0.4),
    ]

    first = business_model_map(title="Map", subtitle="A · EUR", shares=shares)
    second = business_model_map(title="Map", subtitle="A · EUR", shares=list(shares))

    assert first == second


def test_every_text_is_escaped():
    svg = Svg(100, 100, title='<x a="1">')
    svg.text(0, 10, "<script>alert('x')</script> &")

    out = svg.render()

    assert "<script" not in out and "<x " not in out
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;" in out
    assert escape("\x00\ud800") == "\ufffd\ufffd"


def test_text_wraps_to_the_width_and_cuts_words_that_are_too_long():
    lines = wrap("Membership fees and member activities " + "x" * 80, 120, 12)

    assert all(text_width(line, 12) <= 120 for line in lines)
    assert lines[:3] == ["Membership fees", "and member", "activities"]


def test_fit_shrinks_then_ends_with_an_ellipsis():
    fitted = fit("word " * 400, 100, 40, size=12, min_size=7)

    assert fitted.size == 7
    assert fitted.height <= 40
    assert fitted.lines[-1].endswith("…")


def test_number_formats():
    assert format_money(Decimal("1250000"), "EUR") == "EUR 1,250,000"
    assert format_money(Decimal("10.5"), "NOK") == "NOK 10.50"
    assert format_share(0.4) == "40 %" and format_share(Decimal("0.125")) == "12.5 %"
    assert format_compact(350000000) == "350M" and format_compact(Decimal("0.05")) == "0.05"


def test_bars_and_a_stacked_bar_draw_in_proportion():
    svg = Svg(400, 300)
    bars(svg, 0, 0, 400, 300, [Bar("2020", 1, value_label="1"), Bar("2021", 2, value_label="2")])
    rects = stacked_bar(svg, 0, 0, 100, 200, [Segment("a", 1, "#000"), Segment("b", 3, "#111")])

    assert rects == [(0, 0.0, 100, 50.0), (0, 50.0, 100, 150.0)]
    assert svg.render().count("<rect") == 1 + 2 + 2  # background, two bars, two segments
