"""The REST API's JSON parser: DRF's, with the nesting limit of ``api.json_limits``."""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from api import json_limits


class JSONParser(parsers.JSONParser):
    """Bodies nested deeper than ``API_JSON_MAX_DEPTH`` are a 400 ``too_deep``, never a
    ``RecursionError``; anything else unreadable stays DRF's 400 ``parse_error``."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # get_encoding (DRF 3.18.2+) refuses non-text codecs; djangorestframework-stubs
        # 3.18.1 predates it.
        encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]
        try:
            text = stream.read().decode(encoding)
            json_limits.check_depth(text)
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except json_limits.JsonTooDeep as exc:
            raise ParseError(str(exc), code=exc.code) from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
