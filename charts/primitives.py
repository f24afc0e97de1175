"""General chart pieces on an ``Svg``: text boxes, a legend, bars, grouped bars, a stacked bar,
rows of stacked bars and a line with points and reference lines. Values are numbers (``float`` or ``Decimal``); labels come formatted by the
caller (``format_money``, ``format_share``, ``format_compact`` help)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .svg import Svg
from .text import Fitted, fit, text_width

INK = "#222222"
MUTED = "#666666"
GRID = "#dddddd"


def format_money(value: Decimal | float | int, currency: str) -> str:
    """``EUR 1,250,000`` (whole units; cents only when the amount has them)."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{currency} {int(amount):,}"
    return f"{currency} {amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def format_share(value: Decimal | float) -> str:
    """A fraction as a percentage: 0.4 -> ``40 %``, 0.125 -> ``12.5 %``."""
    pct = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{pct:f}".rstrip("0").rstrip(".")
    return f"{text} %"


def format_compact(value: Decimal | float) -> str:
    """Large numbers short: 350000000 -> ``350M``, 40000000000 -> ``40B``, 0.05 -> ``0.05``."""
    number = Decimal(str(value))
    for limit, suffix in (
        (Decimal(10) ** 12, "T"),
        (Decimal(10) ** 9, "B"),
        (Decimal(10) ** 6, "M"),
        (Decimal(10) ** 3, "k"),
    ):
        if abs(number) >= limit:
            scaled = (number / limit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            return f"{scaled:f}".rstrip("0").rstrip(".") + suffix
    text = f"{number.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def text_box(
    svg: Svg,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    size: float = 12,
    min_size: float = 7,
    bold: bool = False,
    fill: str | None = None,
    stroke: str | None = None,
    color: str = INK,
    padding: float = 6,
    align: str = "start",
    rx: float = 0,
) -> Fitted:
    """A box whose text wraps and shrinks to fit inside it (never past its edges)."""
    if fill or stroke:
        svg.rect(x, y, w, h, fill=fill or "none", stroke=stroke, rx=rx)
    fitted = fit(
        text,
        max(w - 2 * padding, 1),
        max(h - 2 * padding, 0),
        size=size,
        min_size=min_size,
        bold=bold,
    )
    tx = {"start": x + padding, "middle": x + w / 2, "end": x + w - padding}[align]
    for i, line in enumerate(fitted.lines):
        baseline = y + padding + fitted.size * (0.95 + i * 1.25)
        svg.text(tx, baseline, line, size=fitted.size, bold=bold, anchor=align, fill=color)
    return fitted


def legend(
    svg: Svg,
    x: float,
    y: float,
    items: Sequence[tuple[str, str]],
    *,
    size: float = 12,
    gap: float = 18,
) -> float:
    """Coloured squares with labels in one row; returns the width used."""
    cx = x
    for label, colour in items:
        svg.rect(cx, y - size * 0.8, size, size, fill=colour)
        svg.text(cx + size * 1.4, y, label, size=size, fill=INK)
        cx += size * 1.4 + text_width(label, size) + gap
    return cx - x


@dataclass
class Bar:
    label: str
    value: float | Decimal
    colour: str = "#2f6db5"
    value_label: str = ""


def bars(
    svg: Svg,
    x: float,
    y: float,
    w: float,
    h: float,
    items: Sequence[Bar],
    *,
    maximum: float | None = None,
    size: float = 11,
) -> None:
    """Vertical bars from a baseline, each with its value above and its label below."""
    if not items:
        return
    top = max([float(b.value) for b in items] + [maximum or 0, 0]) or 1
    label_h = size * 2.6
    chart_h = h - label_h - size * 1.6
    slot = w / len(items)
    bar_w = slot * 0.6
    base = y + h - label_h
    svg.line(x, base, x + w, base, stroke=MUTED)
    for i, bar in enumerate(items):
        bh = max(float(bar.value), 0) / top * chart_h
        bx = x + i * slot + (slot - bar_w) / 2
        svg.rect(bx, base - bh, bar_w, bh, fill=bar.colour)
        text_box(
            svg,
            x + i * slot,
            base - bh - size * 1.6,
            slot,
            size * 1.6,
            bar.value_label,
            size=size,
            align="middle",
            padding=1,
        )
        text_box(
            svg,
            x + i * slot,
            base + 2,
            slot,
            label_h,
            bar.label,
            size=size,
            align="middle",
            padding=2,
        )


@dataclass
class Segment:
    label: str
    value: float | Decimal
    colour: str


def stacked_bar(
    svg: Svg,
    x: float,
    y: float,
    w: float,
    h: float,
    segments: Sequence[Segment],
    *,
    vertical: bool = True,
    size: float = 12,
    text_colour: str = "#ffffff",
    min_size: float = 6,
) -> list[tuple[float, float, float, float]]:
    """One bar split in proportion to the values, each part labelled inside (shrunk to fit).
    Returns each segment's rectangle."""
    total = sum(float(s.value) for s in segments)
    rects = []
    offset = 0.0
    for seg in segments:
        part = float(seg.value) / total if total > 0 else 0
        if vertical:
            rect = (x, y + offset * h, w, part * h)
        else:
            rect = (x + offset * w, y, part * w, h)
        offset += part
        rects.append(rect)
        svg.rect(*rect, fill=seg.colour, stroke="#ffffff", stroke_width=1.5)
        if rect[2] > 4 and rect[3] > 4:
            text_box(
                svg, *rect, seg.label, size=size, min_size=min_size, color=text_colour, padding=4
            )
    return rects


@dataclass
class Reference:
    """A horizontal line across a line chart at ``value`` (a benchmark, a threshold)."""

    value: float | Decimal
    label: str
    colour: str = MUTED


@dataclass
class Series:
    name: str
    points: Sequence[tuple[float, float]]
    colour: str
    dashed: bool = False
    labels: list[str] = field(default_factory=list)


def line_chart(
    svg: Svg,
    x: float,
    y: float,
    w: float,
    h: float,
    series: Sequence[Series],
    *,
    y_format: Callable[[float], str] = lambda v: format_compact(v),
    x_format: Callable[[float], str] = lambda v: str(int(v)),
    size: float = 11,
    y_range: tuple[float, float] | None = None,
    references: Sequence[Reference] = (),
    empty: str = "No data yet",
) -> None:
    """Lines through points on shared axes, with a dot and an optional label per point.

    ``y_range`` fixes the value axis (shares: 0 to 1) instead of fitting it to the points;
    ``references`` are dashed horizontal lines with a label (a benchmark, a threshold)."""
    xs = [px for s in series for px, _ in s.points]
    ys = [py for s in series for _, py in s.points] + [float(r.value) for r in references]
    if not xs:
        svg.text(x + w / 2, y + h / 2, empty, size=size, anchor="middle", fill=MUTED)
        return
    x0, x1 = min(xs), max(xs)
    y0, y1 = y_range if y_range is not None else (min(min(ys), 0), max(ys))
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    if y1 == y0:
        y1 = y0 + 1
    left, bottom = x + 56, y + h - 24
    plot_w, plot_h = w - 64, h - 40

    def px(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * plot_w

    def py(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * plot_h

    for i in range(5):
        value = y0 + (y1 - y0) * i / 4
        svg.line(left, py(value), left + plot_w, py(value), stroke=GRID)
        svg.text(
            left - 6,
            py(value) + size * 0.35,
            y_format(value),
            size=size * 0.9,
            anchor="end",
            fill=MUTED,
        )
    svg.line(left, bottom, left + plot_w, bottom, stroke=MUTED)
    for tick in sorted(set(xs)):
        svg.text(
            px(tick),
            bottom + size * 1.5,
            x_format(tick),
            size=size * 0.9,
            anchor="middle",
            fill=MUTED,
        )
    for ref in references:
        ry = py(float(ref.value))
        svg.line(left, ry, left + plot_w, ry, stroke=ref.colour, width=1.5, dash="3 3")
        svg.text(left + plot_w, ry - 5, ref.label, size=size * 0.9, anchor="end", fill=ref.colour)
    for s in series:
        pts = [(px(a), py(b)) for a, b in sorted(s.points)]
        if len(pts) > 1:
            svg.polyline(pts, stroke=s.colour, width=2.5, dash="6 4" if s.dashed else None)
        for i, (a, b) in enumerate(pts):
            svg.circle(a, b, 4.5, fill=s.colour, stroke="#ffffff")
            if i < len(s.labels) and s.labels[i]:
                svg.text(a, b - 9, s.labels[i], size=size * 0.9, anchor="middle", fill=s.colour)


@dataclass
class BarGroup:
    label: str
    bars: list[Bar]


def grouped_bars(
    svg: Svg,
    x: float,
    y: float,
    w: float,
    h: float,
    groups: Sequence[BarGroup],
    *,
    maximum: float | None = None,
    size: float = 11,
) -> None:
    """Side-by-side bars per group (planned against actual, last year against this year),
    each with its value above and the group's label below; a missing value is a bar of 0."""
    if not groups:
        return
    values = [float(b.value) for g in groups for b in g.bars]
    top = max([*values, maximum or 0, 0]) or 1
    label_h = size * 2.6
    chart_h = h - label_h - size * 1.6
    slot = w / len(groups)
    base = y + h - label_h
    svg.line(x, base, x + w, base, stroke=MUTED)
    for i, group in enumerate(groups):
        count = max(len(group.bars), 1)
        bar_w = slot * 0.8 / count
        for j, bar in enumerate(group.bars):
            bh = max(float(bar.value), 0) / top * chart_h
            bx = x + i * slot + slot * 0.1 + j * bar_w
            svg.rect(bx + 1, base - bh, bar_w - 2, bh, fill=bar.colour)
            text_box(
                svg,
                bx,
                base - bh - size * 1.6,
                bar_w,
                size * 1.6,
                bar.value_label,
                size=size,
                min_size=6,
                align="middle",
                padding=1,
            )
        text_box(svg, x + i * slot, base + 2, slot, label_h, group.label, size=size, align="middle")


def stacked_rows(
    svg: Svg,
    x: float,
    y: float,
    w: float,
    rows: Sequence[tuple[str, Sequence[Segment]]],
    *,
    row_h: float = 26,
    label_w: float = 180,
    size: float = 11,
) -> float:
    """One horizontal stacked bar per row with its label on the left (a breakdown per group:
    each stage's public, private and project shares). Returns the height used."""
    for i, (label, segments) in enumerate(rows):
        ry = y + i * (row_h + 6)
        text_box(svg, x, ry, label_w, row_h, label, size=size, min_size=6, padding=3)
        if sum(float(s.value) for s in segments) > 0:
            stacked_bar(
                svg, x + label_w, ry, w - label_w, row_h, segments, vertical=False, size=size
            )
        else:
            svg.rect(x + label_w, ry, w - label_w, row_h, fill="#f2f2f2", stroke=GRID)
    return len(rows) * (row_h + 6)
