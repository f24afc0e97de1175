"""Reads of a programme's reference data."""

from __future__ import annotations

from django.db.models import QuerySet

from ..access import Access
from ..models import FundingSource, FxRate, KpiDefinition, ReportingPeriod


def funding_source_list(*, access: Access) -> QuerySet[FundingSource]:
    return FundingSource.objects.for_program(access.program)


def kpi_list(*, access: Access) -> QuerySet[KpiDefinition]:
    return KpiDefinition.objects.for_program(access.program)


def period_list(*, access: Access) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.for_program(access.program)


def fx_rate_list(*, access: Access) -> QuerySet[FxRate]:
    return FxRate.objects.for_program(access.program)
