"""Reads of the cluster registry, always inside the caller's programme and clusters."""

from __future__ import annotations

from django.db.models import QuerySet

from ..access import Access
from ..models import Cluster


def cluster_list(*, access: Access, include_deleted: bool = False) -> QuerySet[Cluster]:
    return Cluster.objects.for_access(access, cluster_path="pk", include_deleted=include_deleted)


def cluster_get(*, access: Access, slug: str) -> Cluster:
    """The cluster, or ``Cluster.DoesNotExist`` for a missing, deleted or unheld one."""
    return cluster_list(access=access).get(slug=slug)
