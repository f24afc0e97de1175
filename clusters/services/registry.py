"""Writes to the cluster registry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..access import Access
from ..models import Category, Cluster, ClusterStatus, Stage
from ..validation import is_country
from . import events

SLUG = re.compile(r"[-a-zA-Z0-9_]+")

# Fields that portfolio figures group or label by: changing one restates every stored year.
FIGURE_KEYS = {"slug", "name", "stage", "category", "region", "sector"}

CLUSTER_FIELDS = (
    "slug",
    "name",
    "country",
    "region",
    "sector",
    "founded_year",
    "stage",
    "category",
    "status",
    "website",
    "description",
)


def _choice_error(value: str, choices: list[str]) -> ValidationError:
    return ValidationError(f"'{value}' is not one of {', '.join(choices)}.", code="invalid_choice")


REQUIRED = ("slug", "name", "country", "stage", "category")
MAX_LENGTHS = {
    f: Cluster._meta.get_field(f).max_length
    for f in ("slug", "name", "region", "sector", "website")
}


def _cluster_errors(
    access: Access, data: dict[str, Any], *, instance: Cluster | None
) -> dict[str, list[ValidationError]]:
    """Every rule of a cluster, for every interface (REST, GraphQL, commands)."""
    errors: dict[str, list[ValidationError]] = {}
    for field in REQUIRED:
        if (instance is None and field not in data) or (field in data and not data[field]):
            errors[field] = [ValidationError("This field is required.", code="required")]
    for field, limit in MAX_LENGTHS.items():
        value = data.get(field)
        if isinstance(value, str) and len(value) > limit:
            errors[field] = [ValidationError(f"At most {limit} characters.", code="max_length")]
    slug = data.get("slug")
    if slug and "slug" not in errors and not SLUG.fullmatch(slug):
        errors["slug"] = [
            ValidationError("Use letters, numbers, underscores or hyphens only.", code="invalid")
        ]
    if "stage" in data and data["stage"] not in Stage.values:
        errors["stage"] = [_choice_error(data["stage"], Stage.values)]
    if "category" in data and data["category"] not in Category.values:
        errors["category"] = [_choice_error(data["category"], Category.values)]
    if "status" in data and data["status"] not in ClusterStatus.values:
        errors["status"] = [_choice_error(data["status"], ClusterStatus.values)]
    if "country" in data and not is_country(data["country"]):
        errors["country"] = [
            ValidationError(
                f"'{data['country']}' is not an ISO 3166-1 alpha-2 country code (e.g. NO, ES, MX).",
                code="invalid_country",
            )
        ]
    year = data.get("founded_year")
    if year is not None and year > timezone.now().year:
        errors["founded_year"] = [
            ValidationError(f"founded_year {year} is in the future.", code="future_year")
        ]
    if year is not None and year < 1800:
        errors["founded_year"] = [
            ValidationError(f"founded_year {year} is before 1800.", code="min_value")
        ]
    if slug and "slug" not in errors:
        clash = Cluster.objects.for_program(access.program).filter(slug=slug)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["slug"] = [
                ValidationError(
                    f"A cluster with slug '{slug}' exists in this programme.", code="unique"
                )
            ]
    return errors


@transaction.atomic
def cluster_create(*, access: Access, data: dict[str, Any]) -> Cluster:
    access.require_admin("Registering a cluster")
    errors = _cluster_errors(access, data, instance=None)
    if errors:
        raise ValidationError(errors)
    values = {k: v for k, v in data.items() if k in CLUSTER_FIELDS}
    return Cluster.objects.create(program=access.program, **values)


@transaction.atomic
def cluster_update(*, access: Access, cluster: Cluster, data: dict[str, Any]) -> Cluster:
    access.require_admin("Changing the cluster registry")
    errors = _cluster_errors(access, data, instance=cluster)
    if errors:
        raise ValidationError(errors)
    changed = {k for k, v in data.items() if k in CLUSTER_FIELDS and getattr(cluster, k) != v}
    for key in changed:
        setattr(cluster, key, data[key])
    cluster.save()
    if changed & FIGURE_KEYS:
        events.portfolio_program_changed(program_id=access.program.pk)
    return cluster


@transaction.atomic
def cluster_delete(*, access: Access, cluster: Cluster, when: dt.datetime | None = None) -> None:
    """Soft delete: the cluster leaves the registry but keeps its submissions and history.

    Its slug is freed (renamed with a suffix) so the programme can register it again.
    """
    access.require_admin("Removing a cluster")
    now = when or timezone.now()
    cluster.deleted_at = now
    suffix = f"--deleted-{cluster.pk}"
    cluster.slug = cluster.slug[: 64 - len(suffix)] + suffix
    cluster.save(update_fields=["deleted_at", "slug", "updated_at"])
    # Its approved years still count (the money was spent), under the freed slug.
    events.portfolio_program_changed(program_id=access.program.pk)
