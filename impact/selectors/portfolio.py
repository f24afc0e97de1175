"""The portfolio figures as the interfaces ask for them: validate the request, then serve.

Each ``*_serve`` checks the caller's role (admins and analysts), the year and filters with
the validation kit and the one cluster filter, and answers a ``Served`` figure: stored by
the recompute task, or computed on demand (``impact.selectors.figures``). REST, GraphQL
and the reports call these, so the same bad request gets the same problem everywhere.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clusters.access import Access
from clusters.filters import GROUP_BY_FIELDS, figure_cluster_ids, figure_filters
from clusters.models import Program
from clusters.validation import Problems, check_choice, check_share, check_year, require_year_range

from ..figures import register_figure
from . import funding
from .figures import Served, figure_serve, figure_serve_years
from .year_data import YearData, year_data

FUNDING_MIX = "funding_mix"
CLUSTERS = "clusters"
COSTS = "costs"
PUBLIC_SHARES = "public_shares"
MAX_TREND_YEARS = 50


def _year_and_filters(year: Any, filters: dict[str, Any] | None) -> tuple[int, dict[str, str]]:
    problems = Problems()
    checked = check_year(year, problems=problems)
    params = problems.collect(figure_filters, filters)
    problems.raise_if_any()
    assert checked is not None and params is not None
    return checked, params


def _data(program: Program, year: int, params: dict[str, str]) -> YearData:
    return year_data(program=program, year=year).filtered(figure_cluster_ids(program, params))


def _funding_mix(program: Program, year: int, **params: str) -> dict[str, Any]:
    group_by = params.pop("group_by", None)
    data = _data(program, year, params)
    if group_by:
        return funding.funding_mix_groups(data, group_by)
    return funding.funding_mix(data)


def _clusters(program: Program, year: int, **params: str) -> dict[str, Any]:
    return funding.cluster_rows(_data(program, year, params))


def _costs(program: Program, year: int, **params: str) -> dict[str, Any]:
    return funding.cost_structure(_data(program, year, params))


def _public_shares(program: Program, year: int, **params: str) -> dict[str, Any]:
    return funding.public_shares(_data(program, year, params))


def register_portfolio_figures() -> None:
    """The funding figures stored per programme-year (called from ``ImpactConfig.ready``)."""
    register_figure(
        FUNDING_MIX, _funding_mix, variants=[{}, *({"group_by": g} for g in GROUP_BY_FIELDS)]
    )
    register_figure(CLUSTERS, _clusters)
    register_figure(COSTS, _costs)
    register_figure(PUBLIC_SHARES, _public_shares)


def funding_mix_serve(
    *,
    access: Access,
    year: Any,
    filters: dict[str, Any] | None = None,
    group_by: str | None = None,
) -> Served:
    """The funding mix of a programme-year (optionally filtered, or one per group)."""
    access.require_portfolio_reader()
    problems = Problems()
    checked = check_year(year, problems=problems)
    if group_by:
        check_choice(group_by, field="group_by", problems=problems, choices=GROUP_BY_FIELDS)
    params = problems.collect(figure_filters, filters)
    problems.raise_if_any()
    assert checked is not None and params is not None
    if group_by:
        params["group_by"] = group_by
    return figure_serve(access=access, kind=FUNDING_MIX, year=checked, params=params)


def funding_mix_trend_serve(
    *, access: Access, from_year: Any, to_year: Any, filters: dict[str, Any] | None = None
) -> list[Served]:
    """The funding mix of each year from ``from_year`` to ``to_year``, ordered by year."""
    access.require_portfolio_reader()
    problems = Problems()
    span = problems.collect(require_year_range, from_year, to_year, max_years=MAX_TREND_YEARS)
    params = problems.collect(figure_filters, filters)
    problems.raise_if_any()
    assert span is not None and params is not None
    first, last = span
    return figure_serve_years(
        access=access, kind=FUNDING_MIX, years=list(range(first, last + 1)), params=params
    )


def portfolio_clusters_serve(
    *, access: Access, year: Any, filters: dict[str, Any] | None = None
) -> Served:
    """Each counted cluster's funding, shares, costs and balance in a year."""
    access.require_portfolio_reader()
    checked, params = _year_and_filters(year, filters)
    return figure_serve(access=access, kind=CLUSTERS, year=checked, params=params)


def portfolio_costs_serve(
    *, access: Access, year: Any, filters: dict[str, Any] | None = None
) -> Served:
    """The cost structure of a year: by category, balance, clusters in deficit."""
    access.require_portfolio_reader()
    checked, params = _year_and_filters(year, filters)
    return figure_serve(access=access, kind=COSTS, year=checked, params=params)


def public_reliance_serve(
    *,
    access: Access,
    year: Any,
    threshold: Any = "0.5",
    from_year: Any = None,
    to_year: Any = None,
    filters: dict[str, Any] | None = None,
) -> Served:
    """Clusters whose public share is above ``threshold`` in ``year``, and every cluster's
    public-share trend from ``from_year`` (default ``year - 4``) to ``to_year`` (``year``)."""
    access.require_portfolio_reader()
    problems = Problems()
    checked = check_year(year, problems=problems)
    limit = check_share(
        str(threshold) if isinstance(threshold, float | Decimal) else threshold,
        field="threshold",
        problems=problems,
    )
    params = problems.collect(figure_filters, filters)
    problems.raise_if_any()
    assert checked is not None and limit is not None and params is not None
    first, last = require_year_range(
        checked - 4 if from_year in (None, "") else from_year,
        checked if to_year in (None, "") else to_year,
        max_years=MAX_TREND_YEARS,
    )
    years = sorted(set(range(first, last + 1)) | {checked})
    served = {
        s.payload["year"]: s
        for s in figure_serve_years(access=access, kind=PUBLIC_SHARES, years=years, params=params)
    }
    payload = funding.public_reliance(
        year_shares=served[checked].payload,
        trend_shares=[served[y].payload for y in range(first, last + 1)],
        threshold=float(limit),
    )
    payload["from"], payload["to"] = first, last
    return Served(
        payload,
        min(s.as_of for s in served.values()),
        "stored" if all(s.source == "stored" for s in served.values()) else "computed",
    )
