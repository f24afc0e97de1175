"""Reads of webhooks, inside the caller's programme (programme admins only)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from clusters.access import Access

from .models import Attempt, Delivery, Endpoint


def endpoint_list(*, access: Access) -> QuerySet[Endpoint]:
    access.require_admin("Webhooks")
    return Endpoint.objects.for_program(access.program)


def endpoint_get(*, access: Access, pk: int) -> Endpoint:
    """The endpoint, or ``Endpoint.DoesNotExist`` (another programme's is the same 404)."""
    return endpoint_list(access=access).get(pk=pk)


def delivery_list(*, access: Access, endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's deliveries, newest first, with their event and every attempt."""
    access.require_admin("Webhooks")
    return (
        Delivery.objects.for_program(access.program)
        .filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("attempt_log", queryset=Attempt.objects.unscoped().order_by("number"))
        )
    )


def delivery_get(*, access: Access, endpoint: Endpoint, pk: int) -> Delivery:
    return delivery_list(access=access, endpoint=endpoint).select_related("endpoint").get(pk=pk)
