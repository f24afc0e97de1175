"""Template filters of the reports: numbers, dates and words in the active language
(``{{ amount|money }}``, ``{{ share|pct }}``, ``{{ code|word:"category" }}``).

Values may be ``Decimal``, decimal strings (the figures' JSON) or floats (shares); each is
written through ``reports.formatting`` from its decimal text, so nothing is rounded twice.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from .. import formatting as fmt
from .. import words

register = template.Library()

TABLES = {
    "category": words.FUNDING_CATEGORIES,
    "cost": words.COST_CATEGORIES,
    "stage": words.STAGES,
    "cluster_category": words.CLUSTER_CATEGORIES,
    "kind": words.KPI_KINDS,
    "state": words.SUBMISSION_STATES,
    "progress": words.PROGRESS,
    "direction": words.DIRECTIONS,
    "stress": words.STRESS,
    "rule": words.WARNING_RULES,
}


@register.filter
def money(value: Any) -> str:
    return fmt.money(value)


@register.filter
def pct(value: Any, places: int = 2) -> str:
    return fmt.percent(value, int(places))


@register.filter
def num(value: Any) -> str:
    return fmt.number(value)


@register.filter
def rate(value: Any) -> str:
    """An fx rate as exact as it is stored."""
    return fmt.number(value)


@register.filter
def change_money(value: Any) -> str:
    return fmt.signed(fmt.money(value), value)


@register.filter
def change_num(value: Any) -> str:
    return fmt.signed(fmt.number(value), value)


@register.filter
def change_pct(value: Any) -> str:
    return fmt.signed(fmt.percent(value), value)


@register.filter
def change_points(value: Any) -> str:
    """A change of a share in percentage points: 0.45 - 0.5106 -> ``−6.06 pp``."""
    if value is None:
        return fmt.DASH
    points = fmt._decimal(value) * 100  # type: ignore[operator]
    unit = _("pp")  # percentage points
    return f"{fmt.signed(fmt.number(points, 2), points)}{fmt.NBSP}{unit}"


@register.filter
def day(value: Any) -> str:
    return fmt.date(value)


@register.filter
def word(value: Any, table: str) -> str:
    return words.word(TABLES[table], value)


@register.filter
def source_label(code: str, name: str) -> str:
    return words.source_name(code, name)


@register.filter
def kpi_label(code: str, name: str) -> str:
    return words.kpi_name(code, name)


@register.filter
def yes_no(value: Any) -> str:
    if value is None:
        return fmt.DASH
    return _("yes") if value else _("no")
