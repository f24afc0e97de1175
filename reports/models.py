"""Stored annual reports and the links that share them.

A ``StoredReport`` is one generated document: a cluster's annual report or the programme's
portfolio report of a year in one language (its HTML and PDF), or every cluster's reports
of a year in one zip. Generating it again replaces it. A ``ReportShare`` is a link that
opens one report without a token until it expires or is revoked; only a hash of its secret
is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from clusters.models import TenantModel


class ReportKind(models.TextChoices):
    CLUSTER = "cluster", "A cluster's annual report"
    PROGRAM = "program", "The programme's portfolio report"
    CLUSTERS = "clusters", "Every cluster's annual report of a year, in one zip"


class StoredReport(TenantModel):
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    # The cluster of a cluster report; null for the programme's reports.
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    # Per format ("html", "pdf", "zip"): {"name" (in the storage), "size", "sha256"}.
    files = models.JSONField(default=dict)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # The document's own date: the latest change to what it shows (so the same data gives
    # the same document), not when it was generated.
    as_of = models.DateTimeField()
    generated_at = models.DateTimeField()
    job = models.ForeignKey(
        "clusters.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "kind", "cluster_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind", "year", "language"],
                condition=models.Q(cluster__isnull=True),
                name="storedreport_unique_programme_report",
            ),
            models.UniqueConstraint(
                fields=["program", "kind", "cluster", "year", "language"],
                condition=models.Q(cluster__isnull=False),
                name="storedreport_unique_cluster_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} report {self.year} ({self.language})"


class ReportShare(TenantModel):
    """A link to one report (a cluster's or the programme's, of one year) in one language."""

    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.CharField(max_length=200, blank=True, default="")
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "kind", "year"])]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def __str__(self) -> str:
        return f"share of the {self.kind} report {self.year} ({self.language})"
