"""The error table: domain exceptions that carry their HTTP status, code and field.

Services raise these (beside Django's ``ValidationError`` for bad input, ``PermissionDenied``
for a role that may not act, and ``DoesNotExist`` for what the caller cannot see). The REST
exception handler and the GraphQL error extension turn every one of them into the same
problem: ``status``, ``code``, ``detail`` and an ``errors`` list naming ``field``.

| exception | status | GraphQL code |
|---|---|---|
| ``ValidationError`` | 400 | ``BAD_USER_INPUT`` |
| ``PermissionDenied`` | 403 | ``FORBIDDEN`` |
| ``ObjectDoesNotExist`` | 404 | ``NOT_FOUND`` |
| ``StateConflict`` | 409 | ``CONFLICT`` |
| ``StaleVersion`` | 412 | ``PRECONDITION_FAILED`` |
| ``PayloadTooLarge`` | 413 | ``PAYLOAD_TOO_LARGE`` |
| ``ServiceBusy`` | 503 (with ``Retry-After``) | ``SERVICE_UNAVAILABLE`` |
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a status other than 400/403/404, e.g. a state conflict."""

    status = 400
    code = "invalid"
    field = ""
    graphql_code = "BAD_USER_INPUT"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if field is not None:
            self.field = field
        # Several things in the way (e.g. every blocking warning), each {field, code, message}.
        self.errors = errors

    def as_errors(self) -> list[dict[str, str]]:
        if self.errors:
            return list(self.errors)
        return [{"field": self.field, "code": self.code, "message": self.message}]


class StateConflict(DomainError):
    """The object (or its period) is not in a state that allows this: HTTP 409.

    ``field`` names what is in the way (``state``, ``year``).
    """

    status = 409
    code = "conflict"
    field = "state"
    graphql_code = "CONFLICT"


class StaleVersion(DomainError):
    """The caller's ``If-Match`` no longer matches the object: HTTP 412."""

    status = 412
    code = "precondition_failed"
    field = "If-Match"
    graphql_code = "PRECONDITION_FAILED"


class PayloadTooLarge(DomainError):
    """A body or file over the limit this endpoint accepts: HTTP 413."""

    status = 413
    code = "payload_too_large"
    field = "file"
    graphql_code = "PAYLOAD_TOO_LARGE"


class ServiceBusy(DomainError):
    """The database is busy (SQLite's single writer): HTTP 503, try again shortly."""

    status = 503
    code = "busy"
    field = ""
    graphql_code = "SERVICE_UNAVAILABLE"
    retry_after = 2


_UNAVAILABLE = (
    # SQLite's single writer was busy past the timeout
    "database is locked",
    "database table is locked",
    # PostgreSQL restarting or out of reach: the next request reconnects
    "connection refused",
    "could not connect",
    "connection failed",
    "server closed the connection",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
    "connection is closed",
)


def is_database_busy(exc: BaseException) -> bool:
    """The database could not serve this request now (busy, restarting, unreachable): a 503
    with Retry-After, not a 500. The request is safe to repeat: nothing was written."""
    text = str(exc).lower()
    return any(marker in text for marker in _UNAVAILABLE)


def is_unstorable_text(exc: BaseException) -> bool:
    """PostgreSQL refused text with a NUL byte: a validation gap, answered as bad input."""
    return "cannot contain NUL" in str(exc)


UNSTORABLE_TEXT = "The request holds a NUL character, which text may not contain."


def is_unencodable_text(exc: BaseException) -> bool:
    """A lone surrogate (JSON's and GraphQL's "\\ud800" escape: valid syntax, not Unicode)
    reached the database driver in a lookup (a slug, a code): stored text is refused by the
    kit's ``check_text``, but every lookup key meets the driver's encoder here first."""
    return isinstance(exc, UnicodeEncodeError) and exc.reason == "surrogates not allowed"


UNENCODABLE_TEXT = "The text is not valid Unicode (a lone surrogate)."  # as check_text says
