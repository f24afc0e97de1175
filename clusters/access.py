"""Who may do what in which programme: resolved once per request, for every interface.

An ``Access`` is the caller's standing in one programme. It is built from a bearer token
(or a signed-in user's membership) and a programme slug; a programme the caller cannot see
raises ``Program.DoesNotExist`` exactly as a missing one does, so interfaces answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import ApiToken, Membership, Program, Role


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


def visible_programs(*, user: Any = None, token: ApiToken | None = None) -> QuerySet[Program]:
    if token is not None:
        if token.is_site_staff:
            return Program.objects.all()
        return Program.objects.filter(pk=token.program_id)
    if user is not None and user.is_authenticated:
        if (
            user.is_superuser
        ):  # programme staff have is_staff for the admin; only superusers cross tenants
            return Program.objects.all()
        return Program.objects.filter(memberships__user=user).distinct()
    return Program.objects.none()


def resolve_access(
    *, program_slug: str, user: Any = None, token: ApiToken | None = None, via: str = "rest"
) -> Access:
    """The caller's access to a programme, or ``Program.DoesNotExist`` when invisible."""
    if token is not None:
        label = token.user.get_username() if token.user_id else f"token:{token.name}"
        if token.is_site_staff:
            program = Program.objects.get(slug=program_slug)
            return Access(program, Role.PROGRAM_ADMIN, None, token.user, token, label, via)
        program = Program.objects.get(slug=program_slug, pk=token.program_id)
        cluster_ids = (
            frozenset(token.clusters.values_list("pk", flat=True))
            if token.role == Role.CLUSTER_EDITOR
            else None
        )
        return Access(program, token.role, cluster_ids, token.user, token, label, via)
    if user is not None and user.is_authenticated:
        if (
            user.is_superuser
        ):  # programme staff have is_staff for the admin; only superusers cross tenants
            program = Program.objects.get(slug=program_slug)
            return Access(program, Role.PROGRAM_ADMIN, None, user, None, user.get_username(), via)
        membership = (
            Membership.objects.select_related("program")
            .filter(user=user, program__slug=program_slug)
            .first()
        )
        if membership is None:
            raise Program.DoesNotExist
        cluster_ids = (
            frozenset(membership.clusters.values_list("pk", flat=True))
            if membership.role == Role.CLUSTER_EDITOR
            else None
        )
        return Access(
            membership.program, membership.role, cluster_ids, user, None, user.get_username(), via
        )
    raise Program.DoesNotExist
