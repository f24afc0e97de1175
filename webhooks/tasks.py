"""Celery tasks of the webhooks: send one delivery, and sweep the due ones.

``deliver`` is queued after the change's commit (``webhooks.events``); a failed attempt
queues its retry with a countdown. ``deliver_due`` (every minute with Celery beat, or
``manage.py deliver_webhooks``) sends whatever is due and was not queued: retries when
tasks run eagerly, deliveries whose task was lost.
"""

from __future__ import annotations

from celery import shared_task

from .models import Attempt
from .services.deliveries import deliveries_due, delivery_attempt


@shared_task(name="webhooks.deliver")
def deliver(delivery_id: int, trigger: str = Attempt.Trigger.EVENT) -> str | None:
    delivery = delivery_attempt(delivery_id=delivery_id, trigger=trigger)
    return None if delivery is None else delivery.state


@shared_task(name="webhooks.deliver_due")
def deliver_due() -> int:
    ids = deliveries_due()
    for delivery_id in ids:
        delivery_attempt(delivery_id=delivery_id)
    return len(ids)
