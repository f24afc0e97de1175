"""Stored portfolio figures: a registry of figure kinds, their recomputation, and serving.

Any domain registers a figure with ``register_figure(kind, compute)``; ``compute(program,
year, **params)`` returns a JSON-able payload. ``portfolio_recompute_year`` (run by the
Celery task ``clusters.tasks.portfolio_recompute`` after a change commits) recomputes every
registered figure of a programme-year and upserts it into ``PortfolioSnapshot``.
``figure_serve`` answers with the stored payload and its ``as_of`` time, or computes on
demand when nothing is stored (cached under the programme's cache generation, which every
recompute and every input change bumps).

For another app (e.g. impact's value impact)::

    # impact/apps.py, in AppConfig.ready()
    from clusters.services.portfolio import register_figure
    register_figure("value_impact", compute_value_impact)  # compute(program, year) -> dict

    # impact's view or resolver
    served = figure_serve(access=access, kind="value_impact", year=2021)
    served.payload, served.as_of, served.source  # "stored" or "computed"
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Value
from django.utils import timezone

from ..access import Access
from ..models import PortfolioSnapshot, Program, Submission, SubmissionState
from ..selectors import portfolio as sel

log = logging.getLogger(__name__)

Compute = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Figure:
    kind: str
    compute: Compute
    # Parameter sets stored by every recompute; others are computed on demand (and cached).
    variants: tuple[tuple[tuple[str, str], ...], ...]


_REGISTRY: dict[str, Figure] = {}


def canonical_params(params: dict[str, Any] | None) -> str:
    """``{"group_by": "stage"}`` -> ``"group_by=stage"``; empty values dropped, keys sorted."""
    if not params:
        return ""
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if params[k] not in (None, ""))


def register_figure(
    kind: str, compute: Compute, *, variants: Iterable[dict[str, str]] = ({},)
) -> None:
    """Register (or replace) a figure kind. ``compute(program, year, **params) -> payload``."""
    frozen = tuple(tuple(sorted((k, str(v)) for k, v in p.items() if v)) for p in variants)
    _REGISTRY[kind] = Figure(kind, compute, frozen)


def registered_kinds() -> list[str]:
    return sorted(_REGISTRY)


def _figure(kind: str) -> Figure:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"No portfolio figure '{kind}' is registered.") from None


# --- the cache: keys carry a per-programme generation, so one bump invalidates all -------

CACHE_TIMEOUT = 60 * 60 * 24


def _generation_key(program_id: int) -> str:
    return f"portfolio:gen:{program_id}"


def cache_generation(program_id: int) -> int:
    gen = cache.get(_generation_key(program_id))
    if gen is None:
        cache.add(_generation_key(program_id), 1, timeout=None)
        gen = cache.get(_generation_key(program_id)) or 1
    return int(gen)


def portfolio_cache_invalidate(*, program_id: int) -> None:
    """Forget every cached figure of the programme (stored snapshots are untouched)."""
    try:
        cache.incr(_generation_key(program_id))
    except ValueError:  # no generation yet: nothing cached under one either
        cache.add(_generation_key(program_id), 1, timeout=None)


def _cache_key(program_id: int, kind: str, year: int, params: str) -> str:
    # parameters are user text (a region with spaces): hashed, so any cache backend takes it
    digest = hashlib.sha256(params.encode()).hexdigest()[:16]
    return f"portfolio:{program_id}:{cache_generation(program_id)}:{kind}:{year}:{digest}"


# --- recomputing and storing -------------------------------------------------------------


def portfolio_recompute_year(*, program_id: int, year: int) -> int:
    """Recompute and store every registered figure of a programme-year; safe to run twice.

    Recomputes of one programme are serialised by a row lock on the programme, so a
    recompute that started before a change cannot overwrite the one queued by it.
    Returns how many snapshots were written (0 when the programme is gone).
    """
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(pk=program_id).first()
        if program is None:
            return 0
        now = timezone.now()
        rows = []
        with sel.year_data_memo():
            for figure in _REGISTRY.values():
                for variant in figure.variants:
                    params = dict(variant)
                    rows.append(
                        PortfolioSnapshot(
                            program=program,
                            year=year,
                            kind=figure.kind,
                            params=canonical_params(params),
                            payload=figure.compute(program, year, **params),
                            # an expression: keeps PostgreSQL off the UNNEST insert path,
                            # which quotes megabytes of JSON in Python, character by character
                            computed_at=Value(now, output_field=DateTimeField()),
                        )
                    )
        PortfolioSnapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["program", "year", "kind", "params"],
            update_fields=["payload", "computed_at"],
        )
        transaction.on_commit(lambda: portfolio_cache_invalidate(program_id=program_id))
    log.info("portfolio recomputed program=%s year=%s figures=%s", program_id, year, len(rows))
    return len(rows)


def portfolio_years(*, program: Program) -> list[int]:
    """Years with an approved submission or a stored figure: what a full recompute covers."""
    years = set(
        Submission.objects.for_program(program)
        .filter(state=SubmissionState.APPROVED)
        .values_list("year", flat=True)
        .distinct()
    )
    years |= set(
        PortfolioSnapshot.objects.for_program(program).values_list("year", flat=True).distinct()
    )
    return sorted(years)


# --- serving -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    payload: dict[str, Any]
    as_of: dt.datetime
    source: str  # "stored" or "computed"


def figure_serve(
    *, access: Access, kind: str, year: int, params: dict[str, Any] | None = None
) -> Served:
    """The stored figure with its time, else computed now (and cached). Admin and analyst."""
    access.require_portfolio_reader()
    return _serve(access.program, kind, year, params or {})


def _serve(program: Program, kind: str, year: int, params: dict[str, Any]) -> Served:
    figure = _figure(kind)
    key = canonical_params(params)
    cache_key = _cache_key(program.pk, kind, year, key)
    hit = cache.get(cache_key)
    if hit is not None:
        return Served(hit["payload"], dt.datetime.fromisoformat(hit["as_of"]), hit["source"])
    stored = (
        PortfolioSnapshot.objects.for_program(program)
        .filter(year=year, kind=kind, params=key)
        .values_list("payload", "computed_at")
        .first()
    )
    if stored is not None:
        served = Served(stored[0], stored[1], "stored")
    else:
        served = Served(figure.compute(program, year, **params), timezone.now(), "computed")
    cache.set(
        cache_key,
        {"payload": served.payload, "as_of": served.as_of.isoformat(), "source": served.source},
        CACHE_TIMEOUT,
    )
    return served


def figure_serve_years(
    *, access: Access, kind: str, years: list[int], params: dict[str, Any] | None = None
) -> list[Served]:
    """One figure over several years: stored ones in one query, the rest computed."""
    access.require_portfolio_reader()
    program = access.program
    figure = _figure(kind)
    key = canonical_params(params or {})
    stored = {
        y: (payload, at)
        for y, payload, at in PortfolioSnapshot.objects.for_program(program)
        .filter(year__in=years, kind=kind, params=key)
        .values_list("year", "payload", "computed_at")
    }
    out = []
    now = timezone.now()
    with sel.year_data_memo():
        for year in years:
            if year in stored:
                out.append(Served(stored[year][0], stored[year][1], "stored"))
            else:
                out.append(Served(figure.compute(program, year, **(params or {})), now, "computed"))
    return out


# --- the clusters app's own figures --------------------------------------------------------

FUNDING_MIX = "funding_mix"
CLUSTERS = "clusters"
COSTS = "costs"
PUBLIC_SHARES = "public_shares"


def _funding_mix(program: Program, year: int, **params: str) -> dict[str, Any]:
    data = sel.year_data(program=program, year=year)
    group_by = params.pop("group_by", None)
    data = data.filtered(**params)
    if group_by:
        return sel.funding_mix_groups(data, group_by)
    return sel.funding_mix(data)


def _clusters(program: Program, year: int, **params: str) -> dict[str, Any]:
    return sel.cluster_rows(sel.year_data(program=program, year=year).filtered(**params))


def _costs(program: Program, year: int, **params: str) -> dict[str, Any]:
    return sel.cost_structure(sel.year_data(program=program, year=year).filtered(**params))


def _public_shares(program: Program, year: int, **params: str) -> dict[str, Any]:
    return sel.public_shares(sel.year_data(program=program, year=year).filtered(**params))


register_figure(
    FUNDING_MIX,
    _funding_mix,
    variants=[{}, *({"group_by": g} for g in sel.GROUP_BY_FIELDS)],
)
register_figure(CLUSTERS, _clusters)
register_figure(COSTS, _costs)
register_figure(PUBLIC_SHARES, _public_shares)


# --- what the interfaces call: validate, then serve ------------------------------------------

MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_TREND_YEARS = 50


def _error(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: [ValidationError(message, code=code)]})


def _check_year(value: Any, field_name: str = "year") -> int:
    if value is None or value == "":
        raise _error(field_name, f"'{field_name}' is required, e.g. {field_name}=2021.", "required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _error(field_name, f"'{value}' is not a year.", "invalid")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise _error(
            field_name, f"{value} is not between {MIN_YEAR} and {MAX_YEAR}.", "out_of_range"
        )
    return value


def _clean_filters(filters: dict[str, Any] | None) -> dict[str, str]:
    from ..models import Category, Stage

    choices = {"stage": Stage.values, "category": Category.values}
    out: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if key not in sel.CLUSTER_FILTERS:
            raise _error(
                key,
                f"'{key}' is not a filter; use {', '.join(sel.CLUSTER_FILTERS)}.",
                "unknown_filter",
            )
        if key in choices and value not in choices[key]:
            raise _error(
                key, f"'{value}' is not one of {', '.join(choices[key])}.", "invalid_choice"
            )
        # region and sector match case-insensitively: one canonical key for store and cache
        out[key] = str(value).casefold() if key in ("region", "sector") else str(value)
    return out


def funding_mix_serve(
    *,
    access: Access,
    year: int,
    filters: dict[str, Any] | None = None,
    group_by: str | None = None,
) -> Served:
    """The funding mix of a programme-year (optionally filtered, or one per group)."""
    access.require_portfolio_reader()
    _check_year(year)
    params: dict[str, Any] = _clean_filters(filters)
    if group_by:
        if group_by not in sel.GROUP_BY_FIELDS:
            raise _error(
                "group_by",
                f"'{group_by}' is not one of {', '.join(sel.GROUP_BY_FIELDS)}.",
                "invalid_choice",
            )
        params["group_by"] = group_by
    return figure_serve(access=access, kind=FUNDING_MIX, year=year, params=params)


def _check_range(from_year: Any, to_year: Any) -> tuple[int, int]:
    first, last = _check_year(from_year, "from"), _check_year(to_year, "to")
    if last < first:
        raise _error("to", f"'to' ({last}) is before 'from' ({first}).", "invalid_range")
    if last - first + 1 > MAX_TREND_YEARS:
        raise _error("to", f"A trend spans at most {MAX_TREND_YEARS} years.", "range_too_long")
    return first, last


def funding_mix_trend_serve(
    *, access: Access, from_year: int, to_year: int, filters: dict[str, Any] | None = None
) -> list[Served]:
    """The funding mix of each year from ``from_year`` to ``to_year``, ordered by year."""
    access.require_portfolio_reader()
    first, last = _check_range(from_year, to_year)
    return figure_serve_years(
        access=access,
        kind=FUNDING_MIX,
        years=list(range(first, last + 1)),
        params=_clean_filters(filters),
    )


def portfolio_clusters_serve(
    *, access: Access, year: int, filters: dict[str, Any] | None = None
) -> Served:
    access.require_portfolio_reader()
    _check_year(year)
    return figure_serve(access=access, kind=CLUSTERS, year=year, params=_clean_filters(filters))


def portfolio_costs_serve(
    *, access: Access, year: int, filters: dict[str, Any] | None = None
) -> Served:
    access.require_portfolio_reader()
    _check_year(year)
    return figure_serve(access=access, kind=COSTS, year=year, params=_clean_filters(filters))


def public_reliance_serve(
    *,
    access: Access,
    year: int,
    threshold: Decimal | float | str = Decimal("0.5"),
    from_year: int | None = None,
    to_year: int | None = None,
    filters: dict[str, Any] | None = None,
) -> Served:
    """Clusters whose public share is above ``threshold`` in ``year``, and every cluster's
    public-share trend from ``from_year`` (default ``year - 4``) to ``to_year`` (``year``)."""
    access.require_portfolio_reader()
    _check_year(year)
    try:
        limit = Decimal(str(threshold))
    except ArithmeticError:
        raise _error("threshold", f"'{threshold}' is not a number.", "invalid") from None
    if not limit.is_finite() or not 0 <= limit <= 1:
        raise _error("threshold", "The threshold is a share between 0 and 1.", "out_of_range")
    first, last = _check_range(
        year - 4 if from_year is None else from_year, year if to_year is None else to_year
    )
    params = _clean_filters(filters)
    years = sorted(set(range(first, last + 1)) | {year})
    served = {
        s.payload["year"]: s
        for s in figure_serve_years(access=access, kind=PUBLIC_SHARES, years=years, params=params)
    }
    payload = sel.public_reliance(
        year_shares=served[year].payload,
        trend_shares=[served[y].payload for y in range(first, last + 1)],
        threshold=float(limit),
    )
    payload["from"], payload["to"] = first, last
    return Served(
        payload,
        min(s.as_of for s in served.values()),
        "stored" if all(s.source == "stored" for s in served.values()) else "computed",
    )
