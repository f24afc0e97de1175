"""Programmes (the tenants), memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    PROGRAM_ADMIN = "program_admin", "Programme admin"
    PROGRAM_ANALYST = "program_analyst", "Programme analyst"
    CLUSTER_EDITOR = "cluster_editor", "Cluster editor"


class Language(models.TextChoices):
    """Languages the service writes reports and mail in (``settings.LANGUAGES``)."""

    EN = "en", "English"
    ES = "es", "Español"
    NB = "nb", "Norsk (bokmål)"


class Program(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, default="")
    currency = models.CharField(max_length=3)
    # The default language of the programme's reports and mail; a request may ask for another.
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.EN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one programme; editors hold one or more clusters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    clusters = models.ManyToManyField("clusters.Cluster", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"], name="membership_unique_user_program"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.program.slug} · {self.role}"


TOKEN_PREFIX = "cb"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_secret() -> tuple[str, str, str]:
    """Return (raw token, lookup prefix, sha256 hash). Only the hash is stored."""
    lookup = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
    return raw, lookup, hash_token(raw)


class ApiToken(models.Model):
    """A bearer token acting with one role in one programme.

    People's tokens name their user; system tokens (BI tools) have none. A site-staff
    token has no programme and acts as admin on every programme.
    """

    name = models.CharField(max_length=200)
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    clusters = models.ManyToManyField("clusters.Cluster", blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    is_site_staff = models.BooleanField(default=False)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(program__isnull=False) | models.Q(is_site_staff=True),
                name="apitoken_program_or_staff",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
