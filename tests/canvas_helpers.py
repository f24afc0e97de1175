"""Shared givens for the canvas tests: URLs, DOMAIN.md's example bodies, approved years."""

from __future__ import annotations

import copy
from typing import Any

from canvases.demo import ENTRY_MAP, EVOLUTION, OCEAN_CANVAS
from clusters.models import Cluster, Program
from tests.givens import add_submission

OCEAN_FUNDING_2021 = [
    ("national_cluster_programme", "400000.00"),
    ("local_government", "50000.00"),
    ("membership_fees", "200000.00"),
    ("member_activities", "50000.00"),
    ("eu_projects", "300000.00"),
]
OCEAN_COSTS_2021 = [("staff", "650000.00"), ("operations", "100000.00"), ("projects", "250000.00")]


def url(program: str, cluster: str, tail: str) -> str:
    return f"/api/v1/programs/{program}/clusters/{cluster}/canvases/{tail}"


def ocean_2021(program: Program, cluster: Cluster, **kwargs: Any) -> None:
    add_submission(cluster, 2021, funding=OCEAN_FUNDING_2021, costs=OCEAN_COSTS_2021, **kwargs)


def bodies() -> dict[str, dict[str, Any]]:
    """A valid body of every kind (for a cluster founded in 2012)."""
    return copy.deepcopy(
        {
            "business-model-map": ENTRY_MAP,
            "evolution-map": EVOLUTION,
            "business-model-canvas": OCEAN_CANVAS,
            "financing-model": {
                "year": 2021,
                "shares": [
                    {"source": "national_cluster_programme", "share": "0.4"},
                    {"source": "local_government", "share": "0.05"},
                    {"source": "membership_fees", "share": "0.2"},
                    {"source": "member_activities", "share": "0.05"},
                    {"source": "eu_projects", "share": "0.3"},
                ],
                "cost_shares": [
                    {"category": "staff", "share": "0.65"},
                    {"category": "operations", "share": "0.1"},
                    {"category": "projects", "share": "0.25"},
                ],
            },
            "value-impact-roadmap": {
                "roadmaps": [
                    {
                        "kpi": "gdp_share",
                        "statement": "From 4 % to 12 % of GDP by 2050.",
                        "baseline": {"year": 2021, "value": "0.04"},
                        "milestones": [
                            {"year": 2030, "target": "0.06"},
                            {"year": 2040, "target": "0.09"},
                            {"year": 2050, "target": "0.12"},
                        ],
                        "data_source": "National accounts",
                        "third_party_verified": True,
                    }
                ]
            },
            "value-triangle": {
                "ambition_and_strategy": "Lead in ocean tech.",
                "structure_and_governance": "A pentagon board.",
                "business_model_and_financing": "45/25/30.",
            },
            "strategy": {
                "ambition": "The world's leading ocean tech cluster.",
                "focus_areas": ["Transformation", "Technology", "Scale-ups"],
                "value_impact": "12 % of GDP by 2050.",
                "roadmap": "2030, 2040, 2050.",
            },
            "self-assessment": {
                "year": 2021,
                "levels": {
                    area: {"level": 3, "evidence": f"{area} evidence"}
                    for area in ("understand", "map", "optimize", "evolve", "compete")
                },
            },
        }
    )
