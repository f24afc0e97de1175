"""Reads behind the portfolio figures: funding and costs of a programme-year, converted.

Three GROUP BY queries (approved submissions with their cluster, funding lines by
submission and source, cost lines by submission and category) plus one for the year's fx
rates, whatever the number of clusters. Conversion into the programme currency is exact
``Decimal`` arithmetic over at most clusters x sources rows; nothing is rounded here.

The figures themselves (funding mix, per-cluster rows, cost structure, public reliance)
are pure functions of a ``YearData`` so every interface and the stored snapshots agree.
"""

from __future__ import annotations

import contextlib
import contextvars
import decimal
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum

from ..models import (
    CostCategory,
    CostLine,
    FundingCategory,
    FxRate,
    Program,
    Submission,
    SubmissionState,
)

ZERO = Decimal(0)
ONE = Decimal(1)
CATEGORIES = tuple(FundingCategory.values)  # public, private, project
COST_CATEGORIES = tuple(CostCategory.values)  # setup, staff, operations, projects
GROUP_BY_FIELDS = ("stage", "category", "region", "sector")
CLUSTER_FILTERS = ("stage", "category", "region", "sector")

# Products of a 10^12 amount and a rate with 10 decimals need more than the default 28
# significant digits to stay exact.
EXACT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN)
# Shares and ratios are not money: 34 significant digits are far beyond the 8 decimals
# they are shown with, and much cheaper than the exact context.
RATIO = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
CENT = Decimal("0.01")
SHARE_PLACES = Decimal("1e-8")


def _exact(fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` with the exact decimal context, so sums are never rounded either."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        with decimal.localcontext(EXACT):
            return fn(*args, **kwargs)

    return wrapper


@dataclass
class ClusterYear:
    """One approved submission of the year, converted into the programme currency."""

    submission_id: int
    cluster_id: int
    slug: str
    name: str
    stage: str
    category: str
    region: str
    sector: str
    currency: str
    rate: Decimal
    # funding category -> converted amount
    funding: dict[str, Decimal]
    # sum of the squared converted line amounts (a submission has one line per source)
    sumsq: Decimal
    costs: dict[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.total = sum(self.funding.values(), ZERO)
        # ratios, computed once: a cluster is in the whole mix and in one group per group_by
        self._public_share: Decimal | None = (
            RATIO.divide(self.funding["public"], self.total) if self.total > 0 else None
        )
        self._hhi: Decimal | None = (
            RATIO.divide(self.sumsq, self.total * self.total) if self.total > 0 else None
        )

    @property
    def costs_total(self) -> Decimal:
        return sum(self.costs.values(), ZERO)

    def public_share(self) -> Decimal | None:
        return self._public_share

    def hhi(self) -> Decimal | None:
        """Herfindahl-Hirschman index of the source shares: sum of (amount / total)^2."""
        return self._hhi


@dataclass
class Excluded:
    cluster: str
    reason: str


@dataclass(frozen=True)
class SourceTotal:
    code: str
    category: str
    amount: Decimal


@dataclass
class YearData:
    """The counted clusters of a programme-year (optionally filtered) and the excluded ones.

    Per-source totals are read on demand (``sources``), grouped in the database, for the
    same clusters: the whole programme, a filtered subset (by cluster id), or by group.
    """

    program: Program
    year: int
    clusters: list[ClusterYear]
    excluded: list[Excluded]
    rates: dict[str, Decimal]
    # slug -> registry attributes of excluded clusters, so filters and groups apply to them
    excluded_attrs: dict[str, Any]
    is_filtered: bool = False
    _sources: dict[Any, Any] = field(default_factory=dict, repr=False)
    # shared by a YearData and its filtered copies: every counted submission by id, and
    # whether their costs are loaded (only the cost figures need them)
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)

    def with_costs(self) -> YearData:
        """Load the costs of every counted submission (one GROUP BY query, once)."""
        if not self._shared.get("costs_loaded"):
            by_submission = self._shared["by_submission"]
            costs = (
                CostLine.objects.for_program(self.program)
                .filter(submission__year=self.year, submission__state=SubmissionState.APPROVED)
                .values_list("submission_id")
                .annotate(**{cat: Sum("amount", filter=Q(category=cat)) for cat in COST_CATEGORIES})
                .order_by()
            )
            with decimal.localcontext(EXACT):
                for submission_id, *amounts in costs:
                    row = by_submission.get(submission_id)
                    if row is None:
                        continue  # an excluded submission
                    row.costs = {
                        cat: amount * row.rate
                        for cat, amount in zip(COST_CATEGORIES, amounts, strict=True)
                        if amount is not None
                    }
            self._shared["costs_loaded"] = True
        return self

    @property
    def currency(self) -> str:
        return self.program.currency

    def filtered(self, **filters: str | None) -> YearData:
        """Only the clusters matching the registry filters (region/sector case-insensitive)."""
        wanted = {k: v for k, v in filters.items() if v not in (None, "")}
        if not wanted:
            return self

        def match(attrs: Any) -> bool:
            for key, value in wanted.items():
                have = getattr(attrs, key)
                if key in ("region", "sector"):
                    if have.casefold() != str(value).casefold():
                        return False
                elif have != value:
                    return False
            return True

        return YearData(
            self.program,
            self.year,
            [c for c in self.clusters if match(c)],
            [e for e in self.excluded if match(self.excluded_attrs[e.cluster])],
            self.rates,
            self.excluded_attrs,
            is_filtered=True,
            _shared=self._shared,
        )

    def sources(self, group_by: str | None = None) -> dict[Any, list[SourceTotal]]:
        """Converted totals per funding source (one GROUP BY query), keyed by group value
        (``None`` without ``group_by``); sorted by amount, largest first."""
        if group_by in self._sources:
            return self._sources[group_by]
        # From the submissions' side: the (programme, year, state) index finds the year's
        # submissions and their lines come by submission id, as a hand-written query would;
        # filtering the lines by their own programme id made the planner read every line
        # of every year of the programme.
        qs = Submission.objects.for_program(self.program).filter(
            year=self.year, state=SubmissionState.APPROVED
        )
        if self.is_filtered:
            qs = qs.filter(pk__in=[c.submission_id for c in self.clusters])
        group_field = f"cluster__{group_by}" if group_by else None
        fields = ["funding__source__code", "funding__source__category", "currency"]
        rows = (
            qs.values_list(*fields, *([group_field] if group_field else []))
            .annotate(amount=Sum("funding__amount"))
            .order_by()
        )
        totals: dict[Any, dict[str, Decimal]] = {}
        categories: dict[str, str] = {}
        with decimal.localcontext(EXACT):
            self._add_rows(rows, group_field is not None, totals, categories)
        out = {
            key: sorted(
                (SourceTotal(code, categories[code], amount) for code, amount in by_code.items()),
                key=lambda s: (-s.amount, s.code),
            )
            for key, by_code in totals.items()
        }
        self._sources[group_by] = out
        return out

    def _add_rows(
        self,
        rows: Any,
        grouped: bool,
        totals: dict[Any, dict[str, Decimal]],
        categories: dict[str, str],
    ) -> None:
        for row in rows:
            code, category, currency = row[0], row[1], row[2]
            if code is None:
                continue  # a submission without funding lines (the outer join's null row)
            key = row[3] if grouped else None
            rate = ONE if currency == self.program.currency else self.rates.get(currency)
            if rate is None:
                continue  # an excluded submission
            categories[code] = category
            bucket = totals.setdefault(key, {})
            bucket[code] = bucket.get(code, ZERO) + row[-1] * rate


_memo: contextvars.ContextVar[dict[tuple[int, int], YearData] | None] = contextvars.ContextVar(
    "portfolio_year_data_memo", default=None
)


@contextlib.contextmanager
def year_data_memo() -> Iterator[None]:
    """Load each programme-year once inside the block (one recompute serves every figure)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


@dataclass
class _Attrs:
    stage: str
    category: str
    region: str
    sector: str


def _category_sum(category: str) -> Sum:
    return Sum("funding__amount", filter=Q(funding__source__category=category))


@_exact
def year_data(*, program: Program, year: int) -> YearData:
    """Approved submissions of the year with funding and costs in the programme currency.

    Two queries whatever the number of clusters: the submissions with their cluster and
    the year's fx rate of their currency (no GROUP BY: one row a submission), and the
    funding lines summed per submission and category (grouped by the submission id alone,
    not by the cluster's text columns; with the sum of squared line amounts, for the
    HHI). Costs come with ``with_costs()`` (one more). Amounts are summed in the
    submission's currency and then multiplied by the rate: exact, since one rate applies
    to a whole submission, and on SQLite (REAL amounts) the sums come back as the
    DecimalField's cents before any rate touches them.
    """
    memo = _memo.get()
    if memo is not None and (program.pk, year) in memo:
        return memo[(program.pk, year)]

    fx_rate = (
        FxRate.objects.for_program(program)
        .filter(year=year, currency=OuterRef("currency"))
        .values("rate")[:1]
    )
    subs = (
        Submission.objects.for_program(program)
        .filter(year=year, state=SubmissionState.APPROVED)
        .annotate(fx_rate=Subquery(fx_rate))
        .values_list(
            "pk",
            "cluster_id",
            "cluster__slug",
            "cluster__name",
            "cluster__stage",
            "cluster__category",
            "cluster__region",
            "cluster__sector",
            "currency",
            "fx_rate",
        )
        .order_by("cluster__slug")
    )
    amount = F("funding__amount")
    sums = {
        submission_id: rest
        for submission_id, *rest in Submission.objects.for_program(program)
        .filter(year=year, state=SubmissionState.APPROVED)
        .values_list("pk")
        .annotate(
            public=_category_sum(FundingCategory.PUBLIC),
            private=_category_sum(FundingCategory.PRIVATE),
            project=_category_sum(FundingCategory.PROJECT),
            sumsq=Sum(amount * amount, output_field=DecimalField(max_digits=40, decimal_places=4)),
        )
        .order_by()
    }
    rates: dict[str, Decimal] = {}
    by_submission: dict[int, ClusterYear] = {}
    excluded: list[Excluded] = []
    excluded_attrs: dict[str, Any] = {}
    no_lines = (None, None, None, None)
    public_key, private_key, project_key = (
        FundingCategory.PUBLIC.value,
        FundingCategory.PRIVATE.value,
        FundingCategory.PROJECT.value,
    )
    for pk, cluster_id, slug, name, stage, category, region, sector, currency, sub_rate in subs:
        if currency == program.currency:
            rate = ONE
        elif sub_rate is not None:
            rate = rates[currency] = sub_rate
        else:
            excluded.append(Excluded(slug, f"no fx rate for {currency} in {year}"))
            excluded_attrs[slug] = _Attrs(stage, category, region, sector)
            continue
        public, private, project, sumsq = sums.get(pk, no_lines)
        by_submission[pk] = ClusterYear(
            pk,
            cluster_id,
            slug,
            name,
            stage,
            category,
            region,
            sector,
            currency,
            rate,
            {
                public_key: (public or ZERO) * rate,
                private_key: (private or ZERO) * rate,
                project_key: (project or ZERO) * rate,
            },
            (sumsq or ZERO) * rate * rate,
        )
    data = YearData(
        program,
        year,
        list(by_submission.values()),
        excluded,
        rates,
        excluded_attrs,
        _shared={"by_submission": by_submission},
    )
    if memo is not None:
        memo[(program.pk, year)] = data
    return data


# --- output helpers: the only place amounts are rounded ---------------------------------


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=decimal.ROUND_HALF_UP))


def share(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(value.quantize(SHARE_PLACES, rounding=decimal.ROUND_HALF_EVEN))


def ratio(part: Decimal, whole: Decimal) -> Decimal:
    return RATIO.divide(part, whole) if whole > 0 else ZERO


def _stats(values: list[Decimal]) -> dict[str, float | None]:
    if not values:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {
        "mean": share(RATIO.divide(sum(values, ZERO), Decimal(len(values)))),
        "median": share(median(sorted(values))),
        "min": share(min(values)),
        "max": share(max(values)),
    }


# --- the figures -------------------------------------------------------------------------


@dataclass
class FundingMixTotals:
    """The exact (unrounded) sums behind a funding mix; tests check these to the last digit."""

    total: Decimal
    by_category: dict[str, Decimal]
    by_source: dict[str, Decimal]


@_exact
def funding_mix_totals(
    data: YearData, sources: list[SourceTotal] | None = None
) -> FundingMixTotals:
    """Totals by category (from the per-cluster sums) and by source (from its own GROUP BY)."""
    if sources is None:
        sources = data.sources().get(None, [])
    by_category = dict.fromkeys(CATEGORIES, ZERO)
    for c in data.clusters:
        for cat, amount in c.funding.items():
            by_category[cat] += amount
    return FundingMixTotals(
        sum(by_category.values(), ZERO), by_category, {s.code: s.amount for s in sources}
    )


@_exact
def funding_mix(data: YearData, sources: list[SourceTotal] | None = None) -> dict[str, Any]:
    """The CONTRACT.md funding-mix object for the clusters of ``data``."""
    if sources is None:
        sources = data.sources().get(None, [])
    totals = funding_mix_totals(data, sources)
    total = totals.total
    counted = [c for c in data.clusters if c.total > 0]
    return {
        "year": data.year,
        "currency": data.currency,
        "clusters": len(data.clusters),
        "total": money(total),
        "by_category": {
            cat: {"amount": money(amount), "share": share(ratio(amount, total))}
            for cat, amount in totals.by_category.items()
        },
        "by_source": [
            {
                "source": s.code,
                "category": s.category,
                "amount": money(s.amount),
                "share": share(ratio(s.amount, total)),
            }
            for s in sources
        ],
        "cluster_public_share": _stats([c.public_share() for c in counted]),  # type: ignore[misc]
        "mean_hhi": (
            share(RATIO.divide(sum((c.hhi() for c in counted), ZERO), Decimal(len(counted))))  # type: ignore[misc]
            if counted
            else None
        ),
        "excluded": [{"cluster": e.cluster, "reason": e.reason} for e in data.excluded],
    }


def funding_mix_groups(data: YearData, group_by: str) -> dict[str, Any]:
    """One funding mix per value of a registry field (stage, category, region, sector)."""
    if group_by not in GROUP_BY_FIELDS:
        raise ValueError(group_by)
    keys = sorted(
        {getattr(c, group_by) for c in data.clusters}
        | {getattr(data.excluded_attrs[e.cluster], group_by) for e in data.excluded}
    )
    sources = data.sources(group_by)
    members: dict[str, list[ClusterYear]] = {key: [] for key in keys}
    for c in data.clusters:
        members[getattr(c, group_by)].append(c)
    outside: dict[str, list[Excluded]] = {key: [] for key in keys}
    for e in data.excluded:
        outside[getattr(data.excluded_attrs[e.cluster], group_by)].append(e)
    groups = [
        {
            "key": key,
            **funding_mix(
                YearData(
                    data.program,
                    data.year,
                    members[key],
                    outside[key],
                    data.rates,
                    data.excluded_attrs,
                    is_filtered=True,
                    _shared=data._shared,
                ),
                sources.get(key, []),
            ),
        }
        for key in keys
    ]
    return {"year": data.year, "group_by": group_by, "groups": groups}


@_exact
def cluster_rows(data: YearData) -> dict[str, Any]:
    """Each counted cluster's total, category shares, public share, HHI, costs and balance."""
    data = data.with_costs()
    rows = []
    for c in data.clusters:
        total = c.total
        amounts = c.funding
        costs_total = c.costs_total
        rows.append(
            {
                "cluster": c.slug,
                "name": c.name,
                "stage": c.stage,
                "category": c.category,
                "region": c.region,
                "sector": c.sector,
                "submission_currency": c.currency,
                "total": money(total),
                "by_category": {
                    cat: {"amount": money(a), "share": share(ratio(a, total))}
                    for cat, a in amounts.items()
                },
                "public_share": share(c.public_share()),
                "hhi": share(c.hhi()),
                "costs_total": money(costs_total),
                "balance": money(total - costs_total),
            }
        )
    return {
        "year": data.year,
        "currency": data.currency,
        "clusters": rows,
        "excluded": [{"cluster": e.cluster, "reason": e.reason} for e in data.excluded],
    }


@_exact
def cost_structure(data: YearData) -> dict[str, Any]:
    """Cost totals and shares by category, funding against costs, and the deficit clusters."""
    data = data.with_costs()
    by_category = dict.fromkeys(COST_CATEGORIES, ZERO)
    funding_total = ZERO
    deficits = []
    for c in data.clusters:
        for cat, amount in c.costs.items():
            by_category[cat] += amount
        funding = c.total
        costs_total = c.costs_total
        funding_total += funding
        if funding < costs_total:
            deficits.append((funding - costs_total, c, funding, costs_total))
    total = sum(by_category.values(), ZERO)
    deficits.sort(key=lambda d: (d[0], d[1].slug))
    return {
        "year": data.year,
        "currency": data.currency,
        "clusters": len(data.clusters),
        "total": money(total),
        "by_category": {
            cat: {"amount": money(a), "share": share(ratio(a, total))}
            for cat, a in by_category.items()
        },
        "funding_total": money(funding_total),
        "balance": money(funding_total - total),
        "deficit_clusters": [
            {
                "cluster": c.slug,
                "name": c.name,
                "funding": money(funding),
                "costs": money(costs_total),
                "balance": money(balance),
            }
            for balance, c, funding, costs_total in deficits
        ],
        "excluded": [{"cluster": e.cluster, "reason": e.reason} for e in data.excluded],
    }


@_exact
def public_shares(data: YearData) -> dict[str, Any]:
    """Each counted cluster's public share (null when its total is 0): the trend's input."""
    return {
        "year": data.year,
        "shares": {c.slug: share(c.public_share()) for c in data.clusters},
        "names": {c.slug: c.name for c in data.clusters},
    }


# Thresholds for reading a public-share trend; DOMAIN.md's Health Valley went 0.9 -> 0.4.
MOVING = 0.05


def public_reliance(
    *, year_shares: dict[str, Any], trend_shares: Iterable[dict[str, Any]], threshold: float
) -> dict[str, Any]:
    """Clusters above the public-share threshold in the year, and everyone's trend.

    ``year_shares`` and each of ``trend_shares`` are ``public_shares`` payloads (stored or
    computed). A trend's ``direction``: ``towards_private`` when the share fell by at least
    0.05 from its first to its last counted year, ``towards_public`` when it rose by as
    much, ``stuck`` when it stayed above the threshold in every counted year, else
    ``stable``; ``insufficient_data`` with fewer than two counted years.
    """
    shares = year_shares["shares"]
    names: dict[str, str] = dict(year_shares.get("names", {}))
    above = sorted(
        (
            {"cluster": slug, "name": names.get(slug, slug), "public_share": s}
            for slug, s in shares.items()
            if s is not None and s > threshold
        ),
        key=lambda r: (-r["public_share"], r["cluster"]),
    )
    series: dict[str, list[dict[str, Any]]] = {}
    for payload in sorted(trend_shares, key=lambda p: p["year"]):
        names.update(payload.get("names", {}))
        for slug, s in payload["shares"].items():
            if s is not None:
                series.setdefault(slug, []).append({"year": payload["year"], "public_share": s})
    trend = []
    for slug in sorted(series):
        points = series[slug]
        change = round(points[-1]["public_share"] - points[0]["public_share"], 8)
        if len(points) < 2:
            direction = "insufficient_data"
        elif change <= -MOVING:
            direction = "towards_private"
        elif change >= MOVING:
            direction = "towards_public"
        elif all(p["public_share"] > threshold for p in points):
            direction = "stuck"
        else:
            direction = "stable"
        trend.append(
            {
                "cluster": slug,
                "name": names.get(slug, slug),
                "points": points,
                "change": change if len(points) >= 2 else None,
                "direction": direction,
            }
        )
    return {
        "year": year_shares["year"],
        "threshold": threshold,
        "clusters_counted": sum(1 for s in shares.values() if s is not None),
        "above_threshold": above,
        "trend": trend,
    }
