"""The annual submission document: parsing and validating what a cluster reports.

One validator for every way content arrives (REST PUT/PATCH, GraphQL, facts CSV import,
XLSX upload), so the rules and messages are the same everywhere. It reads the programme's
reference data once (``ReferenceData.load``: two queries) and never writes.

Field names in errors follow the body's shape: ``funding.2.amount``, ``kpis.0.code``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from ..models import CostCategory, FundingSource, KpiDefinition, Program
from ..validation import is_currency

# Sane upper bounds: no cluster reports a trillion in one line; bigger means a typo.
MAX_AMOUNT = Decimal("1000000000000.00")  # 10^12 in the submission's currency
MAX_KPI_VALUE = Decimal("1000000000000000")  # 10^15
MAX_LINES = 200  # per list (funding, costs, kpis)
MAX_NOTE = 500
MAX_NOTES = 10000


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


class _Errors:
    def __init__(self) -> None:
        self.items: dict[str, list[ValidationError]] = {}

    def add(self, where: str, message: str, code: str) -> None:
        self.items.setdefault(where, []).append(ValidationError(message, code=code))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def parse_decimal(
    raw: Any,
    *,
    where: str,
    errors: _Errors,
    places: int,
    maximum: Decimal,
    allow_negative: bool = False,
) -> Decimal | None:
    """A decimal from a string or integer (never a float: it would not be exact)."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, float):
        errors.add(where, 'Send the number as a decimal string, e.g. "1250.00".', "invalid_number")
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        errors.add(where, f"'{raw}' is not a decimal number.", "invalid_number")
        return None
    if not value.is_finite():
        errors.add(where, f"'{raw}' is not a finite number.", "invalid_number")
        return None
    if value < 0 and not allow_negative:
        errors.add(where, f"{raw} is negative; amounts are 0 or more.", "negative")
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        errors.add(where, f"{raw} has more than {places} decimal places.", "too_many_decimals")
        return None
    if abs(value) > maximum:
        errors.add(where, f"{raw} is larger than the maximum of {maximum}.", "too_large")
        return None
    return value


def parse_money(raw: Any, *, where: str, errors: _Errors) -> Decimal | None:
    return parse_decimal(raw, where=where, errors=errors, places=2, maximum=MAX_AMOUNT)


def parse_kpi_value(raw: Any, *, where: str, errors: _Errors) -> Decimal | None:
    return parse_decimal(
        raw, where=where, errors=errors, places=6, maximum=MAX_KPI_VALUE, allow_negative=True
    )


def _text(raw: Any, *, where: str, errors: _Errors, limit: int) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        errors.add(where, "Expected text.", "invalid")
        return ""
    if len(raw) > limit:
        errors.add(where, f"At most {limit} characters.", "max_length")
    return raw


def _flag(raw: Any, *, where: str, errors: _Errors) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        errors.add(where, "Expected true or false.", "invalid")
        return False
    return raw


def _rows(raw: Any, *, where: str, errors: _Errors) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.add(where, "Expected a list.", "invalid")
        return []
    if len(raw) > MAX_LINES:
        errors.add(where, f"At most {MAX_LINES} lines.", "too_many_lines")
        return []
    return raw


def _keys(row: Any, *, where: str, errors: _Errors, allowed: set[str]) -> bool:
    if not isinstance(row, dict):
        errors.add(where, "Expected an object.", "invalid")
        return False
    unknown = sorted(set(row) - allowed)
    for key in unknown:
        errors.add(f"{where}.{key}", f"'{key}' is not a field of this line.", "unknown_field")
    return not unknown


DOCUMENT_KEYS = {"currency", "funding", "costs", "kpis", "staff_fte", "notes"}


def parse_document(data: Any, *, ref: ReferenceData) -> Document:
    """Validate a whole submission document; raise one ValidationError listing every problem."""
    errors = _Errors()
    if not isinstance(data, dict):
        raise ValidationError(
            {"body": [ValidationError("Expected a JSON object.", code="invalid")]}
        )
    for key in sorted(set(data) - DOCUMENT_KEYS):
        errors.add(key, f"'{key}' is not a field of a submission.", "unknown_field")

    currency = data.get("currency")
    if not isinstance(currency, str) or not currency:
        errors.add("currency", "The currency (ISO 4217, e.g. EUR) is required.", "required")
        currency = ""
    elif not is_currency(currency):
        errors.add(
            "currency", f"'{currency}' is not an ISO 4217 currency code.", "invalid_currency"
        )

    funding: list[FundingItem] = []
    seen_sources: dict[str, int] = {}
    for i, row in enumerate(_rows(data.get("funding"), where="funding", errors=errors)):
        where = f"funding.{i}"
        if not _keys(
            row,
            where=where,
            errors=errors,
            allowed={"source", "amount", "in_kind", "restricted", "note", "category"},
        ):
            continue
        code = row.get("source")
        if not isinstance(code, str) or not code:
            errors.add(f"{where}.source", "A funding source code is required.", "required")
        elif code not in ref.sources:
            errors.add(
                f"{where}.source",
                f"Unknown funding source '{code}'; see /funding-sources/.",
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
        amount = parse_money(row.get("amount"), where=f"{where}.amount", errors=errors)
        in_kind = _flag(row.get("in_kind"), where=f"{where}.in_kind", errors=errors)
        restricted = _flag(row.get("restricted"), where=f"{where}.restricted", errors=errors)
        note = _text(row.get("note"), where=f"{where}.note", errors=errors, limit=MAX_NOTE)
        if isinstance(code, str) and amount is not None:
            funding.append(FundingItem(code, amount, in_kind, restricted, note))

    costs: list[CostItem] = []
    seen_costs: dict[str, int] = {}
    for i, row in enumerate(_rows(data.get("costs"), where="costs", errors=errors)):
        where = f"costs.{i}"
        if not _keys(row, where=where, errors=errors, allowed={"category", "amount", "note"}):
            continue
        category = row.get("category")
        if category not in CostCategory.values:
            errors.add(
                f"{where}.category",
                f"'{category}' is not one of {', '.join(CostCategory.values)}.",
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
        amount = parse_money(row.get("amount"), where=f"{where}.amount", errors=errors)
        note = _text(row.get("note"), where=f"{where}.note", errors=errors, limit=MAX_NOTE)
        if isinstance(category, str) and amount is not None:
            costs.append(CostItem(category, amount, note))

    kpis: list[KpiItem] = []
    seen_kpis: dict[str, int] = {}
    for i, row in enumerate(_rows(data.get("kpis"), where="kpis", errors=errors)):
        where = f"kpis.{i}"
        if not _keys(row, where=where, errors=errors, allowed={"code", "value"}):
            continue
        code = row.get("code")
        if not isinstance(code, str) or code not in ref.kpis:
            errors.add(
                f"{where}.code", f"Unknown KPI '{code}'; define it in /kpis/ first.", "unknown_kpi"
            )
        elif code in seen_kpis:
            errors.add(
                f"{where}.code",
                f"KPI '{code}' appears twice (lines {seen_kpis[code]} and {i}).",
                "duplicate_kpi",
            )
        else:
            seen_kpis[code] = i
        value = parse_kpi_value(row.get("value"), where=f"{where}.value", errors=errors)
        if isinstance(code, str) and value is not None:
            kpis.append(KpiItem(code, value))

    staff_fte = None
    if data.get("staff_fte") is not None:
        staff_fte = parse_decimal(
            data["staff_fte"], where="staff_fte", errors=errors, places=2, maximum=Decimal("100000")
        )
    notes = _text(data.get("notes"), where="notes", errors=errors, limit=MAX_NOTES)

    errors.raise_if_any()
    return Document(currency, funding, costs, kpis, staff_fte, notes)
