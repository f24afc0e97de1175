"""What every report page needs: the document's metadata and the page-number footer, in the
active language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import formatting as fmt


def _css_string(text: str) -> str:
    """Text as a CSS string literal (quotes and backslashes escaped, no line breaks)."""
    cleaned = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{cleaned}"'


def page_footer_css() -> SafeString:
    """The ``content`` of the page footer, "Page 3 of 12" in the active language, as CSS
    (the sentence is translated whole; its placeholders become page counters)."""
    sentence = _("Page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", sentence):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts))


def stamp(value: dt.datetime) -> str:
    """A UTC time for document metadata (``2022-03-01T10:00:00Z``), to the second."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def document(
    *, language: str, title: str, description: str, author: str, as_of: dt.datetime
) -> dict[str, Any]:
    return {
        "language": language,
        "title": title,
        "description": description,
        "author": author,
        "as_of": as_of,
        "as_of_text": fmt.date(as_of),
        "as_of_iso": stamp(as_of),
        "footer_css": page_footer_css(),
    }
