"""Demo canvases from DOMAIN.md for the demo programme (registered with ``load_demo``).

Ocean tech gets every kind: the entry-level 60/40 map, then the map derived from its
approved 2021 submission (40/5/20/5/30) as a second version, the evolution-map example,
the 2021 financing model, a 14-block canvas with as-is and to-be notes, the value triangle,
a strategy and a self-assessment (its roadmaps come from ``impact``'s demo). The
evolution-map cluster gets the evolution map its submissions can be compared with.
Idempotent: a canvas that has been saved is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from clusters.access import Access
from clusters.selectors.registry import cluster_list

from . import kinds as k
from .models import Canvas
from .services import canvas_put, canvas_save_actual

ENTRY_MAP = {
    "shares": [
        {"source": "national_cluster_programme", "share": "0.6"},
        {"source": "local_government", "share": "0.4"},
    ]
}

EVOLUTION = {
    "stages": [
        {
            "label": "Year 1: a government-funded start",
            "year": 2015,
            "budget": "100000.00",
            "budget_needed": "125000.00",
            "financial_stress": "high",
            "note": "The cluster is too reliant on government financing. The current support is "
            "low, causing high financial stress: acceptable when starting, not sustainable.",
            "shares": [
                {"source": "national_cluster_programme", "share": "0.6"},
                {"source": "local_government", "share": "0.4"},
            ],
        },
        {
            "label": "Years 3-5: members start paying",
            "year": 2020,
            "budget": "300000.00",
            "budget_needed": "350000.00",
            "financial_stress": "medium",
            "note": "Five years on the budget has tripled and the cluster moved from 100 % public "
            "to 40 % public and 60 % private financing.",
            "shares": [
                {"source": "local_government", "share": "0.4"},
                {"source": "membership_fees", "share": "0.3"},
                {"source": "member_funded_projects", "share": "0.3"},
            ],
        },
        {
            "label": "Years 5-10: self-sustaining",
            "year": 2025,
            "budget": "800000.00",
            "budget_needed": "850000.00",
            "financial_stress": "low",
            "note": "A mature cluster with five people full-time; government funding is gone and "
            "the cluster is financed on private industry terms.",
            "shares": [
                {"source": "membership_fees", "share": "0.5"},
                {"source": "member_funded_projects", "share": "0.5"},
            ],
        },
    ]
}


def _notes(*items: tuple[str, str]) -> list[dict[str, str]]:
    return [{"text": text, "state": state} for text, state in items]


AS_IS, TO_BE = k.AS_IS, k.TO_BE
OCEAN_CANVAS = {
    "blocks": {
        "members": _notes(
            ("165 members from the pentagon, including 9 VCs", AS_IS),
            ("2300 companies identified in the relevant ocean sectors", TO_BE),
        ),
        "funding_partners": _notes(
            ("National cluster programme", AS_IS), ("City of Bergen", AS_IS)
        ),
        "member_relationships": _notes(("Too transactional", AS_IS), ("Innovation groups", TO_BE)),
        "channels": _notes(
            ("Newsletter, events, social media", AS_IS), ("Channels for new members", TO_BE)
        ),
        "value_proposition": _notes(
            (
                "Helping our members transform into new business areas in the global ocean space",
                AS_IS,
            )
        ),
        "key_activities": _notes(
            ("Industry transformation", AS_IS),
            ("Tech development", AS_IS),
            ("Scale-ups", TO_BE),
            ("Market development", TO_BE),
        ),
        "key_resources": _notes(("3 staff", AS_IS), ("Network", AS_IS)),
        "key_stakeholders": _notes(("Research council", AS_IS), ("Capital", TO_BE)),
        "ecosystems_and_partner_clusters": _notes(
            ("Ocean Autonomy Cluster (NO)", AS_IS),
            ("COAST (CAN)", AS_IS),
            ("Maritime Singapore (SG)", AS_IS),
            ("Blue Maritime (US)", TO_BE),
        ),
        "public_funding": _notes(
            ("40 % from the national cluster programme", AS_IS), ("5 % from the city", AS_IS)
        ),
        "private_funding": _notes(
            ("20 % membership fees", AS_IS), ("5 % programmes and member activities", AS_IS)
        ),
        "project_funding": _notes(("30 % project funding, mostly EU", AS_IS)),
        "cost_structure": _notes(
            ("Staff salaries 65 %", AS_IS), ("Operations 10 %", AS_IS), ("Projects 25 %", AS_IS)
        ),
        "value_impact": _notes(("The world's leading ocean tech cluster", TO_BE)),
    }
}

OCEAN_TRIANGLE = {
    "ambition_and_strategy": "The world's leading ocean tech cluster by 2030.",
    "structure_and_governance": "A board from the pentagon: industry, academia, government, "
    "entrepreneurs and capital; three staff.",
    "business_model_and_financing": "Diversified: 45 % public, 25 % private, 30 % project funding.",
}

OCEAN_STRATEGY = {
    "ambition": "Creating the world's leading ocean tech cluster.",
    "focus_areas": [
        "Industry transformation",
        "Technology development",
        "Scale-ups and capital",
        "Market development",
        "Talent",
    ],
    "value_impact": "Ocean autonomy: member revenue from EUR 10M (2021) to 500BN (2050).",
    "roadmap": "2030: 350M; 2040: 40BN; 2050: 500BN member revenue.",
}

OCEAN_ASSESSMENT = {
    "year": 2021,
    "levels": {
        "understand": {"level": 4, "evidence": "The board knows the three financing mechanisms."},
        "map": {"level": 4, "evidence": "Map, canvas and financing model drawn in 2021."},
        "optimize": {"level": 3, "evidence": "Member fees reviewed; services priced."},
        "evolve": {
            "level": 2,
            "evidence": "What happens if we lose the national programme? Not yet answered.",
        },
        "compete": {"level": 2, "evidence": "Benchmarked against three partner clusters."},
    },
}


def _exists(access: Access, cluster: Any, kind: str) -> bool:
    return (
        Canvas.objects.for_program(access.program)
        .filter(cluster=cluster, kind=kind, alternative=k.CURRENT)
        .exists()
    )


@transaction.atomic
def load_demo_canvases(access: Access, log: Callable[[str], object]) -> None:
    clusters = {c.slug: c for c in cluster_list(access=access)}
    created = 0
    ocean = clusters.get("ocean-tech")
    if ocean is not None:
        if not _exists(access, ocean, k.BUSINESS_MODEL_MAP):
            canvas_put(access=access, cluster=ocean, kind=k.BUSINESS_MODEL_MAP, data=ENTRY_MAP)
            canvas_save_actual(access=access, cluster=ocean, kind=k.BUSINESS_MODEL_MAP, year=2021)
            created += 1
        if not _exists(access, ocean, k.FINANCING_MODEL):
            canvas_save_actual(access=access, cluster=ocean, kind=k.FINANCING_MODEL, year=2021)
            created += 1
        for kind, body in (
            (k.EVOLUTION_MAP, EVOLUTION),
            (k.BUSINESS_MODEL_CANVAS, OCEAN_CANVAS),
            (k.VALUE_TRIANGLE, OCEAN_TRIANGLE),
            (k.STRATEGY, OCEAN_STRATEGY),
            (k.SELF_ASSESSMENT, OCEAN_ASSESSMENT),
        ):
            if not _exists(access, ocean, kind):
                canvas_put(access=access, cluster=ocean, kind=kind, data=body)
                created += 1
    evolution = clusters.get("evolution-cluster")
    if evolution is not None and not _exists(access, evolution, k.EVOLUTION_MAP):
        canvas_put(access=access, cluster=evolution, kind=k.EVOLUTION_MAP, data=EVOLUTION)
        created += 1
    log(f"Canvases: {created} new.")
