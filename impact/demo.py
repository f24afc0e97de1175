"""Demo value-impact roadmaps from DOMAIN.md (called by the load_demo command)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from clusters.access import Access
from clusters.selectors.registry import cluster_list

from .models import Roadmap, SavedScenario
from .services.roadmaps import roadmap_create, roadmap_replace
from .services.scenarios import scenario_run

# (cluster slug, roadmap body). Shares are fractions (0.05 = 5 %).
DEMO_ROADMAPS: list[tuple[str, dict[str, Any]]] = [
    (
        "ocean-tech",
        {
            "kpi": "member_revenue",
            "statement": "Ocean autonomy: member revenue from EUR 10M to 500BN by 2050.",
            "baseline": {"year": 2021, "value": "10000000"},
            "milestones": [
                {"year": 2030, "target": "350000000"},
                {"year": 2040, "target": "40000000000"},
                {"year": 2050, "target": "500000000000"},
            ],
            "interpolation": "compound",
            "data_source": "Member survey",
        },
    ),
    (
        "ocean-tech",
        {
            "kpi": "global_market_share",
            "statement": "Ocean autonomy: global market share from 5 % to 22 % by 2050.",
            "baseline": {"year": 2021, "value": "0.05"},
            "milestones": [
                {"year": 2030, "target": "0.12"},
                {"year": 2040, "target": "0.14"},
                {"year": 2050, "target": "0.22"},
            ],
            "interpolation": "linear",
            "data_source": "Industry market report",
        },
    ),
    (
        "metaindustry4",
        {
            "kpi": "gdp_share",
            "statement": "Advanced manufacturing from 4 % to 12 % of regional GDP by 2050.",
            "baseline": {"year": 2021, "value": "0.04"},
            "milestones": [
                {"year": 2030, "target": "0.06"},
                {"year": 2040, "target": "0.09"},
                {"year": 2050, "target": "0.12"},
            ],
            "interpolation": "linear",
            "data_source": "Regional statistics office",
            "third_party_verified": True,
        },
    ),
]


@transaction.atomic
def load_demo_impact(access: Access, log: Callable[[str], object]) -> None:
    """Create or refresh the demo roadmaps; running it twice changes nothing."""
    clusters = {c.slug: c for c in cluster_list(access=access)}
    existing = {
        (r.cluster.slug, r.kpi.code): r
        for r in Roadmap.objects.for_program(access.program).select_related("cluster", "kpi")
    }
    created = 0
    for slug, body in DEMO_ROADMAPS:
        cluster = clusters.get(slug)
        if cluster is None:
            continue
        roadmap = existing.get((slug, body["kpi"]))
        if roadmap is None:
            roadmap_create(access=access, cluster=cluster, data=body)
            created += 1
        else:
            roadmap_replace(access=access, roadmap=roadmap, data=body)
    log(f"Roadmaps: {len(DEMO_ROADMAPS)} ({created} new).")


# A saved what-if for the demo's portfolio report: "if the national programme stops and
# other public money halves in 2021, who can no longer cover their costs?"
DEMO_SCENARIO: dict[str, Any] = {
    "year": 2021,
    "name": "The national programme stops",
    "save": True,
    "changes": [
        {"source": "national_cluster_programme", "factor": "0"},
        {"category": "public", "factor": "0.5"},
    ],
}


@transaction.atomic
def load_demo_scenarios(access: Access, log: Callable[[str], object]) -> None:
    """Save the demo scenario once; running it twice changes nothing."""
    exists = (
        SavedScenario.objects.for_program(access.program)
        .filter(name=DEMO_SCENARIO["name"])
        .exists()
    )
    if not exists:
        scenario_run(access=access, data=DEMO_SCENARIO)
    log(f"Saved scenarios: 1 ({0 if exists else 1} new).")
