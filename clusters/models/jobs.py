"""Long work done in the background (Miro export and import, reports): one generic job.

A job is visible to whoever may see what it works on: the programme's admins and analysts,
and the editors of ``cluster`` when it names one. ``kind`` says what it does
(``canvas.miro_export``, ``report.cluster``...), ``params`` what it was asked, ``result``
what it produced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .scoping import TenantModel


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Job(TenantModel):
    kind = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    # 0 to 1; stored as a decimal so it reads back exactly as written.
    progress = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    # What the job works on decides who sees it; null for programme-wide work.
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.CharField(max_length=200, blank=True, default="")
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "kind", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                name="job_progress_0_to_1",
            )
        ]

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"
