"""The business-model map, the evolution map and the financing model: money in
proportions, public / private / project."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..primitives import INK, MUTED, Segment, format_share, legend, stacked_bar, text_box
from ..svg import Svg
from .style import (
    BORDER,
    CATEGORY_COLOURS,
    CATEGORY_ORDER,
    CATEGORY_TITLES,
    PAPER,
    SETUP_FILL,
    STRESS_COLOURS,
    header,
    source_colour,
)


@dataclass
class Share:
    label: str
    category: str  # public, private, project (costs: the cost category)
    share: float


def _columns(
    svg: Svg,
    x: float,
    y: float,
    w: float,
    h: float,
    shares: Sequence[Share],
    size: float = 13,
    titles: Mapping[str, str] = CATEGORY_TITLES,
    empty: str = "No shares yet",
    share_format: Callable[[float], str] = format_share,
) -> None:
    """One column per funding category, as wide as its share, split by source."""
    totals = {c: sum(s.share for s in shares if s.category == c) for c in CATEGORY_ORDER}
    total = sum(totals.values())
    if total <= 0:
        svg.rect(x, y, w, h, fill=PAPER, stroke=BORDER)
        svg.text(x + w / 2, y + h / 2, empty, size=14, anchor="middle", fill=MUTED)
        return
    cx = x
    for category in CATEGORY_ORDER:
        part = totals[category] / total
        if part <= 0:
            continue
        cw = part * w
        title = f"{titles[category]} {share_format(totals[category])}"
        text_box(
            svg, cx, y, cw, 30, title, size=14, min_size=7, bold=True, align="middle", padding=3
        )
        rows = [s for s in shares if s.category == category]
        stacked_bar(
            svg,
            cx,
            y + 32,
            cw,
            h - 32,
            [
                Segment(f"{s.label}\n{share_format(s.share)}", s.share, source_colour(category, i))
                for i, s in enumerate(rows)
            ],
            size=size,
        )
        cx += cw


def _legend(svg: Svg, x: float, y: float, titles: Mapping[str, str] = CATEGORY_TITLES) -> None:
    legend(svg, x, y, [(titles[c], CATEGORY_COLOURS[c][1]) for c in CATEGORY_ORDER])


def business_model_map(
    *,
    title: str,
    subtitle: str,
    shares: Sequence[Share],
    note: str = "",
    category_titles: Mapping[str, str] | None = None,
    empty: str = "No shares yet",
    share_format: Callable[[float], str] = format_share,
) -> str:
    """``category_titles`` (public, private, project), ``empty`` and ``share_format`` let a
    caller draw the map in another language."""
    titles = category_titles or CATEGORY_TITLES
    svg = Svg(1000, 640, title=title)
    header(svg, title, subtitle)
    _columns(
        svg,
        40,
        80,
        920,
        480,
        shares,
        size=15,
        titles=titles,
        empty=empty,
        share_format=share_format,
    )
    _legend(svg, 40, 600, titles)
    if note:
        text_box(svg, 420, 582, 540, 40, note, size=11, color=MUTED, align="end", padding=2)
    return svg.render()


@dataclass
class Stage:
    years: str
    label: str
    budget: str
    budget_needed: str
    stress: str
    note: str
    shares: list[Share] = field(default_factory=list)


STAGE_W = 300


def evolution_map(*, title: str, subtitle: str, stages: Sequence[Stage]) -> str:
    width = max(60 + len(stages) * STAGE_W, 700)
    svg = Svg(width, 800, title=title)
    header(svg, title, subtitle)
    if not stages:
        svg.text(width / 2, 400, "No stages yet", size=16, anchor="middle", fill=MUTED)
    for i, stage in enumerate(stages):
        x = 30 + i * STAGE_W
        w = STAGE_W - 30
        svg.rect(x, 76, w, 700, fill=PAPER, stroke=BORDER, rx=6)
        text_box(svg, x, 82, w, 32, stage.years, size=20, min_size=9, bold=True, align="middle")
        text_box(svg, x, 114, w, 40, stage.label, size=13, min_size=7, align="middle", color=MUTED)
        if stage.shares:
            _columns(svg, x + 10, 156, w - 20, 300, stage.shares, size=11)
        else:
            text_box(
                svg,
                x + 10,
                156,
                w - 20,
                300,
                "No shares",
                size=12,
                align="middle",
                color=MUTED,
                fill="#ffffff",
                stroke=BORDER,
            )
        text_box(
            svg,
            x + 10,
            466,
            w - 20,
            28,
            stage.budget,
            size=18,
            min_size=8,
            bold=True,
            align="middle",
        )
        text_box(
            svg,
            x + 10,
            494,
            w - 20,
            24,
            f"needed: {stage.budget_needed}",
            size=12,
            min_size=7,
            align="middle",
            color=MUTED,
        )
        colour = STRESS_COLOURS.get(stage.stress, "#999999")
        svg.rect(x + 40, 524, w - 80, 28, fill=colour, rx=14)
        text_box(
            svg,
            x + 40,
            524,
            w - 80,
            28,
            f"Financial stress: {stage.stress}",
            size=12,
            min_size=7,
            bold=True,
            color="#ffffff",
            align="middle",
            padding=5,
        )
        text_box(
            svg,
            x + 10,
            560,
            w - 20,
            206,
            stage.note,
            size=12,
            min_size=7,
            fill="#ffffff",
            stroke=BORDER,
        )
        if i + 1 < len(stages):
            ax = x + w + 4
            svg.polygon([(ax, 290), (ax + 22, 305), (ax, 320)], fill=MUTED)
    return svg.render()


@dataclass
class CostShare:
    label: str
    share: float
    setup: bool = False


COST_COLOURS = ("#6b5b95", "#8a7bb3", "#a99bd0", "#5a4a82")


def financing_model(
    *,
    title: str,
    subtitle: str,
    heading: str,
    shares: Sequence[Share],
    costs: Sequence[CostShare],
    note: str = "",
) -> str:
    svg = Svg(1100, 660, title=title)
    header(svg, title, subtitle)
    text_box(svg, 40, 70, 640, 34, heading, size=20, min_size=9, bold=True)
    svg.text(40, 122, "Financing", size=14, bold=True, fill=INK)
    _columns(svg, 40, 130, 640, 440, shares, size=13)
    svg.text(740, 122, "Costs", size=14, bold=True, fill=INK)
    if costs:
        stacked_bar(
            svg,
            740,
            162,
            320,
            408,
            [
                Segment(
                    f"{c.label}\n{format_share(c.share)}",
                    c.share,
                    SETUP_FILL if c.setup else COST_COLOURS[i % len(COST_COLOURS)],
                )
                for i, c in enumerate(costs)
            ],
            size=13,
        )
    else:
        text_box(
            svg,
            740,
            162,
            320,
            408,
            "No cost shares",
            size=13,
            align="middle",
            color=MUTED,
            fill=PAPER,
            stroke=BORDER,
        )
    _legend(svg, 40, 610)
    legend(svg, 740, 610, [("Costs", COST_COLOURS[0]), ("Set-up (year one only)", SETUP_FILL)])
    if note:
        text_box(svg, 40, 620, 1020, 36, note, size=11, color=MUTED)
    return svg.render()
