"""The canvases as drawings. Each layout takes plain data (labels already in words, shares
as fractions, amounts as text) and returns the SVG text."""

from .boards import business_model_canvas, self_assessment, strategy, value_triangle
from .finance import business_model_map, evolution_map, financing_model
from .roadmap import roadmap

__all__ = [
    "business_model_canvas",
    "business_model_map",
    "evolution_map",
    "financing_model",
    "roadmap",
    "self_assessment",
    "strategy",
    "value_triangle",
]
