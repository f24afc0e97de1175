"""OData's error format, for every failure of the feed: ``{"error": {"code", "message",
"target", "details"}}`` with the HTTP status (OData JSON Format 4.0, section 21)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions

from bi.tables import UnknownTable, UnusableColumn

log = logging.getLogger(__name__)

ODATA_HEADERS = {"OData-Version": "4.0"}
CHALLENGE = 'Basic realm="clusterbase OData", charset="UTF-8", Bearer realm="clusterbase OData"'


class ODataQueryError(Exception):
    """A query option the feed cannot read (``$filter``, ``$top``...): a 400."""

    def __init__(self, target: str, message: str, code: str = "invalid_query") -> None:
        super().__init__(message)
        self.target, self.message, self.code = target, message, code


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    target: str | None = None,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    error: dict[str, Any] = {"code": code, "message": message}
    if target:
        error["target"] = target
    if details:
        error["details"] = details
    response = JsonResponse({"error": error}, status=status)
    for name, value in {**ODATA_HEADERS, **(headers or {})}.items():
        response[name] = value
    return response


def _validation(exc: ValidationError) -> HttpResponse:
    details = []
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {"": exc.error_list}
    for field, errors in by_field.items():
        for error in errors:
            for message in error.messages:
                details.append(
                    {"code": error.code or "invalid", "message": message, "target": field}
                )
    first = details[0] if details else {"message": "Bad request.", "target": ""}
    return error_response(
        400, "invalid", first["message"], target=first["target"] or None, details=details
    )


def exception_response(exc: Exception) -> HttpResponse:
    """Any exception of a feed request as an OData error (unexpected ones logged, a 500)."""
    if isinstance(exc, ODataQueryError):
        return error_response(400, exc.code, exc.message, target=exc.target)
    if isinstance(exc, UnusableColumn):
        return error_response(400, "invalid_column", str(exc), target=exc.column)
    if isinstance(exc, ValidationError):
        return _validation(exc)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return error_response(
            401, "unauthorized", str(exc.detail), headers={"WWW-Authenticate": CHALLENGE}
        )
    if isinstance(exc, exceptions.Throttled):
        # Throttled.__init__ stores `wait`; the stubs declare the argument, not the attribute.
        wait = int(exc.wait or 1)  # type: ignore[attr-defined]
        return error_response(
            429,
            "throttled",
            f"Too many requests; retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        return error_response(403, "forbidden", str(exc) or "The role may not read this.")
    if isinstance(exc, ObjectDoesNotExist | UnknownTable | exceptions.NotFound):
        return error_response(404, "not_found", str(exc) or "Not found.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return error_response(405, "method_not_allowed", "The feed is read-only: use GET.")
    if isinstance(exc, exceptions.APIException):
        return error_response(exc.status_code, "error", str(exc.detail))
    log.exception("OData request failed")
    return error_response(500, "server_error", "Server error. It has been logged.")


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(404, "not_found", f"Nothing is at {request.path}.")
