"""Who may see and do what: the one tenancy path, for every interface.

A ``Scope`` is what one caller (a bearer token, or a signed-in person in the admin) may
see: every programme (superusers, site-staff tokens) or some programmes, each with a role
and, for a cluster editor, the clusters held. It is built once per request by
``Scope.of(...)`` and serves REST (``api/rest/base.py``), GraphQL (its typed context) and
the Django admin (``clusters/admin.py``) alike:

- ``scope.access(slug)``: the caller's ``Access`` to one programme (role, held clusters),
  or ``Program.DoesNotExist`` for a programme that is missing *or* invisible, so every
  interface answers the same 404;
- ``scope.programs()``: the programmes the caller may see;
- ``scope.filter(queryset, ...)``: any tenant queryset narrowed to the caller's
  programmes and (for editors) clusters, for lists that span programmes (GraphQL's
  nested prefetches, the admin).

Within one programme, querysets are scoped with ``Model.objects.for_access(access, ...)``
(``clusters/models/scoping.py``): the programme, an editor's clusters, no deleted cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import ApiToken, Membership, Program, Role, TenantQuerySet
from .models.scoping import visible_clusters


@dataclass(frozen=True)
class Access:
    program: Program
    role: str
    # None: every cluster of the programme; otherwise the clusters an editor holds.
    cluster_ids: frozenset[int] | None
    user: Any = None
    token: ApiToken | None = None
    label: str = ""
    via: str = field(default="rest", compare=False)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.PROGRAM_ADMIN

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.PROGRAM_ANALYST

    @property
    def is_editor(self) -> bool:
        return self.role == Role.CLUSTER_EDITOR

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    def holds_cluster(self, cluster_id: int) -> bool:
        return self.cluster_ids is None or cluster_id in self.cluster_ids

    def require_admin(self, what: str = "This action") -> None:
        if not self.is_admin:
            raise PermissionDenied(f"{what} needs the program_admin role.")

    def require_portfolio_reader(self) -> None:
        if self.role not in (Role.PROGRAM_ADMIN, Role.PROGRAM_ANALYST):
            raise PermissionDenied(
                "Portfolio figures are for the program_admin and program_analyst roles."
            )

    def with_via(self, via: str) -> Access:
        return Access(
            program=self.program,
            role=self.role,
            cluster_ids=self.cluster_ids,
            user=self.user,
            token=self.token,
            label=self.label,
            via=via,
        )


def system_access(program: Program, *, label: str, via: str = "system") -> Access:
    """Admin standing for management commands and tasks that act for the programme."""
    return Access(program=program, role=Role.PROGRAM_ADMIN, cluster_ids=None, label=label, via=via)


@dataclass(frozen=True)
class Standing:
    """A caller's role in one programme and, for a cluster editor, the clusters held."""

    role: str
    cluster_ids: frozenset[int] | None


@dataclass(frozen=True)
class Scope:
    """Everything one caller may see; see the module docstring."""

    user: Any = None
    token: ApiToken | None = None
    # None: every programme, as admin. Otherwise {program id: standing}.
    standings: dict[int, Standing] | None = field(default_factory=dict)
    via: str = "rest"

    @classmethod
    def of(cls, *, user: Any = None, token: ApiToken | None = None, via: str = "rest") -> Scope:
        """The scope of a bearer token (which wins) or of a signed-in person."""
        if token is not None:
            if token.is_site_staff:
                return cls(token.user, token, None, via)
            held = (
                frozenset(token.clusters.values_list("pk", flat=True))
                if token.role == Role.CLUSTER_EDITOR
                else None
            )
            assert token.program_id is not None
            return cls(token.user, token, {token.program_id: Standing(token.role, held)}, via)
        if user is not None and getattr(user, "is_authenticated", False):
            # Programme staff have is_staff for the admin; only superusers cross tenants.
            if user.is_superuser:
                return cls(user, None, None, via)
            standings = {
                m.program_id: Standing(
                    m.role,
                    frozenset(c.pk for c in m.clusters.all())
                    if m.role == Role.CLUSTER_EDITOR
                    else None,
                )
                for m in Membership.objects.filter(user=user).prefetch_related("clusters")
            }
            return cls(user, None, standings, via)
        return cls(None, None, {}, via)

    @property
    def is_authenticated(self) -> bool:
        return self.token is not None or bool(getattr(self.user, "is_authenticated", False))

    @property
    def crosses_programmes(self) -> bool:
        return self.standings is None

    @property
    def label(self) -> str:
        if self.token is not None and not self.token.user_id:
            return f"token:{self.token.name}"
        return self.user.get_username() if self.user is not None else ""

    def programs(self) -> QuerySet[Program]:
        """The programmes this caller may see."""
        if self.standings is None:
            return Program.objects.all()
        return Program.objects.filter(pk__in=list(self.standings))

    def program_ids(self, *, role: str | None = None) -> list[int] | None:
        """Visible programme ids (with ``role``: where the caller has that role); None: all."""
        if self.standings is None:
            return None
        return [pid for pid, s in self.standings.items() if role is None or s.role == role]

    def access(self, program_slug: str) -> Access:
        """The caller's access to a programme, or ``Program.DoesNotExist`` when invisible."""
        if self.standings is None:
            program = Program.objects.get(slug=program_slug)
            standing = Standing(Role.PROGRAM_ADMIN, None)
        else:
            program = Program.objects.get(slug=program_slug, pk__in=list(self.standings))
            standing = self.standings[program.pk]
        return Access(
            program,
            standing.role,
            standing.cluster_ids,
            self.user,
            self.token,
            self.label,
            self.via,
        )

    def condition(self, *, program_field: str = "program_id", cluster_path: str | None = None) -> Q:
        """The filter of what this caller may see: its programmes and, through
        ``cluster_path``, an editor's clusters and no deleted cluster."""
        if self.standings is None:
            return visible_clusters(cluster_path, None) if cluster_path else Q()
        condition = Q(pk__in=[])
        for program_id, standing in self.standings.items():
            part = Q(**{program_field: program_id})
            if cluster_path is not None:
                part &= visible_clusters(cluster_path, standing.cluster_ids)
            condition |= part
        return condition

    def filter(
        self, qs: QuerySet, *, program_field: str = "program_id", cluster_path: str | None = None
    ) -> QuerySet:
        """Any queryset narrowed to what the caller may see (see ``condition``)."""
        qs = qs.filter(self.condition(program_field=program_field, cluster_path=cluster_path))
        if isinstance(qs, TenantQuerySet):
            qs = qs.unscoped()  # filtered just above: the caller's programmes
        return qs
