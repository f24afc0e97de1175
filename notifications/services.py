"""What the mail app writes: notices (the outbox), the periodic ones, people's choices.

Reminders and late notices come from ``period_notices`` (a daily Celery beat task):

- a **reminder** to the editors of every active cluster that has not submitted (draft,
  returned or not started) when an open period closes in exactly one of
  ``settings.NOTIFICATIONS_REMINDER_DAYS`` days (default 7 and 1);
- a **late notice** to those editors and the programme's admins, once per cluster and
  year, once an open period's ``closes_on`` has passed and the cluster has not submitted.

Each is also announced on ``clusters.hooks`` (``period_reminder``, ``period_late``), so a
webhook sees what people were told. A run on the same day again adds nothing (keys).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clusters import hooks
from clusters.access import system_access
from clusters.models import PeriodState, ReportingPeriod
from clusters.selectors.submissions import DONE_STATES, period_status
from clusters.validation import Problems, check_flag, check_keys, check_list, require_body, shown

from .models import Kind, MailPreference, Notice


def _deliver_after_commit(notice_id: int) -> None:
    from .tasks import deliver_notice

    deliver_notice.delay(notice_id=notice_id)


def notice_create(*, program_id: int, kind: str, data: dict[str, Any]) -> Notice:
    """An outbox entry in the caller's transaction, delivered once that commits."""
    notice = Notice.objects.create(program_id=program_id, kind=kind, data=data)
    transaction.on_commit(lambda: _deliver_after_commit(notice.pk), robust=True)
    return notice


def _due(period: ReportingPeriod, today: dt.date) -> tuple[str, int] | None:
    left = (period.closes_on - today).days
    if left < 0:
        return Kind.LATE, left
    if period.opens_on <= today and left in settings.NOTIFICATIONS_REMINDER_DAYS:
        return Kind.REMINDER, left
    return None


@transaction.atomic
def period_notices(*, today: dt.date | None = None) -> list[Notice]:
    """Reminders and late notices due ``today`` (default: today), each once."""
    today = today or timezone.localdate()
    planned: list[Notice] = []
    periods = (
        ReportingPeriod.objects.unscoped()
        .filter(state=PeriodState.OPEN)
        .select_related("program")
        .order_by("program_id", "year")
    )
    for period in periods:
        due = _due(period, today)
        if due is None:
            continue
        kind, left = due
        access = system_access(period.program, label="notifications", via="mail")
        for row in period_status(access=access, year=period.year).clusters:
            if row["state"] in DONE_STATES:
                continue
            key = f"{kind}:{period.program_id}:{period.year}:{row['cluster']}"
            if kind == Kind.REMINDER:
                key += f":{left}"
            data = {
                "cluster": row["cluster"],
                "year": period.year,
                "state": row["state"],
                "closes_on": period.closes_on.isoformat(),
            }
            if kind == Kind.REMINDER:
                data["days"] = left
            planned.append(Notice(program_id=period.program_id, kind=kind, data=data, key=key))
    have = set(
        Notice.objects.unscoped()
        .filter(key__in=[n.key for n in planned])
        .values_list("key", flat=True)
    )
    created = Notice.objects.bulk_create(n for n in planned if n.key not in have)
    for notice in created:
        event = hooks.PERIOD_REMINDER if notice.kind == Kind.REMINDER else hooks.PERIOD_LATE
        hooks.announce(hooks.Event(event, notice.program_id, (notice.data["year"],), notice.data))
    pks = [n.pk for n in Notice.objects.unscoped().filter(key__in=[n.key for n in created])]
    for pk in pks:
        transaction.on_commit(partial(_deliver_after_commit, pk), robust=True)
    return created


def mail_preferences_get(*, user: Any) -> MailPreference:
    found = MailPreference.objects.filter(user=user).first()
    return found or MailPreference(user=user)


@transaction.atomic
def mail_preferences_update(*, user: Any, data: Any) -> MailPreference:
    """``{"opted_out": [kinds], "digest": bool}``: a person's own choices."""
    body = require_body(data)
    problems = Problems()
    check_keys(
        body,
        allowed=("opted_out", "digest", "email", "kinds"),
        problems=problems,
        what="mail preferences",
    )
    preference = mail_preferences_get(user=user)
    if "opted_out" in body:
        kinds: list[str] = []
        for i, kind in enumerate(
            check_list(body["opted_out"], field="opted_out", problems=problems)
        ):
            if kind not in Kind.values:
                problems.add(
                    f"opted_out.{i}",
                    f"'{shown(kind)}' is not one of {', '.join(Kind.values)}.",
                    "invalid_choice",
                )
            elif kind not in kinds:
                kinds.append(kind)
        preference.opted_out = kinds
    if "digest" in body:
        preference.digest = check_flag(body["digest"], field="digest", problems=problems)
    problems.raise_if_any()
    preference.save()
    return preference
