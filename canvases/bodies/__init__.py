"""Bodies of the canvases: one parser per kind over the validation kit (``parsers``), shares
(``shares``) and the output form (``output``)."""

from .output import body_out, empty_body
from .parsers import PARSERS
from .shares import KindContext

__all__ = ["PARSERS", "KindContext", "body_out", "empty_body"]
