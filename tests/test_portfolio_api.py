"""Portfolio figures over REST, checked against numbers computed by hand from DOMAIN.md.

Hand computation for 2021 (programme currency EUR; MXN 2021 rate 0.0416; no AUD rate):
- ocean-tech: 400,000 + 50,000 public, 200,000 + 50,000 private, 300,000 project =
  1,000,000; public share 0.45; HHI .16+.0025+.04+.0025+.09 = 0.295.
- monterrey-aerocluster: MXN 10,000,000 x 0.0416 = 416,000; public 4,000,000 x 0.0416 =
  166,400 (share 0.4), private 5,000,000 x 0.0416 = 208,000, project 41,600;
  HHI .16+.0625+.0225+.01+.01 = 0.265.
- metaindustry4: 100,000 public, 160,000 private, 140,000 project = 400,000; public
  share 0.25; HHI .0625+.16+.1225 = 0.345.
- queensland-robotics (AUD): no 2021 rate -> excluded.
Total 1,816,000; public 716,400 (0.394493...), private 618,000, project 481,600.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from impact.models import PortfolioSnapshot
from impact.services.figures import figures_recompute_year as portfolio_recompute_year
from tests.factories import make_program
from tests.givens import add_submission, fx

FM = "/api/v1/programs/prog-a/portfolio/funding-mix"


def _d(x: str) -> Decimal:
    return Decimal(x)


def _share(num: str, den: str) -> float:
    return float((Decimal(num) / Decimal(den)).quantize(Decimal("1e-8")))


def test_funding_mix_2021_matches_the_hand_computation(demo):
    # given the demo submissions in programme A
    # when the analyst asks for the 2021 funding mix
    response = demo.analyst_a.client().get(f"{FM}?year=2021")

    # then every figure is the hand-computed one
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "computed"
    assert body["year"] == 2021
    assert body["currency"] == "EUR"
    assert body["clusters"] == 3
    assert body["total"] == "1816000.00"
    assert body["by_category"] == {
        "public": {"amount": "716400.00", "share": _share("716400", "1816000")},
        "private": {"amount": "618000.00", "share": _share("618000", "1816000")},
        "project": {"amount": "481600.00", "share": _share("481600", "1816000")},
    }
    assert round(body["by_category"]["public"]["share"], 4) == 0.3945
    assert body["by_source"][0] == {
        "source": "membership_fees",
        "category": "private",
        "amount": "464000.00",
        "share": _share("464000", "1816000"),
    }
    assert {r["source"]: r["amount"] for r in body["by_source"]} == {
        "membership_fees": "464000.00",
        "eu_projects": "440000.00",
        "national_cluster_programme": "400000.00",
        "regional_government": "266400.00",
        "events_sponsorship": "62400.00",
        "local_government": "50000.00",
        "member_activities": "50000.00",
        "national_projects": "41600.00",
        "training": "41600.00",
    }
    assert body["cluster_public_share"] == {
        "mean": _share("1.1", "3"),
        "median": 0.4,
        "min": 0.25,
        "max": 0.45,
    }
    assert body["mean_hhi"] == _share("0.905", "3")
    assert body["excluded"] == [
        {"cluster": "queensland-robotics", "reason": "no fx rate for AUD in 2021"}
    ]


def test_an_fx_rate_brings_the_excluded_submission_in(demo):
    # given a 2021 AUD rate of 0.6 (AUD 330,000 -> EUR 198,000)
    fx(demo.prog_a, 2021, "AUD", "0.6")

    body = demo.admin_a.client().get(f"{FM}?year=2021").json()

    assert body["excluded"] == []
    assert body["clusters"] == 4
    assert body["total"] == "2014000.00"


def test_evolution_cluster_over_three_stages(demo):
    # given the evolution-map cluster's 2015, 2020, 2025 submissions
    client = demo.admin_a.client()

    r2015 = client.get(f"{FM}?year=2015&category=build").json()
    r2025 = client.get(f"{FM}?year=2025").json()

    # then 2015: 100k, 60 % national programme + 40 % local government, all public
    assert r2015["total"] == "100000.00"
    assert r2015["by_category"]["public"] == {"amount": "100000.00", "share": 1.0}
    assert r2015["mean_hhi"] == 0.52  # .36 + .16
    # and 2025: 800k, half fees half member projects, all private
    assert r2025["total"] == "800000.00"
    assert r2025["by_category"]["private"] == {"amount": "800000.00", "share": 1.0}
    assert r2025["cluster_public_share"] == {"mean": 0.0, "median": 0.0, "min": 0.0, "max": 0.0}
    assert r2025["mean_hhi"] == 0.5


def test_trend_is_ordered_by_year_and_counts_each_year(demo):
    response = demo.analyst_a.client().get(f"{FM}/trend?from=2019&to=2021")

    assert response.status_code == 200
    body = response.json()
    assert [y["year"] for y in body] == [2019, 2020, 2021]
    # 2019: nothing approved
    assert body[0]["clusters"] == 0
    assert body[0]["total"] == "0.00"
    assert body[0]["by_category"]["public"] == {"amount": "0.00", "share": 0.0}
    assert body[0]["cluster_public_share"] == {
        "mean": None,
        "median": None,
        "min": None,
        "max": None,
    }
    assert body[0]["mean_hhi"] is None
    # 2020: ocean 940k + evolution 300k + avaesen 1,100k = 2,340,000
    assert body[1]["total"] == "2340000.00"
    assert body[1]["clusters"] == 3
    assert body[2]["total"] == "1816000.00"


def test_group_by_stage_gives_one_mix_per_stage(demo):
    body = demo.analyst_a.client().get(f"{FM}?year=2021&group_by=stage").json()

    assert body["group_by"] == "stage"
    assert [g["key"] for g in body["groups"]] == ["emerging", "growth"]
    emerging, growth = body["groups"]
    assert emerging["clusters"] == 1  # metaindustry4
    assert emerging["total"] == "400000.00"
    assert emerging["excluded"] == [
        {"cluster": "queensland-robotics", "reason": "no fx rate for AUD in 2021"}
    ]
    assert growth["clusters"] == 2
    assert growth["total"] == "1416000.00"
    assert growth["excluded"] == []


def test_filters_by_region_case_insensitively(demo):
    body = demo.analyst_a.client().get(f"{FM}?year=2021&region=nuevo%20le%C3%B3n").json()

    assert body["clusters"] == 1
    assert body["total"] == "416000.00"
    assert body["by_category"]["public"]["amount"] == "166400.00"


def test_stored_figures_are_served_with_their_time(demo):
    # given a recompute has stored 2021
    portfolio_recompute_year(program_id=demo.prog_a.pk, year=2021)
    stored = PortfolioSnapshot.objects.for_program(demo.prog_a).get(
        year=2021, kind="funding_mix", params=""
    )

    body = demo.analyst_a.client().get(f"{FM}?year=2021").json()

    assert body["source"] == "stored"
    assert body["as_of"] == stored.computed_at.isoformat().replace("+00:00", "Z")
    assert body["total"] == "1816000.00"


def test_clusters_rows_for_drill_down(demo):
    response = demo.analyst_a.client().get(
        "/api/v1/programs/prog-a/portfolio/clusters?year=2021&ordering=-public_share"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None
    assert [r["cluster"] for r in body["results"]] == [
        "ocean-tech",
        "monterrey-aerocluster",
        "metaindustry4",
    ]
    monterrey = body["results"][1]
    assert monterrey == {
        "cluster": "monterrey-aerocluster",
        "name": "Monterrey Aerocluster",
        "stage": "growth",
        "category": "grow",
        "region": "Nuevo León",
        "sector": "Aerospace",
        "submission_currency": "MXN",
        "total": "416000.00",
        "by_category": {
            "public": {"amount": "166400.00", "share": 0.4},
            "private": {"amount": "208000.00", "share": 0.5},
            "project": {"amount": "41600.00", "share": 0.1},
        },
        "public_share": 0.4,
        "hhi": 0.265,
        # costs MXN 10,000,000 x 0.0416
        "costs_total": "416000.00",
        "balance": "0.00",
    }
    assert body["excluded"] == [
        {"cluster": "queensland-robotics", "reason": "no fx rate for AUD in 2021"}
    ]
    assert body["source"] == "computed"


def test_costs_structure_and_deficits(demo):
    # given 2015 (evolution cluster: funding 100k, costs 25k setup + 80k staff + 20k ops)
    body = demo.analyst_a.client().get("/api/v1/programs/prog-a/portfolio/costs?year=2015").json()

    assert body["total"] == "125000.00"
    assert body["by_category"] == {
        "setup": {"amount": "25000.00", "share": 0.2},
        "staff": {"amount": "80000.00", "share": 0.64},
        "operations": {"amount": "20000.00", "share": 0.16},
        "projects": {"amount": "0.00", "share": 0.0},
    }
    assert body["funding_total"] == "100000.00"
    assert body["balance"] == "-25000.00"
    assert body["deficit_clusters"] == [
        {
            "cluster": "evolution-cluster",
            "name": "Evolution Map Cluster",
            "funding": "100000.00",
            "costs": "125000.00",
            "balance": "-25000.00",
        }
    ]


def test_costs_2021_ocean_tech_shares(demo):
    body = (
        demo.analyst_a.client()
        .get("/api/v1/programs/prog-a/portfolio/costs?year=2021&region=Vestland")
        .json()
    )

    # ocean tech: staff 65 %, operations 10 %, projects 25 % of 1,000,000
    assert body["by_category"]["staff"] == {"amount": "650000.00", "share": 0.65}
    assert body["by_category"]["operations"] == {"amount": "100000.00", "share": 0.1}
    assert body["by_category"]["projects"] == {"amount": "250000.00", "share": 0.25}
    assert body["balance"] == "0.00"
    assert body["deficit_clusters"] == []


def test_public_reliance_lists_clusters_above_threshold_and_trends(cast):
    # given a1 going from 90 % public to 40 % (Health Valley) and a2 stuck at 80 %
    for year, public, private in ((2017, "90", "10"), (2019, "60", "40"), (2021, "40", "60")):
        add_submission(
            cast.a1,
            year,
            funding=[("national_cluster_programme", public), ("membership_fees", private)],
        )
    for year in (2017, 2021):
        add_submission(
            cast.a2,
            year,
            funding=[("regional_government", "80"), ("eu_projects", "20")],
        )

    response = cast.admin_a.client().get(
        "/api/v1/programs/prog-a/portfolio/public-reliance?year=2021&from=2017&to=2021"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["threshold"] == 0.5
    assert body["from"] == 2017 and body["to"] == 2021
    assert body["clusters_counted"] == 2
    assert body["above_threshold"] == [{"cluster": "a2", "name": "Alpha Two", "public_share": 0.8}]
    assert body["trend"] == [
        {
            "cluster": "a1",
            "name": "Alpha One",
            "change": -0.5,
            "direction": "towards_private",
            "points": [
                {"year": 2017, "public_share": 0.9},
                {"year": 2019, "public_share": 0.6},
                {"year": 2021, "public_share": 0.4},
            ],
        },
        {
            "cluster": "a2",
            "name": "Alpha Two",
            "change": 0.0,
            "direction": "stuck",
            "points": [{"year": 2017, "public_share": 0.8}, {"year": 2021, "public_share": 0.8}],
        },
    ]


def test_public_reliance_threshold_parameter(cast):
    add_submission(
        cast.a1,
        2021,
        funding=[("national_cluster_programme", "30"), ("membership_fees", "70")],
    )

    body = (
        cast.admin_a.client()
        .get("/api/v1/programs/prog-a/portfolio/public-reliance?year=2021&threshold=0.25")
        .json()
    )

    assert body["above_threshold"] == [{"cluster": "a1", "name": "Alpha One", "public_share": 0.3}]
    assert body["from"] == 2017
    assert body["trend"][0]["direction"] == "insufficient_data"
    assert body["trend"][0]["change"] is None


def test_only_approved_submissions_count(cast):
    add_submission(cast.a1, 2021, funding=[("membership_fees", "100")])
    add_submission(cast.a2, 2021, funding=[("membership_fees", "900")], state="submitted")

    body = cast.admin_a.client().get(f"{FM}?year=2021").json()

    assert body["clusters"] == 1
    assert body["total"] == "100.00"


def test_a_submission_without_funding_counts_but_not_in_the_cluster_statistics(cast):
    add_submission(cast.a1, 2021, funding=[("membership_fees", "100")])
    add_submission(cast.a2, 2021, funding=[])

    body = cast.admin_a.client().get(f"{FM}?year=2021").json()

    assert body["clusters"] == 2
    assert body["cluster_public_share"] == {"mean": 0.0, "median": 0.0, "min": 0.0, "max": 0.0}
    assert body["mean_hhi"] == 1.0


def test_conversion_is_exact_below_the_cent(cast):
    # given NOK amounts whose conversion has more than 2 decimals: 0.333 x 3 lines
    program = make_program("prog-c", currency="EUR")
    from tests.factories import ClusterFactory

    clusters = [ClusterFactory.create(program=program, slug=f"c{i}") for i in range(3)]
    fx(program, 2021, "NOK", "0.0855555555")
    for c in clusters:
        add_submission(c, 2021, currency="NOK", funding=[("membership_fees", "100.01")])
    from impact.selectors.funding import funding_mix_totals
    from impact.selectors.year_data import year_data

    totals = funding_mix_totals(year_data(program=program, year=2021))

    # then the sum is exact: 3 x 100.01 x 0.0855555555 (rounded only on output)
    assert totals.total == _d("3") * _d("100.01") * _d("0.0855555555")
    assert totals.total == _d("25.669233316665")


# --- errors ------------------------------------------------------------------------------


def _problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize(
    "path",
    ["funding-mix", "funding-mix/trend?from=2020&to=2021", "clusters", "costs", "public-reliance"],
)
def test_editor_gets_403(cast, path):
    sep = "&" if "?" in path else "?"
    response = cast.editor_a1.client().get(
        f"/api/v1/programs/prog-a/portfolio/{path}{sep}year=2021"
    )

    assert response.status_code == 403
    assert _problem(response) == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "code": "permission_denied",
        "detail": "Portfolio figures are for the program_admin and program_analyst roles.",
    }


def test_other_programme_gets_404(cast):
    response = cast.admin_b.client().get(f"{FM}?year=2021")

    assert response.status_code == 404
    assert _problem(response) == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "code": "not_found",
        "detail": "No programme 'prog-a'.",
    }


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("", "required", "'year' is required, e.g. year=2021."),
        ("year=abc", "invalid", "'abc' is not a year, e.g. 2021."),
        ("year=1800", "out_of_range", "1800 is not a year between 1900 and 2200."),
        ("year=2999", "out_of_range", "2999 is not a year between 1900 and 2200."),
    ],
)
def test_missing_or_invalid_year_is_400_on_year(cast, query, code, message):
    response = cast.analyst_a.client().get(f"{FM}?{query}")

    assert response.status_code == 400
    body = _problem(response)
    assert body["errors"] == [{"field": "year", "code": code, "message": message}]
    assert body["status"] == 400
    assert body["detail"] == f"The request has 1 problem: year: {message}"


def test_invalid_group_by_and_stage(cast):
    response = cast.analyst_a.client().get(f"{FM}?year=2021&group_by=colour&stage=giant")

    assert response.status_code == 400
    assert sorted(_problem(response)["errors"], key=lambda e: e["field"]) == [
        {
            "field": "group_by",
            "code": "invalid_choice",
            "message": "'colour' is not one of stage, category, region, sector.",
        },
        {
            "field": "stage",
            "code": "invalid_choice",
            "message": "'giant' is not one of baby, emerging, growth, supercluster.",
        },
    ]


def test_trend_range_errors(cast):
    client = cast.analyst_a.client()

    missing = client.get(f"{FM}/trend?from=2020")
    backwards = client.get(f"{FM}/trend?from=2021&to=2020")
    too_long = client.get(f"{FM}/trend?from=1950&to=2021")

    assert missing.status_code == 400
    assert _problem(missing)["errors"] == [
        {"field": "to", "code": "required", "message": "'to' is required, e.g. to=2021."}
    ]
    assert _problem(backwards)["errors"] == [
        {"field": "to", "code": "invalid_range", "message": "'to' (2020) is before 'from' (2021)."}
    ]
    assert _problem(too_long)["errors"] == [
        {"field": "to", "code": "range_too_long", "message": "A range spans at most 50 years."}
    ]


def test_threshold_out_of_range(cast):
    response = cast.analyst_a.client().get(
        "/api/v1/programs/prog-a/portfolio/public-reliance?year=2021&threshold=1.5"
    )

    assert response.status_code == 400
    assert _problem(response)["errors"] == [
        {
            "field": "threshold",
            "code": "too_large",
            "message": "1.5 is larger than the maximum of 1.",
        }
    ]


def test_clusters_invalid_ordering(cast):
    response = cast.analyst_a.client().get(
        "/api/v1/programs/prog-a/portfolio/clusters?year=2021&ordering=colour"
    )

    assert response.status_code == 400
    assert _problem(response)["errors"] == [
        {
            "field": "ordering",
            "code": "invalid_choice",
            "message": "'colour' is not one of cluster, -cluster, total, -total, public_share, "
            "-public_share, hhi, -hhi, balance, -balance.",
        }
    ]
