"""A programme's reference data: funding sources, KPI definitions, periods, fx rates."""

from __future__ import annotations

from django.db import models

from .scoping import TenantModel


class FundingCategory(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"
    PROJECT = "project", "Project"


class CostCategory(models.TextChoices):
    SETUP = "setup", "Set-up (one-off)"
    STAFF = "staff", "Staff"
    OPERATIONS = "operations", "Operations"
    PROJECTS = "projects", "Projects"


class KpiKind(models.TextChoices):
    ACTIVITY = "activity", "Activity"
    OUTPUT = "output", "Output"
    OUTCOME = "outcome", "Outcome"
    IMPACT = "impact", "Impact"


class KpiAggregation(models.TextChoices):
    SUM = "sum", "Sum"
    MEAN = "mean", "Mean"


class FundingSource(TenantModel):
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=FundingCategory.choices)
    description = models.TextField(blank=True, default="")
    # True for the DOMAIN.md catalogue seeded into every programme.
    is_standard = models.BooleanField(default=False)

    class Meta:
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="fundingsource_unique_code")
        ]

    def __str__(self) -> str:
        return self.code


class KpiDefinition(TenantModel):
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=KpiKind.choices)
    aggregation = models.CharField(
        max_length=8, choices=KpiAggregation.choices, default=KpiAggregation.SUM
    )
    description = models.TextField(blank=True, default="")
    is_standard = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="kpidefinition_unique_code")
        ]

    def __str__(self) -> str:
        return self.code


class PeriodState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReportingPeriod(TenantModel):
    year = models.PositiveSmallIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    state = models.CharField(max_length=8, choices=PeriodState.choices, default=PeriodState.OPEN)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="period_unique_year"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="period_closes_after_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class FxRate(TenantModel):
    """1 unit of ``currency`` = ``rate`` units of the programme currency in ``year``."""

    year = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=24, decimal_places=10)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "currency"], name="fxrate_unique"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="fxrate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.currency}={self.rate}"
