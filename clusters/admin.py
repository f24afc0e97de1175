"""Django admin for programme staff: each sees only the programmes they administer.

What a person sees comes from the one tenancy path (``clusters.access.Scope``), as in REST
and GraphQL. Every write goes through the services (validation, history, recomputation
of stored figures), so domain data is read-only here for everyone, superusers included:
programmes, clusters, reference data and fx rates change through the API or commands.
The admin's own job is people: memberships and the renaming, expiry and revocation of
tokens, each saved through a service.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from .access import Scope
from .models import (
    ApiToken,
    Cluster,
    FundingSource,
    FxRate,
    KpiDefinition,
    Membership,
    Program,
    ReportingPeriod,
    Role,
    Submission,
    SubmissionEvent,
)
from .services.people import membership_save
from .services.tokens import token_admin_change


def admin_program_ids(request: HttpRequest) -> list[int] | None:
    """Programmes the signed-in person administers; None for superusers (all)."""
    scope = getattr(request, "_clusterbase_scope", None)
    if scope is None:
        scope = Scope.of(user=request.user, via="admin")
        # the scope cached on the request: the stubs' HttpRequest declares no such attribute.
        request._clusterbase_scope = scope  # type: ignore[attr-defined]
    return scope.program_ids(role=Role.PROGRAM_ADMIN)


class ProgramScopedAdmin(admin.ModelAdmin):
    """Programme staff browse their programmes here; they change them through the API.

    Writes of domain data go through services (validation, history, recomputation of
    stored figures), so for anyone but a superuser these pages are read-only, except
    memberships and tokens (below), which are the admin's own job.
    """

    program_field = "program_id"
    staff_may_change = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = self.model._default_manager.get_queryset()
        ids = admin_program_ids(request)
        if ids is not None:
            qs = qs.filter(**{f"{self.program_field}__in": ids})
        return qs.unscoped() if hasattr(qs, "unscoped") else qs

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.staff_may_change and self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.staff_may_change and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.staff_may_change and request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = admin_program_ids(request)
        related = db_field.related_model
        if related is Program and ids is not None:
            kwargs["queryset"] = Program.objects.filter(pk__in=ids)
        elif hasattr(related._default_manager.get_queryset(), "for_programs"):
            qs = related._default_manager.get_queryset()
            kwargs["queryset"] = qs.unscoped() if ids is None else qs.for_programs(ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        ids = admin_program_ids(request)
        qs = db_field.related_model._default_manager.get_queryset()
        if hasattr(qs, "for_programs"):
            kwargs["queryset"] = qs.unscoped() if ids is None else qs.for_programs(ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin):
    program_field = "pk"
    list_display = ["slug", "name", "country", "currency"]
    search_fields = ["slug", "name"]


@admin.register(Cluster)
class ClusterAdmin(ProgramScopedAdmin):
    list_display = [
        "name",
        "slug",
        "program",
        "country",
        "stage",
        "category",
        "status",
        "deleted_at",
    ]
    list_filter = ["stage", "category", "status"]
    search_fields = ["name", "slug"]
    readonly_fields = ["program"]


@admin.register(FundingSource)
class FundingSourceAdmin(ProgramScopedAdmin):
    list_display = ["code", "name", "category", "program", "is_standard"]
    list_filter = ["category"]
    readonly_fields = ["program"]


@admin.register(KpiDefinition)
class KpiAdmin(ProgramScopedAdmin):
    list_display = ["code", "name", "kind", "aggregation", "program"]
    readonly_fields = ["program"]


@admin.register(ReportingPeriod)
class PeriodAdmin(ProgramScopedAdmin):
    list_display = ["year", "program", "opens_on", "closes_on", "state"]
    readonly_fields = ["program"]


@admin.register(FxRate)
class FxRateAdmin(ProgramScopedAdmin):
    list_display = ["year", "currency", "rate", "program"]
    readonly_fields = ["program"]


@admin.register(Submission)
class SubmissionAdmin(ProgramScopedAdmin):
    """Read-only here: submissions change through the API so that history is kept."""

    list_display = ["cluster", "year", "state", "version", "program"]
    list_filter = ["state", "year"]
    readonly_fields = [f.name for f in Submission._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ProgramScopedAdmin):
    list_display = ["submission", "action", "actor_label", "at", "version"]
    readonly_fields = [f.name for f in SubmissionEvent._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ProgramScopedAdmin):
    staff_may_change = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = admin_program_ids(request)
        if db_field.name == "user" and ids is not None:
            # Staff pick among their programmes' people, never the whole site's.
            kwargs["queryset"] = (
                get_user_model().objects.filter(memberships__program_id__in=ids).distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    list_display = ["user", "program", "role"]
    filter_horizontal = ["clusters"]

    def save_model(self, request: HttpRequest, obj: Membership, form, change: bool) -> None:
        membership_save(membership=obj)


@admin.register(ApiToken)
class ApiTokenAdmin(ProgramScopedAdmin):
    """Programme staff rename, expire and revoke their programme's tokens; nothing else."""

    staff_may_change = True
    list_display = [
        "name",
        "program",
        "role",
        "user",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    exclude = ["clusters"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        # A revocation is final for programme staff: once set, revoked_at is read-only.
        editable = (
            {"name", "expires_at"}
            if obj is not None and obj.revoked_at
            else {"name", "expires_at", "revoked_at"}
        )
        return [f.name for f in ApiToken._meta.fields if f.name not in editable]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is created by `manage.py create_token`, which shows its secret once.
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        token_admin_change(
            token=obj, changed=list(form.changed_data), by_superuser=request.user.is_superuser
        )
