"""Mail to people: an outbox of what to tell, people's preferences, digest items."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clusters.models import TenantModel


class Kind(models.TextChoices):
    """What a mail is about; each kind can be switched off per person."""

    SUBMITTED = "submitted", "A submission was submitted"
    APPROVED = "approved", "A submission was approved"
    RETURNED = "returned", "A submission was returned"
    REOPENED = "reopened", "A submission was reopened"
    COMMENTED = "commented", "Someone wrote in a submission's thread"
    REMINDER = "reminder", "A reporting period closes soon"
    LATE = "late", "A cluster is late"


# Kinds a person who prefers the daily digest gets in it instead of one mail each.
DIGESTIBLE = (Kind.SUBMITTED, Kind.APPROVED, Kind.RETURNED, Kind.REOPENED, Kind.COMMENTED)


class Notice(TenantModel):
    """One thing to tell people (the outbox). Written in the transaction of the change it
    is about, so a rolled-back change tells nobody; delivered by a Celery task after the
    commit, once (``dispatched_at``)."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # cluster (slug), year, and what the kind needs: comment, fields, closes_on, days...
    data = models.JSONField(default=dict)
    # Periodic notices (reminder, late) carry a key so a second run of the task adds none.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["dispatched_at"])]


class MailPreference(models.Model):
    """A person's choices: kinds they do not want, and a daily digest instead of one mail
    per submission event."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    opted_out = models.JSONField(default=list, blank=True)
    digest = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"mail preferences of {self.user}"


class DigestItem(TenantModel):
    """A notice kept for a person's next daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="digestitem_unique")]
        indexes = [models.Index(fields=["sent_at", "user"])]
