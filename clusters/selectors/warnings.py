"""Warnings before submitting: the programme's soft rules over one submission.

Each programme has one ``WarningRule`` per kind (a default set is created with the
programme). A rule that fires gives a ``Warning`` ``{"rule", "field", "message",
"blocking"}``; warnings are shown on the submission (computed on every read, so a save
answers with the warnings of what it saved, and a changed rule applies at once), in the
period status, and a ``blocking`` one refuses ``submit`` (``workflow.py``).

"Last year" is the cluster's **approved** submission of the year before; "history" is its
approved submissions of every earlier year: only reviewed figures are a yardstick.

| rule | params (default) | fires when |
|---|---|---|
| ``funding_change`` | ``max_change_percent`` (30) | abs(total - last total) / last total * 100 > X (last total > 0) |
| ``costs_over_funding`` | ``max_excess_percent`` (10) | costs > funding * (1 + Y / 100), or costs > 0 with no funding |
| ``kpi_outlier`` | ``factor`` (3) | a KPI value > N * the highest earlier value (when that is > 0), or < the lowest earlier value / N |
| ``source_disappeared`` | | a source with an amount > 0 last year has none (or 0) this year |
| ``public_share`` | ``max_share`` (0.5) | public funding / total funding > the threshold (total > 0) |
| ``required_kpis`` | ``kpis`` (["members_total"]) | one warning per listed KPI the submission does not report |

Money is compared exactly (``Decimal`` in the exact context) in the submission's currency.
When last year's submission is in another currency, both totals are converted into the
programme currency with the fx rate of their own year; without such a rate the rule says
so in a non-blocking warning instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Max, Min

from ..models import (
    FundingCategory,
    FundingLine,
    FxRate,
    KpiValue,
    Program,
    Submission,
    SubmissionState,
    WarningRule,
    WarningRuleKind,
)
from ..numbers import EXACT, RATIO, ZERO, exact, money_text, number_text

# Copied into migration 0006 for existing programmes; program_create uses this.
DEFAULT_RULES: dict[str, dict[str, Any]] = {
    WarningRuleKind.FUNDING_CHANGE: {"max_change_percent": "30"},
    WarningRuleKind.COSTS_OVER_FUNDING: {"max_excess_percent": "10"},
    WarningRuleKind.KPI_OUTLIER: {"factor": "3"},
    WarningRuleKind.SOURCE_DISAPPEARED: {},
    WarningRuleKind.PUBLIC_SHARE: {"max_share": "0.5"},
    WarningRuleKind.REQUIRED_KPIS: {"kpis": ["members_total"]},
}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Warning:
    rule: str
    field: str
    message: str
    blocking: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Reported:
    """What one submission reports, by code."""

    year: int
    currency: str
    funding: dict[str, tuple[str, Decimal]] = field(
        default_factory=dict
    )  # code: (category, amount)
    costs: dict[str, Decimal] = field(default_factory=dict)
    kpis: dict[str, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, submission: Submission) -> Reported:
        """From a submission whose lines are loaded (``submission_list`` prefetches them)."""
        return cls(
            year=submission.year,
            currency=submission.currency,
            funding={
                f.source.code: (f.source.category, f.amount) for f in submission.funding.all()
            },
            costs={c.category: c.amount for c in submission.costs.all()},
            kpis={k.kpi.code: k.value for k in submission.kpis.all()},
        )

    @property
    def funding_total(self) -> Decimal:
        return sum((amount for _, amount in self.funding.values()), ZERO)

    @property
    def costs_total(self) -> Decimal:
        return sum(self.costs.values(), ZERO)


@dataclass
class Past:
    """A submission's yardsticks: last year's approved submission and, per KPI, the lowest
    and highest approved value of every earlier year."""

    last: Reported | None = None
    kpi_range: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Yardsticks:
    program_currency: str
    rates: dict[tuple[int, str], Decimal]  # (year, currency): rate into the programme currency

    def in_programme_currency(self, amount: Decimal, currency: str, year: int) -> Decimal | None:
        if currency == self.program_currency:
            return amount
        rate = self.rates.get((year, currency))
        return None if rate is None else amount * rate


def _pct(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=EXACT))


def _param(rule: WarningRule, name: str) -> Decimal:
    value = rule.params.get(name, DEFAULT_RULES[rule.rule].get(name))
    return Decimal(str(value))


def _warn(
    rule: WarningRule, field_name: str, message: str, *, blocking: bool | None = None
) -> Warning:
    return Warning(rule.rule, field_name, message, rule.blocking if blocking is None else blocking)


def _funding_change(rule: WarningRule, now: Reported, past: Past, ys: Yardsticks) -> list[Warning]:
    last = past.last
    if last is None:
        return []
    before, after, unit = last.funding_total, now.funding_total, now.currency
    if last.currency != now.currency:
        was = ys.in_programme_currency(before, last.currency, last.year)
        is_ = ys.in_programme_currency(after, now.currency, now.year)
        if was is None or is_ is None:
            missing = (last.currency, last.year) if was is None else (now.currency, now.year)
            return [
                _warn(
                    rule,
                    "funding",
                    f"Total funding cannot be compared with {last.year} ({last.currency}): "
                    f"there is no fx rate for {missing[0]} in {missing[1]}.",
                    blocking=False,
                )
            ]
        before, after, unit = was, is_, ys.program_currency
    if before <= 0:
        return []
    change = RATIO.divide((after - before) * HUNDRED, before)
    limit = _param(rule, "max_change_percent")
    if abs(change) <= limit:
        return []
    sign = "+" if change > 0 else ""
    return [
        _warn(
            rule,
            "funding",
            f"Total funding changed by {sign}{_pct(change)} % from {last.year} "
            f"({money_text(before)} to {money_text(after)} {unit}); the programme asks about "
            f"changes above {number_text(limit)} %.",
        )
    ]


def _costs_over_funding(
    rule: WarningRule, now: Reported, past: Past, ys: Yardsticks
) -> list[Warning]:
    funding, costs = now.funding_total, now.costs_total
    if costs <= funding:
        return []
    limit = _param(rule, "max_excess_percent")
    if funding <= 0:
        return [
            _warn(
                rule,
                "costs",
                f"Costs of {money_text(costs)} {now.currency} have no funding at all.",
            )
        ]
    if costs <= funding * (1 + limit / HUNDRED):
        return []
    excess = RATIO.divide((costs - funding) * HUNDRED, funding)
    return [
        _warn(
            rule,
            "costs",
            f"Costs ({money_text(costs)} {now.currency}) exceed funding "
            f"({money_text(funding)}) by {_pct(excess)} %; the programme asks about more "
            f"than {number_text(limit)} %.",
        )
    ]


def _kpi_outlier(rule: WarningRule, now: Reported, past: Past, ys: Yardsticks) -> list[Warning]:
    factor = _param(rule, "factor")
    out = []
    for code, value in now.kpis.items():
        if code not in past.kpi_range:
            continue
        low, high = past.kpi_range[code]
        if high > 0 and value > factor * high:
            why = f"more than {number_text(factor)} times the highest earlier value ({number_text(high)})"
        elif low > 0 and value * factor < low:
            why = f"less than the lowest earlier value ({number_text(low)}) divided by {number_text(factor)}"
        else:
            continue
        out.append(_warn(rule, f"kpis.{code}.value", f"{code} is {number_text(value)}: {why}."))
    return out


def _source_disappeared(
    rule: WarningRule, now: Reported, past: Past, ys: Yardsticks
) -> list[Warning]:
    last = past.last
    if last is None:
        return []
    out = []
    for code, (_, amount) in last.funding.items():
        if amount > 0 and now.funding.get(code, ("", ZERO))[1] <= 0:
            out.append(
                _warn(
                    rule,
                    f"funding.{code}.amount",
                    f"{code} gave {money_text(amount)} {last.currency} in {last.year} and "
                    f"gives nothing in {now.year}.",
                )
            )
    return out


def _public_share(rule: WarningRule, now: Reported, past: Past, ys: Yardsticks) -> list[Warning]:
    total = now.funding_total
    if total <= 0:
        return []
    public = sum(
        (a for category, a in now.funding.values() if category == FundingCategory.PUBLIC), ZERO
    )
    share = RATIO.divide(public, total)
    limit = _param(rule, "max_share")
    if share <= limit:
        return []
    return [
        _warn(
            rule,
            "funding",
            f"Public funding is {_pct(share * HUNDRED)} % of the total ({money_text(public)} of "
            f"{money_text(total)} {now.currency}); the programme's threshold is "
            f"{_pct(limit * HUNDRED)} %.",
        )
    ]


def _required_kpis(rule: WarningRule, now: Reported, past: Past, ys: Yardsticks) -> list[Warning]:
    codes = rule.params.get("kpis", DEFAULT_RULES[rule.rule]["kpis"])
    return [
        _warn(
            rule,
            f"kpis.{code}.value",
            f"The programme requires the KPI {code}; it is missing.",
        )
        for code in codes
        if code not in now.kpis
    ]


Check = Callable[[WarningRule, Reported, Past, Yardsticks], list[Warning]]

# By the rule's kind as stored (WarningRuleKind values).
CHECKS: dict[str, Check] = {
    WarningRuleKind.FUNDING_CHANGE: _funding_change,
    WarningRuleKind.COSTS_OVER_FUNDING: _costs_over_funding,
    WarningRuleKind.KPI_OUTLIER: _kpi_outlier,
    WarningRuleKind.SOURCE_DISAPPEARED: _source_disappeared,
    WarningRuleKind.PUBLIC_SHARE: _public_share,
    WarningRuleKind.REQUIRED_KPIS: _required_kpis,
}


@exact
def evaluate(
    *, rules: Iterable[WarningRule], now: Reported, past: Past, yardsticks: Yardsticks
) -> list[Warning]:
    """The warnings of one submission (pure: no query), in rule order."""
    out: list[Warning] = []
    for rule in rules:
        if rule.enabled:
            out.extend(CHECKS[rule.rule](rule, now, past, yardsticks))
    return out


# --- loading: four queries for any number of submissions ------------------------------

TARGET = "submission__cluster__submissions"  # from a line of an earlier year to the target


def _pasts(program: Program | int, targets: Sequence[Submission]) -> dict[int, Past]:
    ids = [s.pk for s in targets]
    pasts = {pk: Past() for pk in ids}
    # Lines of the approved submission of the year before each target (same cluster): the
    # two joins to submissions are one join, as both conditions sit in one filter().
    previous = (
        FundingLine.objects.for_program(program)
        .filter(
            submission__state=SubmissionState.APPROVED,
            **{f"{TARGET}__in": ids, "submission__year": F(f"{TARGET}__year") - 1},
        )
        .order_by()
        .values_list(
            TARGET,
            "submission__year",
            "submission__currency",
            "source__code",
            "source__category",
            "amount",
        )
    )
    for target, year, currency, code, category, amount in previous:
        past = pasts[target]
        if past.last is None:
            past.last = Reported(year=year, currency=currency)
        past.last.funding[code] = (category, amount)
    ranges = (
        KpiValue.objects.for_program(program)
        .filter(
            submission__state=SubmissionState.APPROVED,
            **{f"{TARGET}__in": ids, "submission__year__lt": F(f"{TARGET}__year")},
        )
        .order_by()
        .values(TARGET, "kpi__code")
        .annotate(low=Min("value"), high=Max("value"))
    )
    for row in ranges:
        pasts[row[TARGET]].kpi_range[row["kpi__code"]] = (row["low"], row["high"])
    return pasts


def warnings_for(
    *, program: Program, submissions: Sequence[Submission]
) -> dict[int, list[Warning]]:
    """Warnings by submission id, in four queries whatever the number of submissions (rules,
    last years' lines, KPI history, fx rates). The submissions' lines must be loaded
    (``submission_list`` and ``period_status`` prefetch them)."""
    if not submissions:
        return {}
    rules = list(WarningRule.objects.for_program(program).filter(enabled=True).order_by("id"))
    pasts = _pasts(program, submissions)
    years = {s.year for s in submissions} | {s.year - 1 for s in submissions}
    rates = {
        (year, currency): rate
        for year, currency, rate in FxRate.objects.for_program(program)
        .filter(year__in=years)
        .values_list("year", "currency", "rate")
    }
    yardsticks = Yardsticks(program.currency, rates)
    return {
        s.pk: evaluate(rules=rules, now=Reported.of(s), past=pasts[s.pk], yardsticks=yardsticks)
        for s in submissions
    }


def submission_warnings(*, program: Program, submission: Submission) -> list[Warning]:
    return warnings_for(program=program, submissions=[submission])[submission.pk]


def warning_rule_list(*, access: Any) -> Any:
    """The programme's rules in a fixed order (every role of the programme may read them)."""
    return WarningRule.objects.for_program(access.program).order_by("id")
