"""Every API error as RFC 9457 problem details (application/problem+json).

drf-standardized-errors does the catching, conversion and logging (including unexpected
exceptions, which become a 500 problem instead of an HTML page); this module only turns
its result into the problem-details shape CONTRACT.md fixes:
``{"type", "title", "status", "detail", "errors": [{"field", "code", "message"}]}``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, OperationalError
from django.http import HttpRequest, JsonResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import exception_handler as standardized_handler
from drf_standardized_errors.types import ErrorResponse, ExceptionHandlerContext
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import get_error_detail
from rest_framework.response import Response

from clusters.errors import (
    UNSTORABLE_TEXT,
    DomainError,
    PayloadTooLarge,
    ServiceBusy,
    is_database_busy,
    is_unstorable_text,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class DomainProblem(exceptions.APIException):
    """A domain exception of ``clusters.errors`` (409, 412, 413, 503...) on its way to a
    problem: it keeps the field in the way, for the ``errors`` list."""

    def __init__(self, exc: DomainError) -> None:
        super().__init__(exc.message, code=exc.code)
        self.status_code = exc.status
        self.domain = exc


def problem(
    status_code: int, detail: str, *, code: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if code:
        body["code"] = code
    body.update(extra)
    return body


class ProblemDetailsFormatter(ExceptionFormatter):
    def format_error_response(self, error_response: ErrorResponse) -> dict[str, Any]:
        status_code = self.exc.status_code
        if isinstance(self.exc, DomainProblem):
            domain = self.exc.domain
            return problem(status_code, domain.message, code=domain.code, errors=domain.as_errors())
        errors = error_response.errors
        if error_response.type == "validation_error":
            fields = [{"field": e.attr or "", "code": e.code, "message": e.detail} for e in errors]
            noun = "problem" if len(fields) == 1 else "problems"
            detail = f"The request has {len(fields)} {noun}: " + "; ".join(
                f"{f['field'] or 'body'}: {f['message']}" for f in fields[:5]
            )
            return problem(status_code, detail, code="invalid", errors=fields)
        first = errors[0] if errors else None
        return problem(
            status_code,
            first.detail if first else HTTPStatus(status_code).phrase,
            code=first.code if first else None,
        )


def _convert(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {k: get_error_detail(DjangoValidationError(v)) for k, v in exc.error_dict.items()}
            )
        return exceptions.ValidationError({"non_field_errors": get_error_detail(exc)})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return DomainProblem(
            PayloadTooLarge(
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
                field="body",
            )
        )
    if isinstance(exc, DomainError):
        return DomainProblem(exc)
    if isinstance(exc, DataError) and is_unstorable_text(exc):
        return exceptions.ValidationError(
            {"body": [ErrorDetail(UNSTORABLE_TEXT, code="invalid_characters")]}
        )
    if isinstance(exc, OperationalError) and is_database_busy(exc):
        return DomainProblem(ServiceBusy("The database is busy or restarting; retry in a moment."))
    return exc


def exception_handler(exc: Exception, context: ExceptionHandlerContext) -> Response | None:
    converted = _convert(exc)
    response = standardized_handler(converted, context)
    if response is not None:
        response.content_type = PROBLEM_CONTENT_TYPE
        if isinstance(converted, DomainProblem) and isinstance(converted.domain, ServiceBusy):
            response["Retry-After"] = str(converted.domain.retry_after)
    return response


def problem_response(request: HttpRequest, status_code: int, detail: str) -> JsonResponse:
    return JsonResponse(
        problem(status_code, detail), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(request, 404, f"Nothing is at {request.path}.")


def server_error_view(request: HttpRequest) -> JsonResponse:
    return problem_response(request, 500, "Server Error (500). The error has been logged.")


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(request, 400, "The request could not be understood.")


def permission_denied_view(
    request: HttpRequest, exception: Exception | None = None
) -> JsonResponse:
    return problem_response(request, 403, "You may not do this.")


def csrf_failure_view(request: HttpRequest, reason: str = "") -> JsonResponse:
    return problem_response(
        request, 403, f"CSRF check failed ({reason}). API clients send a bearer token, not cookies."
    )
