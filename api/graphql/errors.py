"""Domain exceptions as GraphQL errors with machine-readable extensions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from graphql import GraphQLError

from clusters.services.submissions import StaleVersion, StateConflict


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


@contextlib.contextmanager
def domain_errors() -> Iterator[None]:
    """Turn service exceptions into GraphQL errors (BAD_USER_INPUT, FORBIDDEN, NOT_FOUND...)."""
    try:
        yield
    except ValidationError as exc:
        errors = validation_errors(exc)
        raise GraphQLError(
            "; ".join(f"{e['field'] or 'input'}: {e['message']}" for e in errors),
            extensions={"code": "BAD_USER_INPUT", "status": 400, "errors": errors},
        ) from exc
    except PermissionDenied as exc:
        raise GraphQLError(
            str(exc) or "Not allowed.", extensions={"code": "FORBIDDEN", "status": 403}
        ) from exc
    except ObjectDoesNotExist as exc:
        raise GraphQLError("Not found.", extensions={"code": "NOT_FOUND", "status": 404}) from exc
    except StateConflict as exc:
        raise GraphQLError(
            exc.message, extensions={"code": "CONFLICT", "status": 409, "reason": exc.code}
        ) from exc
    except StaleVersion as exc:
        raise GraphQLError(
            exc.message,
            extensions={"code": "PRECONDITION_FAILED", "status": 412, "reason": exc.code},
        ) from exc


def is_expected(error: GraphQLError) -> bool:
    """Errors we raised on purpose, or GraphQL's own validation errors, stay unmasked."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)
