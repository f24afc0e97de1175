"""The REST API's renderers: DRF's JSON, safe for text that UTF-8 cannot encode, and the
file renderers of the downloads (CSV, XLSX) that let ``Accept`` name the file's type."""

from __future__ import annotations

from typing import Any

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """UTF-8 JSON; falls back to ASCII escapes when the data holds a lone surrogate.

    Stored data never holds one (the validation kit refuses it), but an error can echo a
    client's key or value; DRF's renderer (``ensure_ascii=False``) would then fail to
    encode the answer and turn a 400 into a 500. ``\\ud800`` escaped is valid JSON.
    """

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)


class _AsciiJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PassthroughRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file's type in ``Accept``; errors still go out as JSON."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        return JSONRenderer().render(data)


class CsvRenderer(PassthroughRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(PassthroughRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
