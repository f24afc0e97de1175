"""Registering, changing and removing webhook endpoints (programme admins only).

A registration answers the new ``whsec_`` secret once; only its encrypted form is kept.
Rotating makes a new secret and keeps the old one signing beside it (two signatures in
``webhook-signature``) for ``WEBHOOKS_SECRET_GRACE_HOURS``, so receivers can switch
without missing a delivery.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clusters.access import Access
from clusters.errors import StateConflict
from clusters.validation import (
    Problems,
    check_flag,
    check_keys,
    check_list,
    check_text,
    require_body,
    shown,
)

from .. import secrets
from ..events import EVENT_TYPES, PING, event_record
from ..models import Delivery, DeliveryState, Endpoint
from ..targets import TargetRefused, check_registration

MAX_URL = 2000
MAX_ENDPOINTS = 50
FIELDS = ("url", "events", "description", "enabled")


def _check_url(raw: Any, problems: Problems) -> str | None:
    url = check_text(raw, field="url", problems=problems, limit=MAX_URL, required=True)
    if url is None:
        return None
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        problems.add("url", f"'{shown(url)}' is not an http or https URL.", "invalid_url")
        return None
    try:
        check_registration(url)
    except TargetRefused as exc:
        problems.add("url", str(exc), "private_target")
        return None
    return url


def _check_events(raw: Any, problems: Problems) -> list[str] | None:
    items = check_list(
        raw,
        field="events",
        problems=problems,
        limit=len(EVENT_TYPES),
        required=True,
        required_message=f"Name at least one event: {', '.join(EVENT_TYPES)}.",
    )
    clean: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or item not in EVENT_TYPES:
            problems.add(
                f"events.{i}",
                f"'{shown(item)}' is not one of {', '.join(EVENT_TYPES)}.",
                "invalid_choice",
            )
        elif item not in clean:
            clean.append(item)
    return clean if items else None


@transaction.atomic
def endpoint_create(*, access: Access, data: Any) -> tuple[Endpoint, str]:
    """Register an endpoint; returns it with its secret (shown to the caller once)."""
    access.require_admin("Registering a webhook")
    body = require_body(data)
    problems = Problems()
    check_keys(body, allowed=FIELDS, problems=problems, what="a webhook")
    url = _check_url(body.get("url"), problems)
    events = _check_events(body.get("events"), problems)
    description = check_text(
        body.get("description"), field="description", problems=problems, limit=500
    )
    enabled = check_flag(body.get("enabled"), field="enabled", problems=problems, default=True)
    if Endpoint.objects.for_program(access.program).count() >= MAX_ENDPOINTS:
        problems.add("url", f"A programme has at most {MAX_ENDPOINTS} webhooks.", "too_many")
    problems.raise_if_any()
    secret = secrets.new_secret()
    endpoint = Endpoint.objects.create(
        program=access.program,
        url=url,
        events=events,
        description=description or "",
        enabled=enabled,
        secret=secrets.seal(secret),
    )
    return endpoint, secret


@transaction.atomic
def endpoint_update(*, access: Access, endpoint: Endpoint, data: Any) -> Endpoint:
    """Change the URL, events, description, or enable / disable the endpoint. Enabling it
    again forgets its failures."""
    access.require_admin("Changing a webhook")
    body = require_body(data)
    problems = Problems()
    check_keys(body, allowed=FIELDS, problems=problems, what="a webhook")
    if "url" in body:
        endpoint.url = _check_url(body["url"], problems) or endpoint.url
    if "events" in body:
        endpoint.events = _check_events(body["events"], problems) or endpoint.events
    if "description" in body:
        endpoint.description = (
            check_text(body["description"], field="description", problems=problems, limit=500) or ""
        )
    if "enabled" in body:
        enabled = check_flag(body["enabled"], field="enabled", problems=problems)
        if enabled and not endpoint.enabled:
            endpoint.disabled_at, endpoint.disabled_reason, endpoint.failing_since = None, "", None
        elif not enabled and endpoint.enabled:
            endpoint.disabled_at, endpoint.disabled_reason = timezone.now(), "disabled by an admin"
        endpoint.enabled = enabled
    problems.raise_if_any()
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_delete(*, access: Access, endpoint: Endpoint) -> None:
    access.require_admin("Removing a webhook")
    endpoint.delete()


@transaction.atomic
def endpoint_rotate_secret(*, access: Access, endpoint: Endpoint) -> tuple[Endpoint, str]:
    """A new secret (returned once); the current one keeps signing beside it for the grace
    period."""
    access.require_admin("Rotating a webhook secret")
    now = timezone.now()
    secret = secrets.new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + dt.timedelta(
        hours=settings.WEBHOOKS_SECRET_GRACE_HOURS
    )
    endpoint.secret = secrets.seal(secret)
    endpoint.secret_rotated_at = now
    endpoint.save()
    return endpoint, secret


def _require_enabled(endpoint: Endpoint) -> None:
    if not endpoint.enabled:
        raise StateConflict(
            "The webhook is disabled; enable it (PATCH enabled=true) first.", field="enabled"
        )


@transaction.atomic
def endpoint_ping(*, access: Access, endpoint: Endpoint) -> Delivery:
    """Send a ``webhook.ping`` event to this endpoint only (after commit)."""
    access.require_admin("Pinging a webhook")
    _require_enabled(endpoint)
    event = event_record(
        program_id=access.program.pk,
        type_=PING,
        data={"webhook": endpoint.pk},
        endpoints=[endpoint],
    )
    assert event is not None
    return Delivery.objects.for_program(access.program).get(event=event, endpoint=endpoint)


@transaction.atomic
def delivery_redeliver(*, access: Access, delivery: Delivery) -> Delivery:
    """Send a delivery again: the same ``webhook-id`` and body, a new attempt (after commit)."""
    access.require_admin("Redelivering a webhook")
    _require_enabled(delivery.endpoint)
    delivery.state = DeliveryState.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["state", "next_attempt_at", "updated_at"])

    def queue() -> None:
        from ..tasks import deliver

        deliver.delay(delivery.pk, "redeliver")

    transaction.on_commit(queue, robust=True)
    return delivery
