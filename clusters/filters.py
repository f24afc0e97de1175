"""The one cluster filter: one query string means one set of clusters everywhere.

The registry list (REST), ``program { clusters(...) }`` (GraphQL) and the portfolio figures
(``impact``) all filter clusters with ``ClusterFilter``. Region and sector match by their
folded form (``fold_text``: Unicode-normalised and case-folded), kept beside the text in
``Cluster.region_key`` / ``sector_key``, so ``NUEVO LEÓN`` and ``Nuevo León`` are the same
region on SQLite and PostgreSQL alike (neither database folds non-ASCII letters by itself).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from .models import Category, Cluster, ClusterStatus, Stage
from .validation import text_problem

# The filters the portfolio figures take (status and search are registry-only).
FIGURE_FILTERS = ("stage", "category", "region", "sector")
# The registry fields a funding mix can be grouped by.
GROUP_BY_FIELDS = ("stage", "category", "region", "sector")


def fold_text(value: str) -> str:
    """The matching form of a region or sector: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def _choice(choices: list[tuple[str, str]]) -> django_filters.ChoiceFilter:
    values = ", ".join(value for value, _ in choices)
    return django_filters.ChoiceFilter(
        choices=choices,
        error_messages={"invalid_choice": f"'%(value)s' is not one of {values}."},
    )


class _TextField(forms.CharField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            bad = text_problem(value)
            if bad is not None:
                raise ValidationError(bad[0], code=bad[1])


class _TextFilter(django_filters.CharFilter):
    field_class = _TextField


class ClusterFilter(django_filters.FilterSet):
    stage = _choice(Stage.choices)
    category = _choice(Category.choices)
    status = _choice(ClusterStatus.choices)
    region = _TextFilter(method="_folded", max_length=120)
    sector = _TextFilter(method="_folded", max_length=120)
    country = _TextFilter(method="_country", max_length=2)
    search = _TextFilter(method="_search", max_length=200)

    class Meta:
        model = Cluster
        fields = ["stage", "category", "status", "region", "sector", "country", "search"]

    def _folded(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{name}_key": fold_text(value)}) if value else queryset

    def _country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country=value.upper()) if value else queryset

    def _search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


def cluster_filter(
    queryset: QuerySet[Cluster], params: Mapping[str, Any] | None
) -> QuerySet[Cluster]:
    """``queryset`` narrowed by the filters in ``params``; a bad value is a ValidationError
    naming the filter. Unknown keys are left to the caller (a query string has others)."""
    data = {k: v for k, v in (params or {}).items() if v is not None}
    f = ClusterFilter(data=data, queryset=queryset)
    if not f.is_valid():
        raise ValidationError(f.form.errors.as_data())
    return f.qs


def figure_filters(params: Mapping[str, Any] | None) -> dict[str, str]:
    """The canonical figure filters (the cache and store key): known, valid, non-empty,
    region and sector folded. Unknown keys are a ``unknown_filter`` problem."""
    clean: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value in (None, ""):
            continue
        if key not in FIGURE_FILTERS:
            raise ValidationError(
                {
                    key: [
                        ValidationError(
                            f"'{key}' is not a filter; use {', '.join(FIGURE_FILTERS)}.",
                            code="unknown_filter",
                        )
                    ]
                }
            )
        clean[key] = str(value)
    if clean:
        f = ClusterFilter(data=clean, queryset=Cluster.objects.none())
        if not f.is_valid():
            raise ValidationError(f.form.errors.as_data())
    return {k: fold_text(v) if k in ("region", "sector") else v for k, v in sorted(clean.items())}


def figure_cluster_ids(program: Any, filters: Mapping[str, str]) -> set[int] | None:
    """The ids of the programme's clusters (deleted ones too: their approved years count)
    that match canonical figure filters; None when there is no filter."""
    if not filters:
        return None
    qs = cluster_filter(Cluster.objects.for_program(program), filters)
    return set(qs.values_list("pk", flat=True))
