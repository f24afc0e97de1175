"""The programme's portfolio report: the demo programme's 2021 figures (DOMAIN.md's worked
examples), exact; the European benchmark only where the programme is European."""

from __future__ import annotations

import pytest

from clusters.access import system_access
from reports.selectors.program import program_report_data
from reports.services.render import report_html
from tests.factories import make_program
from tests.report_helpers import load_demo, page, tables, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    return load_demo(django_capture_on_commit_callbacks)


def _html(program, year: int = 2021, language: str = "en") -> str:
    data = program_report_data(access=system_access(program, label="test"), year=year)
    return report_html(kind="program", data=data, language=language)


def test_the_demo_funding_mix_is_1816000_with_716400_public(demo):
    html = _html(demo.program)

    assert (
        text_of(html).count(
            "3 clusters reported approved figures for 2021: 1,816,000.00 EUR of funding, 39.45 % "
            "of it public."
        )
        == 1
    )
    assert tables(html)["Funding by mechanism 2021"] == [
        ["Mechanism", "Amount (EUR)", "Share"],
        ["Public", "716,400.00", "39.45 %"],
        ["Private", "618,000.00", "34.03 %"],
        ["Project", "481,600.00", "26.52 %"],
        ["Total", "1,816,000.00", "100.00 %"],
    ]


def test_monterrey_counts_416000_and_queensland_is_excluded(demo):
    html = _html(demo.program)

    assert tables(html)["Approved figures 2021 (EUR)"][1:] == [
        ["MetaIndustry4", "Emerging", "400,000.00", "25.00 %", "400,000.00", "0.00"],
        ["Monterrey Aerocluster", "Growth", "416,000.00", "40.00 %", "416,000.00", "0.00"],
        ["Ocean Tech Cluster", "Growth", "1,000,000.00", "45.00 %", "1,000,000.00", "0.00"],
    ]
    assert "queensland-robotics: no fx rate for AUD in 2021" in text_of(html)


def test_costs_add_up_across_currencies(demo):
    html = _html(demo.program)

    assert tables(html)["Costs by category 2021"][1:] == [
        ["Staff", "1,066,320.00", "58.72 %"],
        ["Operations", "374,880.00", "20.64 %"],
        ["Projects", "374,800.00", "20.64 %"],
        ["Set-up", "0.00", "0.00 %"],
        ["Total", "1,816,000.00", ""],
    ]
    assert "None: every counted cluster covered its costs." in text_of(html)


def test_the_trend_and_the_european_benchmark(demo):
    html = _html(demo.program)

    assert tables(html)["Funding by year (EUR)"][-2:] == [
        ["2020", "3", "2,340,000.00", "38.46 %", "31.62 %", "29.91 %"],
        ["2021", "3", "1,816,000.00", "39.45 %", "34.03 %", "26.52 %"],
    ]
    assert (
        "European cluster organisations' public share fell to about 45 % in 2016–2017. This "
        "portfolio's public share in 2021 is 39.45 % (\u22125.55 pp against that figure)."
    ) in text_of(html)


def test_who_moves_from_public_to_private(demo):
    html = _html(demo.program)

    rows = [r for r in page_rows(html) if r and r[0] == "Ocean Tech Cluster" and "pp" in r[-1]]

    assert rows == [
        [
            "Ocean Tech Cluster",
            "Moving towards private funding",
            "51.06 % (2020)",
            "45.00 % (2021)",
            "\u22126.06 pp",
        ]
    ]
    assert "One cluster is moving from public towards private funding." in text_of(html)


def page_rows(html: str) -> list[list[str]]:
    from tests.report_helpers import all_rows

    return all_rows(html)


def test_value_impact_asks_whether_outcomes_are_measured(demo):
    html = _html(demo.program)

    assert (
        "Does the portfolio measure outcomes? 1 of 4 reporting clusters (25.00 %) report at "
        "least one outcome KPI"
    ) in text_of(html)
    assert tables(html)["KPIs by kind"][1:] == [
        ["Activity", "3", "2", "2", "50.00 %"],
        ["Output", "7", "2", "4", "100.00 %"],
        ["Outcome", "6", "1", "1", "25.00 %"],
        ["Impact", "2", "0", "0", "0.00 %"],
    ]


def test_the_saved_what_if_is_recomputed(demo):
    html = _html(demo.program)

    assert tables(html)["Before and after (EUR)"][1:] == [
        ["Funding", "1,816,000.00", "1,257,800.00"],
        ["Balance", "0.00", "\u2212558,200.00"],
        ["Clusters in deficit", "0", "3"],
    ]
    assert tables(html)["Could no longer cover their costs"][1:] == [
        ["MetaIndustry4", "350,000.00", "400,000.00", "50,000.00"],
        ["Monterrey Aerocluster", "332,800.00", "416,000.00", "83,200.00"],
        ["Ocean Tech Cluster", "575,000.00", "1,000,000.00", "425,000.00"],
    ]


def test_the_table_of_contents_links_every_section(demo):
    parsed = page(_html(demo.program))

    links = [ref for tag, ref in parsed.refs if tag == "a"]

    assert links == [
        "#funding",
        "#trend",
        "#groups",
        "#reliance",
        "#costs",
        "#impact",
        "#roadmaps",
        "#reporting",
        "#whatif",
        "#clusters",
    ]
    assert {link[1:] for link in links} <= parsed.ids


def test_reporting_completeness_counts_each_state(demo):
    html = _html(demo.program)

    assert tables(html)["Active clusters by the state of their submission"][1:] == [
        ["Approved", "4"],
        ["Submitted", "1"],
        ["Returned for changes", "0"],
        ["Draft", "0"],
        ["Not started", "3"],
        ["Total", "8"],
    ]


def test_a_programme_outside_europe_gets_no_benchmark(db):
    program = make_program("mx-prog", currency="MXN", country="MX")

    html = _html(program)

    assert "European" not in text_of(html)
    assert "0 clusters reported approved figures for 2021: 0.00 MXN of funding" in text_of(html)
    assert "There is no reporting period for 2021." in text_of(html)
