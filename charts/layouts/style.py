"""Colours and sizes shared by the layouts."""

from __future__ import annotations

from ..primitives import INK, MUTED
from ..svg import Svg
from ..text import fit

CATEGORY_COLOURS = {
    "public": ("#1f4e8c", "#2f6db5", "#4f8fd6", "#7aaee3", "#3d5f99", "#5c84c4"),
    "private": ("#1d7a45", "#2e9a5a", "#4cb877", "#78cc98", "#3f8f62", "#62ad80"),
    "project": ("#b85d0f", "#e07b1f", "#f0994a", "#f5b679", "#c9782f", "#de9552"),
}
CATEGORY_TITLES = {"public": "Public", "private": "Private", "project": "Project"}
CATEGORY_ORDER = ("public", "private", "project")
AS_IS_FILL, TO_BE_FILL = "#8fc7ee", "#ffa84d"
STRESS_COLOURS = {"high": "#d64545", "medium": "#e8a317", "low": "#3a9e5f"}
SETUP_FILL = "#9bd37a"
PAPER = "#f7f7f4"
BORDER = "#9a9a9a"


def source_colour(category: str, index: int) -> str:
    shades = CATEGORY_COLOURS.get(category, ("#777777", "#999999"))
    return shades[index % len(shades)]


def header(svg: Svg, title: str, subtitle: str = "") -> None:
    """The canvas title and a subtitle line (cluster, year, currency) at the top."""
    fitted = fit(title, svg.width - 48, 30, size=22, min_size=12, bold=True)
    if fitted.lines:
        svg.text(24, 34, fitted.lines[0], size=fitted.size, bold=True, fill=INK)
    if subtitle:
        sub = fit(subtitle, svg.width - 48, 20, size=13, min_size=8)
        if sub.lines:
            svg.text(24, 56, sub.lines[0], size=sub.size, fill=MUTED)
