"""The cluster's annual report: the demo clusters' figures of DOMAIN.md's worked examples,
exact, in the programme currency with the conversions shown."""

from __future__ import annotations

import pytest

from clusters.access import system_access
from reports.selectors.cluster import cluster_report_data
from reports.services.render import report_html
from tests.report_helpers import load_demo, tables, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    return load_demo(django_capture_on_commit_callbacks)


def _html(demo, slug: str, year: int = 2021, language: str = "en") -> str:
    access = system_access(demo.program, label="test")
    data = cluster_report_data(access=access, cluster=demo.cluster(slug), year=year)
    return report_html(kind="cluster", data=data, language=language)


def test_ocean_tech_2021_is_financed_45_25_30(demo):
    html = _html(demo, "ocean-tech")

    assert (
        "In 2021 Ocean Tech Cluster was financed with 1,000,000.00 EUR: 45.00 % public, "
        "25.00 % private and 30.00 % project funding."
    ) in text_of(html)
    assert tables(html)["Funding by mechanism"] == [
        ["Mechanism", "Amount (EUR)", "Share"],
        ["Public", "450,000.00", "45.00 %"],
        ["Private", "250,000.00", "25.00 %"],
        ["Project", "300,000.00", "30.00 %"],
        ["Total", "1,000,000.00", "100.00 %"],
    ]


def test_ocean_tech_2021_by_source_is_40_5_20_5_30(demo):
    html = _html(demo, "ocean-tech")

    assert tables(html)["Funding by source"] == [
        ["Source", "Mechanism", "Reported (EUR)", "Share"],
        ["National cluster programme", "Public", "400,000.00", "40.00 %"],
        ["EU project funding (Horizon Europe, Interreg, ...)", "Project", "300,000.00", "30.00 %"],
        ["Membership fees", "Private", "200,000.00", "20.00 %"],
        ["Local government / municipality", "Public", "50,000.00", "5.00 %"],
        ["Programmes and member activities", "Private", "50,000.00", "5.00 %"],
    ]


def test_ocean_tech_2021_against_2020(demo):
    html = _html(demo, "ocean-tech")

    assert tables(html)["2020 against 2021 (EUR)"][1:] == [
        ["Public", "480,000.00", "450,000.00", "\u221230,000.00", "\u22126.25 %"],
        ["Private", "210,000.00", "250,000.00", "+40,000.00", "+19.05 %"],
        ["Project", "250,000.00", "300,000.00", "+50,000.00", "+20.00 %"],
        ["Total", "940,000.00", "1,000,000.00", "+60,000.00", "+6.38 %"],
    ]
    assert "The public share went from 51.06 % to 45.00 % (\u22126.06 pp)." in text_of(html)
    assert tables(html)["Approved years (EUR)"][1:] == [
        ["2020", "940,000.00", "480,000.00", "210,000.00", "250,000.00", "51.06 %"],
        ["2021", "1,000,000.00", "450,000.00", "250,000.00", "300,000.00", "45.00 %"],
    ]


def test_ocean_tech_2021_costs_are_65_10_25_and_balance_funding(demo):
    html = _html(demo, "ocean-tech")

    assert tables(html)["Costs by category"] == [
        ["Category", "Amount (EUR)", "Share"],
        ["Staff", "650,000.00", "65.00 %"],
        ["Projects", "250,000.00", "25.00 %"],
        ["Operations", "100,000.00", "10.00 %"],
        ["Total", "1,000,000.00", "100.00 %"],
    ]
    assert tables(html)["Funding against costs"] == [
        ["Funding", "1,000,000.00"],
        ["Costs", "1,000,000.00"],
        ["Balance", "0.00"],
    ]
    assert "Funding covered the costs exactly." in text_of(html)


def test_ocean_tech_kpis_against_last_year_and_the_roadmap(demo):
    html = _html(demo, "ocean-tech")

    assert tables(html)["Against the year before"][1:] == [
        ["Cluster staff", "Activity", "FTE", "3", "3", "0", "0.00 %"],
        [
            "Members: capital (angels, VCs, investors)",
            "Output",
            "members",
            "7",
            "9",
            "+2",
            "+28.57 %",
        ],
        ["Members (all helices)", "Output", "members", "150", "165", "+15", "+10.00 %"],
    ]
    assert tables(html)["Interpolated targets for 2021"][1:] == [
        ["Global market share", "0.05 (2021)", "0.05", "—", "Not reported"],
        ["Member revenue", "10,000,000 (2021)", "10,000,000", "—", "Not reported"],
    ]


def test_a_later_year_shows_the_interpolated_target(demo):
    """DOMAIN.md's roadmap: EUR 10M (2021) to 350M (2030), compound; 2025 is 48,557,069.02."""
    html = _html(demo, "ocean-tech", year=2025)

    rows = tables(html)["Interpolated targets for 2025"][1:]

    assert rows == [
        ["Global market share", "0.05 (2021)", "0.081111", "—", "Not reported"],
        ["Member revenue", "10,000,000 (2021)", "48,557,069.01842", "—", "Not reported"],
    ]


def test_the_canvases_are_drawn_with_their_notes(demo):
    html = _html(demo, "ocean-tech")
    text = text_of(html)

    # financing, public-share trend, costs, two roadmaps, the map, the evolution, the canvas
    assert html.count('<svg role="img"') == 8
    assert ">Too transactional</text>" in html  # a note of the 14-block canvas
    assert tables(html)["Planned against actual (EUR)"][1:] == [
        [
            "2015: Year 1: a government-funded start",
            "100,000.00",
            "125,000.00",
            "High",
            "no approved submission for 2015",
            "—",
        ],
        [
            "2020: Years 3-5: members start paying",
            "300,000.00",
            "350,000.00",
            "Medium",
            "940,000.00",
            "+640,000.00",
        ],
        [
            "2025: Years 5-10: self-sustaining",
            "800,000.00",
            "850,000.00",
            "Low",
            "no approved submission for 2025",
            "—",
        ],
    ]
    assert "Cluster Business Model Canvas" in text


def test_completeness_lists_what_is_missing(demo):
    html = _html(demo, "ocean-tech")

    assert "2 things are missing or need a look:" in text_of(html)
    assert (
        "No approved value of “Global market share” in 2021 to compare with its roadmap."
        in text_of(html)
    )
    assert "No approved value of “Member revenue” in 2021 to compare with its roadmap." in text_of(
        html
    )


def test_monterrey_shows_its_conversion_from_mxn(demo):
    html = _html(demo, "monterrey-aerocluster")

    assert (
        "The submission is in MXN. Every amount is converted with the programme's fx rate for "
        "2021: 1 MXN = 0.0416 EUR, so 10,000,000.00 MXN are 416,000.00 EUR."
    ) in text_of(html)
    assert tables(html)["Funding by source"][:2] == [
        ["Source", "Mechanism", "Reported (MXN)", "Converted (EUR)", "Share"],
        [
            "Regional / state government (restricted)",
            "Public",
            "4,000,000.00",
            "166,400.00",
            "40.00 %",
        ],
    ]
    assert tables(html)["Funding by mechanism"][-1] == ["Total", "416,000.00", "100.00 %"]


def test_queensland_without_a_rate_says_so_and_shows_its_own_currency(demo):
    html = _html(demo, "queensland-robotics")
    text = text_of(html)

    assert (
        "The 2021 submission is in AUD and the programme has no fx rate for AUD in 2021: its "
        "amounts cannot be converted into EUR."
    ) in text
    assert tables(html)["Funding by source"][1] == [
        "Regional / state government",
        "Public",
        "150,000.00",
        "45.45 %",
    ]
    assert "There is no fx rate for AUD in 2021: the amounts cannot be converted into EUR." in text


def test_a_submitted_year_is_not_counted_and_says_why(demo):
    html = _html(demo, "health-valley")
    text = text_of(html)

    assert "There is no approved submission for 2021." in text
    assert (
        "The 2021 submission is Submitted, not approved: its figures are not in this report."
    ) in text
