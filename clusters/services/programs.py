"""Creating and changing programmes (tenants) and their reference data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..access import Access
from ..catalogue import DEFAULT_KPIS, FUNDING_SOURCES
from ..models import (
    FundingCategory,
    FundingSource,
    FxRate,
    KpiAggregation,
    KpiDefinition,
    KpiKind,
    PeriodState,
    Program,
    ReportingPeriod,
)
from ..validation import is_country, is_currency


def _program_errors(
    *, slug: str | None, name: str | None, currency: str | None, country: str | None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if slug is not None and not slug:
        errors["slug"] = [ValidationError("A slug is required.", code="required")]
    if name is not None and not name.strip():
        errors["name"] = [ValidationError("A name is required.", code="required")]
    if currency is not None and not is_currency(currency):
        errors["currency"] = [
            ValidationError(
                f"'{currency}' is not an ISO 4217 currency code.", code="invalid_currency"
            )
        ]
    if country and not is_country(country):
        errors["country"] = [
            ValidationError(
                f"'{country}' is not an ISO 3166-1 alpha-2 country code.", code="invalid_country"
            )
        ]
    return errors


@transaction.atomic
def program_create(*, slug: str, name: str, currency: str, country: str = "") -> Program:
    """Create a programme with the standard funding-source catalogue and default KPIs."""
    errors = _program_errors(slug=slug, name=name, currency=currency, country=country)
    if not errors and Program.objects.filter(slug=slug).exists():
        errors["slug"] = [ValidationError(f"A programme with slug '{slug}' exists.", code="unique")]
    if errors:
        raise ValidationError(errors)
    program = Program.objects.create(slug=slug, name=name, currency=currency, country=country)
    FundingSource.objects.bulk_create(
        FundingSource(program=program, code=code, name=label, category=cat, is_standard=True)
        for code, label, cat in FUNDING_SOURCES
    )
    KpiDefinition.objects.bulk_create(
        KpiDefinition(
            program=program,
            code=code,
            name=label,
            unit=unit,
            kind=kind,
            aggregation=agg,
            is_standard=True,
        )
        for code, label, unit, kind, agg in DEFAULT_KPIS
    )
    return program


@transaction.atomic
def program_update(*, access: Access, data: dict[str, Any]) -> Program:
    access.require_admin("Changing the programme")
    program = Program.objects.select_for_update().get(pk=access.program.pk)
    errors = _program_errors(
        slug=None, name=data.get("name"), currency=data.get("currency"), country=data.get("country")
    )
    if errors:
        raise ValidationError(errors)
    currency_changed = "currency" in data and data["currency"] != program.currency
    for field in ("name", "currency", "country"):
        if field in data:
            setattr(program, field, data[field])
    program.save()
    if currency_changed:
        # Every figure is in the programme currency: restate them all.
        from . import events

        events.portfolio_program_changed(program_id=program.pk)
    return program


def _unique_code_error(code: str, what: str) -> ValidationError:
    return ValidationError(
        {"code": [ValidationError(f"{what} '{code}' exists in this programme.", code="unique")]}
    )


@transaction.atomic
def funding_source_create(
    *, access: Access, code: str, name: str, category: str, description: str = ""
) -> FundingSource:
    access.require_admin("Adding a funding source")
    if category not in FundingCategory.values:
        raise ValidationError(
            {
                "category": [
                    ValidationError(
                        f"'{category}' is not one of {', '.join(FundingCategory.values)}.",
                        code="invalid_choice",
                    )
                ]
            }
        )
    if FundingSource.objects.for_program(access.program).filter(code=code).exists():
        raise _unique_code_error(code, "A funding source")
    return FundingSource.objects.create(
        program=access.program, code=code, name=name, category=category, description=description
    )


@transaction.atomic
def kpi_create(
    *,
    access: Access,
    code: str,
    name: str,
    unit: str,
    kind: str,
    aggregation: str = KpiAggregation.SUM,
    description: str = "",
) -> KpiDefinition:
    access.require_admin("Defining a KPI")
    errors: dict[str, list[ValidationError]] = {}
    if kind not in KpiKind.values:
        errors["kind"] = [
            ValidationError(
                f"'{kind}' is not one of {', '.join(KpiKind.values)}.", code="invalid_choice"
            )
        ]
    if aggregation not in KpiAggregation.values:
        errors["aggregation"] = [
            ValidationError(
                f"'{aggregation}' is not one of {', '.join(KpiAggregation.values)}.",
                code="invalid_choice",
            )
        ]
    if errors:
        raise ValidationError(errors)
    if KpiDefinition.objects.for_program(access.program).filter(code=code).exists():
        raise _unique_code_error(code, "A KPI")
    return KpiDefinition.objects.create(
        program=access.program,
        code=code,
        name=name,
        unit=unit,
        kind=kind,
        aggregation=aggregation,
        description=description,
    )


@transaction.atomic
def period_create(
    *,
    access: Access,
    year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    state: str = PeriodState.OPEN,
) -> ReportingPeriod:
    access.require_admin("Opening a reporting period")
    errors: dict[str, list[ValidationError]] = {}
    if closes_on < opens_on:
        errors["closes_on"] = [
            ValidationError("closes_on must not be before opens_on.", code="invalid")
        ]
    if state not in PeriodState.values:
        errors["state"] = [
            ValidationError(f"'{state}' is not open or closed.", code="invalid_choice")
        ]
    if (
        not errors
        and ReportingPeriod.objects.for_program(access.program).filter(year=year).exists()
    ):
        errors["year"] = [ValidationError(f"A reporting period for {year} exists.", code="unique")]
    if errors:
        raise ValidationError(errors)
    return ReportingPeriod.objects.create(
        program=access.program, year=year, opens_on=opens_on, closes_on=closes_on, state=state
    )


@transaction.atomic
def period_update(*, access: Access, year: int, data: dict[str, Any]) -> ReportingPeriod:
    access.require_admin("Changing a reporting period")
    period = ReportingPeriod.objects.for_program(access.program).select_for_update().get(year=year)
    for field in ("opens_on", "closes_on", "state"):
        if field in data:
            setattr(period, field, data[field])
    if period.closes_on < period.opens_on:
        raise ValidationError(
            {
                "closes_on": [
                    ValidationError("closes_on must not be before opens_on.", code="invalid")
                ]
            }
        )
    if period.state not in PeriodState.values:
        raise ValidationError(
            {
                "state": [
                    ValidationError(
                        f"'{period.state}' is not open or closed.", code="invalid_choice"
                    )
                ]
            }
        )
    period.save()
    return period


def fx_rates_put(*, access: Access, rates: list[dict[str, Any]]) -> list[FxRate]:
    """Set (insert or replace) fx rates; each is {year, currency, rate}. All or nothing."""
    access.require_admin("Setting fx rates")
    errors: dict[str, list[ValidationError]] = {}
    seen: set[tuple[int, str]] = set()
    for i, item in enumerate(rates):
        currency, rate, year = item["currency"], item["rate"], item["year"]
        if not is_currency(currency):
            errors[f"{i}.currency"] = [
                ValidationError(
                    f"'{currency}' is not an ISO 4217 currency code.", code="invalid_currency"
                )
            ]
        elif (year, currency) in seen:
            errors[f"{i}.currency"] = [
                ValidationError(
                    f"The rate for {currency} in {year} is given twice.", code="duplicate"
                )
            ]
        if not isinstance(rate, Decimal) or rate <= 0:
            errors[f"{i}.rate"] = [
                ValidationError("A rate must be a positive decimal.", code="invalid")
            ]
        seen.add((year, currency))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        saved = []
        for item in rates:
            try:
                obj, _ = FxRate.objects.for_program(access.program).update_or_create(
                    program=access.program,
                    year=item["year"],
                    currency=item["currency"],
                    defaults={"rate": item["rate"]},
                )
            except IntegrityError as exc:  # a racing writer inserted the same rate
                raise ValidationError(
                    "An fx rate changed concurrently; retry.", code="conflict"
                ) from exc
            saved.append(obj)
        _after_fx_change(access, {item["year"] for item in rates})
    return saved


def _after_fx_change(access: Access, years: set[int]) -> None:
    """Hook for portfolio recomputation (issue 4 wires the task)."""
    from . import events

    events.portfolio_inputs_changed(program_id=access.program.pk, years=sorted(years))
