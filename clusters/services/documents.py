"""The annual submission document: parsing and validating what a cluster reports.

One validator for every way content arrives (REST PUT/PATCH, GraphQL, facts CSV import,
XLSX upload), so the rules and messages are the same everywhere. It reads the programme's
reference data once (``ReferenceData.load``: two queries) and never writes.

Field names in errors follow the body's shape: ``funding.2.amount``, ``kpis.0.code``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..models import CostCategory, FundingSource, KpiDefinition, Program
from ..validation import (
    MAX_NOTE,
    MAX_TEXT,
    Problems,
    check_currency,
    check_flag,
    check_fte,
    check_keys,
    check_kpi_value,
    check_list,
    check_money,
    check_object,
    check_text,
    require_body,
    shown,
)


@dataclass(frozen=True)
class FundingItem:
    source: str
    amount: Decimal
    in_kind: bool = False
    restricted: bool = False
    note: str = ""


@dataclass(frozen=True)
class CostItem:
    category: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class KpiItem:
    code: str
    value: Decimal


@dataclass
class Document:
    currency: str
    funding: list[FundingItem] = field(default_factory=list)
    costs: list[CostItem] = field(default_factory=list)
    kpis: list[KpiItem] = field(default_factory=list)
    staff_fte: Decimal | None = None
    notes: str = ""


@dataclass
class ReferenceData:
    sources: dict[str, FundingSource]
    kpis: dict[str, KpiDefinition]

    @classmethod
    def load(cls, program: Program) -> ReferenceData:
        return cls(
            sources={s.code: s for s in FundingSource.objects.for_program(program)},
            kpis={k.code: k for k in KpiDefinition.objects.for_program(program)},
        )


DOCUMENT_KEYS = ("currency", "funding", "costs", "kpis", "staff_fte", "notes")
# A line may echo its derived category back (GET shows it); it is not written.
FUNDING_KEYS = ("source", "amount", "in_kind", "restricted", "note", "category")
COST_KEYS = ("category", "amount", "note")
KPI_KEYS = ("code", "value")


def parse_document(data: Any, *, ref: ReferenceData) -> Document:
    """Validate a whole submission document; raise one ValidationError listing every problem."""
    errors = Problems()
    data = require_body(data)
    check_keys(data, allowed=DOCUMENT_KEYS, problems=errors, what="a submission")
    currency = check_currency(data.get("currency"), problems=errors) or ""

    funding: list[FundingItem] = []
    seen_sources: dict[str, int] = {}
    for i, row in enumerate(check_list(data.get("funding"), field="funding", problems=errors)):
        where = f"funding.{i}"
        if check_object(row, field=where, problems=errors) is None or not check_keys(
            row, allowed=FUNDING_KEYS, field=where, problems=errors, what="a funding line"
        ):
            continue
        code = row.get("source")
        if not isinstance(code, str) or not code:
            errors.add(f"{where}.source", "A funding source code is required.", "required")
        elif code not in ref.sources:
            errors.add(
                f"{where}.source",
                f"Unknown funding source '{shown(code)}'; see /funding-sources/.",
                "unknown_source",
            )
        elif code in seen_sources:
            errors.add(
                f"{where}.source",
                f"Funding source '{code}' appears twice (lines {seen_sources[code]} and {i}); give one line per source.",
                "duplicate_source",
            )
        else:
            seen_sources[code] = i
        amount = check_money(row.get("amount"), field=f"{where}.amount", problems=errors)
        in_kind = check_flag(row.get("in_kind"), field=f"{where}.in_kind", problems=errors)
        restricted = check_flag(row.get("restricted"), field=f"{where}.restricted", problems=errors)
        note = check_text(row.get("note"), field=f"{where}.note", problems=errors, limit=MAX_NOTE)
        if isinstance(code, str) and amount is not None:
            funding.append(FundingItem(code, amount, in_kind, restricted, note or ""))

    costs: list[CostItem] = []
    seen_costs: dict[str, int] = {}
    for i, row in enumerate(check_list(data.get("costs"), field="costs", problems=errors)):
        where = f"costs.{i}"
        if check_object(row, field=where, problems=errors) is None or not check_keys(
            row, allowed=COST_KEYS, field=where, problems=errors, what="a cost line"
        ):
            continue
        category = row.get("category")
        if category not in CostCategory.values:
            errors.add(
                f"{where}.category",
                f"'{shown(category)}' is not one of {', '.join(CostCategory.values)}.",
                "unknown_cost_category",
            )
        elif category in seen_costs:
            errors.add(
                f"{where}.category",
                f"Cost category '{category}' appears twice (lines {seen_costs[category]} and {i}).",
                "duplicate_category",
            )
        else:
            seen_costs[category] = i
        amount = check_money(row.get("amount"), field=f"{where}.amount", problems=errors)
        note = check_text(row.get("note"), field=f"{where}.note", problems=errors, limit=MAX_NOTE)
        if isinstance(category, str) and amount is not None:
            costs.append(CostItem(category, amount, note or ""))

    kpis: list[KpiItem] = []
    seen_kpis: dict[str, int] = {}
    for i, row in enumerate(check_list(data.get("kpis"), field="kpis", problems=errors)):
        where = f"kpis.{i}"
        if check_object(row, field=where, problems=errors) is None or not check_keys(
            row, allowed=KPI_KEYS, field=where, problems=errors, what="a KPI value"
        ):
            continue
        code = row.get("code")
        if not isinstance(code, str) or code not in ref.kpis:
            errors.add(
                f"{where}.code",
                f"Unknown KPI '{shown(code)}'; define it in /kpis/ first.",
                "unknown_kpi",
            )
        elif code in seen_kpis:
            errors.add(
                f"{where}.code",
                f"KPI '{code}' appears twice (lines {seen_kpis[code]} and {i}).",
                "duplicate_kpi",
            )
        else:
            seen_kpis[code] = i
        value = check_kpi_value(row.get("value"), field=f"{where}.value", problems=errors)
        if isinstance(code, str) and value is not None:
            kpis.append(KpiItem(code, value))

    staff_fte = None
    if data.get("staff_fte") is not None:
        staff_fte = check_fte(data["staff_fte"], field="staff_fte", problems=errors)
    notes = check_text(data.get("notes"), field="notes", problems=errors, limit=MAX_TEXT)

    errors.raise_if_any()
    return Document(currency, funding, costs, kpis, staff_fte, notes or "")
