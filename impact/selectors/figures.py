"""Serving stored portfolio figures: the stored payload with its ``as_of``, or computed now.

A figure with no stored snapshot (none yet, or dropped by a change whose recompute has not
run) is computed for the request and cached under the programme's cache generation, which
every change and every recompute bumps. ``source`` says which: ``"stored"`` or
``"computed"``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from clusters.access import Access
from clusters.models import Program

from ..figures import CACHE_TIMEOUT, cache_key, canonical_params, figure
from ..models import PortfolioSnapshot
from .year_data import year_data_memo


@dataclass(frozen=True)
class Served:
    payload: dict[str, Any]
    as_of: dt.datetime
    source: str  # "stored" or "computed"

    def as_response(self) -> dict[str, Any]:
        """The payload with ``as_of`` and ``source`` beside it, as the interfaces answer."""
        return {**self.payload, "as_of": self.as_of.isoformat(), "source": self.source}


def figure_serve(
    *, access: Access, kind: str, year: int, params: dict[str, Any] | None = None
) -> Served:
    """The stored figure with its time, else computed now (and cached). Admin and analyst."""
    access.require_portfolio_reader()
    return _serve(access.program, kind, year, params or {})


def _serve(program: Program, kind: str, year: int, params: dict[str, Any]) -> Served:
    fig = figure(kind)
    key = canonical_params(params)
    ckey = cache_key(program.pk, kind, year, key)
    hit = cache.get(ckey)
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
        served = Served(fig.compute(program, year, **params), timezone.now(), "computed")
    cache.set(
        ckey,
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
    fig = figure(kind)
    key = canonical_params(params or {})
    stored = {
        y: (payload, at)
        for y, payload, at in PortfolioSnapshot.objects.for_program(program)
        .filter(year__in=years, kind=kind, params=key)
        .values_list("year", "payload", "computed_at")
    }
    out = []
    now = timezone.now()
    with year_data_memo():
        for year in years:
            if year in stored:
                out.append(Served(stored[year][0], stored[year][1], "stored"))
            else:
                out.append(Served(fig.compute(program, year, **(params or {})), now, "computed"))
    return out
