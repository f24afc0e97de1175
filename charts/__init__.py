"""A small chart kit: deterministic SVG (same data, same bytes) and PNG from it.

Pure Python, no Django: the canvases and the annual reports draw with it.

- ``charts.svg.Svg``: the drawing surface; every text is escaped.
- ``charts.text``: text measured with a width table (DejaVu Sans), wrapped and shrunk to fit.
- ``charts.primitives``: bars, a stacked bar, a line with points, text boxes, a legend.
- ``charts.layouts``: the business-model canvases (map, evolution map, 14-block canvas,
  financing model, value-impact roadmap, value triangle, strategy, self-assessment).
- ``charts.png.svg_to_png``: PNG from the SVG (CairoSVG).
"""

from .svg import Svg

__all__ = ["Svg"]
