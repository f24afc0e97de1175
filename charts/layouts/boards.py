"""The 14-block canvas, the value triangle, the strategy frame and the self-assessment:
boards of notes and texts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..primitives import INK, MUTED, legend, text_box
from ..svg import Svg
from .style import AS_IS_FILL, BORDER, PAPER, TO_BE_FILL, header


@dataclass
class Note:
    text: str
    state: str  # as_is, to_be


@dataclass
class Block:
    code: str
    title: str
    notes: list[Note] = field(default_factory=list)


# (x, y, w, h) of each block on a 1600 x 1120 board, laid out like the report's canvas:
# partners on the left, the value proposition in the middle, members on the right, the
# ecosystem across, money at the bottom.
CANVAS_W, CANVAS_H = 1600, 1120
GRID: dict[str, tuple[float, float, float, float]] = {
    "key_stakeholders": (20, 80, 308, 560),
    "key_activities": (328, 80, 308, 280),
    "key_resources": (328, 360, 308, 280),
    "value_proposition": (636, 80, 328, 380),
    "value_impact": (636, 460, 328, 180),
    "member_relationships": (964, 80, 308, 280),
    "channels": (964, 360, 308, 280),
    "members": (1272, 80, 308, 380),
    "funding_partners": (1272, 460, 308, 180),
    "ecosystems_and_partner_clusters": (20, 640, 1560, 160),
    "cost_structure": (20, 800, 640, 280),
    "public_funding": (660, 800, 307, 280),
    "private_funding": (967, 800, 306, 280),
    "project_funding": (1273, 800, 307, 280),
}
TITLE_H = 28
NOTE_W, NOTE_GAP = 136, 8
STATE_FILLS = {"as_is": AS_IS_FILL, "to_be": TO_BE_FILL}


def note_cells(
    rect: tuple[float, float, float, float], count: int
) -> list[tuple[float, float, float, float]]:
    """Where the notes of a block go: a grid of equal cells inside it, below its title,
    never outside it (cells get smaller as notes get more)."""
    x, y, w, h = rect
    inner_w, inner_h = w - 2 * NOTE_GAP, h - TITLE_H - NOTE_GAP
    if count == 0:
        return []
    cols = max(1, int((inner_w + NOTE_GAP) // (NOTE_W + NOTE_GAP)))
    cols = min(cols, count)
    rows = math.ceil(count / cols)
    while rows * 24 > inner_h and cols < count:
        cols += 1
        rows = math.ceil(count / cols)
    cell_w = min((inner_w - (cols - 1) * NOTE_GAP) / cols, 2 * NOTE_W)
    cell_h = min(96.0, (inner_h - (rows - 1) * NOTE_GAP) / rows)
    return [
        (
            x + NOTE_GAP + (i % cols) * (cell_w + NOTE_GAP),
            y + TITLE_H + (i // cols) * (cell_h + NOTE_GAP),
            cell_w,
            max(cell_h, 1.0),
        )
        for i in range(count)
    ]


def business_model_canvas(
    *,
    title: str,
    subtitle: str,
    blocks: Sequence[Block],
    legend_labels: tuple[str, str] = ("As-is", "To-be (in action)"),
) -> str:
    """``legend_labels`` (as-is, to-be) let a caller draw the legend in another language."""
    svg = Svg(CANVAS_W, CANVAS_H + 40, title=title)
    header(svg, title, subtitle)
    for block in blocks:
        rect = GRID[block.code]
        svg.rect(*rect, fill=PAPER, stroke=BORDER)
        text_box(
            svg,
            rect[0],
            rect[1],
            rect[2],
            TITLE_H,
            block.title,
            size=13,
            min_size=8,
            bold=True,
            padding=6,
        )
        for note, cell in zip(block.notes, note_cells(rect, len(block.notes)), strict=True):
            text_box(
                svg,
                *cell,
                note.text,
                size=11,
                min_size=5,
                fill=STATE_FILLS.get(note.state, "#dddddd"),
                padding=4,
            )
    as_is, to_be = legend_labels
    legend(svg, 24, CANVAS_H + 24, [(as_is, AS_IS_FILL), (to_be, TO_BE_FILL)])
    return svg.render()


def value_triangle(*, title: str, subtitle: str, sides: Sequence[tuple[str, str]]) -> str:
    """Three corners: ambition & strategy on top, structure & governance and business model
    & financing below."""
    svg = Svg(1000, 800, title=title)
    header(svg, title, subtitle)
    top, left, right = (500, 110), (150, 640), (850, 640)
    svg.polygon([top, left, right], fill="#eef3fa", stroke="#2f6db5", width=3)
    boxes = [(320, 80, 360, 200), (20, 560, 380, 220), (600, 560, 380, 220)]
    for (name, text), (x, y, w, h) in zip(sides, boxes, strict=False):
        svg.rect(x, y, w, h, fill="#ffffff", stroke=BORDER, rx=8)
        text_box(svg, x, y, w, 30, name, size=15, min_size=8, bold=True, align="middle")
        text_box(svg, x, y + 30, w, h - 30, text or "—", size=12, min_size=6)
    return svg.render()


def strategy(
    *,
    title: str,
    subtitle: str,
    ambition: str,
    focus_areas: Sequence[str],
    value_impact: str,
    roadmap: str,
) -> str:
    svg = Svg(1200, 800, title=title)
    header(svg, title, subtitle)
    svg.rect(20, 76, 1160, 150, fill="#eef3fa", stroke=BORDER, rx=6)
    text_box(svg, 20, 76, 1160, 30, "Ambition", size=15, bold=True)
    text_box(svg, 20, 104, 1160, 122, ambition or "—", size=14, min_size=6)
    count = max(len(focus_areas), 1)
    w = (1160 - (count - 1) * 12) / count
    svg.text(24, 252, "Focus areas", size=15, bold=True, fill=INK)
    for i in range(count):
        x = 20 + i * (w + 12)
        text = focus_areas[i] if i < len(focus_areas) else "—"
        svg.rect(x, 262, w, 280, fill="#f3f8f1", stroke=BORDER, rx=6)
        text_box(svg, x, 262, w, 280, text, size=14, min_size=6)
    for x, name, text in ((20, "Value impact", value_impact), (606, "Roadmap", roadmap)):
        svg.rect(x, 562, 574, 220, fill="#fff5ea", stroke=BORDER, rx=6)
        text_box(svg, x, 562, 574, 30, name, size=15, bold=True)
        text_box(svg, x, 592, 574, 190, text or "—", size=13, min_size=6)
    return svg.render()


LEVEL_FILL, LEVEL_EMPTY = "#2f6db5", "#e3e8ef"


def self_assessment(
    *, title: str, subtitle: str, levels: Sequence[tuple[str, int | None, str]]
) -> str:
    """Five rows: the area, its level on a 1 to 5 scale, and the evidence."""
    svg = Svg(1100, 120 + 5 * 110, title=title)
    header(svg, title, subtitle)
    for i, (area, level, evidence) in enumerate(levels):
        y = 80 + i * 110
        svg.rect(20, y, 1060, 100, fill=PAPER, stroke=BORDER, rx=6)
        text_box(svg, 28, y + 6, 180, 30, area, size=16, min_size=8, bold=True)
        for step in range(1, 6):
            fill = LEVEL_FILL if level is not None and step <= level else LEVEL_EMPTY
            svg.rect(28 + (step - 1) * 38, y + 48, 32, 32, fill=fill, rx=4)
            svg.text(
                28 + (step - 1) * 38 + 16,
                y + 69,
                str(step),
                size=12,
                anchor="middle",
                fill="#ffffff" if fill == LEVEL_FILL else MUTED,
            )
        text_box(svg, 230, y + 6, 840, 88, evidence or "—", size=12, min_size=6)
    return svg.render()
