"""Collecting a body's problems and raising them together, and echoing client values."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from django.core.exceptions import ValidationError

T = TypeVar("T")

# Characters no stored text may hold, and that a message escapes when echoing a value.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- collecting problems -------------------------------------------------------------------


class Problems:
    """The problems of one body, by field (``funding.2.amount``), raised together."""

    def __init__(self) -> None:
        self.items: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.items.setdefault(field or "body", []).append(ValidationError(message, code=code))

    def has(self, field: str) -> bool:
        return field in self.items

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self) -> ValidationError:
        return ValidationError(self.items)

    def collect(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a check that raises (``require_year``, ``figure_filters``...) and keep its
        problems with the others instead of stopping at the first."""
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {"body": exc.error_list}
            for field, errors in by_field.items():
                for error in errors:
                    for message in error.messages:
                        self.add(field, message, error.code or "invalid")
            return None

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def invalid(field: str, message: str, code: str) -> NoReturn:
    """Raise one field problem at once."""
    raise ValidationError({field or "body": [ValidationError(message, code=code)]})


def _one(field: str) -> tuple[Problems, str]:
    return Problems(), field


def _raised(problems: Problems, value: Any) -> Any:
    problems.raise_if_any()
    return value


# --- echoing what a client sent ------------------------------------------------------------


def shown(raw: Any, *, limit: int = 40) -> str:
    """A client's value for a message: text, shortened, and always encodable as UTF-8."""
    text = raw if isinstance(raw, str) else repr(raw)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
