"""The funding-mix selector's edge rows: submissions without lines, and fx rates of the
right programme only (the rate is read in the submissions' query)."""

from __future__ import annotations

from impact.selectors import funding
from impact.selectors.year_data import year_data
from tests.givens import add_submission, fx


def test_a_submission_without_funding_lines_counts_with_a_zero_total(cast):
    # given a1 funded in NOK and a2 approved with no funding lines at all
    fx(cast.prog_a, 2021, "NOK", "0.1")
    add_submission(
        cast.a1,
        2021,
        currency="NOK",
        funding=[("national_cluster_programme", "600.00"), ("membership_fees", "400.00")],
    )
    add_submission(cast.a2, 2021)

    # when the funding mix is computed on demand
    mix = funding.funding_mix(year_data(program=cast.prog_a, year=2021))

    # then both are counted, only a1 has shares, and by_source holds a1's lines only
    assert mix["clusters"] == 2
    assert mix["total"] == "100.00"
    assert mix["by_source"] == [
        {
            "source": "national_cluster_programme",
            "category": "public",
            "amount": "60.00",
            "share": 0.6,
        },
        {"source": "membership_fees", "category": "private", "amount": "40.00", "share": 0.4},
    ]
    assert mix["cluster_public_share"] == {"mean": 0.6, "median": 0.6, "min": 0.6, "max": 0.6}
    assert mix["mean_hhi"] == 0.52
    assert mix["excluded"] == []


def test_another_programmes_fx_rate_is_never_used(cast):
    # given a NOK submission in prog-a, and a NOK rate for 2021 in prog-b only
    fx(cast.prog_b, 2021, "NOK", "0.1")
    add_submission(
        cast.a1,
        2021,
        currency="NOK",
        funding=[("national_cluster_programme", "600.00")],
    )

    # when prog-a's funding mix is computed
    mix = funding.funding_mix(year_data(program=cast.prog_a, year=2021))

    # then a1 is excluded for want of prog-a's own rate
    assert mix["clusters"] == 0
    assert mix["total"] == "0.00"
    assert mix["by_source"] == []
    assert mix["excluded"] == [{"cluster": "a1", "reason": "no fx rate for NOK in 2021"}]
