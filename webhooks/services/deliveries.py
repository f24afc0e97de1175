"""Sending a delivery: sign, POST, record the attempt, and decide what comes next.

- 2xx: succeeded (the endpoint's failures are forgotten).
- 410 Gone: the receiver wants no more; the endpoint is disabled.
- 429, 5xx, a timeout or no connection: tried again after an exponential backoff with
  jitter (``backoff_delay``), or after ``Retry-After`` when that is longer, up to
  ``WEBHOOKS_MAX_ATTEMPTS`` attempts (about three days).
- anything else (3xx, other 4xx, a private target): failed, not retried.

An endpoint whose attempts have failed for ``WEBHOOKS_DISABLE_AFTER_DAYS`` without a
success is disabled, and a ``webhook.disabled`` event is recorded (in the disabled
endpoint's own log, unsent, and sent to the endpoints that subscribe to it).

The body and ``webhook-id`` come from the stored event: every attempt sends the same
bytes; only ``webhook-timestamp`` and so the signature are per attempt. Time, chance and
the network are parameters, so tests drive retries without waiting.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..events import WEBHOOK_DISABLED, event_record, max_attempts
from ..models import Attempt, Delivery, DeliveryState, Endpoint
from ..secrets import SecretUnreadable, sign, unseal
from ..sender import Outcome, post

log = logging.getLogger(__name__)

BASE_DELAY = 5  # seconds before the first retry
FACTOR = 5
MAX_DELAY = 24 * 3600
JITTER = 0.2  # +-20 %

Send = Callable[[str, dict[str, str], bytes], Outcome]


def backoff_delay(
    attempt: int, *, retry_after: int | None = None, rand: Callable[[], float] = random.random
) -> int:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...): 5 s, 25 s, 2 min,
    10 min, 52 min, 4.3 h, then a day, each +-20 % at random; at least ``Retry-After``."""
    delay = min(BASE_DELAY * FACTOR ** (attempt - 1), MAX_DELAY)
    jittered = delay * (1 - JITTER + 2 * JITTER * rand())
    if retry_after is not None:
        jittered = max(jittered, retry_after)
    return int(round(min(jittered, MAX_DELAY)))


def signatures(
    endpoint: Endpoint, msg_id: str, timestamp: int, body: bytes, now: dt.datetime
) -> str:
    """The ``webhook-signature`` header: the current secret's signature, and the previous
    secret's while its grace period lasts (space-separated, as Standard Webhooks says)."""
    out = [sign(unseal(endpoint.secret), msg_id, timestamp, body)]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at is not None
        and endpoint.previous_secret_expires_at > now
    ):
        out.append(sign(unseal(endpoint.previous_secret), msg_id, timestamp, body))
    return " ".join(out)


def _retryable(outcome: Outcome) -> bool:
    if outcome.refused:
        return False
    if outcome.status is None:
        return True  # timed out or unreachable
    return outcome.status == 429 or outcome.status >= 500


def _disable(endpoint: Endpoint, reason: str, now: dt.datetime) -> None:
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason[:300]
    endpoint.save(
        update_fields=["enabled", "disabled_at", "disabled_reason", "failing_since", "updated_at"]
    )
    log.warning("webhook %s disabled: %s", endpoint.pk, reason)
    others = [
        e
        for e in Endpoint.objects.unscoped()
        .filter(program_id=endpoint.program_id, enabled=True)
        .select_related("program")
        if WEBHOOK_DISABLED in e.events
    ]
    event_record(
        program_id=endpoint.program_id,
        type_=WEBHOOK_DISABLED,
        data={"webhook": endpoint.pk, "url": endpoint.url, "reason": endpoint.disabled_reason},
        endpoints=others,
        skipped=[endpoint],
    )


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def delivery_attempt(
    *,
    delivery_id: int,
    trigger: str = Attempt.Trigger.RETRY,
    now: dt.datetime | None = None,
    send: Send = post,
    rand: Callable[[], float] = random.random,
) -> Delivery | None:
    """Try a pending delivery once (safe to run twice: a delivery that is not pending, or
    whose retry is not due yet, is left alone)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.unscoped()
            .select_for_update()
            .select_related("endpoint", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state != DeliveryState.PENDING:
            return delivery
        if (
            trigger == Attempt.Trigger.RETRY
            and delivery.next_attempt_at
            and delivery.next_attempt_at > now
        ):
            return delivery
        endpoint, event = delivery.endpoint, delivery.event
        if not endpoint.enabled:
            delivery.state, delivery.next_attempt_at = DeliveryState.SKIPPED, None
            delivery.save(update_fields=["state", "next_attempt_at", "updated_at"])
            return delivery
        body = event.body.encode()
        timestamp = int(now.timestamp())
        try:
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "clusterbase-webhooks/1.0",
                "webhook-id": event.msg_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": signatures(endpoint, event.msg_id, timestamp, body, now),
            }
        except SecretUnreadable as exc:
            outcome = Outcome(None, None, str(exc), refused=True)
        else:
            outcome = send(endpoint.url, headers, body)
        number = delivery.attempts + 1
        Attempt.objects.create(
            program_id=delivery.program_id,
            delivery=delivery,
            number=number,
            at=now,
            trigger=trigger,
            status_code=outcome.status,
            response_ms=outcome.response_ms,
            error=outcome.error[:500],
        )
        delivery.attempts = number
        delivery.last_status = outcome.status
        delivery.last_response_ms = outcome.response_ms
        delivery.last_error = outcome.error[:500]
        delay = None
        if outcome.status is not None and 200 <= outcome.status < 300:
            delivery.state, delivery.next_attempt_at = DeliveryState.SUCCEEDED, None
            if endpoint.failing_since is not None:
                endpoint.failing_since = None
                endpoint.save(update_fields=["failing_since", "updated_at"])
        else:
            if _retryable(outcome) and number < max_attempts():
                delay = backoff_delay(number, retry_after=outcome.retry_after, rand=rand)
                delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
            else:
                delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
            endpoint.failing_since = endpoint.failing_since or now
            failing_for = now - endpoint.failing_since
            if outcome.status == 410:
                _disable(endpoint, "the receiver answered 410 Gone", now)
                delivery.state, delivery.next_attempt_at, delay = DeliveryState.FAILED, None, None
            elif failing_for >= dt.timedelta(days=settings.WEBHOOKS_DISABLE_AFTER_DAYS):
                _disable(endpoint, f"failing since {endpoint.failing_since.isoformat()}", now)
                delivery.state, delivery.next_attempt_at, delay = DeliveryState.FAILED, None, None
            else:
                endpoint.save(update_fields=["failing_since", "updated_at"])
        delivery.save()
        if delay is not None and not _eager():
            # A worker retries after the delay; without one (eager tasks) the sweeper does.
            transaction.on_commit(lambda: _queue_retry(delivery.pk, delay), robust=True)
    return delivery


def _queue_retry(delivery_id: int, delay: int) -> None:
    from ..tasks import deliver

    deliver.apply_async((delivery_id, Attempt.Trigger.RETRY), countdown=delay)


def deliveries_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose attempt is due (lost tasks, eager mode, beat's sweep)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.unscoped()
        .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
