"""Celery tasks of the mail app. ``deliver_notice`` runs after each commit that wrote a
notice; ``send_period_notices`` and ``send_digests`` run daily from Celery beat
(``CELERY_BEAT_SCHEDULE`` in settings; ``make beat`` starts the scheduler)."""

from __future__ import annotations

import smtplib

from celery import shared_task

from .delivery import digests_send, notice_deliver
from .services import period_notices


@shared_task(
    name="notifications.deliver_notice",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=8,
)
def deliver_notice(*, notice_id: int) -> int:
    return notice_deliver(notice_id=notice_id)


@shared_task(name="notifications.send_period_notices")
def send_period_notices() -> int:
    return len(period_notices())


@shared_task(
    name="notifications.send_digests",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=8,
)
def send_digests() -> int:
    return digests_send()
