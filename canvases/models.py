"""Canvases: a cluster's business-model tools as versioned data, and their Miro links.

A ``Canvas`` is one named alternative of one kind for one cluster: ``current`` (the as-is)
or a scenario beside it. Each save writes a ``CanvasVersion`` (who, when, the body), so
every earlier version stays readable and two can be compared. The value-impact roadmap's
current body lives in ``impact`` (its roadmaps); its versions are kept here all the same.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clusters.models import TenantModel


class Canvas(TenantModel):
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="canvases"
    )
    kind = models.CharField(max_length=32)
    alternative = models.SlugField(max_length=64, default="current")
    body = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cluster_id", "kind", "alternative"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "kind", "alternative"], name="canvas_unique_alternative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.kind}/{self.alternative} v{self.version}"


class CanvasVersion(TenantModel):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    body = models.JSONField()
    created_by = models.CharField(max_length=200, blank=True, default="")
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # rest, graphql, miro, derived, demo...
    via = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["canvas_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["canvas", "version"], name="canvasversion_unique")
        ]


class MiroBoardLink(TenantModel):
    """Where a canvas was exported on a Miro board: its frame and the ids of its items, so a
    second export updates them instead of adding copies."""

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    alternative = models.SlugField(max_length=64, default="current")
    board_id = models.CharField(max_length=200)
    frame_id = models.CharField(max_length=64, blank=True, default="")
    # {"block:members": "3458764...", "note:members:0": "3458764..."}
    items = models.JSONField(default=dict)
    exported_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "kind", "alternative", "board_id"], name="miroboardlink_unique"
            )
        ]


class MiroConnection(TenantModel):
    """A programme's Miro access token, encrypted (clusters/crypto.py); never shown."""

    token_encrypted = models.TextField()
    updated_by = models.CharField(max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program"], name="miroconnection_unique")]
