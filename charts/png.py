"""PNG from the SVG, with CairoSVG (a maintained SVG renderer over the cairo library; no
browser). Only our own SVG is rendered: it references no external files or URLs."""

from __future__ import annotations


def svg_to_png(svg: str, *, scale: float = 1.0) -> bytes:
    import cairosvg  # imported here: the SVG side of the kit works without cairo

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, unsafe=False)
