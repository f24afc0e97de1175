"""The one scoping path for tenant data.

Every tenant model's default manager returns a queryset that refuses to run until it has
been scoped to a programme with ``for_program(program)``. A forgotten scope therefore
raises ``UnscopedQueryError`` instead of returning every tenant's rows. Querysets reached
through a related manager of an already-loaded row (``submission.funding_lines.all()``,
``prefetch_related``) are bounded by that row and count as scoped. Code that really must
cross tenants (site staff in the admin, benchmarks, migrations) says so with
``unscoped()``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.db import models


class UnscopedQueryError(RuntimeError):
    """A query for tenant data ran without a programme."""


def visible_clusters(
    cluster_path: str, cluster_ids: Collection[int] | None, *, include_deleted: bool = False
) -> models.Q:
    """The one rule of which clusters a caller sees, through ``cluster_path`` (``"pk"`` for
    clusters themselves): the clusters an editor holds (``cluster_ids``; None: every
    cluster) and never a deleted cluster, unless ``include_deleted``."""
    prefix = "" if cluster_path == "pk" else f"{cluster_path}__"
    condition = models.Q()
    if not include_deleted:
        condition &= models.Q(**{f"{prefix}deleted_at__isnull": True})
    if cluster_ids is not None:
        key = "pk__in" if cluster_path == "pk" else f"{cluster_path}_id__in"
        condition &= models.Q(**{key: cluster_ids})
    return condition


class TenantQuerySet(models.QuerySet):
    _program_scoped: bool = False

    # Path from the model to its Program; every tenant model carries `program` itself.
    tenant_field = "program"

    def for_program(self, program: Any) -> TenantQuerySet:
        if program is None:
            raise UnscopedQueryError(f"{self.model.__name__}: for_program(None)")
        qs = self.filter(**{self.tenant_field: program})
        qs._program_scoped = True
        return qs

    def for_access(
        self, access: Any, *, cluster_path: str | None = None, include_deleted: bool = False
    ) -> TenantQuerySet:
        """Rows of the caller's programme. With ``cluster_path`` (from the row to its
        cluster: ``"pk"`` for clusters themselves, ``"cluster"``, ``"submission__cluster"``)
        only the clusters a cluster editor holds, and never a deleted cluster."""
        qs = self.for_program(access.program)
        if cluster_path is not None:
            qs = qs.filter(
                visible_clusters(cluster_path, access.cluster_ids, include_deleted=include_deleted)
            )
        return qs

    def for_programs(self, programs: Any) -> TenantQuerySet:
        qs = self.filter(**{f"{self.tenant_field}__in": programs})
        qs._program_scoped = True
        return qs

    # _chain, _clone and _hints are Django's private QuerySet API, which django-stubs
    # leaves out; the fail-closed scoping has to carry its flag through them.
    def unscoped(self) -> TenantQuerySet:
        qs = self._chain()  # type: ignore[attr-defined]
        qs._program_scoped = True
        return qs

    def _clone(self) -> TenantQuerySet:
        clone = super()._clone()  # type: ignore[misc]
        clone._program_scoped = self._program_scoped
        return clone

    def _check_scoped(self) -> None:
        if self._program_scoped or self._hints.get("instance") is not None:  # type: ignore[attr-defined]
            return
        raise UnscopedQueryError(
            f"Query on {self.model.__name__} without a programme: "
            "use .for_program(program) (or .unscoped() where crossing tenants is intended)."
        )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scoped()
        super()._fetch_all()

    def iterator(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self._check_scoped()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        if self._result_cache is None:
            self._check_scoped()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._check_scoped()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scoped()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_scoped()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scoped()
        return super().delete()

    def in_bulk(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        self._check_scoped()
        return super().in_bulk(*args, **kwargs)


# mypy cannot use a base computed by from_queryset (django-stubs types the managers' methods
# anyway).
class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Default manager of every tenant model: fail-closed until scoped."""

    use_in_migrations = False


class TenantModel(models.Model):
    program = models.ForeignKey("clusters.Program", on_delete=models.CASCADE, related_name="+")

    # Forward foreign-key access (row.cluster) goes through Django's plain base manager:
    # it follows a key of a row that was itself loaded through the scope.
    objects = TenantManager()

    class Meta:
        abstract = True
