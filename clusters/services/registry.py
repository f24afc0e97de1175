"""Writes to the cluster registry: every rule of a cluster, for every interface.

REST, GraphQL, commands and the demo register, change and remove clusters here, so a
``javascript:`` website or a NUL byte in a name is refused the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import hooks
from ..access import Access
from ..filters import fold_text
from ..models import Category, Cluster, ClusterStatus, Stage
from ..validation import (
    MIN_FOUNDED_YEAR,
    Problems,
    check_choice,
    check_country,
    check_keys,
    check_slug,
    check_text,
    check_url,
    check_year,
    require_body,
)

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
# What a client may send back unchanged from a read.
READ_ONLY_FIELDS = ("created_at", "updated_at")
MAX_SLUG = Cluster._meta.get_field("slug").max_length or 64


def _clean(access: Access, data: Any, *, instance: Cluster | None) -> dict[str, Any]:
    """The cluster fields of a body, validated; raise one ValidationError naming each field.

    A create needs slug, name, country, stage and category; an update changes only the
    fields it sends.
    """
    body = require_body(data)
    problems = Problems()
    check_keys(
        body, allowed=(*CLUSTER_FIELDS, *READ_ONLY_FIELDS), problems=problems, what="a cluster"
    )

    def sent(name: str) -> bool:
        return instance is None or name in body

    out: dict[str, Any] = {}
    if sent("slug"):
        out["slug"] = check_slug(body.get("slug"), field="slug", problems=problems, limit=MAX_SLUG)
    if sent("name"):
        out["name"] = check_text(
            body.get("name"), field="name", problems=problems, limit=200, required=True
        )
    if sent("country"):
        out["country"] = check_country(body.get("country"), problems=problems)
    for name, limit in (("region", 120), ("sector", 120)):
        if name in body:
            out[name] = check_text(body.get(name), field=name, problems=problems, limit=limit)
    if sent("stage"):
        out["stage"] = check_choice(
            body.get("stage"), field="stage", problems=problems, choices=Stage.values
        )
    if sent("category"):
        out["category"] = check_choice(
            body.get("category"), field="category", problems=problems, choices=Category.values
        )
    if "status" in body:
        out["status"] = check_choice(
            body.get("status"), field="status", problems=problems, choices=ClusterStatus.values
        )
    if "founded_year" in body:
        out["founded_year"] = check_year(
            body.get("founded_year"),
            field="founded_year",
            problems=problems,
            required=False,
            minimum=MIN_FOUNDED_YEAR,
            maximum=timezone.now().year,
        )
    if "website" in body:
        out["website"] = check_url(body.get("website"), field="website", problems=problems)
    if "description" in body:
        out["description"] = check_text(
            body.get("description"), field="description", problems=problems
        )
    slug = out.get("slug")
    if slug and not problems.has("slug"):
        clash = Cluster.objects.for_program(access.program).filter(slug=slug)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            problems.add(
                "slug", f"A cluster with slug '{slug}' exists in this programme.", "unique"
            )
    problems.raise_if_any()
    if "region" in out:
        out["region_key"] = fold_text(out["region"])
    if "sector" in out:
        out["sector_key"] = fold_text(out["sector"])
    return out


@transaction.atomic
def cluster_create(*, access: Access, data: Any) -> Cluster:
    access.require_admin("Registering a cluster")
    values = _clean(access, data, instance=None)
    return Cluster.objects.create(program=access.program, **values)


@transaction.atomic
def cluster_update(*, access: Access, cluster: Cluster, data: Any) -> Cluster:
    access.require_admin("Changing the cluster registry")
    values = _clean(access, data, instance=cluster)
    changed = {k for k, v in values.items() if getattr(cluster, k) != v}
    for key in changed:
        setattr(cluster, key, values[key])
    cluster.save()
    if changed & FIGURE_KEYS:
        hooks.program_restated(program_id=access.program.pk)
    return cluster


def _freed_slug(cluster: Cluster) -> str:
    """``<slug>--deleted-<id>``, or with a counter when that is taken (a cluster renamed to it)."""
    taken = set(
        Cluster.objects.for_program(cluster.program)
        .filter(slug__contains=f"--deleted-{cluster.pk}")
        .exclude(pk=cluster.pk)
        .values_list("slug", flat=True)
    )
    n = 0
    while True:
        suffix = f"--deleted-{cluster.pk}" + (f"-{n}" if n else "")
        slug = cluster.slug[: MAX_SLUG - len(suffix)] + suffix
        if slug not in taken:
            return slug
        n += 1


@transaction.atomic
def cluster_delete(*, access: Access, cluster: Cluster, when: dt.datetime | None = None) -> None:
    """Soft delete: the cluster leaves the registry but keeps its submissions and history.

    Its slug is freed (renamed with a suffix) so the programme can register it again.
    """
    access.require_admin("Removing a cluster")
    cluster.deleted_at = when or timezone.now()
    cluster.slug = _freed_slug(cluster)
    cluster.save(update_fields=["deleted_at", "slug", "updated_at"])
    # Its approved years still count (the money was spent), under the freed slug.
    hooks.program_restated(program_id=access.program.pk)
