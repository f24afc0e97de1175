"""The typed per-request GraphQL context: who is calling and what they may see.

It carries the caller's ``Scope`` (``clusters/access.py``, the one tenancy path shared with
REST and the admin). Every type's ``get_queryset`` filters through it, so nested lists
prefetched by the optimizer stay inside the caller's programmes and clusters too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from graphql import GraphQLError
from strawberry.types import Info

from clusters.access import Access, Scope
from clusters.models import ApiToken, Program


@dataclass
class Context:
    request: HttpRequest
    response: HttpResponse | None
    scope: Scope = field(default_factory=Scope)
    _access: dict[str, Access | None] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.scope.user

    @property
    def token(self) -> ApiToken | None:
        return self.scope.token

    def memo(self, key: Any, load: Any) -> Any:
        """A value computed once per request (batch loads shared by sibling resolvers)."""
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    @property
    def is_authenticated(self) -> bool:
        return self.scope.is_authenticated

    def access(self, program_slug: str) -> Access | None:
        """The caller's access to a programme, or None when it is invisible (cached)."""
        if program_slug not in self._access:
            try:
                self._access[program_slug] = self.scope.access(program_slug)
            except Program.DoesNotExist:
                self._access[program_slug] = None
        return self._access[program_slug]

    def require_access(self, program_slug: str) -> Access:
        access = self.access(program_slug)
        if access is None:
            raise GraphQLError(f"No programme '{program_slug}'.", extensions={"code": "NOT_FOUND"})
        return access


def scope_queryset(
    qs: QuerySet, info: Info, *, program_field: str = "program_id", cluster_path: str | None = None
) -> QuerySet:
    """Filter any queryset to what the caller of this GraphQL request may see."""
    ctx: Context = info.context
    return ctx.scope.filter(qs, program_field=program_field, cluster_path=cluster_path)


class Scoped:
    """Base of every strawberry-django type of a tenant model.

    Its ``get_queryset`` (which the optimizer applies to nested prefetches too) filters to
    the caller's programmes and, through ``scope_cluster_path``, to an editor's clusters
    and away from deleted clusters.
    """

    scope_cluster_path: ClassVar[str | None] = None

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs: Any) -> QuerySet:
        return scope_queryset(queryset, info, cluster_path=cls.scope_cluster_path)
