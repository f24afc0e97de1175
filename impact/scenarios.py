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

The funding and costs come from the funding mix's loader (``clusters.selectors.portfolio.
year_data``: GROUP BY queries, a fixed number whatever the number of clusters); the factors
are applied to its per-cluster, per-source sums in exact Decimal arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from clusters.access import Access
from clusters.models import FundingCategory, FundingSource, Program
from clusters.selectors import portfolio
from clusters.selectors.portfolio import EXACT, ONE, ZERO, money
from clusters.services.documents import _Errors, parse_decimal

from .models import SavedScenario

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
        raise ValidationError({"body": [ValidationError("Expected a JSON object.", code="invalid")]})
    for key in sorted(set(data) - SCENARIO_KEYS):
        errors.add(key, f"'{key}' is not a field of a scenario.", "unknown_field")
    year = data.get("year")
    if year is None:
        errors.add("year", "The year of the approved submissions to start from is required.", "required")
    elif isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        errors.add("year", f"'{year}' is not a year between 1900 and 2200.", "invalid")
    raw = data.get("changes")
    if not isinstance(raw, list) or not raw:
        errors.add("changes", 'At least one change {"source" or "category", "factor"} is required.', "required")
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
            errors.add(where, "Name either a funding 'source' or a funding 'category'.", "source_or_category")
        elif source is not None:
            if not isinstance(source, str) or source not in sources:
                errors.add(f"{where}.source", f"Unknown funding source '{source}'; see /funding-sources/.", "unknown_source")
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
            errors.add(f"{where}.factor", "A factor (a decimal string >= 0, e.g. \"0.5\") is required.", "required")
            factor = None
        else:
            factor = parse_decimal(row["factor"], where=f"{where}.factor", errors=errors, places=6, maximum=MAX_FACTOR)
        if target is not None:
            if target in seen:
                errors.add(where, f"{target[0].title()} '{target[1]}' is changed twice (changes {seen[target]} and {i}).", "duplicate_change")
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
        errors.add("name", "A scenario is saved under a name; send \"name\".", "required")
    errors.raise_if_any()
    assert isinstance(year, int)
    return Scenario(year=year, changes=changes, save=save, name=name.strip())


def _factors(changes: list[Change], sources: dict[str, str]) -> dict[str, Decimal]:
    """Source code -> factor for every changed source (a named source wins over its category)."""
    by_category = {c.category: c.factor for c in changes if c.category is not None}
    factors = {code: by_category[cat] for code, cat in sources.items() if cat in by_category}
    factors.update({c.source: c.factor for c in changes if c.source is not None})
    return factors


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


def cluster_outcome(row: portfolio.ClusterYear, factors: dict[str, Decimal]) -> Outcome:
    """One cluster's funding before and after the factors, exact (programme currency)."""
    after = sum(
        (EXACT.multiply(amount, factors.get(code, ONE)) for code, amount in row.by_source.items()),
        ZERO,
    )
    return Outcome(before=row.total, after=after, costs=row.costs_total)


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
    taken = ValidationError({"name": [ValidationError(
        f"A scenario named '{scenario.name}' is saved already; choose another name.",
        code="unique",
    )]})
    if SavedScenario.objects.for_program(access.program).filter(name=scenario.name).exists():
        raise taken
    try:
        with transaction.atomic():
            return SavedScenario.objects.create(
                program=access.program, name=scenario.name, year=scenario.year,
                changes=result["changes"], result=result, created_by=access.label,
            )
    except IntegrityError:  # saved by a concurrent request since the check above
        raise taken from None


def _compute(program: Program, scenario: Scenario, sources: dict[str, str]) -> dict[str, Any]:
    factors = _factors(scenario.changes, sources)
    # The funding mix's own loader: same approved submissions, same fx conversion, same
    # `excluded` (4 GROUP BY queries whatever the number of clusters).
    year = portfolio.year_data(program=program, year=scenario.year)

    clusters: list[dict[str, Any]] = []
    newly: list[str] = []
    totals = dict.fromkeys(("funding_before", "funding_after", "costs", "shortfall"), ZERO)
    deficit_before = deficit_after = 0
    for row in year.clusters:
        o = cluster_outcome(row, factors)
        deficit_before += not o.covers_before
        deficit_after += not o.covers_after
        if o.covers_before and not o.covers_after:
            newly.append(row.slug)
        totals["funding_before"] += o.before
        totals["funding_after"] += o.after
        totals["costs"] += o.costs
        totals["shortfall"] += o.shortfall
        clusters.append({
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
        })
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
        "excluded": [{"cluster": e.cluster, "reason": e.reason} for e in year.excluded],
    }


def scenario_list(*, access: Access) -> QuerySet[SavedScenario]:
    """Saved scenarios of the programme, newest first (admin, analyst)."""
    access.require_portfolio_reader()
    return SavedScenario.objects.for_program(access.program).order_by("-created_at", "-id")
