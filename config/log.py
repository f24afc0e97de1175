"""Logging: plain lines on a terminal, one JSON object a line in production.

Every record carries the request id of the request or task it belongs to (a context
variable set by ``config.requestlog``), so a request's access line, its warnings and the
tasks it queued can be found together. Nothing here logs a token or a secret: the access
line names the token, never its value.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

# The id of the request (or of the request that queued the running task); "" outside both.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record that does not carry one already."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


def logging_config(*, fmt: str = "plain", level: str = "INFO") -> dict[str, Any]:
    """The LOGGING dict for ``fmt`` "plain" or "json" at ``level`` (the root level)."""
    if fmt not in ("plain", "json"):
        raise ValueError(f"LOG_FORMAT must be 'plain' or 'json', not {fmt!r}.")
    formatters: dict[str, Any] = {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.log.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Our access line is the one line per request; Django's own "Not Found: /x" and
            # the dev server's line would repeat it. Server errors still log (with traceback).
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            # Our task line is the one line per task; a failure still logs its traceback.
            "celery.app.trace": {"level": "WARNING"},
            "celery.worker.strategy": {"level": "WARNING"},
        },
    }
