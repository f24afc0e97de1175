"""GraphQL types of a programme's reference data: funding sources, KPIs, reporting
periods and fx rates (read through ``Program``; see ``api/graphql/clusters.py``)."""

from __future__ import annotations

import datetime as dt
import decimal

import strawberry_django

from clusters.models import FundingSource, FxRate, KpiDefinition, ReportingPeriod

from .context import Scoped


@strawberry_django.type(FundingSource)
class FundingSourceType(Scoped):
    code: str
    name: str
    category: str
    description: str
    is_standard: bool


@strawberry_django.type(KpiDefinition, name="Kpi")
class KpiType(Scoped):
    code: str
    name: str
    unit: str
    kind: str
    aggregation: str


@strawberry_django.type(ReportingPeriod, name="ReportingPeriod")
class PeriodType(Scoped):
    year: int
    opens_on: dt.date
    closes_on: dt.date
    state: str


@strawberry_django.type(FxRate, name="FxRate")
class FxRateType(Scoped):
    year: int
    currency: str
    rate: decimal.Decimal
