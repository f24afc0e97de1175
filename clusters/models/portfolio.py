"""Stored portfolio figures, recomputed by a Celery task when their inputs change."""

from __future__ import annotations

from django.db import models

from .scoping import TenantModel


class PortfolioSnapshot(TenantModel):
    """One computed figure (e.g. the funding mix) for a programme-year and parameter set."""

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=64)
    # Canonical parameter string, e.g. "" for the whole programme or "group_by=stage".
    params = models.CharField(max_length=255, blank=True, default="")
    payload = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "kind", "params"], name="portfoliosnapshot_unique"
            )
        ]
