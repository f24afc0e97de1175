"""Sharing a report: a link that opens one stored report without a token.

A share names one report (a cluster's or the programme's, of one year) and a language. Its
secret is random (``rs_`` and 43 URL-safe characters); only its SHA-256 is kept, so the
link is shown once, when it is made. It works until it expires (30 days by default, at
most a year: ``REPORTS_SHARE_DAYS`` / ``REPORTS_SHARE_MAX_DAYS``) or is revoked, and opens
that report's HTML and PDF (``?lang=`` may pick another language of the same report) and
nothing else: it is not an API token, so every other route answers 401 to it.

Who may share is who may generate: a link hands the report to people outside the
programme, so analysts (who read) may not; admins share every report, a cluster's editors
their cluster's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from clusters.access import Access
from clusters.models import Cluster
from clusters.validation import Problems, check_keys, require_body, shown, whole_number

from ..models import ReportKind, ReportShare, StoredReport
from ..selectors.common import report_language, report_year
from ..selectors.stored import ReportNotGenerated
from .requests import require_generator

SHARE_PREFIX = "rs_"


def share_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _expiry(raw: Any, problems: Problems, now: dt.datetime) -> dt.datetime | None:
    """``expires_at``: an ISO 8601 time (UTC when it names no offset) or a date (its end
    of day, UTC); after now and at most ``REPORTS_SHARE_MAX_DAYS`` ahead."""
    if raw is None:
        return now + dt.timedelta(days=settings.REPORTS_SHARE_DAYS)
    value: dt.datetime | None = None
    if isinstance(raw, str) and len(raw) <= 40:
        try:
            if (day := parse_date(raw)) is not None:
                value = dt.datetime.combine(day, dt.time(23, 59, 59))
            else:
                value = parse_datetime(raw)
        except ValueError:
            value = None
    if value is None:
        problems.add(
            "expires_at",
            f"'{shown(raw)}' is not a date or time, e.g. 2026-06-30 or 2026-06-30T12:00:00Z.",
            "invalid",
        )
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    latest = now + dt.timedelta(days=settings.REPORTS_SHARE_MAX_DAYS)
    if not now < value <= latest:
        problems.add(
            "expires_at",
            f"A link must expire after now and within {settings.REPORTS_SHARE_MAX_DAYS} days "
            f"(by {latest.isoformat().replace('+00:00', 'Z')}).",
            "out_of_range",
        )
        return None
    return value


@transaction.atomic
def share_create(
    *, access: Access, kind: str, cluster: Cluster | None, year: Any, lang: Any, data: Any
) -> tuple[ReportShare, str]:
    """A new link to the stored report (which must exist in that language); answers the
    share and its raw secret, shown only now."""
    require_generator(access, kind)
    now = timezone.now()
    body = require_body({} if data is None or data == "" else data)
    problems = Problems()
    check_keys(body, allowed=("expires_at",), problems=problems, what="a share")
    checked = problems.collect(report_year, year)
    language = problems.collect(report_language, lang, program=access.program)
    expires_at = _expiry(body.get("expires_at"), problems, now)
    problems.raise_if_any()
    assert checked is not None and language is not None and expires_at is not None
    exists = (
        StoredReport.objects.for_program(access.program)
        .filter(kind=kind, cluster=cluster, year=checked, language=language)
        .exists()
    )
    if not exists:
        raise ReportNotGenerated(
            f"There is no {checked} report in '{language}' to share yet; generate it first."
        )
    raw = SHARE_PREFIX + secrets.token_urlsafe(32)
    share = ReportShare.objects.create(
        program=access.program,
        kind=kind,
        cluster=cluster,
        year=checked,
        language=language,
        key_hash=share_hash(raw),
        created_by=access.label,
        created_by_user=access.user if access.user_id else None,
        expires_at=expires_at,
    )
    return share, raw


def share_list(
    *, access: Access, kind: str, cluster: Cluster | None, year: Any
) -> QuerySet[ReportShare]:
    """The links made to a report (active, expired and revoked), newest first."""
    require_generator(access, kind)
    return ReportShare.objects.for_program(access.program).filter(
        kind=kind, cluster=cluster, year=report_year(year)
    )


@transaction.atomic
def share_revoke(
    *, access: Access, kind: str, cluster: Cluster | None, year: Any, share_id: Any
) -> ReportShare:
    """Revoke a link (at once; revoking it again changes nothing)."""
    pk = whole_number(share_id)
    if pk is None:
        raise ReportShare.DoesNotExist
    share = (
        share_list(access=access, kind=kind, cluster=cluster, year=year)
        .select_for_update()
        .get(pk=pk)
    )
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def shared_report_get(*, raw: str, lang: Any, fmt: str) -> tuple[ReportShare, StoredReport]:
    """The report a link opens, or ``ReportShare.DoesNotExist`` (unknown, expired, revoked,
    its cluster deleted, or no such file) / ``ValidationError`` (a bad ``lang``)."""
    if not raw.startswith(SHARE_PREFIX) or len(raw) > 100:
        raise ReportShare.DoesNotExist
    # Found by the hash of its secret, like an API token: the link names no programme.
    share = (
        ReportShare.objects.unscoped()
        .select_related("program", "cluster")
        .filter(key_hash=share_hash(raw))
        .first()
    )
    if share is None or not share.is_active:
        raise ReportShare.DoesNotExist
    if share.cluster is not None and share.cluster.deleted_at is not None:
        raise ReportShare.DoesNotExist
    language = (
        share.language if lang in (None, "") else report_language(lang, program=share.program)
    )
    report = (
        StoredReport.objects.for_program(share.program)
        .select_related("program", "cluster")
        .filter(kind=share.kind, cluster=share.cluster, year=share.year, language=language)
        .first()
    )
    if report is None or fmt not in report.files or share.kind == ReportKind.CLUSTERS:
        raise ReportShare.DoesNotExist
    return share, report
