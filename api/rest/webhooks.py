"""Webhooks of a programme (programme admins): endpoints, their deliveries, and the
redeliver, ping and secret-rotation actions. The rules live in ``webhooks.services``.

Deliveries follow Standard Webhooks: a POST of ``{"type", "timestamp", "data"}`` with
``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` headers (README, Webhooks).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from webhooks import selectors
from webhooks.events import EVENT_TYPES
from webhooks.models import Attempt, Delivery, Endpoint
from webhooks.services import endpoints as svc

from .base import ProgramScopedView


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENT_TYPES)),
        help_text=f"Event types to receive: {', '.join(EVENT_TYPES)}.",
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "events",
            "description",
            "enabled",
            "disabled_at",
            "disabled_reason",
            "failing_since",
            "secret_rotated_at",
            "previous_secret_expires_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookWithSecretSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The whsec_ signing secret: shown only in this response."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookWriteSerializer(serializers.Serializer):
    """The body of a registration or change (documentation; the service checks it)."""

    url = serializers.URLField(help_text="Where to POST events (http or https, public).")
    events = serializers.ListField(child=serializers.ChoiceField(choices=list(EVENT_TYPES)))
    description = serializers.CharField(required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "at", "trigger", "status_code", "response_ms", "error"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    webhook_id = serializers.CharField(
        source="event.msg_id", help_text="The webhook-id header (the same on every attempt)."
    )
    type = serializers.CharField(source="event.type")
    body = serializers.CharField(source="event.body", help_text="The exact body sent.")
    attempts = AttemptSerializer(source="attempt_log", many=True)
    attempt_count = serializers.IntegerField(source="attempts")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook_id",
            "type",
            "state",
            "attempt_count",
            "next_attempt_at",
            "last_status",
            "last_response_ms",
            "last_error",
            "body",
            "attempts",
            "created_at",
        ]
        read_only_fields = fields


class WebhookView(ProgramScopedView):
    queryset = Endpoint.objects.none()
    endpoint: Endpoint

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Webhook URLs and delivery bodies are for the programme's admins only.
        self.access.require_admin("Webhooks")
        if "webhook" in kwargs:
            self.endpoint = selectors.endpoint_get(access=self.access, pk=kwargs["webhook"])


class WebhookList(WebhookView, generics.ListAPIView):
    """The programme's webhook endpoints; POST registers one (admins).

    A registration answers the signing `secret` (`whsec_...`) once: store it, it is never
    shown again (rotate it to get a new one). Private and loopback URLs are refused unless
    the server sets `WEBHOOKS_ALLOW_PRIVATE_TARGETS=true`.
    """

    serializer_class = WebhookSerializer

    def safely_get_queryset(self, queryset: Any) -> Any:
        return queryset.order_by("id")

    @extend_schema(request=WebhookWriteSerializer, responses={201: WebhookWithSecretSerializer})
    def post(self, request: Request, program: str) -> Response:
        endpoint, secret = svc.endpoint_create(access=self.access, data=request.data)
        endpoint.secret = secret  # the clear secret, this once
        return Response(WebhookWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetail(WebhookView):
    """One webhook endpoint: read, change (`url`, `events`, `description`, `enabled`:
    enabling again forgets its failures), remove."""

    serializer_class = WebhookSerializer

    def get(self, request: Request, program: str, webhook: int) -> Response:
        return Response(WebhookSerializer(self.endpoint).data)

    @extend_schema(request=WebhookWriteSerializer)
    def patch(self, request: Request, program: str, webhook: int) -> Response:
        endpoint = svc.endpoint_update(
            access=self.access, endpoint=self.endpoint, data=request.data
        )
        return Response(WebhookSerializer(endpoint).data)

    def delete(self, request: Request, program: str, webhook: int) -> Response:
        svc.endpoint_delete(access=self.access, endpoint=self.endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveries(WebhookView, generics.ListAPIView):
    """The endpoint's deliveries, newest first: each event sent, its state (`pending`,
    `succeeded`, `failed`, `skipped`), and every attempt with its status code and response
    time."""

    serializer_class = DeliverySerializer
    queryset = Delivery.objects.none()

    def get_serializer_class(self) -> Any:
        return DeliverySerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = selectors.delivery_list(access=self.access, endpoint=self.endpoint)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class WebhookRedeliver(WebhookView):
    """Send a delivery again: the same `webhook-id` and body, a new attempt (202)."""

    serializer_class = DeliverySerializer

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request: Request, program: str, webhook: int, delivery: int) -> Response:
        found = selectors.delivery_get(access=self.access, endpoint=self.endpoint, pk=delivery)
        svc.delivery_redeliver(access=self.access, delivery=found)
        reloaded = selectors.delivery_get(access=self.access, endpoint=self.endpoint, pk=delivery)
        return Response(DeliverySerializer(reloaded).data, status=status.HTTP_202_ACCEPTED)


class WebhookPing(WebhookView):
    """Send a `webhook.ping` event to this endpoint (202 with the delivery)."""

    serializer_class = DeliverySerializer

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request: Request, program: str, webhook: int) -> Response:
        delivery = svc.endpoint_ping(access=self.access, endpoint=self.endpoint)
        reloaded = selectors.delivery_get(
            access=self.access, endpoint=self.endpoint, pk=delivery.pk
        )
        return Response(DeliverySerializer(reloaded).data, status=status.HTTP_202_ACCEPTED)


class WebhookRotateSecret(WebhookView):
    """A new signing secret, answered once; the old one keeps signing beside it (two
    signatures in `webhook-signature`) until `previous_secret_expires_at`."""

    serializer_class = WebhookWithSecretSerializer

    @extend_schema(
        request=None,
        responses={200: WebhookWithSecretSerializer},
    )
    def post(self, request: Request, program: str, webhook: int) -> Response:
        endpoint, secret = svc.endpoint_rotate_secret(access=self.access, endpoint=self.endpoint)
        endpoint.secret = secret
        return Response(WebhookWithSecretSerializer(endpoint).data)
