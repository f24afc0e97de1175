"""Annual submissions: writing their content, and the rules every write shares.

Rules in one place, whichever interface calls (REST, GraphQL, the facts import, load_demo):

- Content (the document) is written only in ``draft`` and ``returned``; any other state is
  a ``StateConflict`` (409).
- Cluster editors write (content and ``submit``) only while the year's reporting period is
  open: its ``state`` is ``open`` and today (UTC) lies within ``opens_on..closes_on``,
  both days included. Programme admins may write at any time. A year without a reporting
  period is a validation error on ``year`` for everyone.
- ``submit``: draft|returned -> submitted (the cluster's editor or an admin);
  ``approve``: submitted -> approved, ``return`` (comment required): submitted -> returned,
  ``reopen``: approved -> draft (admin only). Repeating a move that already happened is a
  no-op that returns the unchanged submission; any other impossible move is a 409.
- Optimistic concurrency: ``version`` grows by one on every content or state change. A
  caller may pass ``if_match`` (the version it read, or the raw ``If-Match`` header); a
  stale one raises ``StaleVersion`` (412). The check and the write happen under
  ``select_for_update()`` on the submission row, so two writers never overwrite each other.
- Every change writes one ``SubmissionEvent`` through ``submission_record_event``
  (``history.py``), with the field-level differences ``document_diff`` computes.

The moves (submit, approve, return, reopen) are in ``workflow.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..access import Access
from ..errors import StaleVersion, StateConflict
from ..models import (
    Cluster,
    CostLine,
    FundingLine,
    KpiValue,
    PeriodState,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from ..validation import require_year
from .comments import field_comments_resolve_changed
from .documents import CostItem, Document, FundingItem, KpiItem, ReferenceData, parse_document
from .history import (
    document_as_input,
    document_diff,
    submission_record_event,
)

# Keys a response shows but a write ignores, so a client can send back what it read.
READ_ONLY_KEYS = frozenset(
    {
        "cluster",
        "year",
        "state",
        "version",
        "return_comment",
        "created_at",
        "updated_at",
        "submitted_at",
        "approved_at",
        "comments",
        "warnings",
    }
)


# --- checks ----------------------------------------------------------------------------


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _require_cluster(access: Access, cluster: Cluster) -> None:
    # An unheld or foreign cluster does not exist for this caller (404, never 403).
    if cluster.program_id != access.program.pk or not access.holds_cluster(cluster.pk):
        raise Cluster.DoesNotExist
    if cluster.deleted_at is not None:
        raise Cluster.DoesNotExist


def _require_writer(access: Access, what: str) -> None:
    if not (access.is_admin or access.is_editor):
        raise PermissionDenied(f"{what} needs the cluster_editor or program_admin role.")


def period_is_open(period: ReportingPeriod, *, today: dt.date | None = None) -> bool:
    """Open for cluster editors: state ``open`` and today within opens_on..closes_on."""
    today = today or timezone.localdate()
    return period.state == PeriodState.OPEN and period.opens_on <= today <= period.closes_on


def _period(access: Access, year: int) -> ReportingPeriod:
    require_year(year)  # the kit's range first: 1850 is out_of_range everywhere, not no_period
    period = ReportingPeriod.objects.for_program(access.program).filter(year=year).first()
    if period is None:
        raise _field_error(
            "year",
            f"There is no reporting period for {year}; a program_admin opens one in "
            "/periods/ first.",
            "no_period",
        )
    return period


def _require_open_for(access: Access, period: ReportingPeriod) -> None:
    if access.is_admin or period_is_open(period):
        return
    if period.state != PeriodState.OPEN:
        why = "is closed"
    elif timezone.localdate() < period.opens_on:
        why = f"opens on {period.opens_on.isoformat()}"
    else:
        why = f"closed on {period.closes_on.isoformat()}"
    raise StateConflict(
        f"The reporting period {period.year} {why}; cluster editors write only while it is "
        f"open ({period.opens_on.isoformat()} to {period.closes_on.isoformat()}).",
        code="period_closed",
        field="year",
    )


_ETAG = re.compile(r'^\s*(W/)?"?([^",]*)"?\s*$')


def if_match_allows(if_match: str | int | None, version: int | None) -> bool:
    """Whether an ``If-Match`` (raw header, or a version number) accepts this version.

    ``None``: no precondition. ``*``: any existing submission. Otherwise a list of strong
    entity tags ``"<version>"`` (bare numbers are accepted too); weak tags never match, as
    RFC 9110 asks for If-Match.
    """
    if if_match is None:
        return True
    if isinstance(if_match, int):
        return version is not None and if_match == version
    text = if_match.strip()
    if text == "*":
        return version is not None
    for part in text.split(","):
        m = _ETAG.match(part)
        if m and not m.group(1) and version is not None and m.group(2).strip() == str(version):
            return True
    return False


def _require_match(submission: Submission | None, if_match: str | int | None) -> None:
    version = submission.version if submission is not None else None
    if if_match_allows(if_match, version):
        return
    if submission is None:
        raise StaleVersion("The submission does not exist yet, so If-Match cannot match.")
    raise StaleVersion(
        f"The submission is at version {submission.version}; your If-Match "
        f"({if_match}) is stale. GET it again and reapply your change."
    )


def _locked(access: Access, cluster: Cluster, year: int) -> Submission | None:
    return (
        Submission.objects.for_program(access.program)
        .select_for_update()
        .filter(cluster=cluster, year=year)
        .first()
    )


def _load_document(submission: Submission) -> Document:
    funding = list(
        FundingLine.objects.for_program(submission.program_id)
        .filter(submission=submission)
        .select_related("source")
        .order_by("id")
    )
    costs = list(
        CostLine.objects.for_program(submission.program_id)
        .filter(submission=submission)
        .order_by("id")
    )
    kpis = list(
        KpiValue.objects.for_program(submission.program_id)
        .filter(submission=submission)
        .select_related("kpi")
        .order_by("id")
    )
    return Document(
        currency=submission.currency,
        funding=[
            FundingItem(f.source.code, f.amount, f.in_kind, f.restricted, f.note) for f in funding
        ],
        costs=[CostItem(c.category, c.amount, c.note) for c in costs],
        kpis=[KpiItem(k.kpi.code, k.value) for k in kpis],
        staff_fte=submission.staff_fte,
        notes=submission.notes,
    )


def _write_lines(submission: Submission, doc: Document, ref: ReferenceData) -> None:
    program_id = submission.program_id
    FundingLine.objects.for_program(program_id).filter(submission=submission).delete()
    CostLine.objects.for_program(program_id).filter(submission=submission).delete()
    KpiValue.objects.for_program(program_id).filter(submission=submission).delete()
    FundingLine.objects.bulk_create(
        FundingLine(
            program_id=program_id,
            submission=submission,
            source=ref.sources[f.source],
            amount=f.amount,
            in_kind=f.in_kind,
            restricted=f.restricted,
            note=f.note,
        )
        for f in doc.funding
    )
    CostLine.objects.bulk_create(
        CostLine(
            program_id=program_id,
            submission=submission,
            category=c.category,
            amount=c.amount,
            note=c.note,
        )
        for c in doc.costs
    )
    KpiValue.objects.bulk_create(
        KpiValue(program_id=program_id, submission=submission, kpi=ref.kpis[k.code], value=k.value)
        for k in doc.kpis
    )


# --- content ---------------------------------------------------------------------------


def _write(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    data: Any,
    if_match: str | int | None,
    partial: bool,
    if_none_match: str | None = None,
) -> tuple[Submission, bool]:
    _require_cluster(access, cluster)
    _require_writer(access, "Writing a submission")
    period = _period(access, year)
    submission = _locked(access, cluster, year)
    if submission is None and partial:
        raise Submission.DoesNotExist
    _require_open_for(access, period)
    _require_match(submission, if_match)
    if submission is not None and if_none_match is not None and if_none_match.strip() == "*":
        raise StaleVersion(
            f"The {year} submission of {cluster.slug} exists (version {submission.version}); "
            "If-None-Match: * only creates.",
            code="already_exists",
            field="If-None-Match",
        )
    if submission is not None and submission.state not in (
        SubmissionState.DRAFT,
        SubmissionState.RETURNED,
    ):
        raise StateConflict(
            f"The submission is {submission.state}; content is written only in draft or "
            "returned (a program_admin can reopen an approved one).",
            code="not_editable",
        )
    ref = ReferenceData.load(access.program)
    old = _load_document(submission) if submission is not None else None
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in READ_ONLY_KEYS}
        if partial and old is not None:
            data = {**document_as_input(old), **data}
    new = parse_document(data, ref=ref)

    if submission is None:
        try:
            with transaction.atomic():  # a savepoint: a racing creator loses cleanly
                submission = Submission.objects.create(
                    program=access.program,
                    cluster=cluster,
                    year=year,
                    currency=new.currency,
                    staff_fte=new.staff_fte,
                    notes=new.notes,
                )
        except IntegrityError as exc:
            raise StaleVersion(
                f"The {year} submission of {cluster.slug} was created by someone else just "
                "now; GET it and reapply your change with its If-Match.",
                code="created_concurrently",
            ) from exc
        _write_lines(submission, new, ref)
        submission_record_event(
            access=access,
            submission=submission,
            action=SubmissionEvent.Action.CREATED,
            old=None,
            new=new,
            from_state="",
            to_state=submission.state,
        )
        return submission, True

    changes = document_diff(old, new)
    if not changes:
        return submission, False  # nothing changed: no new version, no history entry
    submission.currency = new.currency
    submission.staff_fte = new.staff_fte
    submission.notes = new.notes
    submission.version += 1
    submission.save()
    _write_lines(submission, new, ref)
    # Field comments on what this write changed are resolved, and the entry says which.
    resolved = field_comments_resolve_changed(
        access=access,
        submission_ids=[submission.pk],
        changes={submission.pk: changes},
        program=access.program,
    )
    submission_record_event(
        access=access,
        submission=submission,
        action=SubmissionEvent.Action.UPDATED,
        old=old,
        new=new,
        from_state=submission.state,
        to_state=submission.state,
        comments=resolved.get(submission.pk),
    )
    return submission, False


@transaction.atomic
def submission_put(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    data: Any,
    if_match: str | int | None = None,
    if_none_match: str | None = None,
) -> tuple[Submission, bool]:
    """Create or replace the whole document of a cluster's submission for ``year``.

    Returns ``(submission, created)``. Nothing is written unless every check passes.
    ``if_none_match="*"`` only creates: an existing submission is a ``StaleVersion``.
    """
    return _write(
        access=access,
        cluster=cluster,
        year=year,
        data=data,
        if_match=if_match,
        partial=False,
        if_none_match=if_none_match,
    )


@transaction.atomic
def submission_patch(
    *, access: Access, cluster: Cluster, year: int, data: Any, if_match: str | int | None = None
) -> Submission:
    """Replace only the top-level keys in ``data`` (e.g. only ``kpis``) of an existing
    submission; the merged document is validated as a whole."""
    if not isinstance(data, dict):
        raise _field_error("body", "Expected a JSON object.", "invalid")
    submission, _ = _write(
        access=access, cluster=cluster, year=year, data=data, if_match=if_match, partial=True
    )
    return submission
