"""Creating and changing programmes (tenants) and their reference data.

Every service takes the body as the client sent it and validates it with the validation
kit, so REST, GraphQL, commands and the demo get the same rules and messages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import hooks
from ..access import Access
from ..catalogue import DEFAULT_KPIS, FUNDING_SOURCES
from ..models import (
    FundingCategory,
    FundingSource,
    FxRate,
    KpiAggregation,
    KpiDefinition,
    KpiKind,
    Language,
    PeriodState,
    Program,
    ReportingPeriod,
)
from ..validation import (
    MAX_NAME,
    MAX_TEXT,
    Problems,
    check_choice,
    check_country,
    check_currency,
    check_date,
    check_decimal,
    check_keys,
    check_list,
    check_object,
    check_slug,
    check_text,
    check_year,
    invalid,
    require_body,
    shown,
)
from .warning_rules import warning_rules_create_defaults

PROGRAM_FIELDS = ("name", "currency", "country", "language")
# Read-only fields a client may send back unchanged from a read.
PROGRAM_READ_ONLY = ("slug", "created_at", "updated_at")
MAX_UNIT = 32
# 10^13: the column has 24 digits with 10 decimals, so it holds less than 10^14 (a rate
# of 10^14 itself overflowed it: a database error on PostgreSQL, an unreadable row on SQLite).
MAX_RATE = Decimal("10000000000000")
RATE_PLACES = 10


def _program_values(data: dict[str, Any], *, creating: bool, problems: Problems) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if creating or "name" in data:
        out["name"] = check_text(
            data.get("name"), field="name", problems=problems, limit=MAX_NAME, required=True
        )
    if creating or "currency" in data:
        out["currency"] = check_currency(data.get("currency"), problems=problems)
    if "country" in data:
        out["country"] = check_country(data.get("country"), problems=problems, required=False)
    if "language" in data:
        out["language"] = check_choice(
            data.get("language"), field="language", problems=problems, choices=Language.values
        )
    return out


@transaction.atomic
def program_create(*, slug: str, name: str, currency: str, country: str = "") -> Program:
    """Create a programme with the standard funding-source catalogue and default KPIs."""
    problems = Problems()
    checked_slug = check_slug(slug, field="slug", problems=problems)
    values = _program_values(
        {"name": name, "currency": currency, "country": country}, creating=True, problems=problems
    )
    if checked_slug and Program.objects.filter(slug=checked_slug).exists():
        problems.add("slug", f"A programme with slug '{checked_slug}' exists.", "unique")
    problems.raise_if_any()
    assert checked_slug is not None  # an invalid slug was a problem raised just above
    program = Program.objects.create(slug=checked_slug, **values)
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
    warning_rules_create_defaults(program=program)
    return program


@transaction.atomic
def program_update(*, access: Access, data: Any) -> Program:
    access.require_admin("Changing the programme")
    body = require_body(data)
    problems = Problems()
    check_keys(
        body, allowed=(*PROGRAM_FIELDS, *PROGRAM_READ_ONLY), problems=problems, what="a programme"
    )
    values = _program_values(body, creating=False, problems=problems)
    if "slug" in body and body["slug"] != access.program.slug:
        problems.add("slug", "A programme's slug cannot change.", "immutable")
    problems.raise_if_any()
    program = Program.objects.select_for_update().get(pk=access.program.pk)
    currency_changed = "currency" in values and values["currency"] != program.currency
    for field, value in values.items():
        setattr(program, field, value)
    program.save()
    if currency_changed:
        # Every figure is in the programme currency: restate them all.
        hooks.program_restated(program_id=program.pk)
    return program


def _unique_code(problems: Problems, code: str, what: str) -> None:
    problems.add("code", f"{what} '{code}' exists in this programme.", "unique")


@transaction.atomic
def funding_source_create(*, access: Access, data: Any) -> FundingSource:
    """Add a programme's own funding source; it belongs to one funding category."""
    access.require_admin("Adding a funding source")
    body = require_body(data)
    problems = Problems()
    check_keys(
        body,
        allowed=("code", "name", "category", "description", "is_standard"),
        problems=problems,
        what="a funding source",
    )
    code = check_slug(body.get("code"), field="code", problems=problems)
    name = check_text(
        body.get("name"), field="name", problems=problems, limit=MAX_NAME, required=True
    )
    category = check_choice(
        body.get("category"), field="category", problems=problems, choices=FundingCategory.values
    )
    description = check_text(
        body.get("description"), field="description", problems=problems, limit=MAX_TEXT
    )
    if code and FundingSource.objects.for_program(access.program).filter(code=code).exists():
        _unique_code(problems, code, "A funding source")
    problems.raise_if_any()
    return FundingSource.objects.create(
        program=access.program,
        code=code,
        name=name,
        category=category,
        description=description or "",
    )


@transaction.atomic
def kpi_create(*, access: Access, data: Any) -> KpiDefinition:
    """Define a KPI: submissions may report only defined KPIs."""
    access.require_admin("Defining a KPI")
    body = require_body(data)
    problems = Problems()
    check_keys(
        body,
        allowed=("code", "name", "unit", "kind", "aggregation", "description", "is_standard"),
        problems=problems,
        what="a KPI",
    )
    code = check_slug(body.get("code"), field="code", problems=problems)
    name = check_text(
        body.get("name"), field="name", problems=problems, limit=MAX_NAME, required=True
    )
    unit = check_text(
        body.get("unit"), field="unit", problems=problems, limit=MAX_UNIT, required=True
    )
    kind = check_choice(body.get("kind"), field="kind", problems=problems, choices=KpiKind.values)
    aggregation = check_choice(
        body.get("aggregation", KpiAggregation.SUM),
        field="aggregation",
        problems=problems,
        choices=KpiAggregation.values,
    )
    description = check_text(
        body.get("description"), field="description", problems=problems, limit=MAX_TEXT
    )
    if code and KpiDefinition.objects.for_program(access.program).filter(code=code).exists():
        _unique_code(problems, code, "A KPI")
    problems.raise_if_any()
    return KpiDefinition.objects.create(
        program=access.program,
        code=code,
        name=name,
        unit=unit,
        kind=kind,
        aggregation=aggregation,
        description=description or "",
    )


PERIOD_FIELDS = ("year", "opens_on", "closes_on", "state")


def _check_window(period_opens: Any, period_closes: Any, problems: Problems) -> None:
    if period_opens and period_closes and period_closes < period_opens:
        problems.add("closes_on", "closes_on must not be before opens_on.", "invalid_range")


@transaction.atomic
def period_create(*, access: Access, data: Any) -> ReportingPeriod:
    """Open (or record) the reporting period of a year."""
    access.require_admin("Opening a reporting period")
    body = require_body(data)
    problems = Problems()
    check_keys(body, allowed=PERIOD_FIELDS, problems=problems, what="a reporting period")
    year = check_year(body.get("year"), problems=problems)
    opens_on = check_date(body.get("opens_on"), field="opens_on", problems=problems)
    closes_on = check_date(body.get("closes_on"), field="closes_on", problems=problems)
    state = check_choice(
        body.get("state", PeriodState.OPEN),
        field="state",
        problems=problems,
        choices=PeriodState.values,
    )
    _check_window(opens_on, closes_on, problems)
    if (
        year is not None
        and ReportingPeriod.objects.for_program(access.program).filter(year=year).exists()
    ):
        problems.add("year", f"A reporting period for {year} exists.", "unique")
    problems.raise_if_any()
    return ReportingPeriod.objects.create(
        program=access.program, year=year, opens_on=opens_on, closes_on=closes_on, state=state
    )


@transaction.atomic
def period_update(*, access: Access, year: int, data: Any) -> ReportingPeriod:
    """Change a period's window or state (open or closed); the year stays."""
    access.require_admin("Changing a reporting period")
    body = require_body(data)
    period = ReportingPeriod.objects.for_program(access.program).select_for_update().get(year=year)
    was_state = period.state
    problems = Problems()
    check_keys(body, allowed=PERIOD_FIELDS, problems=problems, what="a reporting period")
    if "year" in body and body["year"] != year:
        problems.add("year", "A period's year cannot change.", "immutable")
    if "opens_on" in body:
        period.opens_on = (
            check_date(body["opens_on"], field="opens_on", problems=problems) or period.opens_on
        )
    if "closes_on" in body:
        period.closes_on = (
            check_date(body["closes_on"], field="closes_on", problems=problems) or period.closes_on
        )
    if "state" in body:
        period.state = (
            check_choice(
                body["state"], field="state", problems=problems, choices=PeriodState.values
            )
            or period.state
        )
    _check_window(period.opens_on, period.closes_on, problems)
    problems.raise_if_any()
    closing = period.state == PeriodState.CLOSED and was_state != PeriodState.CLOSED
    period.save()
    if closing:
        hooks.announce(hooks.Event(hooks.PERIOD_CLOSED, access.program.pk, (year,), {"year": year}))
    return period


def fx_rates_put(*, access: Access, rates: Any) -> list[FxRate]:
    """Set (insert or replace) fx rates: one ``{year, currency, rate}`` or a list. All or
    nothing; 1 unit of ``currency`` = ``rate`` units of the programme currency."""
    access.require_admin("Setting fx rates")
    items = rates if isinstance(rates, list) else [rates]
    problems = Problems()
    if not items:
        invalid("body", "Send at least one rate {year, currency, rate}.", "required")
    items = check_list(items, field="body", problems=problems, limit=1000)
    clean: list[tuple[int, str, Decimal]] = []
    seen: set[tuple[int, str]] = set()
    for i, item in enumerate(items):
        where = f"{i}"
        if check_object(item, field=where, problems=problems) is None:
            continue
        check_keys(
            item,
            allowed=("year", "currency", "rate", "updated_at"),
            field=where,
            problems=problems,
            what="an fx rate",
        )
        year = check_year(item.get("year"), field=f"{where}.year", problems=problems)
        currency = check_currency(
            item.get("currency"), field=f"{where}.currency", problems=problems
        )
        rate = check_decimal(
            item.get("rate"),
            field=f"{where}.rate",
            problems=problems,
            places=RATE_PLACES,
            maximum=MAX_RATE,
        )
        if rate is not None and rate <= 0:
            problems.add(
                f"{where}.rate",
                f"{shown(item.get('rate'))} is not above 0; a rate is positive.",
                "not_positive",
            )
            rate = None
        if year is not None and currency is not None:
            if (year, currency) in seen:
                problems.add(
                    f"{where}.currency",
                    f"The rate for {currency} in {year} is given twice.",
                    "duplicate",
                )
            seen.add((year, currency))
            if rate is not None:
                clean.append((year, currency, rate))
    problems.raise_if_any()
    with transaction.atomic():
        saved = []
        for year, currency, rate in clean:
            try:
                obj, _ = FxRate.objects.for_program(access.program).update_or_create(
                    program=access.program, year=year, currency=currency, defaults={"rate": rate}
                )
            except IntegrityError as exc:  # a racing writer inserted the same rate
                raise ValidationError(
                    "An fx rate changed concurrently; retry.", code="conflict"
                ) from exc
            saved.append(obj)
        hooks.figure_inputs_changed(
            program_id=access.program.pk, years={year for year, _, _ in clean}
        )
    return saved
