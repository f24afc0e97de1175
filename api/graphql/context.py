"""The typed per-request GraphQL context: who is calling and what they may see.

``scope`` maps each visible programme id to the cluster ids an editor holds there (None:
every cluster). Every type's ``get_queryset`` filters through it, so nested lists
prefetched by the optimizer stay inside the caller's programmes and clusters too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from graphql import GraphQLError
from strawberry.types import Info

from clusters.access import Access, resolve_access
from clusters.models import ApiToken, Membership, Program, Role, TenantQuerySet


@dataclass
class Context:
    request: HttpRequest
    response: HttpResponse | None
    user: Any = None
    token: ApiToken | None = None
    # None: site staff, every programme. Otherwise {program_id: cluster ids or None}.
    scope: dict[int, frozenset[int] | None] | None = field(default_factory=dict)
    _access: dict[str, Access | None] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict)

    def memo(self, key: Any, load: Any) -> Any:
        """A value computed once per request (batch loads shared by sibling resolvers)."""
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    @property
    def is_authenticated(self) -> bool:
        return self.token is not None or bool(getattr(self.user, "is_authenticated", False))

    def access(self, program_slug: str) -> Access | None:
        """The caller's access to a programme, or None when it is invisible (cached)."""
        if program_slug not in self._access:
            try:
                self._access[program_slug] = resolve_access(
                    program_slug=program_slug, user=self.user, token=self.token, via="graphql"
                )
            except Program.DoesNotExist:
                self._access[program_slug] = None
        return self._access[program_slug]

    def require_access(self, program_slug: str) -> Access:
        access = self.access(program_slug)
        if access is None:
            raise GraphQLError(f"No programme '{program_slug}'.", extensions={"code": "NOT_FOUND"})
        return access


def build_scope(user: Any, token: ApiToken | None) -> dict[int, frozenset[int] | None] | None:
    if token is not None:
        if token.is_site_staff:
            return None
        clusters = (
            frozenset(token.clusters.values_list("pk", flat=True))
            if token.role == Role.CLUSTER_EDITOR
            else None
        )
        return {token.program_id: clusters}
    if user is not None and user.is_authenticated:
        if (
            user.is_superuser
        ):  # programme staff have is_staff for the admin; only superusers cross tenants
            return None
        scope: dict[int, frozenset[int] | None] = {}
        for m in Membership.objects.filter(user=user).prefetch_related("clusters"):
            scope[m.program_id] = (
                frozenset(c.pk for c in m.clusters.all()) if m.role == Role.CLUSTER_EDITOR else None
            )
        return scope
    return {}


def scope_queryset(
    qs: QuerySet, info: Info, *, program_field: str = "program_id", cluster_field: str | None = None
) -> QuerySet:
    """Filter any queryset to what the caller of this GraphQL request may see."""
    ctx: Context = info.context
    if ctx.scope is not None:
        condition = Q(pk__in=[])
        for program_id, clusters in ctx.scope.items():
            part = Q(**{program_field: program_id})
            if clusters is not None and cluster_field is not None:
                part &= Q(**{f"{cluster_field}__in": clusters})
            condition |= part
        qs = qs.filter(condition)
    if isinstance(qs, TenantQuerySet):
        qs = qs.unscoped()  # filtered just above: the scope is the caller's programmes
    return qs


class Scoped:
    """Base of every strawberry-django type of a tenant model.

    Its ``get_queryset`` (which the optimizer applies to nested prefetches too) filters to
    the caller's programmes and, through ``scope_cluster_field``, to an editor's clusters.
    """

    scope_cluster_field: ClassVar[str | None] = None

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs: Any) -> QuerySet:
        return scope_queryset(queryset, info, cluster_field=cls.scope_cluster_field)
