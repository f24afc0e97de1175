"""Delivering notices: who gets a mail, in which language, now or in the daily digest.

Recipients are people (a token has no mail address): the cluster's editors (a membership
with the ``cluster_editor`` role holding the cluster) and the programme's admins
(``program_admin`` memberships), active and with an address.

| kind | editors of the cluster | programme admins |
|---|---|---|
| submitted, approved, returned, reopened | yes | yes (or in the digest) |
| commented | when an admin wrote | when an editor wrote (or in the digest) |
| reminder | yes | no |
| late | yes | yes |

A person who opted out of a kind gets nothing of it; an admin who prefers the digest gets
the submission and thread events of a day in one mail (``digests_send``). Mails go through
Django's mail machinery (``EMAIL_URL``: console locally, SMTP in production).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clusters.models import Cluster, Membership, Program, Role

from .models import DIGESTIBLE, DigestItem, Kind, MailPreference, Notice
from .texts import render, render_digest

log = logging.getLogger(__name__)

EDITORS_ONLY = (Kind.REMINDER,)
PREFERENCES_PATH = "/api/v1/me/notifications"


def _base() -> str:
    return settings.NOTIFICATIONS_BASE_URL.rstrip("/")


def _submission_url(program: Program, slug: str, year: Any) -> str:
    return f"{_base()}/api/v1/programs/{program.slug}/clusters/{slug}/submissions/{year}/"


def recipients(notice: Notice, cluster: Cluster | None) -> list[tuple[Any, str]]:
    """(person, role) pairs for a notice, one query; each person once."""
    audience = Q()
    editors = Q(role=Role.CLUSTER_EDITOR, clusters=cluster) if cluster is not None else Q(pk=None)
    admins = Q(role=Role.PROGRAM_ADMIN)
    if notice.kind in EDITORS_ONLY:
        audience = editors
    elif notice.kind == Kind.COMMENTED:
        audience = admins if notice.data.get("role") == Role.CLUSTER_EDITOR else editors
    else:
        audience = editors | admins
    memberships = (
        Membership.objects.filter(audience, program_id=notice.program_id, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "user__mail_preference")
        .order_by("user__email", "pk")
        .distinct()
    )
    seen: set[int] = set()
    out = []
    for m in memberships:
        if m.user_id not in seen:
            seen.add(m.user_id)
            out.append((m.user, m.role))
    return out


def _preference(user: Any) -> MailPreference | None:
    try:
        return user.mail_preference
    except MailPreference.DoesNotExist:
        return None


def notice_deliver(*, notice_id: int) -> int:
    """Send one notice's mails (or keep them for digests); safe to run twice. Returns how
    many mails were sent."""
    with transaction.atomic():
        notice = (
            Notice.objects.unscoped()
            .select_for_update()
            .select_related("program")
            .get(pk=notice_id)
        )
        if notice.dispatched_at is not None:
            return 0
        program = notice.program
        slug = notice.data.get("cluster", "")
        cluster = Cluster.objects.for_program(program).filter(slug=slug).first()
        name = cluster.name if cluster is not None else slug
        mails: list[EmailMessage] = []
        kept: list[DigestItem] = []
        for user, role in recipients(notice, cluster):
            preference = _preference(user)
            if preference is not None and notice.kind in preference.opted_out:
                continue
            if (
                preference is not None
                and preference.digest
                and role == Role.PROGRAM_ADMIN
                and notice.kind in DIGESTIBLE
            ):
                kept.append(DigestItem(program=program, user=user, notice=notice))
                continue
            mail = render(
                notice.kind,
                program=program,
                cluster_name=name,
                data=notice.data,
                url=_submission_url(program, slug, notice.data.get("year", "")),
                preferences_url=_base() + PREFERENCES_PATH,
            )
            mails.append(EmailMessage(mail.subject, mail.body, to=[user.email]))
        DigestItem.objects.bulk_create(kept)
        notice.dispatched_at = timezone.now()
        notice.save(update_fields=["dispatched_at"])
        # Sent inside the transaction: if the mail server refuses, the notice stays
        # undispatched and the task's retry sends it (at least once).
        if mails:
            get_connection().send_messages(mails)
    log.info(
        "notice %s (%s) sent %s mails, kept %s for digests",
        notice_id,
        notice.kind,
        len(mails),
        len(kept),
    )
    return len(mails)


def digests_send(*, today: dt.date | None = None) -> int:
    """Send every person their pending digest items, one mail per person and programme.
    Safe to run twice: sent items are marked in the same transaction."""
    day = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        items = list(
            DigestItem.objects.unscoped()
            .select_for_update()
            .filter(sent_at__isnull=True)
            .select_related("user", "program", "notice")
            .order_by("user_id", "program_id", "notice_id")
        )
        grouped: dict[tuple[int, int], list[DigestItem]] = defaultdict(list)
        for item in items:
            grouped[(item.user_id, item.program_id)].append(item)
        slugs = {(i.program_id, i.notice.data.get("cluster", "")) for i in items}
        names = {
            (c.program_id, c.slug): c.name
            for c in Cluster.objects.unscoped().filter(
                program_id__in={p for p, _ in slugs}, slug__in={s for _, s in slugs}
            )
        }
        mails = []
        for group in grouped.values():
            first = group[0]
            if not first.user.is_active or not first.user.email:
                continue
            mail = render_digest(
                program=first.program,
                day=day,
                items=[
                    (
                        i.notice.kind,
                        names.get((i.program_id, i.notice.data.get("cluster", "")), ""),
                        i.notice.data,
                    )
                    for i in group
                ],
                preferences_url=_base() + PREFERENCES_PATH,
            )
            mails.append(EmailMessage(mail.subject, mail.body, to=[first.user.email]))
        DigestItem.objects.unscoped().filter(pk__in=[i.pk for i in items]).update(
            sent_at=timezone.now()
        )
        if mails:
            sent = get_connection().send_messages(mails) or 0
    return sent
