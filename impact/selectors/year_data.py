"""The data behind the portfolio figures: funding and costs of a programme-year, converted.

Three GROUP BY queries (approved submissions with their cluster, funding lines by
submission and source, cost lines by submission and category) plus one for the year's fx
rates, whatever the number of clusters. Conversion into the programme currency is exact
``Decimal`` arithmetic over at most clusters x sources rows; nothing is rounded here.

The figures themselves (``impact.selectors.funding``) are pure functions of a
``YearData``, so every interface and the stored snapshots agree.
"""

from __future__ import annotations

import contextlib
import contextvars
import decimal
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum

from clusters.models import (
    CostCategory,
    CostLine,
    FundingCategory,
    FxRate,
    Program,
    Submission,
    SubmissionState,
)
from clusters.models.sums import ExactSum, money_sum
from clusters.numbers import EXACT, ONE, RATIO, ZERO, exact

CATEGORIES = tuple(FundingCategory.values)  # public, private, project
COST_CATEGORIES = tuple(CostCategory.values)  # setup, staff, operations, projects


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
                .annotate(
                    **{cat: money_sum("amount", filter=Q(category=cat)) for cat in COST_CATEGORIES}
                )
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

    def filtered(self, cluster_ids: set[int] | None) -> YearData:
        """Only the clusters with these ids (``clusters.filters.figure_cluster_ids``, the one
        cluster filter); ``None`` keeps every cluster."""
        if cluster_ids is None:
            return self
        return YearData(
            self.program,
            self.year,
            [c for c in self.clusters if c.cluster_id in cluster_ids],
            [e for e in self.excluded if self.excluded_attrs[e.cluster].cluster_id in cluster_ids],
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
            .annotate(amount=money_sum("funding__amount"))
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
    cluster_id: int
    stage: str
    category: str
    region: str
    sector: str


def _category_sum(category: str) -> ExactSum:
    return money_sum("funding__amount", filter=Q(funding__source__category=category))


@exact
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
            # Only the HHI (a ratio shown with 8 decimals) uses this: a float sum on SQLite
            # is far more precise than that; PostgreSQL's is exact.
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
            excluded_attrs[slug] = _Attrs(cluster_id, stage, category, region, sector)
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
