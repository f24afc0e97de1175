"""What-if scenarios: "if source S changes by factor F in year Y, who can no longer cover
their costs, and by how much?"

Nothing is stored unless the caller asks (``"save": true`` with a ``name``). The figures start from the approved submissions of year Y, converted to
the programme currency exactly like the funding mix: a submission in the programme
currency at rate 1, any other currency at the fx rate of (Y, currency); a submission
without a rate is listed in ``excluded``, never dropped silently.

A change names either one funding ``source`` or a whole funding ``category``; a source
named on its own takes its own factor even when its category is also changed (the more
specific change wins). Factors are decimal strings >= 0: "0" removes the funding, "0.5"
halves it, "1" leaves it as it is.

The body is validated in ``impact.services.scenario_input`` and computed in
``impact.selectors.scenarios``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from clusters.access import Access
from clusters.models import FundingSource

from ..models import SavedScenario
from ..selectors.scenarios import scenario_compute
from .scenario_input import Scenario, parse_scenario


def scenario_run(*, access: Access, data: Any) -> dict[str, Any]:
    """Run a what-if on the approved submissions of a year (admin, analyst; 5 queries).

    Nothing is stored unless the body says ``"save": true`` with a ``name`` (unique in the
    programme): then the scenario and its answer are kept for ``scenario_list``.
    """
    access.require_portfolio_reader()
    program = access.program
    sources = dict(FundingSource.objects.for_program(program).values_list("code", "category"))
    scenario = parse_scenario(data, sources=sources)
    result = scenario_compute(program, scenario, sources)
    if not scenario.save:
        return result
    saved = scenario_save(access=access, scenario=scenario, result=result)
    return {**result, "saved": {"name": saved.name, "created_at": saved.created_at.isoformat()}}


@transaction.atomic
def scenario_save(*, access: Access, scenario: Scenario, result: dict[str, Any]) -> SavedScenario:
    """Keep a scenario and its answer under a name unique in the programme."""
    access.require_portfolio_reader()
    taken = ValidationError(
        {
            "name": [
                ValidationError(
                    f"A scenario named '{scenario.name}' is saved already; choose another name.",
                    code="unique",
                )
            ]
        }
    )
    if SavedScenario.objects.for_program(access.program).filter(name=scenario.name).exists():
        raise taken
    try:
        with transaction.atomic():
            return SavedScenario.objects.create(
                program=access.program,
                name=scenario.name,
                year=scenario.year,
                changes=result["changes"],
                result=result,
                created_by=access.label,
            )
    except IntegrityError:  # saved by a concurrent request since the check above
        raise taken from None


def scenario_list(*, access: Access) -> QuerySet[SavedScenario]:
    """Saved scenarios of the programme, newest first (admin, analyst)."""
    access.require_portfolio_reader()
    return SavedScenario.objects.for_program(access.program).order_by("-created_at", "-id")
