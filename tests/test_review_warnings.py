"""Warnings before submitting: each default rule with exact figures, currencies, blocking
rules refusing submit, the period status, the rules' API and pinned query counts."""

from __future__ import annotations

import pytest

from clusters.models import FxRate, Submission, WarningRule
from tests.givens import sub_url
from tests.graphql_client import gql
from tests.review_helpers import doc, write

pytestmark = pytest.mark.django_db

FUNDING_2020 = {"national_cluster_programme": "300000.00", "membership_fees": "500000.00"}


def _warnings(cast, year=2021, cluster="a1"):
    response = cast.admin_a.client().get(sub_url(cluster=cluster, year=year))
    assert response.status_code == 200
    return response.json()["warnings"]


def _rule(cast, rule, **changes):
    WarningRule.objects.for_program(cast.prog_a).filter(rule=rule).update(**changes)


# --- the default set --------------------------------------------------------------------


def test_a_new_programme_gets_the_default_rules(cast):
    response = cast.analyst_a.client().get("/api/v1/programs/prog-a/warning-rules/")

    assert response.status_code == 200
    rules = {
        r["rule"]: (r["enabled"], r["blocking"], r["params"]) for r in response.json()["results"]
    }
    assert rules == {
        "funding_change": (True, False, {"max_change_percent": "30"}),
        "costs_over_funding": (True, False, {"max_excess_percent": "10"}),
        "kpi_outlier": (True, False, {"factor": "3"}),
        "source_disappeared": (True, False, {}),
        "public_share": (True, False, {"max_share": "0.5"}),
        "required_kpis": (True, False, {"kpis": ["members_total"]}),
    }


def test_a_quiet_submission_has_no_warnings(cast):
    write(cast.a1, 2020, doc(FUNDING_2020, {"staff": "800000.00"}), state="approved")
    write(cast.a1, 2021, doc(FUNDING_2020, {"staff": "800000.00"}))

    assert _warnings(cast) == []


# --- one test per default rule ----------------------------------------------------------


def test_funding_change_above_30_percent_warns_with_the_figures(cast):
    write(cast.a1, 2020, doc(FUNDING_2020), state="approved")  # 800,000
    write(cast.a1, 2021, doc({**FUNDING_2020, "eu_projects": "300000.00"}))  # 1,100,000

    assert _warnings(cast) == [
        {
            "rule": "funding_change",
            "field": "funding",
            "message": "Total funding changed by +37.50 % from 2020 (800000.00 to 1100000.00 "
            "EUR); the programme asks about changes above 30 %.",
            "blocking": False,
        }
    ]


def test_funding_change_of_exactly_30_percent_is_quiet(cast):
    write(cast.a1, 2020, doc(FUNDING_2020), state="approved")  # 800,000
    write(cast.a1, 2021, doc({**FUNDING_2020, "eu_projects": "240000.00"}))  # +30.00 %

    assert _warnings(cast) == []


def test_funding_change_compares_with_the_approved_year_before_only(cast):
    write(cast.a1, 2020, doc(FUNDING_2020), state="draft")  # not reviewed: no yardstick
    write(cast.a1, 2021, doc({"membership_fees": "100.00"}))

    assert _warnings(cast) == []


def test_a_fall_in_funding_warns_with_a_minus_sign(cast):
    write(cast.a1, 2020, doc(FUNDING_2020), state="approved")  # 800,000
    write(
        cast.a1,
        2021,
        doc({"national_cluster_programme": "200000.00", "membership_fees": "300000.00"}),
    )

    [warning] = _warnings(cast)
    assert warning["message"] == (
        "Total funding changed by -37.50 % from 2020 (800000.00 to 500000.00 EUR); the "
        "programme asks about changes above 30 %."
    )


def test_funding_in_another_currency_is_compared_in_the_programme_currency(cast):
    FxRate.objects.create(program=cast.prog_a, year=2020, currency="NOK", rate="0.1")
    write(cast.a1, 2020, doc({"membership_fees": "8000000.00"}, currency="NOK"), state="approved")
    write(cast.a1, 2021, doc({"membership_fees": "1100000.00"}))

    [warning] = _warnings(cast)
    assert warning["message"] == (
        "Total funding changed by +37.50 % from 2020 (800000.00 to 1100000.00 EUR); the "
        "programme asks about changes above 30 %."
    )


def test_funding_in_another_currency_without_a_rate_says_it_cannot_compare(cast):
    write(cast.a1, 2020, doc({"membership_fees": "8000000.00"}, currency="NOK"), state="approved")
    write(cast.a1, 2021, doc({"membership_fees": "1100000.00"}))

    assert _warnings(cast) == [
        {
            "rule": "funding_change",
            "field": "funding",
            "message": "Total funding cannot be compared with 2020 (NOK): there is no fx rate "
            "for NOK in 2020.",
            "blocking": False,
        }
    ]


def test_costs_15_percent_above_funding_warn(cast):
    write(cast.a1, 2021, doc({"membership_fees": "1000000.00"}, {"staff": "1150000.00"}))

    assert _warnings(cast) == [
        {
            "rule": "costs_over_funding",
            "field": "costs",
            "message": "Costs (1150000.00 EUR) exceed funding (1000000.00) by 15.00 %; the "
            "programme asks about more than 10 %.",
            "blocking": False,
        }
    ]


def test_costs_exactly_10_percent_above_funding_are_quiet(cast):
    write(cast.a1, 2021, doc({"membership_fees": "1000000.00"}, {"staff": "1100000.00"}))

    assert _warnings(cast) == []


def test_costs_without_any_funding_warn(cast):
    write(cast.a1, 2021, doc({}, {"staff": "10.00"}))

    assert [w["message"] for w in _warnings(cast)] == ["Costs of 10.00 EUR have no funding at all."]


def test_a_kpi_above_three_times_its_highest_earlier_value_warns(cast):
    write(cast.a1, 2019, doc(kpis={"members_total": "40"}), state="approved")
    write(cast.a1, 2020, doc(kpis={"members_total": "50"}), state="approved")
    write(cast.a1, 2021, doc(kpis={"members_total": "151"}))

    assert _warnings(cast) == [
        {
            "rule": "kpi_outlier",
            "field": "kpis.members_total.value",
            "message": "members_total is 151: more than 3 times the highest earlier value (50).",
            "blocking": False,
        }
    ]


def test_a_kpi_of_exactly_three_times_its_highest_earlier_value_is_quiet(cast):
    write(cast.a1, 2020, doc(kpis={"members_total": "50"}), state="approved")
    write(cast.a1, 2021, doc(kpis={"members_total": "150"}))

    assert _warnings(cast) == []


def test_a_kpi_below_a_third_of_its_lowest_earlier_value_warns(cast):
    write(cast.a1, 2019, doc(kpis={"members_total": "40"}), state="approved")
    write(cast.a1, 2020, doc(kpis={"members_total": "50"}), state="approved")
    write(cast.a1, 2021, doc(kpis={"members_total": "13"}))

    assert [w["message"] for w in _warnings(cast)] == [
        "members_total is 13: less than the lowest earlier value (40) divided by 3."
    ]


def test_a_later_year_is_no_history_for_an_earlier_one(cast):
    write(cast.a1, 2022, doc(kpis={"members_total": "5"}), state="approved")
    write(cast.a1, 2021, doc(kpis={"members_total": "500"}))

    assert _warnings(cast) == []


def test_a_funding_source_of_last_year_that_is_gone_warns(cast):
    write(cast.a1, 2020, doc(FUNDING_2020), state="approved")
    write(
        cast.a1, 2021, doc({"national_cluster_programme": "300000.00", "eu_projects": "500000.00"})
    )

    assert _warnings(cast) == [
        {
            "rule": "source_disappeared",
            "field": "funding.membership_fees.amount",
            "message": "membership_fees gave 500000.00 EUR in 2020 and gives nothing in 2021.",
            "blocking": False,
        }
    ]


def test_a_funding_source_down_to_zero_counts_as_gone(cast):
    write(cast.a1, 2020, doc(FUNDING_2020), state="approved")
    write(
        cast.a1, 2021, doc({**FUNDING_2020, "membership_fees": "0.00", "eu_projects": "500000.00"})
    )

    assert [w["field"] for w in _warnings(cast)] == ["funding.membership_fees.amount"]


def test_a_public_share_above_the_threshold_warns(cast):
    write(
        cast.a1,
        2021,
        doc(
            {
                "national_cluster_programme": "600000.00",
                "local_government": "50000.00",
                "membership_fees": "550000.00",
            }
        ),
    )

    assert _warnings(cast) == [
        {
            "rule": "public_share",
            "field": "funding",
            "message": "Public funding is 54.17 % of the total (650000.00 of 1200000.00 EUR); "
            "the programme's threshold is 50.00 %.",
            "blocking": False,
        }
    ]


def test_a_public_share_of_exactly_the_threshold_is_quiet(cast):
    write(cast.a1, 2021, doc({"national_cluster_programme": "500.00", "membership_fees": "500.00"}))

    assert _warnings(cast) == []


def test_a_required_kpi_that_is_missing_warns(cast):
    write(cast.a1, 2021, doc(kpis={"jobs_created": "4"}))

    assert _warnings(cast) == [
        {
            "rule": "required_kpis",
            "field": "kpis.members_total.value",
            "message": "The programme requires the KPI members_total; it is missing.",
            "blocking": False,
        }
    ]


def test_a_disabled_rule_says_nothing(cast):
    _rule(cast, "required_kpis", enabled=False)
    write(cast.a1, 2021, doc(kpis={}))

    assert _warnings(cast) == []


# --- a save shows them, a blocking rule refuses submit ----------------------------------


def test_a_save_answers_with_the_warnings_of_what_it_saved(cast):
    write(cast.a1, 2021, doc({"membership_fees": "100.00"}))

    response = cast.editor_a1.client().put(
        sub_url(), doc({"membership_fees": "100.00"}, {"staff": "200.00"}), format="json"
    )

    assert response.status_code == 200
    assert [w["rule"] for w in response.json()["warnings"]] == ["costs_over_funding"]


def test_a_blocking_rule_refuses_submit_with_a_409_naming_it(cast):
    _rule(cast, "costs_over_funding", blocking=True)
    write(cast.a1, 2021, doc({"membership_fees": "1000000.00"}, {"staff": "1150000.00"}))

    response = cast.editor_a1.client().post(sub_url(suffix="submit"))

    assert response.status_code == 409
    message = (
        "Costs (1150000.00 EUR) exceed funding (1000000.00) by 15.00 %; the programme asks "
        "about more than 10 %."
    )
    assert response.json()["code"] == "warning_costs_over_funding"
    assert response.json()["errors"] == [
        {"field": "costs", "code": "warning_costs_over_funding", "message": message}
    ]
    stored = Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=2021)
    assert (stored.state, stored.version) == ("draft", 1)


def test_a_non_blocking_warning_does_not_stop_submit(cast):
    write(cast.a1, 2021, doc({"membership_fees": "1000000.00"}, {"staff": "1150000.00"}))

    response = cast.editor_a1.client().post(sub_url(suffix="submit"))

    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    assert response.json()["warnings"][0]["rule"] == "costs_over_funding"


def test_a_blocking_rule_shows_as_blocking_on_the_submission(cast):
    _rule(cast, "required_kpis", blocking=True)
    write(cast.a1, 2021, doc(kpis={}))

    assert [(w["rule"], w["blocking"]) for w in _warnings(cast)] == [("required_kpis", True)]


def test_graphql_submit_with_a_blocking_warning_is_a_conflict_naming_the_rule(cast):
    _rule(cast, "required_kpis", blocking=True)
    write(cast.a1, 2021, doc(kpis={}))

    result = gql(
        cast.editor_a1,
        'mutation { submitSubmission(program: "prog-a", cluster: "a1", year: 2021) { state } }',
    )

    ext = result["errors"][0]["extensions"]
    assert (ext["code"], ext["reason"]) == ("CONFLICT", "warning_required_kpis")
    assert ext["errors"][0]["field"] == "kpis.members_total.value"


# --- the period status ---------------------------------------------------------------------


def test_the_period_status_shows_each_submissions_warnings(cast):
    write(cast.a1, 2021, doc({}, {"staff": "10.00"}), state="submitted")
    write(cast.a2, 2021, doc({"membership_fees": "10.00"}))

    response = cast.analyst_a.client().get("/api/v1/programs/prog-a/periods/2021/status")

    rows = {r["cluster"]: r["warnings"] for r in response.json()["clusters"]}
    assert rows == {
        "a1": [
            {
                "rule": "costs_over_funding",
                "field": "costs",
                "message": "Costs of 10.00 EUR have no funding at all.",
                "blocking": False,
            }
        ],
        "a2": [],
    }


# --- the rules' API -------------------------------------------------------------------------


def test_an_admin_changes_a_rule(cast):
    response = cast.admin_a.client().patch(
        "/api/v1/programs/prog-a/warning-rules/funding_change/",
        {"blocking": True, "params": {"max_change_percent": "12.5"}},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["blocking"], body["params"]) == (True, {"max_change_percent": "12.5"})


def test_a_changed_threshold_applies_at_once(cast):
    write(cast.a1, 2020, doc(FUNDING_2020), state="approved")  # 800,000
    write(cast.a1, 2021, doc({**FUNDING_2020, "eu_projects": "100000.00"}))  # +12.50 %
    cast.admin_a.client().patch(
        "/api/v1/programs/prog-a/warning-rules/funding_change/",
        {"params": {"max_change_percent": "12"}},
        format="json",
    )

    assert [w["message"] for w in _warnings(cast)] == [
        "Total funding changed by +12.50 % from 2020 (800000.00 to 900000.00 EUR); the "
        "programme asks about changes above 12 %."
    ]


@pytest.mark.parametrize(
    ("rule", "params", "field", "code"),
    [
        ("funding_change", {"max_change_percent": "-1"}, "params.max_change_percent", "negative"),
        ("kpi_outlier", {"factor": "0.5"}, "params.factor", "too_small"),
        ("public_share", {"max_share": "1.5"}, "params.max_share", "too_large"),
        ("required_kpis", {"kpis": ["nope"]}, "params.kpis.0", "unknown_kpi"),
        ("source_disappeared", {"x": 1}, "params.x", "unknown_field"),
    ],
)
def test_bad_rule_params_are_a_400_naming_the_param(cast, rule, params, field, code):
    response = cast.admin_a.client().patch(
        f"/api/v1/programs/prog-a/warning-rules/{rule}/", {"params": params}, format="json"
    )

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def test_an_unknown_rule_is_404(cast):
    response = cast.admin_a.client().get("/api/v1/programs/prog-a/warning-rules/nope/")

    assert response.status_code == 404


def test_graphql_reads_and_changes_rules(cast):
    result = gql(
        cast.admin_a,
        'mutation { updateWarningRule(program: "prog-a", rule: "kpi_outlier", blocking: true,'
        ' params: {factor: "5"}) { rule blocking params } }',
    )

    assert result["errors"] is None
    assert result["data"]["updateWarningRule"] == {
        "rule": "kpi_outlier",
        "blocking": True,
        "params": {"factor": "5"},
    }
    read = gql(cast.editor_a1, '{ program(slug: "prog-a") { warningRules { rule } } }')
    assert [r["rule"] for r in read["data"]["program"]["warningRules"]][:2] == [
        "funding_change",
        "costs_over_funding",
    ]


def test_graphql_changing_a_rule_needs_the_admin_role(cast):
    result = gql(
        cast.analyst_a,
        'mutation { updateWarningRule(program: "prog-a", rule: "kpi_outlier", blocking: true)'
        " { rule } }",
    )

    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_graphql_shows_warnings_on_the_submission(cast):
    write(cast.a1, 2021, doc(kpis={}))

    result = gql(
        cast.editor_a1,
        '{ program(slug: "prog-a") { cluster(slug: "a1") { submission(year: 2021) '
        "{ warnings { rule field message blocking } } } } }",
    )

    assert result["data"]["program"]["cluster"]["submission"]["warnings"] == [
        {
            "rule": "required_kpis",
            "field": "kpis.members_total.value",
            "message": "The programme requires the KPI members_total; it is missing.",
            "blocking": False,
        }
    ]


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("history", [0, 5])
def test_a_submissions_get_runs_a_fixed_number_of_queries(cast, history, django_assert_num_queries):
    for year in range(2021 - history, 2021):
        write(cast.a1, year, doc(FUNDING_2020, kpis={"members_total": "10"}), state="approved")
    write(cast.a1, 2021, doc(FUNDING_2020))
    client = cast.admin_a.client()
    client.get("/api/v1/programs/prog-a/")  # the token's first use records last_used_at

    # token, programme, cluster, submission, funding, costs, kpis, field comments;
    # warning rules, last year's funding, KPI history, fx rates
    with django_assert_num_queries(12):
        response = client.get(sub_url())

    assert response.status_code == 200


@pytest.mark.parametrize("clusters", [1, 6])
def test_graphql_warnings_of_many_submissions_run_a_fixed_number_of_queries(
    cast, clusters, django_assert_num_queries
):
    from tests.factories import ClusterFactory

    write(cast.a1, 2021, doc(kpis={}))
    for i in range(clusters):
        write(ClusterFactory.create(program=cast.prog_a, slug=f"x{i}"), 2021, doc(kpis={}))
    query = (
        '{ program(slug: "prog-a") { clusters { submission(year: 2021) { warnings { rule } } } } }'
    )
    gql(cast.admin_a, query)  # the token's first use records last_used_at

    # token, programme; clusters; the year's submissions; the programme; submissions with
    # funding, costs and KPIs; rules, last year's funding, KPI history, fx rates
    with django_assert_num_queries(13):
        result = gql(cast.admin_a, query)

    assert len(result["data"]["program"]["clusters"]) == clusters + 2
