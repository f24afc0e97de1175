"""Canvases over REST: save, read, versions, alternatives, diff, the real numbers."""

from __future__ import annotations

import pytest

from canvases.kinds import KINDS
from tests.canvas_helpers import bodies, ocean_2021, url
from tests.givens import add_submission, fx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS)
def test_a_valid_body_of_every_kind_is_saved_as_version_1_and_read_back(cast, kind):
    client = cast.editor_a1.client()

    put = client.put(url("prog-a", "a1", f"{kind}/"), bodies()[kind], format="json")
    got = client.get(url("prog-a", "a1", f"{kind}/"))

    assert put.status_code == 201, put.content
    assert got.status_code == 200
    assert got.json() == put.json()
    assert got.json()["version"] == 1
    assert got.json()["created_by"] == "token:editor_a1"
    assert got["ETag"] == '"1"'


def test_an_unsaved_canvas_reads_as_its_empty_body_version_0(cast):
    got = cast.analyst_a.client().get(url("prog-a", "a1", "business-model-map/"))

    assert got.status_code == 200
    assert got.json() == {
        "shares": [],
        "alternative": "current",
        "version": 0,
        "created_by": None,
        "created_at": None,
    }


def test_every_save_keeps_the_previous_version_with_who_and_when(cast):
    first, second = (
        bodies()["business-model-map"],
        {
            "shares": [
                {"source": "national_cluster_programme", "share": 0.4},
                {"source": "membership_fees", "share": "0.6"},
            ]
        },
    )
    cast.editor_a1.client().put(url("prog-a", "a1", "business-model-map/"), first, format="json")
    cast.admin_a.client().put(url("prog-a", "a1", "business-model-map/"), second, format="json")
    client = cast.analyst_a.client()

    versions = client.get(url("prog-a", "a1", "business-model-map/versions/")).json()
    one = client.get(url("prog-a", "a1", "business-model-map/versions/1/")).json()
    diff = client.get(url("prog-a", "a1", "business-model-map/diff?from=1&to=2")).json()

    assert versions["count"] == 1  # the earlier one: version 2 is the current canvas
    assert [(v["version"], v["created_by"]) for v in versions["results"]] == [
        (1, "token:editor_a1"),
    ]
    assert one["shares"] == [
        {"source": "national_cluster_programme", "share": 0.6},
        {"source": "local_government", "share": 0.4},
    ]
    assert (one["version"], one["created_by"]) == (1, "token:editor_a1")
    assert diff["changes"] == [
        {"field": "shares.local_government.share", "from": "0.4", "to": None},
        {"field": "shares.membership_fees.share", "from": None, "to": "0.6"},
        {"field": "shares.national_cluster_programme.share", "from": "0.6", "to": "0.4"},
    ]


def test_saving_the_same_body_again_writes_no_new_version(cast):
    client = cast.editor_a1.client()
    client.put(url("prog-a", "a1", "strategy/"), bodies()["strategy"], format="json")

    again = client.put(url("prog-a", "a1", "strategy/"), bodies()["strategy"], format="json")

    assert again.status_code == 200
    assert again.json()["version"] == 1


def test_a_stale_if_match_is_a_412_and_changes_nothing(cast):
    client = cast.editor_a1.client()
    client.put(url("prog-a", "a1", "strategy/"), bodies()["strategy"], format="json")
    client.put(
        url("prog-a", "a1", "strategy/"), {**bodies()["strategy"], "roadmap": "v2"}, format="json"
    )

    stale = client.put(
        url("prog-a", "a1", "strategy/"),
        {**bodies()["strategy"], "roadmap": "v3"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert client.get(url("prog-a", "a1", "strategy/")).json()["roadmap"] == "v2"


def test_named_alternatives_stand_side_by_side_with_the_current_canvas(cast):
    client = cast.editor_a1.client()
    client.put(
        url("prog-a", "a1", "business-model-map/"), bodies()["business-model-map"], format="json"
    )
    scenario = {"shares": [{"source": "membership_fees", "share": "1"}]}
    put = client.put(
        url("prog-a", "a1", "business-model-map/?alternative=all-private"), scenario, format="json"
    )

    side_by_side = client.get(url("prog-a", "a1", "business-model-map/alternatives/")).json()
    current = client.get(url("prog-a", "a1", "business-model-map/")).json()

    assert put.status_code == 201
    assert [(a["alternative"], a["version"]) for a in side_by_side] == [
        ("current", 1),
        ("all-private", 1),
    ]
    assert side_by_side[1]["shares"] == [{"source": "membership_fees", "share": 1.0}]
    assert current["shares"][0]["source"] == "national_cluster_programme"
    missing = client.get(url("prog-a", "a1", "business-model-map/?alternative=nope"))
    assert missing.status_code == 404


# --- the ocean tech cluster of DOMAIN.md as a full example ---------------------------------


def test_the_as_is_map_of_ocean_tech_2021_is_40_5_20_5_30(cast):
    ocean_2021(cast.prog_a, cast.a1)

    got = cast.editor_a1.client().get(url("prog-a", "a1", "business-model-map/actual?year=2021"))

    assert got.status_code == 200
    data = got.json()
    assert data["total"] == "1000000.00"
    assert data["currency"] == "EUR"
    assert [(s["source"], s["share"], s["amount"]) for s in data["shares"]] == [
        ("national_cluster_programme", 0.4, "400000.00"),
        ("eu_projects", 0.3, "300000.00"),
        ("membership_fees", 0.2, "200000.00"),
        ("local_government", 0.05, "50000.00"),
        ("member_activities", 0.05, "50000.00"),
    ]
    assert data["by_category"] == {
        "public": {"amount": "450000.00", "share": 0.45},
        "private": {"amount": "250000.00", "share": 0.25},
        "project": {"amount": "300000.00", "share": 0.3},
    }


def test_saving_the_derived_map_makes_it_the_current_map(cast):
    ocean_2021(cast.prog_a, cast.a1)
    client = cast.editor_a1.client()
    client.put(
        url("prog-a", "a1", "business-model-map/"), bodies()["business-model-map"], format="json"
    )

    saved = client.post(url("prog-a", "a1", "business-model-map/actual?year=2021"))
    diff = client.get(url("prog-a", "a1", "business-model-map/diff?from=1&to=2")).json()

    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    assert {s["source"]: s["share"] for s in saved.json()["shares"]} == {
        "national_cluster_programme": 0.4,
        "eu_projects": 0.3,
        "membership_fees": 0.2,
        "local_government": 0.05,
        "member_activities": 0.05,
    }
    assert (diff["to"]["version"], diff["to"]["via"]) == (2, "derived")


def test_the_financing_model_of_ocean_tech_2021_is_its_10th_year(cast):
    ocean_2021(cast.prog_a, cast.a1)
    client = cast.admin_a.client()

    actual = client.get(url("prog-a", "a1", "financing-model/actual?year=2021")).json()
    saved = client.post(url("prog-a", "a1", "financing-model/actual?year=2021")).json()

    assert actual["age"] == 9  # founded 2012: 2021 is its 10th year
    assert [(c["category"], c["share"]) for c in actual["cost_shares"]] == [
        ("staff", 0.65),
        ("projects", 0.25),
        ("operations", 0.1),
    ]
    assert actual["costs_total"] == "1000000.00"
    assert saved["year"] == 2021
    assert saved["age"] == 9
    assert {c["category"]: c["share"] for c in saved["cost_shares"]} == {
        "staff": 0.65,
        "projects": 0.25,
        "operations": 0.1,
    }


def test_a_submission_in_another_currency_is_converted_with_the_programmes_rate(cast):
    add_submission(
        cast.a1,
        2021,
        currency="MXN",
        funding=[("regional_government", "4000000.00"), ("membership_fees", "6000000.00")],
    )
    fx(cast.prog_a, 2021, "MXN", "0.0416")

    data = (
        cast.admin_a.client().get(url("prog-a", "a1", "business-model-map/actual?year=2021")).json()
    )

    assert data["total"] == "416000.00"
    assert [(s["source"], s["amount"], s["share"]) for s in data["shares"]] == [
        ("membership_fees", "249600.00", 0.6),
        ("regional_government", "166400.00", 0.4),
    ]


def test_without_an_fx_rate_or_an_approved_submission_there_is_no_actual_map(cast):
    add_submission(cast.a1, 2021, currency="MXN", funding=[("training", "10.00")])
    add_submission(cast.a1, 2022, funding=[("training", "10.00")], state="submitted")
    client = cast.admin_a.client()

    no_rate = client.get(url("prog-a", "a1", "business-model-map/actual?year=2021"))
    not_approved = client.get(url("prog-a", "a1", "business-model-map/actual?year=2022"))
    no_year = client.get(url("prog-a", "a1", "business-model-map/actual"))

    assert no_rate.status_code == 400
    assert no_rate.json()["errors"] == [
        {
            "field": "year",
            "code": "no_fx_rate",
            "message": "Cannot convert 2021: no fx rate for MXN in 2021.",
        }
    ]
    assert not_approved.status_code == 404
    assert no_year.status_code == 400
    assert no_year.json()["errors"][0]["field"] == "year"


def test_the_evolution_map_example_is_compared_with_2015_2020_and_2025(cast):
    client = cast.editor_a1.client()
    client.put(url("prog-a", "a1", "evolution-map/"), bodies()["evolution-map"], format="json")
    add_submission(
        cast.a1,
        2015,
        funding=[("national_cluster_programme", "60000.00"), ("local_government", "30000.00")],
    )
    add_submission(
        cast.a1,
        2020,
        funding=[
            ("local_government", "120000.00"),
            ("membership_fees", "90000.00"),
            ("member_funded_projects", "90000.00"),
        ],
    )

    stages = client.get(url("prog-a", "a1", "evolution-map/compare")).json()["stages"]

    assert [(s["year"], s["planned"]["budget"]) for s in stages] == [
        (2015, "100000.00"),
        (2020, "300000.00"),
        (2025, "800000.00"),
    ]
    assert stages[0]["actual"]["budget"] == "90000.00"
    assert stages[0]["gap"]["budget"] == "-10000.00"
    assert stages[0]["actual"]["shares"] == [
        {"source": "national_cluster_programme", "share": 0.66666667},
        {"source": "local_government", "share": 0.33333333},
    ]
    assert stages[0]["gap"]["shares"][0] == {
        "source": "national_cluster_programme",
        "planned": 0.6,
        "actual": 0.66666667,
        "gap": 0.06666667,
    }
    assert stages[1]["actual"]["budget"] == "300000.00"
    assert stages[1]["gap"]["budget"] == "0.00"
    assert stages[2]["actual"] is None
    assert stages[2]["gap"]["budget"] is None
    assert stages[2]["reason"] == "no approved submission for 2025"


def test_the_value_impact_roadmap_is_the_clusters_roadmaps(cast):
    client = cast.editor_a1.client()

    put = client.put(
        url("prog-a", "a1", "value-impact-roadmap/"),
        bodies()["value-impact-roadmap"],
        format="json",
    )
    listed = client.get("/api/v1/programs/prog-a/clusters/a1/roadmaps/").json()["results"]
    client.delete("/api/v1/programs/prog-a/clusters/a1/roadmaps/gdp_share/")
    after = client.get(url("prog-a", "a1", "value-impact-roadmap/")).json()

    assert put.status_code == 201
    assert [(r["kpi"], r["baseline"], r["third_party_verified"]) for r in listed] == [
        ("gdp_share", {"year": 2021, "value": "0.04"}, True)
    ]
    assert after["roadmaps"] == []


def test_a_roadmap_body_with_problems_names_the_item_and_writes_nothing(cast):
    body = bodies()["value-impact-roadmap"]
    body["roadmaps"].append({**body["roadmaps"][0]})
    body["roadmaps"].append(
        {
            "kpi": "nope",
            "baseline": {"year": 2021, "value": "1"},
            "milestones": [{"year": 2030, "target": "x"}],
        }
    )

    got = cast.admin_a.client().put(
        url("prog-a", "a1", "value-impact-roadmap/"), body, format="json"
    )

    assert got.status_code == 400
    assert [(e["field"], e["code"]) for e in got.json()["errors"]] == [
        ("roadmaps.1.kpi", "duplicate"),
        ("roadmaps.2.kpi", "unknown_kpi"),
        ("roadmaps.2.milestones.0.target", "invalid_number"),
    ]
    listed = cast.admin_a.client().get("/api/v1/programs/prog-a/clusters/a1/roadmaps/").json()
    assert listed["count"] == 0


def test_a_self_assessment_is_kept_per_year(cast):
    client = cast.editor_a1.client()
    first = bodies()["self-assessment"]
    second = {**first, "year": 2022}
    second["levels"] = {**first["levels"], "evolve": {"level": 5, "evidence": "Done."}}
    client.put(url("prog-a", "a1", "self-assessment/"), first, format="json")
    client.put(url("prog-a", "a1", "self-assessment/"), second, format="json")

    y2021 = client.get(url("prog-a", "a1", "self-assessment/?year=2021")).json()
    latest = client.get(url("prog-a", "a1", "self-assessment/")).json()

    assert (y2021["year"], y2021["version"], y2021["levels"]["evolve"]["level"]) == (2021, 1, 3)
    assert (latest["year"], latest["version"], latest["levels"]["evolve"]["level"]) == (2022, 2, 5)
    assert client.get(url("prog-a", "a1", "self-assessment/?year=2019")).status_code == 404


@pytest.mark.parametrize(
    ("kind", "queries"),
    [("business-model-map", 5), ("business-model-canvas", 5), ("value-impact-roadmap", 7)],
)
def test_a_canvas_read_takes_a_fixed_number_of_queries(
    cast, kind, queries, django_assert_num_queries
):
    client = cast.editor_a1.client()
    client.put(url("prog-a", "a1", f"{kind}/"), bodies()[kind], format="json")
    client.get(url("prog-a", "a1", f"{kind}/"))  # token last-used time written once

    with django_assert_num_queries(queries):
        assert client.get(url("prog-a", "a1", f"{kind}/")).status_code == 200


def test_versions_list_the_earlier_ones_newest_first_and_the_diff_reaches_the_current(cast):
    # given three saves of a1's strategy by two people
    editor, admin = cast.editor_a1.client(), cast.admin_a.client()
    for client, ambition in ((editor, "One"), (admin, "Two"), (editor, "Three")):
        body = {**bodies()["strategy"], "ambition": ambition}
        client.put(url("prog-a", "a1", "strategy/"), body, format="json")

    # when the analyst lists the versions and compares the newest earlier one with the current
    versions = cast.analyst_a.client().get(url("prog-a", "a1", "strategy/versions/"))
    diff = cast.analyst_a.client().get(url("prog-a", "a1", "strategy/diff?from=2&to=3"))

    # then versions 2 and 1 are listed (3 is the current canvas), and the diff reaches 3
    assert versions.status_code == 200
    assert versions.json()["count"] == 2
    assert [(v["version"], v["created_by"]) for v in versions.json()["results"]] == [
        (2, "token:admin_a"),
        (1, "token:editor_a1"),
    ]
    assert [sorted(v) for v in versions.json()["results"]] == [
        ["created_at", "created_by", "version", "via"]
    ] * 2
    assert diff.status_code == 200
    assert diff.json()["changes"] == [{"field": "ambition", "from": "Two", "to": "Three"}]
