"""The events a programme's endpoints can receive, and how one is recorded.

| type | when | data |
|---|---|---|
| ``submission.submitted`` / ``.approved`` / ``.returned`` / ``.reopened`` | a submission changed state | ``program``, ``cluster``, ``year``, ``state`` (after the change) |
| ``period.closed`` | a reporting period's state became closed | ``program``, ``year`` |
| ``portfolio.updated`` | the recompute stored a year's portfolio figures | ``program``, ``year`` |
| ``canvas.updated`` | a cluster's canvas changed (the canvases app) | ``program``, ``cluster``, ``kind``, ``alternative``, ``version`` |
| ``webhook.disabled`` | an endpoint was disabled (410 Gone, or failing for days) | ``program``, ``webhook``, ``url``, ``reason`` |
| ``webhook.ping`` | the ping action (sent to that endpoint only) | ``program``, ``webhook`` |

``event_record`` writes the event and one pending delivery per endpoint that wants it, in
the caller's transaction, and queues their sending once it commits: a rolled-back change
sends nothing, and a committed one is never lost between commit and queue (the sweeper
``deliver_due`` picks up anything pending).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryState, Endpoint, Event

log = logging.getLogger(__name__)

SUBMISSION_EVENTS = {
    "submitted": "submission.submitted",
    "approved": "submission.approved",
    "returned": "submission.returned",
    "reopened": "submission.reopened",
}
PERIOD_CLOSED = "period.closed"
PORTFOLIO_UPDATED = "portfolio.updated"
CANVAS_UPDATED = "canvas.updated"
WEBHOOK_DISABLED = "webhook.disabled"
PING = "webhook.ping"
EVENT_TYPES = (
    *SUBMISSION_EVENTS.values(),
    PERIOD_CLOSED,
    PORTFOLIO_UPDATED,
    CANVAS_UPDATED,
    WEBHOOK_DISABLED,
)

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def new_msg_id() -> str:
    """``msg_`` and 26 random characters: no ``.``, so it cannot bend the signed content."""
    return "msg_" + "".join(secrets.choice(_ALPHABET) for _ in range(26))


def event_body(type_: str, at: dt.datetime, data: dict[str, Any]) -> str:
    stamp = at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return json.dumps(
        {"type": type_, "timestamp": stamp, "data": data}, separators=(",", ":"), sort_keys=False
    )


def _queue(delivery_ids: list[int]) -> None:
    from .tasks import deliver

    for delivery_id in delivery_ids:
        try:
            deliver.delay(delivery_id, "event")
        except Exception:  # noqa: BLE001 - the sweeper sends it; the change has committed
            log.warning("could not queue webhook delivery %s", delivery_id, exc_info=True)


def event_record(
    *,
    program_id: int,
    type_: str,
    data: dict[str, Any],
    endpoints: Iterable[Endpoint] | None = None,
    skipped: Iterable[Endpoint] = (),
) -> Event | None:
    """Record an event for the programme's enabled endpoints that subscribe to it (or for
    ``endpoints``), with a delivery each; ``skipped`` endpoints get it in their log, unsent."""
    if endpoints is None:
        endpoints = [
            e
            for e in Endpoint.objects.unscoped()
            .filter(program_id=program_id, enabled=True)
            .select_related("program")
            if type_ in e.events
        ]
    targets, skipped = list(endpoints), list(skipped)
    if not targets and not skipped:
        return None
    program = (targets or skipped)[0].program
    now = timezone.now()
    event = Event.objects.create(
        program_id=program_id,
        msg_id=new_msg_id(),
        type=type_,
        body=event_body(type_, now, {"program": program.slug, **data}),
        created_at=now,
    )
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(program_id=program_id, endpoint=e, event=event, next_attempt_at=now)
            for e in targets
        ]
        + [
            Delivery(program_id=program_id, endpoint=e, event=event, state=DeliveryState.SKIPPED)
            for e in skipped
        ]
    )
    ids = [d.pk for d in deliveries if d.state == DeliveryState.PENDING]
    if ids:
        transaction.on_commit(lambda: _queue(ids), robust=True)
    return event


def max_attempts() -> int:
    return int(settings.WEBHOOKS_MAX_ATTEMPTS)
