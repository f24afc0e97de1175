"""Webhook endpoints of a programme, the events sent to them and every delivery attempt.

An ``Event`` is written once, in the transaction of the change it reports, with the exact
body every endpoint receives (``{"type", "timestamp", "data"}``) and its ``webhook-id``:
the body never changes between attempts or redeliveries. A ``Delivery`` is one event to
one endpoint; each try is an ``Attempt`` with its status code and response time.
"""

from __future__ import annotations

from django.db import models

from clusters.models import TenantModel


class Endpoint(TenantModel):
    url = models.CharField(max_length=2000)
    # Event types this endpoint receives, e.g. ["submission.approved", "period.closed"].
    events = models.JSONField(default=list)
    description = models.CharField(max_length=500, blank=True, default="")
    enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True, default="")
    # The whsec_ signing secret, encrypted (webhooks.secrets); never shown after creation.
    secret = models.TextField()
    # The secret before the last rotation: it keeps signing beside the new one until then.
    previous_secret = models.TextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    # First failed attempt since the last success: failing for days disables the endpoint.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class Event(TenantModel):
    # The webhook-id header: one per event, the same for every attempt and redelivery.
    msg_id = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=64)
    # The exact body sent, as bytes of UTF-8 JSON text: what the signature covers.
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    # Not sent: the endpoint was disabled when its turn came.
    SKIPPED = "skipped", "Skipped"


class Delivery(TenantModel):
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class Attempt(TenantModel):
    class Trigger(models.TextChoices):
        EVENT = "event", "The event"
        RETRY = "retry", "A scheduled retry"
        REDELIVER = "redeliver", "A redelivery"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["delivery_id", "number"]
