"""The portfolio figures of a programme-year: funding mix (whole, filtered, grouped),
per-cluster rows, cost structure, public shares and public reliance.

Pure functions of a ``YearData`` (``impact.selectors.year_data``): every interface and the
stored snapshots agree. Amounts are exact ``Decimal`` until they are written out with the
number kit (money to the cent, shares with 8 decimals).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any

from clusters.filters import GROUP_BY_FIELDS
from clusters.numbers import ZERO, exact, mean, money_text, ratio, share_float

from .year_data import (
    CATEGORIES,
    COST_CATEGORIES,
    ClusterYear,
    Excluded,
    SourceTotal,
    YearData,
)


def _stats(values: list[Decimal]) -> dict[str, float | None]:
    if not values:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {
        "mean": share_float(mean(values)),
        "median": share_float(median(sorted(values))),
        "min": share_float(min(values)),
        "max": share_float(max(values)),
    }


# --- the figures -------------------------------------------------------------------------


@dataclass
class FundingMixTotals:
    """The exact (unrounded) sums behind a funding mix; tests check these to the last digit."""

    total: Decimal
    by_category: dict[str, Decimal]
    by_source: dict[str, Decimal]


@exact
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


@exact
def funding_mix(data: YearData, sources: list[SourceTotal] | None = None) -> dict[str, Any]:
    """The CONTRACT.md funding-mix object for the clusters of ``data``."""
    if sources is None:
        sources = data.sources().get(None, [])
    totals = funding_mix_totals(data, sources)
    total = totals.total
    counted = [c for c in data.clusters if c.total > 0]
    # A cluster with funding has both figures; the walrus only tells the type checker so.
    public_shares = [s for c in counted if (s := c.public_share()) is not None]
    hhis = [h for c in counted if (h := c.hhi()) is not None]
    return {
        "year": data.year,
        "currency": data.currency,
        "clusters": len(data.clusters),
        "total": money_text(total),
        "by_category": {
            cat: {"amount": money_text(amount), "share": share_float(ratio(amount, total))}
            for cat, amount in totals.by_category.items()
        },
        "by_source": [
            {
                "source": s.code,
                "category": s.category,
                "amount": money_text(s.amount),
                "share": share_float(ratio(s.amount, total)),
            }
            for s in sources
        ],
        "cluster_public_share": _stats(public_shares),
        "mean_hhi": share_float(mean(hhis)) if hhis else None,
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


@exact
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
                "total": money_text(total),
                "by_category": {
                    cat: {"amount": money_text(a), "share": share_float(ratio(a, total))}
                    for cat, a in amounts.items()
                },
                "public_share": share_float(c.public_share()),
                "hhi": share_float(c.hhi()),
                "costs_total": money_text(costs_total),
                "balance": money_text(total - costs_total),
            }
        )
    return {
        "year": data.year,
        "currency": data.currency,
        "clusters": rows,
        "excluded": [{"cluster": e.cluster, "reason": e.reason} for e in data.excluded],
    }


@exact
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
        "total": money_text(total),
        "by_category": {
            cat: {"amount": money_text(a), "share": share_float(ratio(a, total))}
            for cat, a in by_category.items()
        },
        "funding_total": money_text(funding_total),
        "balance": money_text(funding_total - total),
        "deficit_clusters": [
            {
                "cluster": c.slug,
                "name": c.name,
                "funding": money_text(funding),
                "costs": money_text(costs_total),
                "balance": money_text(balance),
            }
            for balance, c, funding, costs_total in deficits
        ],
        "excluded": [{"cluster": e.cluster, "reason": e.reason} for e in data.excluded],
    }


@exact
def public_shares(data: YearData) -> dict[str, Any]:
    """Each counted cluster's public share (null when its total is 0): the trend's input."""
    return {
        "year": data.year,
        "shares": {c.slug: share_float(c.public_share()) for c in data.clusters},
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
