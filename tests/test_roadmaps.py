"""Value-impact roadmaps: interpolation, the REST resource, progress, GraphQL.

DOMAIN.md's examples: ocean autonomy revenue EUR 10M (2021), 350M (2030), 40BN (2040),
500BN (2050); global market share 5 %, 12 %, 14 %, 22 %; 4 %, 6 %, 9 %, 12 % of GDP in
2021, 2030, 2040, 2050. Hand-computed targets:
- linear revenue 2025 = 10M + 4/9 x 340M = 161,111,111.111111
- compound revenue 2025 = 10M x 35^(4/9) = 48,557,069.018420 (35^(4/9) = 4.8557069018...)
- linear market share 2035 = 12 + 5/10 x (14 - 12) = 13
- compound GDP share 2045 = 9 x (12/9)^(1/2) = 10.392305
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from impact.interpolation import interpolated_target
from impact.models import Roadmap
from tests.factories import ClusterFactory
from tests.givens import NOT_FOUND, add_submission, problem
from tests.graphql_client import gql

REVENUE = [
    (2030, Decimal("350000000")),
    (2040, Decimal("40000000000")),
    (2050, Decimal("500000000000")),
]
SHARE = [(2030, Decimal("12")), (2040, Decimal("14")), (2050, Decimal("22"))]
GDP = [(2030, Decimal("6")), (2040, Decimal("9")), (2050, Decimal("12"))]


def target(milestones, year, *, base=(2021, Decimal("10000000")), how="linear"):
    return interpolated_target(
        baseline_year=base[0],
        baseline_value=base[1],
        milestones=milestones,
        interpolation=how,
        year=year,
    )


# --- interpolation ------------------------------------------------------------------------


def test_linear_revenue_2025():
    assert round(target(REVENUE, 2025), 6) == Decimal("161111111.111111")


def test_compound_revenue_2025():
    assert round(target(REVENUE, 2025, how="compound"), 6) == Decimal("48557069.018420")


def test_linear_market_share_2035_and_compound_gdp_2045():
    assert target(SHARE, 2035, base=(2021, Decimal("5"))) == Decimal("13")
    assert round(target(GDP, 2045, base=(2021, Decimal("4")), how="compound"), 6) == Decimal(
        "10.392305"
    )


def test_before_the_baseline_there_is_no_target_and_after_the_last_milestone_it_holds():
    assert target(REVENUE, 2020) is None
    assert target(REVENUE, 2021) == Decimal("10000000")
    assert target(REVENUE, 2060) == Decimal("500000000000")
    assert target(REVENUE, 2060, how="compound") == Decimal("500000000000")


positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2)
years = st.lists(st.integers(min_value=2001, max_value=2100), min_size=1, max_size=5, unique=True)


@given(
    baseline=positive,
    milestone_years=years,
    values=st.lists(positive, min_size=5, max_size=5),
    how=st.sampled_from(["linear", "compound"]),
)
def test_property_the_curve_passes_through_every_milestone(baseline, milestone_years, values, how):
    milestones = list(zip(sorted(milestone_years), values, strict=False))

    for year, value in milestones:
        assert target(milestones, year, base=(2000, baseline), how=how) == value
    assert target(milestones, 2000, base=(2000, baseline), how=how) == baseline


@given(
    baseline=positive,
    steps=st.lists(positive, min_size=1, max_size=4),
    gaps=st.lists(st.integers(min_value=1, max_value=15), min_size=4, max_size=4),
    how=st.sampled_from(["linear", "compound"]),
)
def test_property_monotone_between_increasing_milestones(baseline, steps, gaps, how):
    # increasing targets: each milestone adds a positive step to the previous one
    milestones, year, value = [], 2000, baseline
    for step, gap in zip(steps, gaps, strict=False):
        year, value = year + gap, value + step
        milestones.append((year, value))
    assume(milestones)

    curve = [target(milestones, y, base=(2000, baseline), how=how) for y in range(2000, year + 1)]

    assert all(a <= b for a, b in zip(curve, curve[1:], strict=False))


# --- the REST resource --------------------------------------------------------------------

LIST = "/api/v1/programs/{}/clusters/{}/roadmaps/"
DETAIL = LIST + "{}/"
OCEAN_REVENUE = {
    "kpi": "member_revenue",
    "statement": "Make Norway the global leader in ocean autonomy.",
    "baseline": {"year": 2021, "value": "10000000"},
    "milestones": [
        {"year": 2030, "target": "350000000"},
        {"year": 2050, "target": "500000000000"},
        {"year": 2040, "target": "40000000000"},
    ],
    "interpolation": "compound",
    "data_source": "Statistics Norway",
    "third_party_verified": True,
}


def without_times(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in ("created_at", "updated_at")}


def test_admin_creates_a_roadmap_with_sorted_milestones(cast):
    response = cast.admin_a.client().post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")

    assert response.status_code == 201, response.content
    assert without_times(response.json()) == {
        "kpi": "member_revenue",
        "cluster": "a1",
        "statement": "Make Norway the global leader in ocean autonomy.",
        "baseline": {"year": 2021, "value": "10000000"},
        "milestones": [
            {"year": 2030, "target": "350000000"},
            {"year": 2040, "target": "40000000000"},
            {"year": 2050, "target": "500000000000"},
        ],
        "interpolation": "compound",
        "data_source": "Statistics Norway",
        "third_party_verified": True,
    }
    listed = cast.analyst_a.client().get(LIST.format("prog-a", "a1")).json()
    assert listed["count"] == 1
    assert without_times(listed["results"][0]) == without_times(response.json())


def test_the_cluster_editor_writes_its_own_roadmaps(cast):
    client = cast.editor_a1.client()

    created = client.post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")
    elsewhere = client.post(LIST.format("prog-a", "a2"), OCEAN_REVENUE, format="json")

    assert created.status_code == 201
    assert elsewhere.status_code == 404
    assert elsewhere.json()["status"] == 404


def test_an_analyst_reads_but_may_not_write(cast):
    response = cast.analyst_a.client().post(
        LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "Roadmaps are written by the program_admin or the cluster's editor.",
        "code": "permission_denied",
    }


def test_another_programme_cannot_write_or_read(cast):
    client = cast.admin_b.client()

    write = client.post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")
    read = client.get(LIST.format("prog-a", "a1"))

    invisible = problem(404, "No programme 'prog-a'.", "not_found")
    assert (write.status_code, write.json()) == (404, invisible)
    assert (read.status_code, read.json()) == (404, invisible)
    assert not Roadmap.objects.for_program(cast.prog_a).exists()


def test_every_validation_problem_is_listed(cast):
    body = {
        "kpi": "unicorns",
        "baseline": {"year": 2021, "value": 10.5},
        "milestones": [
            {"year": 2020, "target": "5"},
            {"year": 2030, "target": "abc"},
            {"year": 2030, "target": "7"},
            {"year": "twenty forty", "target": "8"},
        ],
        "interpolation": "cubic",
        "colour": "blue",
    }

    response = cast.admin_a.client().post(LIST.format("prog-a", "a1"), body, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "field": "colour",
            "code": "unknown_field",
            "message": "'colour' is not a field of a roadmap.",
        },
        {
            "field": "kpi",
            "code": "unknown_kpi",
            "message": "Unknown KPI 'unicorns'; define it in /kpis/ first.",
        },
        {
            "field": "interpolation",
            "code": "invalid_choice",
            "message": "'cubic' is not one of linear, compound.",
        },
        {
            "field": "baseline.value",
            "code": "invalid_number",
            "message": 'Send the number as a decimal string, e.g. "1250.00".',
        },
        {
            "field": "milestones.0.year",
            "code": "not_after_baseline",
            "message": "Milestone year 2020 is not after the baseline year 2021.",
        },
        {
            "field": "milestones.1.target",
            "code": "invalid_number",
            "message": "'abc' is not a decimal number.",
        },
        {
            "field": "milestones.2.year",
            "code": "duplicate_year",
            "message": "Year 2030 appears twice (milestones 1 and 2).",
        },
        {
            "field": "milestones.3.year",
            "code": "invalid",
            "message": "'twenty forty' is not a year, e.g. 2021.",
        },
    ]


def test_compound_needs_positive_values(cast):
    body = {
        **OCEAN_REVENUE,
        "baseline": {"year": 2021, "value": "0"},
        "milestones": [{"year": 2030, "target": "-1"}],
    }

    response = cast.admin_a.client().post(LIST.format("prog-a", "a1"), body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "baseline.value",
            "code": "not_positive",
            "message": "Compound interpolation needs a baseline value above 0.",
        },
        {
            "field": "milestones.0.target",
            "code": "not_positive",
            "message": "Compound interpolation needs targets above 0.",
        },
    ]


def test_missing_baseline_and_milestones(cast):
    response = cast.admin_a.client().post(
        LIST.format("prog-a", "a1"), {"kpi": "exports"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "baseline",
            "code": "required",
            "message": 'The baseline {"year", "value"} is required.',
        },
        {
            "field": "milestones",
            "code": "required",
            "message": 'At least one milestone {"year", "target"} is required.',
        },
    ]


def test_a_second_roadmap_for_the_same_kpi_is_400(cast):
    client = cast.admin_a.client()
    client.post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")

    response = client.post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "kpi",
            "code": "unique",
            "message": "a1 already has a roadmap for 'member_revenue'; PUT to change it.",
        }
    ]


def test_a_kpi_of_another_programme_is_unknown(cast):
    from clusters.models import KpiDefinition

    KpiDefinition.objects.create(
        program=cast.prog_b, code="fish_landed", name="Fish", unit="t", kind="impact"
    )

    response = cast.admin_a.client().post(
        LIST.format("prog-a", "a1"), {**OCEAN_REVENUE, "kpi": "fish_landed"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_kpi"


def test_put_replaces_the_milestones_and_keeps_the_kpi(cast):
    client = cast.admin_a.client()
    client.post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")

    response = client.put(
        DETAIL.format("prog-a", "a1", "member_revenue"),
        {
            "baseline": {"year": 2022, "value": "12000000"},
            "milestones": [{"year": 2030, "target": "300000000"}],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert without_times(response.json()) == {
        "kpi": "member_revenue",
        "cluster": "a1",
        "statement": "",
        "baseline": {"year": 2022, "value": "12000000"},
        "milestones": [{"year": 2030, "target": "300000000"}],
        "interpolation": "linear",
        "data_source": "",
        "third_party_verified": False,
    }


def test_put_may_not_change_the_kpi(cast):
    client = cast.admin_a.client()
    client.post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")

    response = client.put(
        DETAIL.format("prog-a", "a1", "member_revenue"),
        {**OCEAN_REVENUE, "kpi": "exports"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "kpi",
            "code": "immutable",
            "message": "The KPI of a roadmap cannot change (it is 'member_revenue').",
        }
    ]


def test_delete_then_the_roadmap_is_gone(cast):
    client = cast.admin_a.client()
    client.post(LIST.format("prog-a", "a1"), OCEAN_REVENUE, format="json")

    deleted = client.delete(DETAIL.format("prog-a", "a1", "member_revenue"))
    again = client.get(DETAIL.format("prog-a", "a1", "member_revenue"))

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert again.status_code == 404
    assert again.json() == NOT_FOUND
    assert not Roadmap.objects.for_program(cast.prog_a).exists()


# --- progress -----------------------------------------------------------------------------

PROGRESS = "/api/v1/programs/{}/portfolio/roadmap-progress"


def _roadmap(cast, cluster: str, body: dict) -> None:
    response = cast.admin_a.client().post(LIST.format("prog-a", cluster), body, format="json")
    assert response.status_code == 201, response.content


@pytest.fixture
def progress(cast):
    """a1: members 150 (2020) -> 300 (2030), linear: 2021 target 165, actual 165 (on track).
    a1: global market share 5 (2021) -> 12 (2030), no 2021... a 2022 actual only (no actual in 2021).
    a2: members 50 (2020) -> 100 (2024), linear: 2021 target 62.5, actual 60 (behind, 0.96).
    a2: gdp_share 4 (2021) -> 6 (2030): baseline year, target 4, actual 4.2 (on track).
    """
    _roadmap(
        cast,
        "a1",
        {
            "kpi": "members_total",
            "baseline": {"year": 2020, "value": "150"},
            "milestones": [{"year": 2030, "target": "300"}],
        },
    )
    _roadmap(
        cast,
        "a1",
        {
            "kpi": "global_market_share",
            "baseline": {"year": 2021, "value": "5"},
            "milestones": [{"year": 2030, "target": "12"}],
            "interpolation": "compound",
        },
    )
    _roadmap(
        cast,
        "a2",
        {
            "kpi": "members_total",
            "baseline": {"year": 2020, "value": "50"},
            "milestones": [{"year": 2024, "target": "100"}],
        },
    )
    _roadmap(
        cast,
        "a2",
        {
            "kpi": "gdp_share",
            "baseline": {"year": 2021, "value": "4"},
            "milestones": [{"year": 2030, "target": "6"}],
        },
    )
    add_submission(cast.a1, 2021, kpis=[("members_total", "165")])
    add_submission(cast.a2, 2021, kpis=[("members_total", "60"), ("gdp_share", "4.2")])
    add_submission(cast.a1, 2022, kpis=[("global_market_share", "6")])
    return cast


def test_progress_against_interpolated_targets(progress):
    response = progress.analyst_a.client().get(PROGRESS.format("prog-a"), {"year": 2021})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["items"] == [
        {
            "cluster": "a1",
            "cluster_name": "Alpha One",
            "kpi": "global_market_share",
            "interpolation": "compound",
            "direction": "increase",
            "baseline_year": 2021,
            "baseline_value": "5",
            "target": "5",
            "actual": None,
            "ratio": None,
            "on_track": None,
            "status": "no_actual",
        },
        {
            "cluster": "a1",
            "cluster_name": "Alpha One",
            "kpi": "members_total",
            "interpolation": "linear",
            "direction": "increase",
            "baseline_year": 2020,
            "baseline_value": "150",
            "target": "165",
            "actual": "165",
            "ratio": 1.0,
            "on_track": True,
            "status": "on_track",
        },
        {
            "cluster": "a2",
            "cluster_name": "Alpha Two",
            "kpi": "gdp_share",
            "interpolation": "linear",
            "direction": "increase",
            "baseline_year": 2021,
            "baseline_value": "4",
            "target": "4",
            "actual": "4.2",
            "ratio": 1.05,
            "on_track": True,
            "status": "on_track",
        },
        {
            "cluster": "a2",
            "cluster_name": "Alpha Two",
            "kpi": "members_total",
            "interpolation": "linear",
            "direction": "increase",
            "baseline_year": 2020,
            "baseline_value": "50",
            "target": "62.5",
            "actual": "60",
            "ratio": 0.96,
            "on_track": False,
            "status": "behind",
        },
    ]
    assert body["year"] == 2021
    assert body["clusters_with_roadmaps"] == 2
    assert body["clusters_assessed"] == 2
    assert body["clusters_on_track"] == 1
    assert body["share_on_track"] == 0.5
    assert body["by_kpi"] == [
        {"kpi": "gdp_share", "roadmaps": 1, "assessed": 1, "on_track": 1, "share_on_track": 1.0},
        {
            "kpi": "global_market_share",
            "roadmaps": 1,
            "assessed": 0,
            "on_track": 0,
            "share_on_track": None,
        },
        {
            "kpi": "members_total",
            "roadmaps": 2,
            "assessed": 2,
            "on_track": 1,
            "share_on_track": 0.5,
        },
    ]


def test_before_the_baseline_a_roadmap_is_not_applicable(progress):
    body = progress.admin_a.client().get(PROGRESS.format("prog-a"), {"year": 2019}).json()

    assert {i["status"] for i in body["items"]} == {"before_baseline"}
    assert body["share_on_track"] is None
    assert body["clusters_assessed"] == 0


def test_a_decreasing_roadmap_is_on_track_at_or_below_its_target(cast):
    _roadmap(
        cast,
        "a1",
        {
            "kpi": "staff_fte",
            "baseline": {"year": 2020, "value": "10"},
            "milestones": [{"year": 2030, "target": "0"}],
        },
    )
    add_submission(cast.a1, 2025, kpis=[("staff_fte", "5")])

    item = cast.admin_a.client().get(PROGRESS.format("prog-a"), {"year": 2025}).json()["items"][0]

    assert (item["direction"], item["target"], item["on_track"]) == ("decrease", "5", True)


def test_progress_is_for_admin_and_analyst_only(progress):
    response = progress.editor_a1.client().get(PROGRESS.format("prog-a"), {"year": 2021})

    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Portfolio figures are for the program_admin and program_analyst roles."
    )


def test_progress_year_is_required(progress):
    response = progress.admin_a.client().get(PROGRESS.format("prog-a"))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "year", "code": "required", "message": "'year' is required, e.g. year=2021."}
    ]


@pytest.mark.parametrize("n", [2, 20])
def test_progress_query_count_is_fixed(cast, n, django_assert_num_queries):
    from clusters.models import KpiDefinition
    from impact.models import Milestone, Roadmap

    kpi = KpiDefinition.objects.for_program(cast.prog_a).get(code="members_total")
    for i in range(n):
        cluster = ClusterFactory.create(program=cast.prog_a, slug=f"c{i:02d}")
        roadmap = Roadmap.objects.create(
            program=cast.prog_a,
            cluster=cluster,
            kpi=kpi,
            baseline_year=2020,
            baseline_value=Decimal("10"),
        )
        Milestone.objects.create(
            program=cast.prog_a, roadmap=roadmap, year=2030, target=Decimal("20")
        )
        add_submission(cluster, 2021, kpis=[("members_total", "11")])
    client = cast.admin_a.client()

    # token and programme, then roadmaps, milestones and the year's actuals
    with django_assert_num_queries(PROGRESS_QUERIES):
        body = client.get(PROGRESS.format("prog-a"), {"year": 2021}).json()

    assert body["clusters_on_track"] == n


PROGRESS_QUERIES = 6


# --- GraphQL ------------------------------------------------------------------------------

ITEM = "cluster clusterName kpi interpolation direction baselineYear baselineValue target actual ratio onTrack status"


def test_graphql_progress_agrees_with_rest(progress):
    rest = progress.admin_a.client().get(PROGRESS.format("prog-a"), {"year": 2021}).json()

    result = gql(
        progress.admin_a,
        f"""{{ program(slug: "prog-a") {{ roadmapProgress(year: 2021) {{
        year clustersWithRoadmaps clustersAssessed clustersOnTrack shareOnTrack
        byKpi {{ kpi roadmaps assessed onTrack shareOnTrack }} items {{ {ITEM} }} }} }} }}""",
    )

    assert result["errors"] is None
    data = result["data"]["program"]["roadmapProgress"]
    assert data["shareOnTrack"] == rest["share_on_track"] == 0.5
    assert data["clustersAssessed"] == rest["clusters_assessed"]
    assert [
        (i["cluster"], i["kpi"], i["target"], i["actual"], i["ratio"], i["onTrack"], i["status"])
        for i in data["items"]
    ] == [
        (i["cluster"], i["kpi"], i["target"], i["actual"], i["ratio"], i["on_track"], i["status"])
        for i in rest["items"]
    ]
    assert [(k["kpi"], k["assessed"], k["onTrack"]) for k in data["byKpi"]] == [
        (k["kpi"], k["assessed"], k["on_track"]) for k in rest["by_kpi"]
    ]


def test_graphql_roadmaps_agree_with_rest_and_stay_in_scope(progress):
    rest = progress.admin_a.client().get(LIST.format("prog-a", "a1")).json()["results"]
    query = """{ program(slug: "prog-a") { roadmaps { cluster kpi baselineYear baselineValue
        interpolation milestones { year target } }
        clusters { slug roadmaps { kpi milestones { year target } } } } }"""

    as_admin = gql(progress.admin_a, query)
    as_editor = gql(progress.editor_a1, query)

    assert as_admin["errors"] is None
    a1 = [r for r in as_admin["data"]["program"]["roadmaps"] if r["cluster"] == "a1"]
    assert a1 == [
        {
            "cluster": "a1",
            "kpi": r["kpi"],
            "baselineYear": r["baseline"]["year"],
            "baselineValue": r["baseline"]["value"],
            "interpolation": r["interpolation"],
            "milestones": r["milestones"],
        }
        for r in rest
    ]
    assert len(as_admin["data"]["program"]["roadmaps"]) == 4
    # the editor of a1 sees a1's roadmaps only, top-level and nested
    assert {r["cluster"] for r in as_editor["data"]["program"]["roadmaps"]} == {"a1"}
    assert [c["slug"] for c in as_editor["data"]["program"]["clusters"]] == ["a1"]
    assert [r["kpi"] for r in as_editor["data"]["program"]["clusters"][0]["roadmaps"]] == [
        "global_market_share",
        "members_total",
    ]


def test_graphql_put_roadmap_mutation_validates_like_rest(cast):
    mutation = """mutation($data: RoadmapInput!) { putRoadmap(program: "prog-a", cluster: "a1",
        kpi: "gdp_share", data: $data) { kpi cluster baselineValue milestones { year target } } }"""
    good = {
        "baseline": {"year": 2021, "value": "4"},
        "milestones": [
            {"year": 2030, "target": "6"},
            {"year": 2040, "target": "9"},
            {"year": 2050, "target": "12"},
        ],
    }
    bad = {"baseline": {"year": 2021, "value": "4"}, "milestones": [{"year": 2021, "target": "6"}]}

    created = gql(cast.editor_a1, mutation, {"data": good})
    rejected = gql(cast.admin_a, mutation, {"data": bad})
    forbidden = gql(cast.analyst_a, mutation, {"data": good})

    assert created["errors"] is None
    assert created["data"]["putRoadmap"] == {
        "kpi": "gdp_share",
        "cluster": "a1",
        "baselineValue": "4",
        "milestones": [
            {"year": 2030, "target": "6"},
            {"year": 2040, "target": "9"},
            {"year": 2050, "target": "12"},
        ],
    }
    assert rejected["errors"][0]["extensions"]["errors"] == [
        {
            "field": "milestones.0.year",
            "code": "not_after_baseline",
            "message": "Milestone year 2021 is not after the baseline year 2021.",
        }
    ]
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_graphql_other_programme_sees_no_roadmaps(progress):
    result = gql(progress.admin_b, '{ program(slug: "prog-a") { roadmaps { kpi } } }')

    assert result["data"] == {"program": None}
