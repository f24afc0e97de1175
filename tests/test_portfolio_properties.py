"""Properties of the portfolio figures (hypothesis) and their fixed query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.models import Cluster
from impact.selectors import funding
from impact.selectors.year_data import year_data
from impact.services.figures import figures_recompute_year as portfolio_recompute_year
from tests.factories import ClusterFactory
from tests.givens import add_submission, fx
from tests.graphql_client import gql
from tests.properties import examples
from tests.test_portfolio_graphql import FUNDING_MIX, _camel

SOURCES = [
    "national_cluster_programme",
    "local_government",
    "membership_fees",
    "events_sponsorship",
    "eu_projects",
    "national_projects",
    "regional_government",
]
RATES = {"EUR": None, "NOK": "0.0855555555", "MXN": "0.0416", "AUD": None}  # AUD: no rate

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
submission = st.fixed_dictionaries(
    {
        "currency": st.sampled_from(sorted(RATES)),
        "stage": st.sampled_from(["baby", "emerging", "growth", "supercluster"]),
        "funding": st.dictionaries(st.sampled_from(SOURCES), amounts, max_size=len(SOURCES)),
        "costs": st.dictionaries(
            st.sampled_from(["setup", "staff", "operations", "projects"]), amounts, max_size=4
        ),
    }
)
portfolios = st.lists(submission, min_size=0, max_size=6)
HYPO = settings(
    max_examples=examples(25),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _build(program, subs, *, reverse_lines=False, prefix="h"):
    for currency, rate in RATES.items():
        if rate:
            fx(program, 2021, currency, rate)
    for i, sub in enumerate(subs):
        cluster = ClusterFactory.create(program=program, slug=f"{prefix}{i}", stage=sub["stage"])
        lines = [(code, str(a)) for code, a in sub["funding"].items()]
        costs = [(cat, str(a)) for cat, a in sub["costs"].items()]
        if reverse_lines:
            lines.reverse()
            costs.reverse()
        add_submission(cluster, 2021, currency=sub["currency"], funding=lines, costs=costs)


def _expected_total(subs) -> Decimal:
    total = Decimal(0)
    for sub in subs:
        if sub["currency"] == "EUR":
            rate = Decimal(1)
        elif rate_text := RATES[sub["currency"]]:
            rate = Decimal(rate_text)
        else:
            continue
        total += sum((a * rate for a in sub["funding"].values()), Decimal(0))
    return total


@HYPO
@given(subs=portfolios)
def test_category_amounts_sum_to_the_total_and_shares_to_one(cast, subs):
    with transaction.atomic():
        _build(cast.prog_a, subs)
        data = year_data(program=cast.prog_a, year=2021)
        totals = funding.funding_mix_totals(data)
        mix = funding.funding_mix(data)
        transaction.set_rollback(True)

    # exact: categories and sources add up to the total, which is the hand-converted sum
    assert sum(totals.by_category.values(), Decimal(0)) == totals.total
    assert sum(totals.by_source.values(), Decimal(0)) == totals.total
    assert totals.total == _expected_total(subs)
    # output: shares sum to 1 (within rounding) unless nothing was counted
    cat_shares = sum(v["share"] for v in mix["by_category"].values())
    src_shares = sum(s["share"] for s in mix["by_source"])
    if totals.total > 0:
        assert cat_shares == pytest.approx(1, abs=1e-6)
        assert src_shares == pytest.approx(1, abs=1e-6)
    else:
        assert cat_shares == src_shares == 0
    # every AUD submission (no rate) is excluded, never dropped
    assert len(mix["excluded"]) == sum(1 for s in subs if s["currency"] == "AUD")
    assert mix["clusters"] + len(mix["excluded"]) == len(subs)
    # per-cluster statistics are within [0, 1] or null when no cluster has funding
    stats = mix["cluster_public_share"]
    if stats["mean"] is None:
        assert mix["mean_hhi"] is None
    else:
        assert 0 <= stats["min"] <= stats["median"] <= stats["max"] <= 1
        assert 0 < mix["mean_hhi"] <= 1


@HYPO
@given(subs=portfolios, seed=st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_lines_or_submissions(cast, subs, seed):
    with transaction.atomic():
        _build(cast.prog_a, subs)
        first = funding.funding_mix(year_data(program=cast.prog_a, year=2021))
        costs_first = funding.cost_structure(year_data(program=cast.prog_a, year=2021))
        transaction.set_rollback(True)
    shuffled = list(enumerate(subs))
    seed.shuffle(shuffled)
    with transaction.atomic():
        # same clusters (same slugs), created in another order with their lines reversed
        for currency, rate in RATES.items():
            if rate:
                fx(cast.prog_a, 2021, currency, rate)
        for i, sub in shuffled:
            cluster = ClusterFactory.create(program=cast.prog_a, slug=f"h{i}", stage=sub["stage"])
            add_submission(
                cluster,
                2021,
                currency=sub["currency"],
                funding=[(c, str(a)) for c, a in reversed(sub["funding"].items())],
                costs=[(c, str(a)) for c, a in reversed(sub["costs"].items())],
            )
        second = funding.funding_mix(year_data(program=cast.prog_a, year=2021))
        costs_second = funding.cost_structure(year_data(program=cast.prog_a, year=2021))
        transaction.set_rollback(True)

    assert second == first
    assert costs_second == costs_first


@settings(
    max_examples=examples(10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(subs=portfolios, stored=st.booleans())
def test_rest_and_graphql_agree(cast, subs, stored):
    from django.core.cache import cache

    with transaction.atomic():
        cache.clear()
        _build(cast.prog_a, subs)
        if stored:
            portfolio_recompute_year(program_id=cast.prog_a.pk, year=2021)
        rest = (
            cast.analyst_a.client()
            .get("/api/v1/programs/prog-a/portfolio/funding-mix?year=2021")
            .json()
        )
        result = gql(cast.analyst_a, FUNDING_MIX, {"slug": "prog-a", "year": 2021})
        data, errors = result["data"], result["errors"]
        transaction.set_rollback(True)
    cache.clear()

    assert errors is None
    mix = data["program"]["fundingMix"]
    assert rest["source"] == ("stored" if stored else "computed")
    rest.pop("as_of"), mix.pop("asOf")
    assert mix == _camel(rest)


# --- fixed query counts ----------------------------------------------------------------------


def _clusters(program, n, start=0):
    for i in range(start, start + n):
        cluster = ClusterFactory.create(program=program, slug=f"q{i}")
        add_submission(
            cluster,
            2021,
            currency="MXN" if i % 2 else "EUR",
            funding=[("membership_fees", "10.00"), ("eu_projects", "5.00")],
            costs=[("staff", "12.00")],
        )
        add_submission(cluster, 2020, funding=[("membership_fees", "10.00")])
    fx(program, 2021, "MXN", "0.0416") if start == 0 else None


PATHS = [
    "funding-mix?year=2021",
    "funding-mix?year=2021&group_by=stage",
    "funding-mix?year=2021&stage=growth",
    "funding-mix/trend?from=2018&to=2021",
    "clusters?year=2021",
    "costs?year=2021",
    "public-reliance?year=2021",
]


def _count(client, url, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("stored", [False, True])
def test_query_count_does_not_grow_with_clusters(cast, path, stored, django_assert_max_num_queries):
    from django.core.cache import cache

    client = cast.analyst_a.client()
    client.get("/api/v1/programs/prog-a/")  # the token's first use records last_used_at
    url = f"/api/v1/programs/prog-a/portfolio/{path}"
    _clusters(cast.prog_a, 3)
    if stored:
        for year in (2020, 2021):
            portfolio_recompute_year(program_id=cast.prog_a.pk, year=year)
    cache.clear()
    few = _count(client, url, django_assert_max_num_queries)

    _clusters(cast.prog_a, 30, start=3)
    if stored:
        for year in (2020, 2021):
            portfolio_recompute_year(program_id=cast.prog_a.pk, year=year)
    cache.clear()
    many = _count(client, url, django_assert_max_num_queries)

    assert Cluster.objects.for_program(cast.prog_a).count() == 35
    assert many == few


@pytest.mark.parametrize(
    ("path", "computed", "stored"),
    [
        # token + programme + snapshot look-up, then computing: submissions with funding
        # by category, fx rates, and funding by source (a mix) or costs by category;
        # served stored: token + programme + snapshot
        ("funding-mix?year=2021", 6, 3),
        ("costs?year=2021", 6, 3),
        ("clusters?year=2021", 6, 3),
        # trend of 4 years: one snapshot query, then 3 queries a year not stored
        ("funding-mix/trend?from=2018&to=2021", 15, 3),
    ],
)
def test_pinned_query_counts(cast, django_assert_num_queries, path, computed, stored):
    from django.core.cache import cache

    client = cast.analyst_a.client()
    client.get("/api/v1/programs/prog-a/")  # the token's first use records last_used_at
    url = f"/api/v1/programs/prog-a/portfolio/{path}"
    _clusters(cast.prog_a, 5)

    with django_assert_num_queries(computed):
        assert client.get(url).json()["source" if "trend" not in path else 0]
    for year in range(2018, 2022):
        portfolio_recompute_year(program_id=cast.prog_a.pk, year=year)
    cache.clear()
    with django_assert_num_queries(stored):
        client.get(url)


def test_recompute_query_count_is_fixed(cast, django_assert_num_queries, monkeypatch):
    from impact import figures as svc

    # only this app's figures (others register their own, with their own queries)
    monkeypatch.setattr(
        svc,
        "_REGISTRY",
        {
            k: f
            for k, f in svc._REGISTRY.items()
            if k in ("funding_mix", "clusters", "costs", "public_shares")
        },
    )
    _clusters(cast.prog_a, 3)
    portfolio_recompute_year(program_id=cast.prog_a.pk, year=2021)
    _clusters(cast.prog_a, 20, start=3)

    # savepoint, lock the programme, 3 reads shared by all 8 figures (submissions with
    # funding by category, fx rates, costs) + 5 by-source GROUP BYs
    # (whole programme, by stage, category, region, sector), one upsert, the webhook
    # endpoints that want portfolio.updated (figures_updated hook), release
    with django_assert_num_queries(13):
        assert portfolio_recompute_year(program_id=cast.prog_a.pk, year=2021) == 8
