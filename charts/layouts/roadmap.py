"""The value-impact roadmap: per metric, a line through the baseline and milestones, with
the approved actuals drawn in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..primitives import MUTED, Series, format_compact, legend, line_chart, text_box
from ..svg import Svg
from .style import BORDER, PAPER, header

PLAN, ACTUAL = "#2f6db5", "#e07b1f"
PANEL_H = 400


@dataclass
class Metric:
    name: str
    statement: str
    data_source: str
    verified: bool
    plan: list[tuple[int, float]] = field(default_factory=list)
    actuals: list[tuple[int, float]] = field(default_factory=list)


def roadmap(*, title: str, subtitle: str, metrics: Sequence[Metric]) -> str:
    svg = Svg(1100, 100 + max(len(metrics), 1) * PANEL_H, title=title)
    header(svg, title, subtitle)
    if not metrics:
        svg.text(550, 260, "No roadmap yet", size=16, anchor="middle", fill=MUTED)
    for i, metric in enumerate(metrics):
        y = 76 + i * PANEL_H
        svg.rect(20, y, 1060, PANEL_H - 16, fill=PAPER, stroke=BORDER, rx=6)
        text_box(svg, 28, y + 4, 1044, 28, metric.name, size=16, min_size=8, bold=True)
        text_box(svg, 28, y + 30, 1044, 44, metric.statement, size=12, min_size=7)
        line_chart(
            svg,
            28,
            y + 78,
            1044,
            PANEL_H - 150,
            [
                Series(
                    "Plan", metric.plan, PLAN, labels=[format_compact(v) for _, v in metric.plan]
                ),
                Series("Actual", metric.actuals, ACTUAL, dashed=True),
            ],
        )
        verified = (
            "verified by a third party" if metric.verified else "not verified by a third party"
        )
        source = f"Data source: {metric.data_source or '—'} ({verified})"
        text_box(svg, 28, y + PANEL_H - 66, 700, 40, source, size=11, min_size=7, color=MUTED)
        legend(
            svg, 760, y + PANEL_H - 44, [("Roadmap", PLAN), ("Approved actuals", ACTUAL)], size=11
        )
    return svg.render()
