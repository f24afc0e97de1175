"""The error table for GraphQL: one extension turns domain exceptions into errors with
``extensions.code`` (and the same ``errors`` list of ``{"field", "code", "message"}`` that
REST's problem details carry), and expected errors are logged at INFO, not as ERROR with
a traceback.

| exception | ``extensions.code`` |
|---|---|
| ``ValidationError`` | ``BAD_USER_INPUT`` (status 400) |
| ``PermissionDenied`` | ``FORBIDDEN`` (403) |
| ``ObjectDoesNotExist`` | ``NOT_FOUND`` (404) |
| text the database cannot take (a NUL, a lone surrogate) | ``BAD_USER_INPUT`` (400) |
| ``clusters.errors.DomainError`` | its ``graphql_code`` and ``status`` (409, 412, 413, 503) |
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, OperationalError
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from clusters.errors import (
    UNENCODABLE_TEXT,
    UNSTORABLE_TEXT,
    DomainError,
    ServiceBusy,
    is_database_busy,
    is_unencodable_text,
    is_unstorable_text,
)

log = logging.getLogger("api.graphql")

EXPECTED = (ValidationError, PermissionDenied, ObjectDoesNotExist, DomainError)


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field_name, errs in exc.error_dict.items():
            for e in errs:
                out.extend(
                    {"field": field_name, "code": e.code or "invalid", "message": m}
                    for m in e.messages
                )
    else:
        for e in exc.error_list:
            out.extend({"field": "", "code": e.code or "invalid", "message": m} for m in e.messages)
    return out


def as_problem(exc: BaseException) -> tuple[str, dict[str, Any]] | None:
    """The message and extensions of a domain exception; None for anything else."""
    if isinstance(exc, OperationalError) and is_database_busy(exc):
        exc = ServiceBusy("The database is busy or restarting; retry in a moment.")
    if isinstance(exc, DataError) and is_unstorable_text(exc):
        exc = ValidationError(
            {"body": [ValidationError(UNSTORABLE_TEXT, code="invalid_characters")]}
        )
    if is_unencodable_text(exc):
        exc = ValidationError(
            {"body": [ValidationError(UNENCODABLE_TEXT, code="invalid_characters")]}
        )
    if isinstance(exc, ValidationError):
        errors = validation_errors(exc)
        message = "; ".join(f"{e['field'] or 'input'}: {e['message']}" for e in errors)
        return message, {"code": "BAD_USER_INPUT", "status": 400, "errors": errors}
    if isinstance(exc, PermissionDenied):
        return str(exc) or "Not allowed.", {"code": "FORBIDDEN", "status": 403}
    if isinstance(exc, ObjectDoesNotExist):
        return "Not found.", {"code": "NOT_FOUND", "status": 404}
    if isinstance(exc, DomainError):
        extensions: dict[str, Any] = {
            "code": exc.graphql_code,
            "status": exc.status,
            "reason": exc.code,
            "errors": exc.as_errors(),
        }
        if isinstance(exc, ServiceBusy):
            extensions["retry_after"] = exc.retry_after
        return exc.message, extensions
    return None


def is_expected(error: GraphQLError) -> bool:
    """Errors we raised on purpose, domain refusals, or GraphQL's own validation errors
    stay unmasked; anything else is masked as an unexpected error."""
    original = error.original_error
    return (
        original is None
        or isinstance(original, (GraphQLError, *EXPECTED))
        or (isinstance(original, OperationalError) and is_database_busy(original))
        or (isinstance(original, DataError) and is_unstorable_text(original))
        or is_unencodable_text(original)
    )


def _converted(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    found = as_problem(original) if original is not None else None
    if found is None:
        return error
    message, extensions = found
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=original,
        extensions=extensions,
    )


class DomainErrors(SchemaExtension):
    """Domain exceptions raised by resolvers become errors with ``extensions.code``."""

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_converted(e) for e in result.errors]


def log_errors(errors: list[GraphQLError]) -> None:
    """Expected errors (bad input, not found, forbidden, conflicts) at INFO without a
    traceback; anything unexpected at ERROR with one."""
    for error in errors:
        if is_expected(error):
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION")
            log.info("graphql error code=%s path=%s: %s", code, error.path, error.message)
        else:
            log.error("graphql unexpected error path=%s", error.path, exc_info=error.original_error)
