"""The registry of stored portfolio figures and their cache keys.

A figure is a kind (``funding_mix``, ``value_impact``...) with a ``compute(program, year,
**params)`` that returns a JSON-able payload, and the parameter sets ("variants") that every
recompute stores. Figures register in ``impact.apps.ImpactConfig.ready()``.

Writes (recompute and store, drop stale ones) are in ``impact.services.figures``; reads
(serve a stored figure with its ``as_of``, or compute on demand) in
``impact.selectors.figures``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

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


def registered_figures() -> list[Figure]:
    return list(_REGISTRY.values())


def figure(kind: str) -> Figure:
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


def cache_invalidate(*, program_id: int) -> None:
    """Forget every cached figure of the programme (stored snapshots are untouched)."""
    try:
        cache.incr(_generation_key(program_id))
    except ValueError:  # no generation yet: nothing cached under one either
        cache.add(_generation_key(program_id), 1, timeout=None)


def cache_key(program_id: int, kind: str, year: int, params: str) -> str:
    # parameters are user text (a region with spaces): hashed, so any cache backend takes it
    digest = hashlib.sha256(params.encode()).hexdigest()[:16]
    return f"portfolio:{program_id}:{cache_generation(program_id)}:{kind}:{year}:{digest}"
