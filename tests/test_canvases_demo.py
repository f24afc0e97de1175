"""The demo programme's canvases: ocean tech from DOMAIN.md, idempotent loading."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from canvases.actuals import evolution_compare
from canvases.models import Canvas, CanvasVersion
from canvases.selectors import canvas_view
from clusters.access import system_access
from clusters.models import Cluster, Program

pytestmark = pytest.mark.django_db


def test_load_demo_gives_ocean_tech_its_canvases_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--no-tokens", stdout=io.StringIO())
    counts = (Canvas.objects.unscoped().count(), CanvasVersion.objects.unscoped().count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--no-tokens", stdout=io.StringIO())

    program = Program.objects.get(slug="demo")
    access = system_access(program, label="test")
    ocean = Cluster.objects.for_program(program).get(slug="ocean-tech")
    the_map = canvas_view(access=access, cluster=ocean, kind="business-model-map")
    financing = canvas_view(access=access, cluster=ocean, kind="financing-model")
    evolution = Cluster.objects.for_program(program).get(slug="evolution-cluster")
    stages = (
        Canvas.objects.for_program(program)
        .get(cluster=evolution, kind="evolution-map")
        .body["stages"]
    )
    compared = evolution_compare(access=access, cluster=evolution, stages=stages)["stages"]

    assert (Canvas.objects.unscoped().count(), CanvasVersion.objects.unscoped().count()) == counts
    assert counts == (8, 9)
    assert the_map["version"] == 2  # the 60/40 start, then the 2021 actuals
    assert sorted(s["share"] for s in the_map["shares"]) == [0.05, 0.05, 0.2, 0.3, 0.4]
    assert (financing["year"], financing["age"]) == (2021, 9)
    assert [(s["year"], s["gap"]["budget"]) for s in compared] == [
        (2015, "0.00"),
        (2020, "0.00"),
        (2025, "0.00"),
    ]
