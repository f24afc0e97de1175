"""Text, slugs and URLs; flags, choices, country and currency codes."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from typing import Any

import pycountry
from django.core.exceptions import ValidationError

from .limits import MAX_TEXT, MAX_URL
from .problems import CONTROL, Problems, shown

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


# --- text ------------------------------------------------------------------------------------


def text_problem(raw: str) -> tuple[str, str] | None:
    """What is wrong with the characters of a text (NUL, control characters, lone
    surrogates), as ``(message, code)``; None when it can be stored."""
    if CONTROL.search(raw):
        return "Control characters (such as NUL) are not allowed in text.", "invalid_characters"
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return "The text is not valid Unicode (a lone surrogate).", "invalid_characters"
    return None


def check_text(
    raw: Any,
    *,
    field: str,
    problems: Problems,
    limit: int = MAX_TEXT,
    required: bool = False,
    default: str = "",
) -> str | None:
    """Text up to ``limit`` characters. ``None`` or absent is ``default`` unless required."""
    if raw is None or (required and raw == ""):
        if required:
            problems.add(field, "This field is required.", "required")
            return None
        return default
    if not isinstance(raw, str):
        problems.add(field, "Expected text.", "invalid")
        return None
    bad = text_problem(raw)
    if bad is not None:
        problems.add(field, *bad)
        return None
    if len(raw) > limit:
        problems.add(field, f"At most {limit} characters.", "max_length")
        return None
    return raw


def check_slug(raw: Any, *, field: str, problems: Problems, limit: int = 64) -> str | None:
    value = check_text(raw, field=field, problems=problems, limit=limit, required=True)
    if value is not None and not _SLUG.fullmatch(value):
        problems.add(field, "Use letters, numbers, underscores or hyphens only.", "invalid")
        return None
    return value


def check_url(raw: Any, *, field: str, problems: Problems, limit: int = MAX_URL) -> str | None:
    """An http(s) URL (or empty). Other schemes (``javascript:``) are refused."""
    value = check_text(raw, field=field, problems=problems, limit=limit)
    if not value:
        return value
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        problems.add(field, f"'{shown(value)}' is not an http or https URL.", "invalid_url")
        return None
    return value


# --- flags, choices, codes ---------------------------------------------------------------------

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def check_flag(raw: Any, *, field: str, problems: Problems, default: bool = False) -> bool:
    """true or false; from a file or form, also the texts true/false, 1/0, yes/no."""
    if raw is None:
        return default
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    problems.add(field, "Expected true or false.", "invalid")
    return default


def check_choice(
    raw: Any, *, field: str, problems: Problems, choices: Collection[str], required: bool = True
) -> str | None:
    if raw is None or raw == "":
        if required:
            problems.add(field, f"This field is required: one of {', '.join(choices)}.", "required")
        return None
    if not isinstance(raw, str) or raw not in choices:
        problems.add(field, f"'{shown(raw)}' is not one of {', '.join(choices)}.", "invalid_choice")
        return None
    return raw


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_country(code: Any) -> bool:
    return isinstance(code, str) and code in _countries()


def is_currency(code: Any) -> bool:
    return isinstance(code, str) and code in _currencies()


def check_country(
    raw: Any, *, field: str = "country", problems: Problems, required: bool = True
) -> str | None:
    if raw is None or raw == "":
        if required:
            problems.add(
                field, "The country (ISO 3166-1 alpha-2, e.g. NO) is required.", "required"
            )
        return "" if not required else None
    if not is_country(raw):
        problems.add(
            field,
            f"'{shown(raw)}' is not an ISO 3166-1 alpha-2 country code (e.g. NO, ES, MX).",
            "invalid_country",
        )
        return None
    return str(raw)


def check_currency(raw: Any, *, field: str = "currency", problems: Problems) -> str | None:
    if raw is None or raw == "":
        problems.add(field, "The currency (ISO 4217, e.g. EUR) is required.", "required")
        return None
    if not is_currency(raw):
        problems.add(
            field,
            f"'{shown(raw)}' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
            "invalid_currency",
        )
        return None
    return str(raw)
