"""Programmes and their reference data: funding sources, KPIs, periods, fx rates."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.models import (
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
from clusters.services import programs as svc
from clusters.validation import MAX_YEAR, MIN_YEAR

from .base import (
    IntegerFilter,
    ProgramScopedView,
    StrictModelSerializer,
    StrictSerializer,
    iso_country_field,
    iso_currency_field,
    scope_for_request,
)


class ProgramSerializer(StrictModelSerializer):
    country = iso_country_field(required=False, allow_blank=True)
    currency = iso_currency_field()

    class Meta:
        model = Program
        fields = ["slug", "name", "country", "currency", "language", "created_at", "updated_at"]
        read_only_fields = ["slug", "created_at", "updated_at"]


class ProgramList(generics.ListAPIView):
    """Programmes the caller may see."""

    serializer_class = ProgramSerializer
    queryset = Program.objects.none()

    def get_queryset(self):  # noqa: D102 - not tenant data: the programme list itself
        return scope_for_request(self.request).programs().order_by("slug")


class ProgramDetail(ProgramScopedView):
    admin_writes = True
    serializer_class = ProgramSerializer
    queryset = Program.objects.none()

    def get(self, request: Request, program: str) -> Response:
        return Response(ProgramSerializer(self.access.program).data)

    def patch(self, request: Request, program: str) -> Response:
        updated = svc.program_update(access=self.access, data=request.data)
        return Response(ProgramSerializer(updated).data)


class FundingSourceSerializer(StrictModelSerializer):
    category = serializers.ChoiceField(choices=FundingCategory.choices)

    class Meta:
        model = FundingSource
        fields = ["code", "name", "category", "description", "is_standard"]
        read_only_fields = ["is_standard"]


class FundingSourceList(ProgramScopedView, generics.ListCreateAPIView):
    """The funding-source catalogue of DOMAIN.md plus the programme's own sources."""

    admin_writes = True
    serializer_class = FundingSourceSerializer
    queryset = FundingSource.objects.none()
    filterset_fields = ["category"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "category", "name"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = svc.funding_source_create(access=self.access, data=request.data)
        return Response(FundingSourceSerializer(source).data, status=status.HTTP_201_CREATED)


class KpiSerializer(StrictModelSerializer):
    kind = serializers.ChoiceField(choices=KpiKind.choices)
    aggregation = serializers.ChoiceField(
        choices=KpiAggregation.choices, default=KpiAggregation.SUM
    )

    class Meta:
        model = KpiDefinition
        fields = ["code", "name", "unit", "kind", "aggregation", "description", "is_standard"]
        read_only_fields = ["is_standard"]


class KpiList(ProgramScopedView, generics.ListCreateAPIView):
    """KPI definitions; submissions may only report KPIs defined here."""

    admin_writes = True
    serializer_class = KpiSerializer
    queryset = KpiDefinition.objects.none()
    filterset_fields = ["kind", "aggregation"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "kind", "name"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kpi = svc.kpi_create(access=self.access, data=request.data)
        return Response(KpiSerializer(kpi).data, status=status.HTTP_201_CREATED)


class PeriodSerializer(StrictModelSerializer):
    state = serializers.ChoiceField(choices=PeriodState.choices, default=PeriodState.OPEN)
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)

    class Meta:
        model = ReportingPeriod
        fields = ["year", "opens_on", "closes_on", "state"]


class PeriodFilter(django_filters.FilterSet):
    year = IntegerFilter()
    state = django_filters.ChoiceFilter(choices=PeriodState.choices)

    class Meta:
        model = ReportingPeriod
        fields = ["year", "state"]


class PeriodList(ProgramScopedView, generics.ListCreateAPIView):
    """Reporting periods: cluster editors write submissions only while a period is open."""

    admin_writes = True
    serializer_class = PeriodSerializer
    queryset = ReportingPeriod.objects.none()
    filterset_class = PeriodFilter
    ordering_fields = ["year"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        period = svc.period_create(access=self.access, data=request.data)
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class PeriodPatchSerializer(StrictModelSerializer):
    state = serializers.ChoiceField(choices=PeriodState.choices, required=False)

    class Meta:
        model = ReportingPeriod
        fields = ["opens_on", "closes_on", "state"]


class PeriodDetail(ProgramScopedView):
    admin_writes = True
    serializer_class = PeriodSerializer
    queryset = ReportingPeriod.objects.none()

    def get(self, request: Request, program: str, year: int) -> Response:
        return Response(PeriodSerializer(self.get_queryset().get(year=year)).data)

    @extend_schema(request=PeriodPatchSerializer, responses=PeriodSerializer)
    def patch(self, request: Request, program: str, year: int) -> Response:
        period = svc.period_update(access=self.access, year=year, data=request.data)
        return Response(PeriodSerializer(period).data)


class FxRateSerializer(StrictModelSerializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    currency = iso_currency_field()
    rate = serializers.DecimalField(max_digits=24, decimal_places=10, min_value=0)

    class Meta:
        model = FxRate
        fields = ["year", "currency", "rate", "updated_at"]
        read_only_fields = ["updated_at"]


class FxRateFilter(django_filters.FilterSet):
    year = IntegerFilter()
    currency = django_filters.CharFilter()

    class Meta:
        model = FxRate
        fields = ["year", "currency"]


class FxRateList(ProgramScopedView, generics.ListAPIView):
    """Fx rates: 1 unit of `currency` = `rate` units of the programme currency in `year`.

    PUT takes one rate object or a list of them and sets each (insert or replace).
    """

    admin_writes = True
    serializer_class = FxRateSerializer
    queryset = FxRate.objects.none()
    filterset_class = FxRateFilter
    ordering_fields = ["year", "currency"]

    @extend_schema(request=FxRateSerializer(many=True), responses=FxRateSerializer(many=True))
    def put(self, request: Request, program: str) -> Response:
        saved = svc.fx_rates_put(access=self.access, rates=request.data)
        return Response(FxRateSerializer(saved, many=True).data)


__all__ = [
    "FundingSourceList",
    "FxRateList",
    "KpiList",
    "PeriodDetail",
    "PeriodList",
    "ProgramDetail",
    "ProgramList",
    "StrictSerializer",
]
