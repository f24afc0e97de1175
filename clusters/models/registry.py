"""The cluster registry."""

from __future__ import annotations

from django.db import models

from .scoping import TenantModel


class Stage(models.TextChoices):
    BABY = "baby", "Baby (early network)"
    EMERGING = "emerging", "Emerging"
    GROWTH = "growth", "Growth"
    SUPERCLUSTER = "supercluster", "Supercluster"


class Category(models.TextChoices):
    GROW = "grow", "Grow an existing industry"
    TRANSFORM = "transform", "Transform an industry"
    BUILD = "build", "Build a new industry"


class ClusterStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ALUMNI = "alumni", "Alumni"
    CLOSED = "closed", "Closed"


class Cluster(TenantModel):
    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=120, blank=True, default="")
    sector = models.CharField(max_length=120, blank=True, default="")
    # region and sector folded for matching (clusters.filters.fold_text), set by the service
    region_key = models.CharField(max_length=120, blank=True, default="", editable=False)
    sector_key = models.CharField(max_length=120, blank=True, default="", editable=False)
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    category = models.CharField(max_length=16, choices=Category.choices)
    status = models.CharField(
        max_length=16, choices=ClusterStatus.choices, default=ClusterStatus.ACTIVE
    )
    website = models.URLField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Soft delete: a deleted cluster keeps its submissions and history.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="cluster_unique_slug")
        ]
        indexes = [
            models.Index(fields=["program", "deleted_at", "name"]),
            models.Index(fields=["program", "region_key"]),
        ]

    def __str__(self) -> str:
        return self.name
