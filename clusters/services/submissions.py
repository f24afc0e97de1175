"""Annual submissions: writing their content, moving them through the workflow, history.

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
- Every change writes one ``SubmissionEvent`` through ``submission_record_event``, with
  the field-level differences ``document_diff`` computes. The facts import reuses both.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import hooks
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
from .documents import CostItem, Document, FundingItem, KpiItem, ReferenceData, parse_document

CENT = Decimal("0.01")

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
    }
)


# --- documents and their differences -------------------------------------------------------


def format_money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def format_number(value: Decimal) -> str:
    """A KPI value or FTE without trailing zeros and never in exponent notation."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def document_from_submission(submission: Submission) -> Document:
    """The stored document of a submission (uses prefetched lines when present)."""
    return Document(
        currency=submission.currency,
        funding=[
            FundingItem(line.source.code, line.amount, line.in_kind, line.restricted, line.note)
            for line in submission.funding.all()
        ],
        costs=[CostItem(line.category, line.amount, line.note) for line in submission.costs.all()],
        kpis=[KpiItem(line.kpi.code, line.value) for line in submission.kpis.all()],
        staff_fte=submission.staff_fte,
        notes=submission.notes,
    )


def document_as_input(doc: Document) -> dict[str, Any]:
    """A document in the request-body shape (decimal strings), e.g. to merge a PATCH into."""
    return {
        "currency": doc.currency,
        "funding": [
            {
                "source": f.source,
                "amount": format_money(f.amount),
                "in_kind": f.in_kind,
                "restricted": f.restricted,
                "note": f.note,
            }
            for f in doc.funding
        ],
        "costs": [
            {"category": c.category, "amount": format_money(c.amount), "note": c.note}
            for c in doc.costs
        ],
        "kpis": [{"code": k.code, "value": format_number(k.value)} for k in doc.kpis],
        "staff_fte": format_money(doc.staff_fte) if doc.staff_fte is not None else None,
        "notes": doc.notes,
    }


def _flatten(doc: Document | None) -> dict[str, str | None]:
    """Every leaf of a document under its dotted field name, as comparable text."""
    if doc is None:
        return {}
    flat: dict[str, str | None] = {
        "currency": doc.currency,
        "staff_fte": format_money(doc.staff_fte) if doc.staff_fte is not None else None,
        "notes": doc.notes,
    }
    for f in doc.funding:
        base = f"funding.{f.source}"
        flat[f"{base}.amount"] = format_money(f.amount)
        flat[f"{base}.in_kind"] = "true" if f.in_kind else "false"
        flat[f"{base}.restricted"] = "true" if f.restricted else "false"
        flat[f"{base}.note"] = f.note
    for c in doc.costs:
        flat[f"costs.{c.category}.amount"] = format_money(c.amount)
        flat[f"costs.{c.category}.note"] = c.note
    for k in doc.kpis:
        flat[f"kpis.{k.code}.value"] = format_number(k.value)
    return flat


# Leaves whose absence equals their default: a new line with no note is not a "note" change.
_DEFAULTS = {"notes": "", "staff_fte": None}


def _is_default_leaf(field: str, value: str | None) -> bool:
    if value is None:
        return True
    if field in _DEFAULTS:
        return value == _DEFAULTS[field]
    if field.endswith(".note"):
        return value == ""
    if field.endswith((".in_kind", ".restricted")):
        return value == "false"
    return False


def document_diff(old: Document | None, new: Document | None) -> list[dict[str, str | None]]:
    """Field-level differences between two documents (``None`` = no document).

    ``[{"field": "funding.membership_fees.amount", "from": "1.00", "to": "2.00"}, ...]``,
    lines keyed by their source / cost category / KPI code, money with two decimals; a line
    added or removed shows ``null`` on the missing side. Order: currency, staff_fte,
    notes, then funding, costs and KPIs in the order of the new document (removed last).
    """
    before, after = _flatten(old), _flatten(new)
    changes: list[dict[str, str | None]] = []
    for field in list(after) + [f for f in before if f not in after]:
        a, b = before.get(field), after.get(field)
        if a == b:
            continue
        # A line that appears or disappears: report its defaulted flags and notes only
        # when they carry something.
        if (a is None or b is None) and _is_default_leaf(field, a) and _is_default_leaf(field, b):
            continue
        changes.append({"field": field, "from": a, "to": b})
    return changes


def submission_event_build(
    *,
    access: Access,
    submission: Submission,
    action: str,
    old: Document | None = None,
    new: Document | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> SubmissionEvent:
    """An unsaved history entry (for callers that insert many at once, e.g. an import)."""
    return SubmissionEvent(
        program_id=submission.program_id,
        submission=submission,
        action=action,
        actor=access.user if getattr(access.user, "pk", None) else None,
        actor_label=access.label[:200],
        via=access.via[:32],
        from_state=from_state,
        to_state=to_state,
        version=submission.version,
        comment=comment,
        changes=document_diff(old, new) if (old is not None or new is not None) else [],
    )


def submission_record_event(
    *,
    access: Access,
    submission: Submission,
    action: str,
    old: Document | None = None,
    new: Document | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> SubmissionEvent:
    """Append one history entry for a change already applied to ``submission``.

    ``old``/``new`` are the documents before and after a content change (``document_diff``
    fills ``changes``); state changes pass ``from_state``/``to_state`` instead. The entry
    carries the submission's (new) version and who acted (``access.label``, ``access.via``).
    """
    event = submission_event_build(
        access=access,
        submission=submission,
        action=action,
        old=old,
        new=new,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
    event.save()
    return event


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

    if not document_diff(old, new):
        return submission, False  # nothing changed: no new version, no history entry
    submission.currency = new.currency
    submission.staff_fte = new.staff_fte
    submission.notes = new.notes
    submission.version += 1
    submission.save()
    _write_lines(submission, new, ref)
    submission_record_event(
        access=access,
        submission=submission,
        action=SubmissionEvent.Action.UPDATED,
        old=old,
        new=new,
        from_state=submission.state,
        to_state=submission.state,
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


# --- workflow --------------------------------------------------------------------------

_MOVES: dict[str, tuple[tuple[str, ...], str, str]] = {
    # action: (states it starts from, target state, event action)
    "submit": (
        (SubmissionState.DRAFT, SubmissionState.RETURNED),
        SubmissionState.SUBMITTED,
        SubmissionEvent.Action.SUBMITTED,
    ),
    "approve": (
        (SubmissionState.SUBMITTED,),
        SubmissionState.APPROVED,
        SubmissionEvent.Action.APPROVED,
    ),
    "return": (
        (SubmissionState.SUBMITTED,),
        SubmissionState.RETURNED,
        SubmissionEvent.Action.RETURNED,
    ),
    "reopen": ((SubmissionState.APPROVED,), SubmissionState.DRAFT, SubmissionEvent.Action.REOPENED),
}


def _move(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    move: str,
    if_match: str | int | None,
    comment: str = "",
) -> Submission:
    sources, target, action = _MOVES[move]
    _require_cluster(access, cluster)
    if move == "submit":
        _require_writer(access, "Submitting a submission")
    else:
        access.require_admin(f"The {move} move")
    submission = _locked(access, cluster, year)
    if submission is None:
        raise Submission.DoesNotExist
    if submission.state == target:
        # The move already happened (a retry, a double click): safe, nothing changes.
        return submission
    _require_match(submission, if_match)
    if submission.state not in sources:
        raise StateConflict(
            f"Cannot {move} a submission that is {submission.state}; {move} applies to "
            f"{' or '.join(sources)} submissions.",
            code="invalid_transition",
        )
    if move == "submit":
        _require_open_for(access, _period(access, year))
    previous = submission.state
    now = timezone.now()
    submission.state = target
    submission.version += 1
    if move == "submit":
        submission.submitted_at = now
    elif move == "approve":
        submission.approved_at = now
    elif move == "return":
        submission.return_comment = comment
    elif move == "reopen":
        submission.approved_at = None
    submission.save()
    submission_record_event(
        access=access,
        submission=submission,
        action=action,
        from_state=previous,
        to_state=target,
        comment=comment,
    )
    hooks.announce(
        hooks.Event(
            hooks.SUBMISSION_MOVED,
            access.program.pk,
            (year,),
            {
                "submission_id": submission.pk,
                "cluster": cluster.slug,
                "year": year,
                "action": action,
                "state": target,
            },
        )
    )
    if move in ("approve", "reopen"):
        # Only approved submissions count in portfolio figures.
        hooks.figure_inputs_changed(program_id=access.program.pk, years=[year])
    return submission


@transaction.atomic
def submission_submit(
    *, access: Access, cluster: Cluster, year: int, if_match: str | int | None = None
) -> Submission:
    """draft | returned -> submitted, by the cluster's editor (period open) or an admin."""
    return _move(access=access, cluster=cluster, year=year, move="submit", if_match=if_match)


@transaction.atomic
def submission_approve(
    *, access: Access, cluster: Cluster, year: int, if_match: str | int | None = None
) -> Submission:
    """submitted -> approved (program_admin); the year's portfolio figures are recomputed."""
    return _move(access=access, cluster=cluster, year=year, move="approve", if_match=if_match)


@transaction.atomic
def submission_return(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    comment: Any,
    if_match: str | int | None = None,
) -> Submission:
    """submitted -> returned with a comment saying what to fix (program_admin)."""
    _require_cluster(access, cluster)
    access.require_admin("The return move")
    if not isinstance(comment, str) or not comment.strip():
        raise _field_error(
            "comment", "Say what the cluster should fix: a comment is required.", "required"
        )
    if len(comment) > 5000:
        raise _field_error("comment", "At most 5000 characters.", "max_length")
    return _move(
        access=access,
        cluster=cluster,
        year=year,
        move="return",
        if_match=if_match,
        comment=comment.strip(),
    )


@transaction.atomic
def submission_reopen(
    *, access: Access, cluster: Cluster, year: int, if_match: str | int | None = None
) -> Submission:
    """approved -> draft (program_admin), so the figures can be corrected."""
    return _move(access=access, cluster=cluster, year=year, move="reopen", if_match=if_match)
