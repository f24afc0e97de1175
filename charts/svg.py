"""The drawing surface: SVG elements written in a fixed order with fixed number formatting,
so the same drawing is always the same bytes. Every text goes through ``escape``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"

# Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Text safe inside an element or an attribute: ``<script>`` stays visible text."""
    text = _NOT_XML.sub("\ufffd", str(text))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def num(value: float) -> str:
    """A coordinate with at most 2 decimals and no trailing zeros (``12.5``, ``3``)."""
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Svg:
    def __init__(
        self, width: float, height: float, *, title: str = "", background: str = "#ffffff"
    ):
        self.width, self.height = width, height
        self._parts: list[str] = []
        self.title = title
        if background:
            self.rect(0, 0, width, height, fill=background)

    def _add(
        self, tag: str, attrs: Sequence[tuple[str, str | float | None]], text: str | None = None
    ) -> None:
        rendered = " ".join(
            f'{key}="{num(value) if isinstance(value, int | float) else escape(value)}"'
            for key, value in attrs
            if value is not None
        )
        if text is None:
            self._parts.append(f"<{tag} {rendered}/>")
        else:
            self._parts.append(f"<{tag} {rendered}>{escape(text)}</{tag}>")

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str = "none",
        stroke: str | None = None,
        stroke_width: float = 1,
        rx: float = 0,
    ) -> None:
        self._add(
            "rect",
            [
                ("x", x),
                ("y", y),
                ("width", max(w, 0)),
                ("height", max(h, 0)),
                ("rx", rx or None),
                ("fill", fill),
                ("stroke", stroke),
                ("stroke-width", stroke_width if stroke else None),
            ],
        )

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        stroke: str = "#333333",
        width: float = 1,
        dash: str | None = None,
    ) -> None:
        self._add(
            "line",
            [
                ("x1", x1),
                ("y1", y1),
                ("x2", x2),
                ("y2", y2),
                ("stroke", stroke),
                ("stroke-width", width),
                ("stroke-dasharray", dash),
            ],
        )

    def polyline(
        self,
        points: Iterable[tuple[float, float]],
        *,
        stroke: str,
        width: float = 2,
        dash: str | None = None,
    ) -> None:
        path = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self._add(
            "polyline",
            [
                ("points", path),
                ("fill", "none"),
                ("stroke", stroke),
                ("stroke-width", width),
                ("stroke-dasharray", dash),
            ],
        )

    def polygon(
        self,
        points: Iterable[tuple[float, float]],
        *,
        fill: str,
        stroke: str | None = None,
        width: float = 1,
    ) -> None:
        path = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self._add(
            "polygon",
            [
                ("points", path),
                ("fill", fill),
                ("stroke", stroke),
                ("stroke-width", width if stroke else None),
            ],
        )

    def circle(
        self, cx: float, cy: float, r: float, *, fill: str, stroke: str | None = None
    ) -> None:
        self._add(
            "circle",
            [
                ("cx", cx),
                ("cy", cy),
                ("r", r),
                ("fill", fill),
                ("stroke", stroke),
                ("stroke-width", 1.5 if stroke else None),
            ],
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 12,
        bold: bool = False,
        anchor: str = "start",
        fill: str = "#222222",
    ) -> None:
        self._add(
            "text",
            [
                ("x", x),
                ("y", y),
                ("font-size", size),
                ("font-weight", "bold" if bold else None),
                ("text-anchor", anchor if anchor != "start" else None),
                ("fill", fill),
            ],
            text,
        )

    def render(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" '
            f'height="{num(self.height)}" viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'font-family="{escape(FONT_FAMILY)}">'
        )
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        return "\n".join([head + title, *self._parts, "</svg>", ""])


def labelled(svg: str, label: str) -> str:
    """An SVG the kit rendered, marked as one image with ``label`` as its accessible name
    (``role="img"`` and ``aria-label`` on the root element), for embedding in a page."""
    head = "<svg "
    if not svg.startswith(head):
        raise ValueError("not an SVG rendered by the chart kit")
    return f'{head}role="img" aria-label="{escape(label)}" ' + svg[len(head) :]
