"""The demo roadmaps (impact/demo.py) load idempotently and give DOMAIN.md's targets."""

from __future__ import annotations

from decimal import Decimal

from clusters.access import system_access
from impact.demo import load_demo_impact
from impact.models import Roadmap
from impact.selectors.roadmaps import roadmap_target
from tests.givens import load_demo


def test_demo_roadmaps_load_twice_without_duplicates(db):
    from tests.factories import make_program

    program = make_program("demo", currency="EUR")
    load_demo(program, years=[])
    access = system_access(program, label="test")
    lines: list[str] = []

    load_demo_impact(access, lines.append)
    load_demo_impact(access, lines.append)

    assert lines == ["Roadmaps: 3 (3 new).", "Roadmaps: 3 (0 new)."]
    roadmaps = {
        (r.cluster.slug, r.kpi.code): r
        for r in Roadmap.objects.for_program(program).select_related("cluster", "kpi")
    }
    assert sorted(roadmaps) == [
        ("metaindustry4", "gdp_share"),
        ("ocean-tech", "global_market_share"),
        ("ocean-tech", "member_revenue"),
    ]
    ocean_2025 = roadmap_target(roadmaps[("ocean-tech", "member_revenue")], 2025)
    assert ocean_2025 is not None
    assert round(ocean_2025, 6) == Decimal("48557069.018420")
    assert roadmap_target(roadmaps[("metaindustry4", "gdp_share")], 2045) == Decimal("0.105")
