"""Canvases from the real numbers: what the approved submissions of a cluster say.

The as-is business-model map and financing model of a year come from that year's approved
submission; an evolution map's stages are compared with the approved submission of each
stage's year. Amounts are converted into the programme currency with the programme's fx
rate of the year, in exact decimals (as the portfolio funding mix does), and rounded to the
cent only on output. Four queries at most, whatever the number of years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from clusters.access import Access
from clusters.models import (
    Cluster,
    CostCategory,
    CostLine,
    FundingCategory,
    FundingLine,
    FxRate,
    Submission,
    SubmissionState,
)
from clusters.numbers import EXACT, ONE, ZERO, money_text, ratio, share_float
from clusters.validation import invalid, require_year

SHARE_STORE_PLACES = Decimal("0.000001")  # a derived share is stored with 6 decimals


@dataclass
class Actual:
    """One approved submission, converted into the programme currency."""

    year: int
    currency: str
    rate: Decimal  # 1 in the programme currency; a year without a rate has no Actual
    version: int
    funding: dict[str, Decimal] = field(default_factory=dict)  # source code -> converted
    categories: dict[str, str] = field(default_factory=dict)  # source code -> category
    costs: dict[str, Decimal] = field(default_factory=dict)  # cost category -> converted

    @property
    def total(self) -> Decimal:
        return sum(self.funding.values(), ZERO)

    @property
    def costs_total(self) -> Decimal:
        return sum(self.costs.values(), ZERO)


def approved_actuals(
    *, access: Access, cluster: Cluster, years: list[int], with_costs: bool = False
) -> tuple[dict[int, Actual], dict[int, str]]:
    """The cluster's approved submissions of ``years`` by year, and the reason each year
    that has one could not be converted (no fx rate)."""
    program = access.program
    subs = list(
        Submission.objects.for_program(program)
        .filter(cluster=cluster, year__in=years, state=SubmissionState.APPROVED)
        .values_list("pk", "year", "currency", "version")
    )
    if not subs:
        return {}, {}
    foreign = {(y, c) for _, y, c, _ in subs if c != program.currency}
    rates: dict[tuple[int, str], Decimal] = {}
    if foreign:
        rates = {
            (y, c): r
            for y, c, r in FxRate.objects.for_program(program)
            .filter(year__in={y for y, _ in foreign}, currency__in={c for _, c in foreign})
            .values_list("year", "currency", "rate")
        }
    out: dict[int, Actual] = {}
    missing: dict[int, str] = {}
    by_id: dict[int, Actual] = {}
    for pk, year, currency, version in subs:
        rate = ONE if currency == program.currency else rates.get((year, currency))
        if rate is None:
            missing[year] = f"no fx rate for {currency} in {year}"
            continue
        out[year] = by_id[pk] = Actual(year, currency, rate, version)
    if by_id:
        lines = (
            FundingLine.objects.for_program(program)
            .filter(submission_id__in=list(by_id))
            .values_list("submission_id", "source__code", "source__category", "amount")
        )
        for sub_id, code, category, amount in lines:
            actual = by_id[sub_id]
            actual.funding[code] = EXACT.multiply(amount, actual.rate)
            actual.categories[code] = category
        if with_costs:
            for sub_id, category, amount in (
                CostLine.objects.for_program(program)
                .filter(submission_id__in=list(by_id))
                .values_list("submission_id", "category", "amount")
            ):
                by_id[sub_id].costs[category] = EXACT.multiply(amount, by_id[sub_id].rate)
    return out, missing


def _one(access: Access, cluster: Cluster, raw_year: Any, *, with_costs: bool) -> Actual:
    year = require_year(raw_year)
    assert year is not None
    found, missing = approved_actuals(
        access=access, cluster=cluster, years=[year], with_costs=with_costs
    )
    if year in missing:
        raise ValidationError(
            {
                "year": [
                    ValidationError(f"Cannot convert {year}: {missing[year]}.", code="no_fx_rate")
                ]
            }
        )
    if year not in found:
        raise Submission.DoesNotExist(f"{cluster.slug} has no approved submission for {year}.")
    return found[year]


def _ordered(amounts: dict[str, Decimal]) -> list[tuple[str, Decimal]]:
    return sorted(amounts.items(), key=lambda kv: (-kv[1], kv[0]))


def _stored_shares(amounts: dict[str, Decimal], total: Decimal, key: str) -> list[dict[str, str]]:
    """Shares with 6 decimals for storing as a canvas; the largest absorbs the rounding so
    they add up to exactly 1."""
    codes = [code for code, _ in _ordered(amounts)]
    shares = [ratio(amounts[code], total).quantize(SHARE_STORE_PLACES) for code in codes]
    if shares and total > 0:
        shares[0] += ONE - sum(shares, ZERO)
    return [
        {key: code, "share": format(share.normalize(), "f")}
        for code, share in zip(codes, shares, strict=True)
    ]


def _share_rows(
    amounts: dict[str, Decimal], total: Decimal, key: str, categories: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    rows = []
    for code, amount in _ordered(amounts):
        row: dict[str, Any] = {key: code}
        if categories is not None:
            row["category"] = categories[code]
        row["amount"] = money_text(amount)
        row["share"] = share_float(ratio(amount, total))
        rows.append(row)
    return rows


def _by_category(actual: Actual) -> dict[str, dict[str, Any]]:
    sums = {c: ZERO for c in FundingCategory.values}
    for code, amount in actual.funding.items():
        sums[actual.categories[code]] += amount
    return {
        c: {"amount": money_text(a), "share": share_float(ratio(a, actual.total))}
        for c, a in sums.items()
    }


NOT_DERIVED = (
    "'{kind}' is not derived from the submissions; business-model-map and financing-model are."
)


def actual_view(*, access: Access, cluster: Cluster, kind: str, year: Any) -> dict[str, Any]:
    """The map or financing model of ``year`` from the approved submission."""
    if kind == "business-model-map":
        return map_actual(access=access, cluster=cluster, year=year)
    if kind == "financing-model":
        return financing_actual(access=access, cluster=cluster, year=year)
    invalid("kind", NOT_DERIVED.format(kind=kind), "invalid_choice")


def map_actual(*, access: Access, cluster: Cluster, year: Any) -> dict[str, Any]:
    """The as-is business-model map of ``year``: the shares of the approved submission."""
    actual = _one(access, cluster, year, with_costs=False)
    return {
        "year": actual.year,
        "currency": access.program.currency,
        "submission_currency": actual.currency,
        "submission_version": actual.version,
        "total": money_text(actual.total),
        "shares": _share_rows(actual.funding, actual.total, "source", actual.categories),
        "by_category": _by_category(actual),
    }


def map_actual_body(*, access: Access, cluster: Cluster, year: Any) -> dict[str, Any]:
    """The map of ``year`` as a canvas body (to save as the current map)."""
    actual = _one(access, cluster, year, with_costs=False)
    if actual.total <= 0:
        raise ValidationError(
            {
                "year": [
                    ValidationError(f"The {actual.year} submission has no funding.", code="empty")
                ]
            }
        )
    return {"shares": _stored_shares(actual.funding, actual.total, "source")}


def financing_actual(*, access: Access, cluster: Cluster, year: Any) -> dict[str, Any]:
    """The as-is financing model of ``year``: funding shares and cost shares."""
    actual = _one(access, cluster, year, with_costs=True)
    age = actual.year - cluster.founded_year if cluster.founded_year is not None else None
    return {
        "year": actual.year,
        "age": age,
        "currency": access.program.currency,
        "submission_currency": actual.currency,
        "submission_version": actual.version,
        "total": money_text(actual.total),
        "costs_total": money_text(actual.costs_total),
        "shares": _share_rows(actual.funding, actual.total, "source", actual.categories),
        "cost_shares": _share_rows(actual.costs, actual.costs_total, "category"),
        "by_category": _by_category(actual),
    }


def financing_actual_body(*, access: Access, cluster: Cluster, year: Any) -> dict[str, Any]:
    actual = _one(access, cluster, year, with_costs=True)
    if actual.total <= 0 or actual.costs_total <= 0:
        raise ValidationError(
            {
                "year": [
                    ValidationError(
                        f"The {actual.year} submission needs funding and costs.", code="empty"
                    )
                ]
            }
        )
    costs = {c: a for c, a in actual.costs.items() if c in CostCategory.values}
    return {
        "year": actual.year,
        "shares": _stored_shares(actual.funding, actual.total, "source"),
        "cost_shares": _stored_shares(costs, actual.costs_total, "category"),
    }


def evolution_compare(
    *, access: Access, cluster: Cluster, stages: list[dict[str, Any]]
) -> dict[str, Any]:
    """Each stage's plan (budget, shares) against the approved submission of its year.

    ``actual`` is null without an approved submission (``reason`` says why, also when its
    currency has no fx rate); ``gap`` is actual minus planned, null without an actual.
    """
    years = sorted({s["year"] for s in stages if s.get("year") is not None})
    found, missing = approved_actuals(access=access, cluster=cluster, years=years)
    out = []
    for stage in stages:
        year = stage["year"]
        planned_budget = Decimal(stage["budget"])
        planned = {s["source"]: Decimal(s["share"]) for s in stage.get("shares", [])}
        actual = found.get(year)
        item: dict[str, Any] = {
            "label": stage["label"],
            "year": year,
            "planned": {
                "budget": money_text(planned_budget),
                "budget_needed": stage.get("budget_needed"),
                "financial_stress": stage.get("financial_stress"),
                "shares": [{"source": s, "share": share_float(v)} for s, v in planned.items()],
            },
            "actual": None,
            "gap": {"budget": None, "shares": []},
            "reason": None,
        }
        if actual is None:
            item["reason"] = missing.get(year) or f"no approved submission for {year}"
        else:
            actual_shares = {c: ratio(a, actual.total) for c, a in actual.funding.items()}
            item["actual"] = {
                "budget": money_text(actual.total),
                "shares": [
                    {"source": c, "share": share_float(actual_shares[c])}
                    for c, _ in _ordered(actual.funding)
                ],
                "submission_currency": actual.currency,
            }
            codes = list(planned) + [c for c, _ in _ordered(actual.funding) if c not in planned]
            item["gap"] = {
                "budget": money_text(actual.total - planned_budget),
                "shares": [
                    {
                        "source": c,
                        "planned": share_float(planned.get(c, ZERO)),
                        "actual": share_float(actual_shares.get(c, ZERO)),
                        "gap": share_float(actual_shares.get(c, ZERO) - planned.get(c, ZERO)),
                    }
                    for c in codes
                ],
            }
        out.append(item)
    return {"currency": access.program.currency, "stages": out}
