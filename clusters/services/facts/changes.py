"""What a facts import changes: snapshots of submission content and their history entry.

A snapshot is ``(currency, funding, costs, kpis)`` keyed by code, comparable with ``==``:
an unchanged cluster-year is left alone (no version bump, no history entry). The history
entry of a change is computed by the submission services' ``document_diff``, so an
import's history reads exactly like a PUT's.
"""

from __future__ import annotations

from typing import Any

from ...models import (
    CostLine,
    FundingLine,
    KpiValue,
    Submission,
)
from ...numbers import money_text, number_text
from ..documents import (
    CostItem,
    Document,
    FundingItem,
    KpiItem,
    ReferenceData,
)
from ..history import document_diff


def snapshot(doc: Document) -> tuple[str, dict, dict, dict]:
    return (
        doc.currency,
        {f.source: (f.amount, f.in_kind, f.restricted, f.note) for f in doc.funding},
        {c.category: (c.amount, c.note) for c in doc.costs},
        {k.code: k.value for k in doc.kpis},
    )


def with_stored_details(doc: Document, stored: tuple[str, dict, dict, dict]) -> Document:
    """``doc`` with each line that ``stored`` (a snapshot) already holds keeping its flags
    and note: what a facts file without the detail columns means."""
    _, funding, costs, _ = stored
    if not any(d[1] or d[2] or d[3] for d in funding.values()) and not any(
        d[1] for d in costs.values()
    ):
        return doc  # nothing stored beyond the defaults a new line gets
    return Document(
        doc.currency,
        [
            FundingItem(f.source, f.amount, *funding[f.source][1:]) if f.source in funding else f
            for f in doc.funding
        ],
        [
            CostItem(c.category, c.amount, costs[c.category][1]) if c.category in costs else c
            for c in doc.costs
        ],
        doc.kpis,
        doc.staff_fte,
        doc.notes,
    )


def _as_document(
    snap: tuple[str, dict, dict, dict] | None, sub: Submission | None
) -> Document | None:
    """A snapshot as a ``Document`` for ``document_diff``; staff_fte and notes, which the
    facts format does not carry, are the submission's own on both sides of the diff."""
    if snap is None:
        return None
    currency, funding, costs, kpis = snap
    return Document(
        currency=currency,
        funding=[FundingItem(code, *values) for code, values in funding.items()],
        costs=[CostItem(code, *values) for code, values in costs.items()],
        kpis=[KpiItem(code, value) for code, value in kpis.items()],
        staff_fte=sub.staff_fte if sub is not None else None,
        notes=sub.notes if sub is not None else "",
    )


def document_changes(
    old: tuple[str, dict, dict, dict] | None,
    new: tuple[str, dict, dict, dict],
    sub: Submission | None = None,
) -> list[dict[str, Any]]:
    """The history entry's ``changes``, computed by the submission services' ``document_diff``
    so an import's history reads exactly like a PUT's."""
    return document_diff(_as_document(old, sub), _as_document(new, sub))


def created_changes(doc: Document) -> list[dict[str, Any]]:
    """``document_diff(None, doc)`` for a brand-new submission, without the generic diff:
    every leaf of ``doc`` except those at their default (a new line's empty note, false
    flags; no staff_fte, no notes), in ``document_diff``'s order. A test holds the two
    equal."""
    changes: list[dict[str, Any]] = [{"field": "currency", "from": None, "to": doc.currency}]
    if doc.staff_fte is not None:
        changes.append({"field": "staff_fte", "from": None, "to": money_text(doc.staff_fte)})
    if doc.notes:
        changes.append({"field": "notes", "from": None, "to": doc.notes})
    for f in doc.funding:
        base = f"funding.{f.source}"
        changes.append({"field": f"{base}.amount", "from": None, "to": money_text(f.amount)})
        if f.in_kind:
            changes.append({"field": f"{base}.in_kind", "from": None, "to": "true"})
        if f.restricted:
            changes.append({"field": f"{base}.restricted", "from": None, "to": "true"})
        if f.note:
            changes.append({"field": f"{base}.note", "from": None, "to": f.note})
    for c in doc.costs:
        changes.append(
            {"field": f"costs.{c.category}.amount", "from": None, "to": money_text(c.amount)}
        )
        if c.note:
            changes.append({"field": f"costs.{c.category}.note", "from": None, "to": c.note})
    for k in doc.kpis:
        changes.append({"field": f"kpis.{k.code}.value", "from": None, "to": number_text(k.value)})
    return changes


def existing_snapshots(
    program: Any, subs: list[Submission], ref: ReferenceData
) -> dict[int, tuple]:
    """The current content of these submissions, three queries whatever their number."""
    ids = [s.pk for s in subs]
    source_codes = {s.pk: code for code, s in ref.sources.items()}
    kpi_codes = {k.pk: code for code, k in ref.kpis.items()}
    snaps: dict[int, tuple[str, dict, dict, dict]] = {s.pk: (s.currency, {}, {}, {}) for s in subs}
    if not ids:
        return snaps
    for sid, source_id, amount, in_kind, restricted, note in (
        FundingLine.objects.for_program(program)
        .filter(submission_id__in=ids)
        .values_list("submission_id", "source_id", "amount", "in_kind", "restricted", "note")
    ):
        snaps[sid][1][source_codes.get(source_id, f"#{source_id}")] = (
            amount,
            in_kind,
            restricted,
            note,
        )
    for sid, category, amount, note in (
        CostLine.objects.for_program(program)
        .filter(submission_id__in=ids)
        .values_list("submission_id", "category", "amount", "note")
    ):
        snaps[sid][2][category] = (amount, note)
    for sid, kpi_id, value in (
        KpiValue.objects.for_program(program)
        .filter(submission_id__in=ids)
        .values_list("submission_id", "kpi_id", "value")
    ):
        snaps[sid][3][kpi_codes.get(kpi_id, f"#{kpi_id}")] = value
    return snaps


def change_entry(
    cluster: str, year: int, from_state: str, to_state: str, diff: list[dict[str, Any]]
) -> dict[str, Any]:
    """One cluster-year of an import's report (CONTRACT's dry-run shape): the history's
    field changes split into ``added`` (``from`` null), ``changed`` and ``removed`` (``to``
    null), each ``{"field", "from", "to"}``; ``state`` is ``{"from", "to"}`` when the
    submission's state changes (``from`` null for a new submission), else null."""
    return {
        "cluster": cluster,
        "year": year,
        "added": [c for c in diff if c["from"] is None],
        "changed": [c for c in diff if c["from"] is not None and c["to"] is not None],
        "removed": [c for c in diff if c["to"] is None],
        "state": None if from_state == to_state else {"from": from_state or None, "to": to_state},
    }
