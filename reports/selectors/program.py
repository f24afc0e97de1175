"""What a programme's portfolio report shows: the portfolio figures of ``impact``, served
exactly as the API serves them (stored by the recompute task, or computed on demand), so
the report and the API never disagree.

Only approved submissions count. Nothing here depends on today's date: the period's state
counts are shown, not whether a cluster is late today, so the same data gives the same
document whenever it is generated.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Min

from clusters.access import Access
from clusters.models import (
    Cluster,
    FundingSource,
    FxRate,
    KpiDefinition,
    ReportingPeriod,
    Submission,
    SubmissionState,
    WarningRule,
)
from clusters.selectors.submissions import period_status
from impact.models import Roadmap, SavedScenario
from impact.selectors.figures import figure_serve
from impact.selectors.portfolio import (
    funding_mix_serve,
    funding_mix_trend_serve,
    portfolio_clusters_serve,
    portfolio_costs_serve,
    public_reliance_serve,
)
from impact.selectors.roadmaps import roadmap_progress
from impact.selectors.scenarios import scenario_compute
from impact.selectors.value_impact import VALUE_IMPACT
from impact.services.scenario_input import parse_scenario
from impact.services.scenarios import scenario_list

from ..benchmark import EUROPEAN_PERIOD, EUROPEAN_PUBLIC_SHARE, is_european
from .common import latest_change

# The trend covers up to this many years, ending with the report's year.
TREND_YEARS = 15
# Clusters above this public share are listed as relying on public money.
RELIANCE_THRESHOLD = "0.5"
GROUPS = ("stage", "category", "region")


def _scenario(access: Access, year: int) -> dict[str, Any] | None:
    """The newest what-if the programme saved for the year, recomputed on today's data (as
    saved when its sources have changed since)."""
    saved = scenario_list(access=access).filter(year=year).first()
    if saved is None:
        return None
    sources = dict(
        FundingSource.objects.for_program(access.program).values_list("code", "category")
    )
    try:
        scenario = parse_scenario({"year": year, "changes": saved.changes}, sources=sources)
    except ValidationError:
        result, recomputed = saved.result, False
    else:
        result, recomputed = scenario_compute(access.program, scenario, sources), True
    return {
        "name": saved.name,
        "created_by": saved.created_by,
        "created_at": saved.created_at,
        "recomputed": recomputed,
        "result": result,
    }


def _trend_start(access: Access, year: int) -> int:
    first = (
        Submission.objects.for_program(access.program)
        .filter(state=SubmissionState.APPROVED, year__lte=year)
        .aggregate(first=Min("year"))["first"]
    )
    return max(first if first is not None else year, year - TREND_YEARS + 1)


def program_report_data(*, access: Access, year: int) -> dict[str, Any]:
    """Everything the portfolio report of ``year`` shows (admins and analysts)."""
    access.require_portfolio_reader()
    program = access.program
    try:
        status = period_status(access=access, year=year)
    except ReportingPeriod.DoesNotExist:
        status = None
    data: dict[str, Any] = {
        "program": program,
        "year": year,
        "currency": program.currency,
        "mix": funding_mix_serve(access=access, year=year).payload,
        "trend": [
            s.payload
            for s in funding_mix_trend_serve(
                access=access, from_year=_trend_start(access, year), to_year=year
            )
        ],
        "groups": {
            g: funding_mix_serve(access=access, year=year, group_by=g).payload for g in GROUPS
        },
        "reliance": public_reliance_serve(
            access=access, year=year, threshold=RELIANCE_THRESHOLD
        ).payload,
        "costs": portfolio_costs_serve(access=access, year=year).payload,
        "clusters": portfolio_clusters_serve(access=access, year=year).payload,
        "value_impact": figure_serve(access=access, kind=VALUE_IMPACT, year=year).payload,
        "progress": roadmap_progress(access=access, year=year),
        "status": status,
        "scenario": _scenario(access, year),
        "source_names": dict(
            FundingSource.objects.for_program(program).values_list("code", "name")
        ),
        "kpi_names": dict(KpiDefinition.objects.for_program(program).values_list("code", "name")),
        "european": is_european(program.country),
        "benchmark": {"share": EUROPEAN_PUBLIC_SHARE, "period": EUROPEAN_PERIOD},
    }
    data["as_of"] = latest_change(
        program.updated_at,
        querysets=(
            Submission.objects.for_program(program),
            Cluster.objects.for_program(program),
            FxRate.objects.for_program(program),
            Roadmap.objects.for_program(program),
            WarningRule.objects.for_program(program),
        ),
    )
    scenarios = SavedScenario.objects.for_program(program).filter(year=year)
    newest = scenarios.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is not None:
        data["as_of"] = max(data["as_of"], newest)
    return data
