"""The fact tables: funding, costs, KPI values and submissions, one row per line.

Amounts stay in the submission's currency (``amount``) and are converted into the
programme currency with the fx rate of the submission's year (``amount_converted``, exact:
the product of a 2-decimal amount and a 10-decimal rate has at most 12 decimals, so it is
kept whole); without a rate both ``fx_rate`` and ``amount_converted`` are empty, as the
portfolio figures list such submissions under ``excluded``.

A row's ``updated_at`` is the latest of its submission's, its cluster's (a renamed slug)
and, for converted amounts, its year's fx rate's change: everything that can change what
the row says. ``updated_since`` and ``$filter`` on it run in SQL (see ``_updated_at``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import Greatest

from clusters.models import CostLine, FundingLine, FxRate, KpiValue, Submission
from clusters.numbers import EXACT, ONE

from .. import columns as c
from ..columns import Column, compare
from .base import QueryTable, Row

FACT_FILTERS = frozenset({"year", "state", "updated_since"})


@dataclass(frozen=True)
class Rates:
    """The programme's fx rates: (year, currency) -> (rate, when it last changed)."""

    program_currency: str
    by_year: dict[tuple[int, str], tuple[Decimal, datetime]]

    def pairs(self, test: Callable[[datetime], bool]) -> list[tuple[int, str]]:
        return [
            pair
            for pair, (_, changed) in self.by_year.items()
            if pair[1] != self.program_currency and test(changed)
        ]


def _load_rates(program: Any) -> Rates:
    rows = FxRate.objects.for_program(program).values_list("year", "currency", "rate", "updated_at")
    return Rates(program.currency, {(y, cur): (rate, at) for y, cur, rate, at in rows})


# --- updated_at: the latest of several times, compared in SQL ---------------------------

_HOLDS = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
}

Part = Callable[[str, Any], Q]


def _any_pair(prefix: str, pairs: list[tuple[int, str]]) -> Q:
    q = Q(pk__in=[])
    for year, currency in pairs:
        q |= Q(**{f"{prefix}year": year, f"{prefix}currency": currency})
    return q


def _rate_part(prefix: str, rates: Rates) -> Part:
    """``the rate's change time OP value``; a row without a rate has no such time, so it
    satisfies an upper bound (``lt``, ``le``) and never a lower one or ``eq``."""

    def part(op: str, value: Any) -> Q:
        test = _HOLDS[op]
        if op in ("lt", "le"):
            return ~_any_pair(prefix, rates.pairs(lambda at: not test(at, value)))
        return _any_pair(prefix, rates.pairs(lambda at: test(at, value)))

    return part


def _greatest(parts: list[Part], op: str, value: Any) -> Q:
    """``max(parts) OP value`` without computing the max: above a bound when any part is,
    below it when all are, equal when none is above and one is equal."""
    if value is None:
        raise ValueError("updated_at is never null")
    if op in ("gt", "ge"):
        out = parts[0](op, value)
        for part in parts[1:]:
            out |= part(op, value)
        return out
    if op in ("lt", "le"):
        out = parts[0](op, value)
        for part in parts[1:]:
            out &= part(op, value)
        return out
    equal = _greatest(parts, "le", value) & _greatest(parts, "ge", value)
    return equal if op == "eq" else ~equal


def _updated_at(prefix: str, *, with_rate: bool) -> Column:
    def build(op: str, value: Any, rates: Rates) -> Q:
        parts: list[Part] = [
            lambda o, v: compare(f"{prefix}updated_at", o, v),
            lambda o, v: compare(f"{prefix}cluster__updated_at", o, v),
        ]
        if with_rate:
            parts.append(_rate_part(prefix, rates))
        return _greatest(parts, op, value)

    what = "its submission, its cluster" + (" or its year's fx rate" if with_rate else "")
    return c.datetime(
        "updated_at",
        f"When {what} last changed (UTC): the column for incremental refresh.",
        q=build,
    )


# The latest of a line's submission and cluster changes, in SQL (the fx rate is added in
# Python from the programme's few rates).
_TOUCHED = Greatest("submission__updated_at", "submission__cluster__updated_at")
_NO_RATE: tuple[None, None] = (None, None)


# --- the tables ------------------------------------------------------------------------


def _common(prefix: str) -> tuple[Column, Column]:
    return (
        c.text("cluster", "The cluster's slug (clusters.cluster).", f"{prefix}cluster__slug"),
        c.year("year", "The reporting year.", f"{prefix}year"),
    )


def _money(prefix: str) -> tuple[Column, ...]:
    return (
        c.text("currency", "The submission's currency (ISO 4217).", f"{prefix}currency"),
        c.decimal(
            "amount",
            "The amount in the submission's currency.",
            "amount",
            precision=18,
            scale=2,
            min_places=2,
        ),
        c.decimal(
            "amount_converted",
            "The amount in the programme currency at the year's fx rate, exact; empty "
            "without a rate.",
            precision=38,
            scale=12,
            min_places=2,
            nullable=True,
        ),
        c.decimal(
            "fx_rate",
            "1 unit of the submission currency in programme currency (1 when they are the "
            "same); empty without a rate.",
            precision=24,
            scale=10,
            nullable=True,
        ),
        c.text("program_currency", "The programme currency of amount_converted."),
    )


STATE = c.text("state", "The submission's state: draft, submitted, returned or approved.")


class _MoneyFacts(QueryTable):
    accepts = FACT_FILTERS
    cluster_path = "submission__cluster"

    def context(self) -> Rates:
        return _load_rates(self.access.program)


class FundingTable(_MoneyFacts):
    name = "funding"
    entity_set = "Funding"
    entity_type = "FundingLine"
    sql_view = "funding"
    description = "One row per funding line of a submission: cluster, year and source."
    model = FundingLine
    key = ("cluster", "year", "source")
    columns = (
        *_common("submission__"),
        c.text("source", "The funding source code (funding-sources.source).", "source__code"),
        c.text(
            "category", "The source's category: public, private or project.", "source__category"
        ),
        *_money("submission__"),
        c.boolean("in_kind", "Given in kind rather than in money.", "in_kind"),
        c.boolean("restricted", "Restricted to a purpose (e.g. only projects).", "restricted"),
        c.text("note", "The line's note.", "note"),
        c.text(STATE.name, STATE.description, "submission__state"),
        _updated_at("submission__", with_rate=True),
    )
    fetch = (
        "submission__cluster__slug",
        "submission__year",
        "source__code",
        "source__category",
        "submission__currency",
        "amount",
        "in_kind",
        "restricted",
        "note",
        "submission__state",
        "touched",
    )
    annotations = {"touched": _TOUCHED}

    def converter(self, rates: Rates) -> Callable[[Sequence[Any]], Row]:
        program_currency = rates.program_currency
        by_year = rates.by_year
        multiply = EXACT.multiply

        def convert(v: Sequence[Any]) -> Row:
            slug, year, code, category, currency, amount, in_kind, restricted, note, state, at = v
            rate: Decimal | None
            changed: datetime | None
            if currency == program_currency:
                rate, converted = ONE, amount
            else:
                rate, changed = by_year.get((year, currency), _NO_RATE)
                converted = None if rate is None else multiply(amount, rate)
                if changed is not None and changed > at:
                    at = changed
            return (
                slug,
                year,
                code,
                category,
                currency,
                amount,
                converted,
                rate,
                program_currency,
                in_kind,
                restricted,
                note,
                state,
                at,
            )

        return convert


class CostsTable(_MoneyFacts):
    name = "costs"
    entity_set = "Costs"
    entity_type = "CostLine"
    sql_view = "costs"
    description = "One row per cost line of a submission: cluster, year and cost category."
    model = CostLine
    key = ("cluster", "year", "category")
    columns = (
        *_common("submission__"),
        c.text("category", "The cost category: setup, staff, operations or projects.", "category"),
        *_money("submission__"),
        c.text("note", "The line's note.", "note"),
        c.text(STATE.name, STATE.description, "submission__state"),
        _updated_at("submission__", with_rate=True),
    )
    fetch = (
        "submission__cluster__slug",
        "submission__year",
        "category",
        "submission__currency",
        "amount",
        "note",
        "submission__state",
        "touched",
    )
    annotations = {"touched": _TOUCHED}

    def converter(self, rates: Rates) -> Callable[[Sequence[Any]], Row]:
        program_currency = rates.program_currency
        by_year = rates.by_year
        multiply = EXACT.multiply

        def convert(v: Sequence[Any]) -> Row:
            slug, year, category, currency, amount, note, state, at = v
            rate: Decimal | None
            changed: datetime | None
            if currency == program_currency:
                rate, converted = ONE, amount
            else:
                rate, changed = by_year.get((year, currency), _NO_RATE)
                converted = None if rate is None else multiply(amount, rate)
                if changed is not None and changed > at:
                    at = changed
            return (
                slug,
                year,
                category,
                currency,
                amount,
                converted,
                rate,
                program_currency,
                note,
                state,
                at,
            )

        return convert


class KpiValuesTable(QueryTable):
    name = "kpi-values"
    entity_set = "KpiValues"
    entity_type = "KpiValue"
    sql_view = "kpi_values"
    description = "One row per KPI value of a submission: cluster, year and KPI code."
    accepts = FACT_FILTERS
    model = KpiValue
    cluster_path = "submission__cluster"
    key = ("cluster", "year", "kpi")
    columns = (
        *_common("submission__"),
        c.text("kpi", "The KPI code (kpis.kpi).", "kpi__code"),
        c.decimal(
            "value", "The value as reported (up to 6 decimals).", "value", precision=24, scale=6
        ),
        c.text("unit", "The KPI's unit.", "kpi__unit"),
        c.text("kind", "The KPI's kind: activity, output, outcome or impact.", "kpi__kind"),
        c.text(STATE.name, STATE.description, "submission__state"),
        _updated_at("submission__", with_rate=False),
    )
    fetch = (
        "submission__cluster__slug",
        "submission__year",
        "kpi__code",
        "value",
        "kpi__unit",
        "kpi__kind",
        "submission__state",
        "touched",
    )
    annotations = {"touched": _TOUCHED}

    def context(self) -> Rates:
        # updated_at filters take the rates argument; KPI values use none of them
        return Rates(self.access.program.currency, {})


class SubmissionsTable(QueryTable):
    name = "submissions"
    entity_set = "Submissions"
    entity_type = "Submission"
    sql_view = "submissions"
    description = "One row per annual submission: cluster and year, with state and dates."
    accepts = FACT_FILTERS
    model = Submission
    cluster_path = "cluster"
    key = ("cluster", "year")
    columns = (
        *_common(""),
        c.text("currency", "The submission's currency (ISO 4217).", "currency"),
        c.text(STATE.name, STATE.description, "state"),
        c.integer("version", "Bumped by every change (the ETag of the REST API).", "version"),
        c.decimal(
            "staff_fte",
            "Staff in full-time equivalents.",
            "staff_fte",
            precision=8,
            scale=2,
            nullable=True,
        ),
        c.datetime("created_at", "When the submission was created (UTC).", "created_at"),
        c.datetime(
            "submitted_at", "When it was last submitted (UTC).", "submitted_at", nullable=True
        ),
        c.datetime("approved_at", "When it was approved (UTC).", "approved_at", nullable=True),
        _updated_at("", with_rate=False),
    )
    fetch = (
        "cluster__slug",
        "year",
        "currency",
        "state",
        "version",
        "staff_fte",
        "created_at",
        "submitted_at",
        "approved_at",
        "touched",
    )
    annotations = {"touched": Greatest("updated_at", "cluster__updated_at")}

    def context(self) -> Rates:
        return Rates(self.access.program.currency, {})
