"""Validators for codes the domain relies on: ISO 3166-1 countries, ISO 4217 currencies."""

from __future__ import annotations

from functools import cache

import pycountry
from django.core.exceptions import ValidationError


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_country(code: str) -> bool:
    return code in _countries()


def is_currency(code: str) -> bool:
    return code in _currencies()


def validate_country(code: str) -> None:
    if not is_country(code):
        raise ValidationError(
            f"'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. NO, ES, MX).",
            code="invalid_country",
        )


def validate_currency(code: str) -> None:
    if not is_currency(code):
        raise ValidationError(
            f"'{code}' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
            code="invalid_currency",
        )
