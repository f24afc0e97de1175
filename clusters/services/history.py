"""A submission's history: its documents compared field by field, and the events that
record every content and state change (who, how, from which state to which).

``document_diff`` gives ``[{"field": "funding.membership_fees.amount", "from", "to"}]``;
the submission services and the facts import record events through
``submission_record_event`` / ``submission_event_build``.
"""

from __future__ import annotations

from typing import Any

from ..access import Access
from ..models import Submission, SubmissionEvent
from ..numbers import money_text, number_text
from .documents import CostItem, Document, FundingItem, KpiItem


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
                "amount": money_text(f.amount),
                "in_kind": f.in_kind,
                "restricted": f.restricted,
                "note": f.note,
            }
            for f in doc.funding
        ],
        "costs": [
            {"category": c.category, "amount": money_text(c.amount), "note": c.note}
            for c in doc.costs
        ],
        "kpis": [{"code": k.code, "value": number_text(k.value)} for k in doc.kpis],
        "staff_fte": money_text(doc.staff_fte) if doc.staff_fte is not None else None,
        "notes": doc.notes,
    }


def _flatten(doc: Document | None) -> dict[str, str | None]:
    """Every leaf of a document under its dotted field name, as comparable text."""
    if doc is None:
        return {}
    flat: dict[str, str | None] = {
        "currency": doc.currency,
        "staff_fte": money_text(doc.staff_fte) if doc.staff_fte is not None else None,
        "notes": doc.notes,
    }
    for f in doc.funding:
        base = f"funding.{f.source}"
        flat[f"{base}.amount"] = money_text(f.amount)
        flat[f"{base}.in_kind"] = "true" if f.in_kind else "false"
        flat[f"{base}.restricted"] = "true" if f.restricted else "false"
        flat[f"{base}.note"] = f.note
    for c in doc.costs:
        flat[f"costs.{c.category}.amount"] = money_text(c.amount)
        flat[f"costs.{c.category}.note"] = c.note
    for k in doc.kpis:
        flat[f"kpis.{k.code}.value"] = number_text(k.value)
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
    comments: list[dict[str, Any]] | None = None,
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
        comments=comments or [],
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
    comments: list[dict[str, Any]] | None = None,
) -> SubmissionEvent:
    """Append one history entry for a change already applied to ``submission``.

    ``old``/``new`` are the documents before and after a content change (``document_diff``
    fills ``changes``); state changes pass ``from_state``/``to_state`` instead. The entry
    carries the submission's (new) version and who acted (``access.label``, ``access.via``);
    ``comments`` are field comments given (a return) or resolved (a write) by this change.
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
        comments=comments,
    )
    event.save()
    return event
