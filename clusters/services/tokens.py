"""API tokens: created shown once, stored hashed, expiring, revocable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import ApiToken, Cluster, Program, Role, hash_token, new_token_secret
from ..models.scoping import visible_clusters
from ..validation import Problems, check_text


@transaction.atomic
def token_create(
    *,
    name: str,
    role: str,
    program: Program | None,
    cluster_slugs: list[str] | None = None,
    user: Any = None,
    expires_at: dt.datetime | None = None,
    site_staff: bool = False,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored."""
    errors: dict[str, list[ValidationError]] = {}
    if role not in Role.values:
        errors["role"] = [
            ValidationError(
                f"'{role}' is not one of {', '.join(Role.values)}.", code="invalid_choice"
            )
        ]
    if program is None and not site_staff:
        errors["program"] = [ValidationError("A token acts in one programme.", code="required")]
    cluster_slugs = cluster_slugs or []
    if role == Role.CLUSTER_EDITOR and not cluster_slugs:
        errors["clusters"] = [
            ValidationError("A cluster_editor token needs at least one cluster.", code="required")
        ]
    if role != Role.CLUSTER_EDITOR and cluster_slugs:
        errors["clusters"] = [
            ValidationError("Only cluster_editor tokens are bound to clusters.", code="invalid")
        ]
    clusters: list[Cluster] = []
    if program is not None and cluster_slugs:
        clusters = list(
            Cluster.objects.for_program(program)
            .filter(visible_clusters("pk", None))
            .filter(slug__in=cluster_slugs)
        )
        missing = sorted(set(cluster_slugs) - {c.slug for c in clusters})
        if missing:
            errors["clusters"] = [
                ValidationError(
                    f"No cluster {', '.join(missing)} in {program.slug}.", code="not_found"
                )
            ]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [ValidationError("expires_at is in the past.", code="invalid")]
    if errors:
        raise ValidationError(errors)
    raw, prefix, key_hash = new_token_secret()
    token = ApiToken.objects.create(
        name=name,
        role=role,
        program=program,
        user=user,
        prefix=prefix,
        key_hash=key_hash,
        expires_at=expires_at,
        is_site_staff=site_staff,
    )
    token.clusters.set(clusters)
    return token, raw


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token with this raw value, or None. Touches last_used_at sparingly."""
    token = (
        ApiToken.objects.select_related("program", "user").filter(key_hash=hash_token(raw)).first()
    )
    if token is None or not token.is_active:
        return None
    if token.user is not None and not token.user.is_active:
        return None  # a deactivated person's tokens stop with them
    now = timezone.now()
    resolution = dt.timedelta(seconds=settings.TOKEN_LAST_USED_RESOLUTION_SECONDS)
    if token.last_used_at is None or now - token.last_used_at > resolution:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def token_admin_change(*, token: ApiToken, changed: list[str], by_superuser: bool) -> ApiToken:
    """A change made in the Django admin: a token's name, expiry or revocation.

    Programme staff may not undo a revocation; only superusers change anything else.
    """
    problems = Problems()
    check_text(token.name, field="name", problems=problems, limit=200, required=True)
    if not by_superuser:
        allowed = {"name", "expires_at", "revoked_at"}
        for name in sorted(set(changed) - allowed):
            problems.add(
                name,
                "Programme staff change a token's name, expiry and revocation only.",
                "read_only",
            )
        if "revoked_at" in changed and token.pk is not None:
            before = (
                ApiToken.objects.filter(pk=token.pk).values_list("revoked_at", flat=True).first()
            )
            if before is not None:
                problems.add("revoked_at", "A revocation is final.", "read_only")
    problems.raise_if_any()
    token.save()
    return token
