"""Reading JSON request bodies with a nesting limit, for REST and GraphQL alike.

Python's ``json`` parser recurses once per nested array or object: a body of 2,000 ``[``
raises ``RecursionError`` (a 500) instead of a parse error, and a body just under that
depth makes every later walk over the data (validation, error messages) recurse as deep.
No request of this API nests beyond a few levels, so bodies deeper than
``settings.API_JSON_MAX_DEPTH`` are refused before ``json`` sees them, by a scan of the
brackets outside strings (a regular expression in C, then one pass over the brackets).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings

# A string (with its escapes), or one bracket: what lies inside strings is skipped whole.
_PATTERN = r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]'
_TEXT = re.compile(_PATTERN)


class JsonTooDeep(ValueError):
    """The body nests arrays and objects deeper than the limit."""

    code = "too_deep"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The JSON nests arrays and objects deeper than {limit} levels.")
        self.limit = limit


def max_depth() -> int:
    return settings.API_JSON_MAX_DEPTH


def check_depth(data: str | bytes, limit: int | None = None) -> None:
    """Raise ``JsonTooDeep`` when ``data`` nests deeper than ``limit`` (the setting)."""
    limit = max_depth() if limit is None else limit
    # Byte for character: UTF-8 never uses ASCII bytes inside a multi-byte character, so
    # the brackets and quotes stay where they are.
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    # Only a body with more opening brackets than the limit can be too deep.
    if text.count("[") + text.count("{") <= limit:
        return
    depth = 0
    for match in _TEXT.finditer(text):
        first = match.group()[0]
        if first == "[" or first == "{":
            depth += 1
            if depth > limit:
                raise JsonTooDeep(limit)
        elif first != '"':
            depth -= 1


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """``json.loads(data, **kwargs)`` after the depth check."""
    check_depth(data)
    try:
        return json.loads(data, **kwargs)
    except RecursionError as exc:  # a limit set beyond what the interpreter can recurse
        raise JsonTooDeep(max_depth()) from exc
