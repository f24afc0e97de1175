"""What-if scenarios: "if source S changes by factor F in year Y, who can no longer cover
their costs, and by how much?"

Nothing is stored unless the caller asks (``"save": true`` with a ``name``). The figures start from the approved submissions of year Y, converted to
the programme currency exactly like the funding mix: a submission in the programme
currency at rate 1, any other currency at the fx rate of (Y, currency); a submission
without a rate is listed in ``excluded``, never dropped silently.

A change names either one funding ``source`` or a whole funding ``category``; a source
named on its own takes its own factor even when its category is also changed (the more
specific change wins). Factors are decimal strings >= 0: "0" removes the funding, "0.5"
halves it, "1" leaves it as it is.

The database sums each submission's funding per group of changed sources (GROUP BY
submission and group) and its costs (GROUP BY submission): four queries whatever the
number of clusters. The factors and fx rates are applied to those sums in exact Decimal
arithmetic; amounts are rounded to cents only in the answer.
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When

from clusters.access import Access
from clusters.models import (
    CostLine,
    FundingCategory,
    FundingLine,
    FundingSource,
    FxRate,
    Program,
    Submission,
    SubmissionState,
)
from clusters.services.documents import _Errors, parse_decimal

from .models import SavedScenario

ZERO, ONE = Decimal(0), Decimal(1)
# A 10^12 amount times a 10-decimal rate times a 6-decimal factor stays exact at 80 digits.
EXACT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN)
CENT = Decimal("0.01")
UNCHANGED = -1  # the group of funding sources no change names
MAX_FACTOR = Decimal("1000")
MAX_CHANGES = 100
SCENARIO_KEYS = {"year", "changes", "save", "name"}
MAX_NAME = 200


@dataclass(frozen=True)
class Change:
    factor: Decimal
    source: str | None = None
    category: str | None = None

    def as_json(self) -> dict[str, str]:
        key = "source" if self.source is not None else "category"
        return {key: self.source or self.category or "", "factor": str(self.factor)}


@dataclass(frozen=True)
class Scenario:
    year: int
    changes: list[Change]
    save: bool = False
    name: str = ""


def parse_scenario(data: Any, *, sources: dict[str, str]) -> Scenario:
    """Validate a scenario body against the programme's funding sources (code -> category)."""
    errors = _Errors()
    if not isinstance(data, dict):
        raise ValidationError(
            {"body": [ValidationError("Expected a JSON object.", code="invalid")]}
        )
    for key in sorted(set(data) - SCENARIO_KEYS):
        errors.add(key, f"'{key}' is not a field of a scenario.", "unknown_field")
    year = data.get("year")
    if year is None:
        errors.add(
            "year", "The year of the approved submissions to start from is required.", "required"
        )
    elif isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        errors.add("year", f"'{year}' is not a year between 1900 and 2200.", "invalid")
    raw = data.get("changes")
    if not isinstance(raw, list) or not raw:
        errors.add(
            "changes",
            'At least one change {"source" or "category", "factor"} is required.',
            "required",
        )
        raw = []
    elif len(raw) > MAX_CHANGES:
        errors.add("changes", f"At most {MAX_CHANGES} changes.", "too_many")
        raw = []
    changes: list[Change] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(raw):
        where = f"changes.{i}"
        if not isinstance(row, dict):
            errors.add(where, "Expected an object.", "invalid")
            continue
        for key in sorted(set(row) - {"source", "category", "factor"}):
            errors.add(f"{where}.{key}", f"'{key}' is not a field of a change.", "unknown_field")
        source, category = row.get("source"), row.get("category")
        target: tuple[str, str] | None = None
        if (source is None) == (category is None):
            errors.add(
                where,
                "Name either a funding 'source' or a funding 'category'.",
                "source_or_category",
            )
        elif source is not None:
            if not isinstance(source, str) or source not in sources:
                errors.add(
                    f"{where}.source",
                    f"Unknown funding source '{source}'; see /funding-sources/.",
                    "unknown_source",
                )
            else:
                target = ("source", source)
        elif not isinstance(category, str) or category not in FundingCategory.values:
            errors.add(
                f"{where}.category",
                f"'{category}' is not one of {', '.join(FundingCategory.values)}.",
                "unknown_category",
            )
        else:
            target = ("category", category)
        if "factor" not in row:
            errors.add(
                f"{where}.factor",
                'A factor (a decimal string >= 0, e.g. "0.5") is required.',
                "required",
            )
            factor = None
        else:
            factor = parse_decimal(
                row["factor"], where=f"{where}.factor", errors=errors, places=6, maximum=MAX_FACTOR
            )
        if target is not None:
            if target in seen:
                errors.add(
                    where,
                    f"{target[0].title()} '{target[1]}' is changed twice (changes {seen[target]} and {i}).",
                    "duplicate_change",
                )
            else:
                seen[target] = i
        if target is not None and factor is not None:
            kind, code = target
            changes.append(Change(factor=factor, **{kind: code}))
    save = data.get("save", False)
    name = data.get("name", "")
    if not isinstance(save, bool):
        errors.add("save", "Expected true or false.", "invalid")
        save = False
    if not isinstance(name, str):
        errors.add("name", "Expected text.", "invalid")
        name = ""
    elif len(name) > MAX_NAME:
        errors.add("name", f"At most {MAX_NAME} characters.", "max_length")
    elif save and not name.strip():
        errors.add("name", 'A scenario is saved under a name; send "name".', "required")
    errors.raise_if_any()
    assert isinstance(year, int)
    return Scenario(year=year, changes=changes, save=save, name=name.strip())


def _groups(changes: list[Change], sources: dict[str, str]) -> list[tuple[Decimal, list[str]]]:
    """Disjoint groups of source codes with their factor (a named source wins over its category)."""
    named = {c.source for c in changes if c.source is not None}
    groups: list[tuple[Decimal, list[str]]] = []
    for c in changes:
        if c.source is not None:
            groups.append((c.factor, [c.source]))
        else:
            codes = sorted(k for k, cat in sources.items() if cat == c.category and k not in named)
            if codes:
                groups.append((c.factor, codes))
    return groups


@dataclass(frozen=True)
class Outcome:
    before: Decimal
    after: Decimal
    costs: Decimal

    @property
    def covers_before(self) -> bool:
        return self.before >= self.costs

    @property
    def covers_after(self) -> bool:
        return self.after >= self.costs

    @property
    def shortfall(self) -> Decimal:
        """What the cluster lacks to cover its costs after the change (0 when it covers them)."""
        return max(self.costs - self.after, ZERO)


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=decimal.ROUND_HALF_UP))


@dataclass
class ScenarioRow:
    """One approved submission: funding per group of sources and costs, in its currency."""

    slug: str
    name: str
    currency: str
    rate: Decimal
    funding: dict[Hashable, Decimal] = field(default_factory=dict)
    costs: Decimal = ZERO


def cluster_outcome(row: ScenarioRow, factors: dict[Hashable, Decimal]) -> Outcome:
    """One cluster's funding before and after the factors, exact, in the programme currency."""
    before = sum((EXACT.multiply(a, row.rate) for a in row.funding.values()), ZERO)
    after = sum(
        (
            EXACT.multiply(EXACT.multiply(a, factors.get(g, ONE)), row.rate)
            for g, a in row.funding.items()
        ),
        ZERO,
    )
    return Outcome(before=before, after=after, costs=EXACT.multiply(row.costs, row.rate))


def scenario_rows(
    *, program: Program, year: int, groups: list[list[str]]
) -> tuple[list[ScenarioRow], list[dict[str, str]]]:
    """Approved submissions of the year with funding summed per group (4 queries).

    Conversion as in the funding mix: the programme currency at rate 1, another currency
    at the fx rate of (year, currency); without a rate the cluster is ``excluded``.
    """
    subs = (
        Submission.objects.for_program(program)
        .filter(year=year, state=SubmissionState.APPROVED)
        .order_by("cluster__slug")
        .values_list("pk", "cluster__slug", "cluster__name", "currency")
    )
    rates = dict(
        FxRate.objects.for_program(program).filter(year=year).values_list("currency", "rate")
    )
    group = Case(
        *(When(source__code__in=codes, then=Value(i)) for i, codes in enumerate(groups)),
        default=Value(UNCHANGED),
        output_field=IntegerField(),
    )
    approved = {"submission__year": year, "submission__state": SubmissionState.APPROVED}
    funding = (
        FundingLine.objects.for_program(program)
        .filter(**approved)
        .annotate(group=group)
        .order_by()
        .values_list("submission_id", "group")
        .annotate(amount=Sum("amount"))
    )
    costs = (
        CostLine.objects.for_program(program)
        .filter(**approved)
        .order_by()
        .values_list("submission_id")
        .annotate(amount=Sum("amount"))
    )
    rows: dict[int, ScenarioRow] = {}
    excluded: list[dict[str, str]] = []
    for pk, slug, name, currency in subs:
        rate = ONE if currency == program.currency else rates.get(currency)
        if rate is None:
            excluded.append({"cluster": slug, "reason": f"no fx rate for {currency} in {year}"})
            continue
        rows[pk] = ScenarioRow(slug, name, currency, rate)
    for submission_id, g, amount in funding:
        if submission_id in rows:
            rows[submission_id].funding[g] = amount
    for submission_id, amount in costs:
        if submission_id in rows:
            rows[submission_id].costs = amount
    return list(rows.values()), excluded


def scenario_run(*, access: Access, data: Any) -> dict[str, Any]:
    """Run a what-if on the approved submissions of a year (admin, analyst; 5 queries).

    Nothing is stored unless the body says ``"save": true`` with a ``name`` (unique in the
    programme): then the scenario and its answer are kept for ``scenario_list``.
    """
    access.require_portfolio_reader()
    program = access.program
    sources = dict(FundingSource.objects.for_program(program).values_list("code", "category"))
    scenario = parse_scenario(data, sources=sources)
    result = _compute(program, scenario, sources)
    if not scenario.save:
        return result
    saved = scenario_save(access=access, scenario=scenario, result=result)
    return {**result, "saved": {"name": saved.name, "created_at": saved.created_at.isoformat()}}


@transaction.atomic
def scenario_save(*, access: Access, scenario: Scenario, result: dict[str, Any]) -> SavedScenario:
    """Keep a scenario and its answer under a name unique in the programme."""
    access.require_portfolio_reader()
    taken = ValidationError(
        {
            "name": [
                ValidationError(
                    f"A scenario named '{scenario.name}' is saved already; choose another name.",
                    code="unique",
                )
            ]
        }
    )
    if SavedScenario.objects.for_program(access.program).filter(name=scenario.name).exists():
        raise taken
    try:
        with transaction.atomic():
            return SavedScenario.objects.create(
                program=access.program,
                name=scenario.name,
                year=scenario.year,
                changes=result["changes"],
                result=result,
                created_by=access.label,
            )
    except IntegrityError:  # saved by a concurrent request since the check above
        raise taken from None


def _compute(program: Program, scenario: Scenario, sources: dict[str, str]) -> dict[str, Any]:
    groups = _groups(scenario.changes, sources)
    factors: dict[Hashable, Decimal] = {i: factor for i, (factor, _) in enumerate(groups)}
    rows, excluded = scenario_rows(
        program=program, year=scenario.year, groups=[codes for _, codes in groups]
    )

    clusters: list[dict[str, Any]] = []
    newly: list[str] = []
    totals = dict.fromkeys(("funding_before", "funding_after", "costs", "shortfall"), ZERO)
    deficit_before = deficit_after = 0
    for row in rows:
        o = cluster_outcome(row, factors)
        deficit_before += not o.covers_before
        deficit_after += not o.covers_after
        if o.covers_before and not o.covers_after:
            newly.append(row.slug)
        totals["funding_before"] += o.before
        totals["funding_after"] += o.after
        totals["costs"] += o.costs
        totals["shortfall"] += o.shortfall
        clusters.append(
            {
                "cluster": row.slug,
                "name": row.name,
                "currency": row.currency,
                "funding_before": money(o.before),
                "funding_after": money(o.after),
                "costs": money(o.costs),
                "balance_before": money(o.before - o.costs),
                "balance_after": money(o.after - o.costs),
                "can_cover_costs_before": o.covers_before,
                "can_cover_costs_after": o.covers_after,
                "shortfall": money(o.shortfall),
            }
        )
    return {
        "year": scenario.year,
        "currency": program.currency,
        "changes": [c.as_json() for c in scenario.changes],
        "clusters": clusters,
        "totals": {
            "clusters": len(clusters),
            "funding_before": money(totals["funding_before"]),
            "funding_after": money(totals["funding_after"]),
            "costs": money(totals["costs"]),
            "balance_before": money(totals["funding_before"] - totals["costs"]),
            "balance_after": money(totals["funding_after"] - totals["costs"]),
            "shortfall": money(totals["shortfall"]),
            "clusters_in_deficit_before": deficit_before,
            "clusters_in_deficit_after": deficit_after,
        },
        "newly_in_deficit": newly,
        "excluded": excluded,
    }


def scenario_list(*, access: Access) -> QuerySet[SavedScenario]:
    """Saved scenarios of the programme, newest first (admin, analyst)."""
    access.require_portfolio_reader()
    return SavedScenario.objects.for_program(access.program).order_by("-created_at", "-id")
