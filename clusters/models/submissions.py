"""Annual submissions: funding lines, cost lines, KPI values and their history."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.db import models

from .reference import CostCategory
from .scoping import TenantModel


class DecimalSize(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: DecimalSize = {"max_digits": 18, "decimal_places": 2}
KPI_VALUE: DecimalSize = {"max_digits": 24, "decimal_places": 6}


class SubmissionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


class Submission(TenantModel):
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="submissions"
    )
    year = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3)
    state = models.CharField(
        max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    staff_fte = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    return_comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="submission_unique_year")
        ]
        indexes = [models.Index(fields=["program", "year", "state"])]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.year}"


class FundingLine(TenantModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="funding")
    source = models.ForeignKey("clusters.FundingSource", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    in_kind = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "source"], name="fundingline_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fundingline_nonneg"),
        ]


class CostLine(TenantModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(max_length=16, choices=CostCategory.choices)
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "category"], name="costline_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="costline_nonneg"),
        ]


class KpiValue(TenantModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="kpis")
    kpi = models.ForeignKey("clusters.KpiDefinition", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(**KPI_VALUE)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "kpi"], name="kpivalue_unique"),
        ]


class SubmissionEvent(TenantModel):
    """One entry of a submission's history: a content change or a state change."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"
        REOPENED = "reopened", "Reopened"
        IMPORTED = "imported", "Imported"
        RESOLVED = "resolved", "Comment resolved"
        UNRESOLVED = "unresolved", "Comment reopened"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who acted, readable even for system tokens and management commands.
    actor_label = models.CharField(max_length=200, blank=True, default="")
    via = models.CharField(max_length=32, blank=True, default="")  # rest, graphql, import, admin
    from_state = models.CharField(max_length=16, blank=True, default="")
    to_state = models.CharField(max_length=16, blank=True, default="")
    version = models.PositiveIntegerField()
    comment = models.TextField(blank=True, default="")
    # [{"field": "funding.membership_fees.amount", "from": "1.00", "to": "2.00"}, ...]
    changes = models.JSONField(default=list, blank=True)
    # Field comments: given with a return ([{"field", "comment"}]), or resolved by this
    # change ([{"field", "comment", "resolved": true}]).
    # The database default lets bulk inserts that name no comments (the facts import) work.
    comments = models.JSONField(default=list, db_default=[], blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["submission", "at"])]
