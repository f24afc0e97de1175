"""Figures computed from the clusters' data: stored portfolio figures, value-impact roadmaps
(a metric, a baseline and milestones per cluster) and saved what-if scenarios."""

from __future__ import annotations

from django.db import models

from clusters.models import TenantModel


class Interpolation(models.TextChoices):
    LINEAR = "linear", "Linear"
    COMPOUND = "compound", "Compound (constant growth rate)"


class Roadmap(TenantModel):
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="roadmaps"
    )
    kpi = models.ForeignKey("clusters.KpiDefinition", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(blank=True, default="")
    baseline_year = models.PositiveSmallIntegerField()
    baseline_value = models.DecimalField(max_digits=24, decimal_places=6)
    interpolation = models.CharField(
        max_length=16, choices=Interpolation.choices, default=Interpolation.LINEAR
    )
    data_source = models.CharField(max_length=300, blank=True, default="")
    third_party_verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cluster_id", "kpi_id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "kpi"], name="roadmap_unique_cluster_kpi")
        ]


class Milestone(TenantModel):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField()
    target = models.DecimalField(max_digits=24, decimal_places=6)

    class Meta:
        ordering = ["roadmap_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "year"], name="milestone_unique_year")
        ]


class SavedScenario(TenantModel):
    """A what-if scenario kept by name, with its answer as it was when saved."""

    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    changes = models.JSONField()
    result = models.JSONField()
    created_by = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="savedscenario_unique_name")
        ]


class PortfolioSnapshot(TenantModel):
    """One computed figure (e.g. the funding mix) for a programme-year and parameter set.

    Written by the recompute task after a change commits; deleted in the transaction of any
    change to its inputs, so a missing snapshot means "compute on demand", never a stale one.
    """

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=64)
    # Canonical parameter string, e.g. "" for the whole programme or "group_by=stage".
    params = models.CharField(max_length=255, blank=True, default="")
    payload = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        # The table was created by the clusters app; it keeps its name and its rows.
        db_table = "clusters_portfoliosnapshot"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "kind", "params"], name="portfoliosnapshot_unique"
            )
        ]
