"""What-if scenarios computed: each cluster's funding before and after the changes, against
its costs, in the programme currency.

The database sums each submission's funding per group of changed sources (GROUP BY
submission and group) and its costs (GROUP BY submission): four queries whatever the
number of clusters. The factors and fx rates are applied to those sums in exact Decimal
arithmetic; amounts are rounded to cents only in the answer.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from clusters.models import CostLine, FundingLine, FxRate, Program, Submission, SubmissionState
from clusters.models.sums import money_sum
from clusters.numbers import EXACT, ONE, ZERO, exact, money_text

from ..services.scenario_input import Change, Scenario

UNCHANGED = -1  # the group of funding sources no change names


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
        .annotate(amount=money_sum("amount"))
    )
    costs = (
        CostLine.objects.for_program(program)
        .filter(**approved)
        .order_by()
        .values_list("submission_id")
        .annotate(amount=money_sum("amount"))
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


@exact
def scenario_compute(
    program: Program, scenario: Scenario, sources: dict[str, str]
) -> dict[str, Any]:
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
                "funding_before": money_text(o.before),
                "funding_after": money_text(o.after),
                "costs": money_text(o.costs),
                "balance_before": money_text(o.before - o.costs),
                "balance_after": money_text(o.after - o.costs),
                "can_cover_costs_before": o.covers_before,
                "can_cover_costs_after": o.covers_after,
                "shortfall": money_text(o.shortfall),
            }
        )
    return {
        "year": scenario.year,
        "currency": program.currency,
        "changes": [c.as_json() for c in scenario.changes],
        "clusters": clusters,
        "totals": {
            "clusters": len(clusters),
            "funding_before": money_text(totals["funding_before"]),
            "funding_after": money_text(totals["funding_after"]),
            "costs": money_text(totals["costs"]),
            "balance_before": money_text(totals["funding_before"] - totals["costs"]),
            "balance_after": money_text(totals["funding_after"] - totals["costs"]),
            "shortfall": money_text(totals["shortfall"]),
            "clusters_in_deficit_before": deficit_before,
            "clusters_in_deficit_after": deficit_after,
        },
        "newly_in_deficit": newly,
        "excluded": excluded,
    }
