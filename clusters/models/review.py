"""Review: comments on fields, the thread between a cluster and its programme, and the
programme's warning rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .scoping import TenantModel
from .submissions import Submission


class FieldComment(TenantModel):
    """A reviewer's comment on one field of a submission (``funding.membership_fees.amount``),
    given with a ``return``. Resolved when a later write changes that field, or by hand."""

    class How(models.TextChoices):
        CHANGED = "changed", "The field changed"
        BY_HAND = "by_hand", "Marked by hand"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="field_comments"
    )
    field = models.CharField(max_length=200)
    comment = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The submission's version the comment was made on (the return's version).
    version = models.PositiveIntegerField()
    resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=200, blank=True, default="")
    resolved_how = models.CharField(max_length=16, choices=How.choices, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["submission", "resolved"])]


class ThreadMessage(TenantModel):
    """A free comment in the conversation about one submission (editors and admins)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="thread")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True, default="")
    author_role = models.CharField(max_length=32)
    comment = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["submission", "created_at"])]


class WarningRuleKind(models.TextChoices):
    FUNDING_CHANGE = "funding_change", "Total funding changed much from last year"
    COSTS_OVER_FUNDING = "costs_over_funding", "Costs above funding"
    KPI_OUTLIER = "kpi_outlier", "A KPI far outside its history"
    SOURCE_DISAPPEARED = "source_disappeared", "A funding source of last year is gone"
    PUBLIC_SHARE = "public_share", "Public share above the programme's threshold"
    REQUIRED_KPIS = "required_kpis", "KPIs the programme requires are missing"


class WarningRule(TenantModel):
    """One soft rule of a programme, checked on every save and submit of a submission.

    ``params`` hold the rule's thresholds (see ``clusters/selectors/warnings.py``);
    a ``blocking`` rule that fires refuses ``submit`` with a 409.
    """

    rule = models.CharField(max_length=32, choices=WarningRuleKind.choices)
    enabled = models.BooleanField(default=True)
    blocking = models.BooleanField(default=False)
    params = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "rule"], name="warningrule_unique")
        ]

    def __str__(self) -> str:
        return self.rule
