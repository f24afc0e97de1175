"""Database sums of money and KPI values are exact on SQLite as on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum

from clusters.models import FundingLine, KpiDefinition, KpiValue
from clusters.models.sums import ExactSum, money_sum
from tests.givens import add_submission

# 13 lines of almost a trillion each: the total needs 16 significant digits, more than a
# float sum keeps.
AMOUNTS = [Decimal("999999999999.99") - Decimal(i) / 100 for i in range(13)]


def test_money_sums_are_exact_to_the_cent(cast):
    for i, amount in enumerate(AMOUNTS):
        cluster = cast.a1 if i % 2 else cast.a2
        add_submission(cluster, 1980 + i, funding=[("membership_fees", str(amount))])
    lines = FundingLine.objects.for_program(cast.prog_a)

    exact = lines.aggregate(total=money_sum("amount"))["total"]
    odd_years = lines.aggregate(total=money_sum("amount", filter=Q(submission__cluster=cast.a1)))[
        "total"
    ]

    assert exact == sum(AMOUNTS, Decimal(0)) == Decimal("12999999999999.09")
    assert odd_years == sum(AMOUNTS[1::2], Decimal(0))
    if connection.vendor == "sqlite":
        # the plain SUM this replaces adds floats and loses the cents
        assert lines.aggregate(total=Sum("amount"))["total"] != exact


def test_kpi_sums_are_exact_with_negative_and_fractional_values(cast):
    values = [
        Decimal("123456789.123456"),
        Decimal("-0.000001"),
        Decimal("-98765.5"),
        Decimal("0.1"),
    ]
    members = KpiDefinition.objects.for_program(cast.prog_a).get(code="members_total")
    for i, value in enumerate(values):
        sub = add_submission(cast.a1, 2001 + i)
        KpiValue.objects.create(program=cast.prog_a, submission=sub, kpi=members, value=value)

    total = KpiValue.objects.for_program(cast.prog_a).aggregate(total=ExactSum("value", places=6))[
        "total"
    ]

    assert total == sum(values, Decimal(0)) == Decimal("123358023.723455")


def test_an_empty_sum_is_none(cast):
    lines = FundingLine.objects.for_program(cast.prog_a)

    assert lines.aggregate(total=money_sum("amount"))["total"] is None
