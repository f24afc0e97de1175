"""Stored and fresh: the recompute task, its triggers, the registry and the cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from clusters import hooks
from impact import figures as svc
from impact.models import PortfolioSnapshot
from impact.selectors.figures import figure_serve
from impact.tasks import portfolio_recompute, portfolio_recompute_program
from tests.givens import add_submission, load_demo

FM = "/api/v1/programs/prog-a/portfolio/funding-mix"
STORED_KINDS = [
    ("clusters", ""),
    ("costs", ""),
    ("funding_mix", ""),
    ("funding_mix", "group_by=category"),
    ("funding_mix", "group_by=region"),
    ("funding_mix", "group_by=sector"),
    ("funding_mix", "group_by=stage"),
    ("public_shares", ""),
]


def _snapshots(program, year=2021):
    return PortfolioSnapshot.objects.for_program(program).filter(year=year)


def test_recompute_stores_every_registered_figure(cast):
    load_demo(cast.prog_a)

    written = portfolio_recompute.delay(program_id=cast.prog_a.pk, year=2021).get()

    # (other apps may register figures of their own: the clusters app's are these)
    stored = sorted(_snapshots(cast.prog_a).values_list("kind", "params"))
    assert written == len(stored) == sum(len(f.variants) for f in svc._REGISTRY.values())
    assert [k for k in stored if k[0] in {"clusters", "costs", "funding_mix", "public_shares"}] == (
        STORED_KINDS
    )
    mix = _snapshots(cast.prog_a).get(kind="funding_mix", params="").payload
    assert mix["total"] == "1816000.00"
    assert _snapshots(cast.prog_b).count() == 0


def test_recompute_twice_is_idempotent(cast):
    load_demo(cast.prog_a)
    portfolio_recompute(program_id=cast.prog_a.pk, year=2021)
    first = {(s.kind, s.params): (s.pk, s.payload, s.computed_at) for s in _snapshots(cast.prog_a)}

    portfolio_recompute(program_id=cast.prog_a.pk, year=2021)

    second = {(s.kind, s.params): (s.pk, s.payload, s.computed_at) for s in _snapshots(cast.prog_a)}
    assert second.keys() == first.keys()
    for key, (pk, payload, at) in second.items():
        assert pk == first[key][0]
        assert payload == first[key][1]
        assert at >= first[key][2]


def test_recompute_of_a_missing_programme_does_nothing(db):
    assert portfolio_recompute(program_id=987654, year=2021) == 0
    assert portfolio_recompute_program(program_id=987654) == []


def test_whole_programme_recompute_covers_every_year_with_approved_submissions(cast):
    load_demo(cast.prog_a)

    years = portfolio_recompute_program.delay(program_id=cast.prog_a.pk).get()

    assert years == [2015, 2020, 2021, 2025]
    assert sorted(
        PortfolioSnapshot.objects.for_program(cast.prog_a)
        .filter(kind="funding_mix", params="")
        .values_list("year", flat=True)
    ) == [2015, 2020, 2021, 2025]


def test_approving_through_the_api_stores_new_figures(cast, django_capture_on_commit_callbacks):
    # given a submitted 2021 submission of a1 and stored figures without it
    add_submission(cast.a1, 2021, funding=[("membership_fees", "250.00")], state="submitted")
    portfolio_recompute(program_id=cast.prog_a.pk, year=2021)
    assert _snapshots(cast.prog_a).get(kind="funding_mix", params="").payload["total"] == "0.00"

    # when the admin approves it (the task runs after commit; eager in tests)
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.admin_a.client().post(
            "/api/v1/programs/prog-a/clusters/a1/submissions/2021/approve"
        )

    # then the stored figure has it, and the API serves the stored one
    assert response.status_code == 200, response.content
    stored = _snapshots(cast.prog_a).get(kind="funding_mix", params="")
    assert stored.payload["total"] == "250.00"
    body = cast.analyst_a.client().get(f"{FM}?year=2021").json()
    assert (body["source"], body["total"]) == ("stored", "250.00")


def test_reopening_takes_the_submission_out_again(cast, django_capture_on_commit_callbacks):
    add_submission(cast.a1, 2021, funding=[("membership_fees", "250.00")])
    portfolio_recompute(program_id=cast.prog_a.pk, year=2021)

    with django_capture_on_commit_callbacks(execute=True):
        response = cast.admin_a.client().post(
            "/api/v1/programs/prog-a/clusters/a1/submissions/2021/reopen"
        )

    assert response.status_code == 200, response.content
    body = cast.analyst_a.client().get(f"{FM}?year=2021").json()
    assert (body["source"], body["clusters"], body["total"]) == ("stored", 0, "0.00")


def test_an_fx_rate_put_recomputes_its_year(cast, django_capture_on_commit_callbacks):
    # given an MXN submission without a 2021 rate: excluded
    add_submission(cast.a1, 2021, currency="MXN", funding=[("membership_fees", "1000000.00")])
    before = cast.analyst_a.client().get(f"{FM}?year=2021").json()
    assert before["excluded"] == [{"cluster": "a1", "reason": "no fx rate for MXN in 2021"}]

    with django_capture_on_commit_callbacks(execute=True):
        response = cast.admin_a.client().put(
            "/api/v1/programs/prog-a/fx-rates/",
            [{"year": 2021, "currency": "MXN", "rate": "0.0416"}],
            format="json",
        )

    assert response.status_code == 200
    body = cast.analyst_a.client().get(f"{FM}?year=2021").json()
    assert (body["source"], body["total"], body["excluded"]) == ("stored", "41600.00", [])


def test_on_demand_figures_are_cached_until_inputs_change(
    cast, django_assert_num_queries, django_capture_on_commit_callbacks
):
    add_submission(cast.a1, 2021, funding=[("membership_fees", "100.00")])
    client = cast.analyst_a.client()
    assert client.get(f"{FM}?year=2021").json()["total"] == "100.00"

    # a cached figure costs only the token and programme look-ups
    with django_assert_num_queries(2):
        cached = client.get(f"{FM}?year=2021").json()
    assert cached["source"] == "computed"

    # a change bumps the cache generation (here without a worker: stored figures stay absent)
    add_submission(cast.a2, 2021, funding=[("membership_fees", "50.00")])
    svc.cache_invalidate(program_id=cast.prog_a.pk)

    assert client.get(f"{FM}?year=2021").json()["total"] == "150.00"


def test_the_cache_generation_is_per_programme(cast):
    gen_a = svc.cache_generation(cast.prog_a.pk)
    gen_b = svc.cache_generation(cast.prog_b.pk)

    svc.cache_invalidate(program_id=cast.prog_a.pk)

    assert svc.cache_generation(cast.prog_a.pk) == gen_a + 1
    assert svc.cache_generation(cast.prog_b.pk) == gen_b


def test_inputs_changed_invalidates_after_commit(cast, django_capture_on_commit_callbacks):
    gen = svc.cache_generation(cast.prog_a.pk)

    with django_capture_on_commit_callbacks(execute=True):
        hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2021])

    # one bump when the change commits, one per (eager) recompute: 2021, and 2022 whose
    # figures compare with 2021
    assert svc.cache_generation(cast.prog_a.pk) == gen + 3
    stored = _snapshots(cast.prog_a).filter(kind="funding_mix", params="")
    assert list(stored.values_list("year", flat=True)) == [2021]  # 2022 has nothing to store


def test_nothing_is_queued_when_the_change_rolls_back(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2021])

    assert len(callbacks) == 1
    assert _snapshots(cast.prog_a).count() == 0


@pytest.fixture
def extra_figure():
    calls = []

    def compute(program, year, **params):
        calls.append((program.slug, year, params))
        return {"year": year, "answer": 42}

    svc.register_figure("test_extra", compute)
    yield calls
    svc._REGISTRY.pop("test_extra", None)


def test_another_app_registers_a_figure_and_serves_it(cast, extra_figure):
    access = cast.analyst_a.access(cast.prog_a)

    computed = figure_serve(access=access, kind="test_extra", year=2021)
    portfolio_recompute(program_id=cast.prog_a.pk, year=2021)
    cache.clear()
    stored = figure_serve(access=access, kind="test_extra", year=2021)

    assert (computed.source, computed.payload) == ("computed", {"year": 2021, "answer": 42})
    assert (stored.source, stored.payload) == ("stored", {"year": 2021, "answer": 42})
    assert stored.as_of == _snapshots(cast.prog_a).get(kind="test_extra").computed_at
    assert extra_figure == [("prog-a", 2021, {}), ("prog-a", 2021, {})]


def test_figure_serve_refuses_editors_and_unknown_kinds(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        figure_serve(access=cast.editor_a1.access(cast.prog_a), kind="funding_mix", year=2021)
    with pytest.raises(LookupError, match="No portfolio figure 'nope' is registered."):
        figure_serve(access=cast.admin_a.access(cast.prog_a), kind="nope", year=2021)


def test_canonical_params():
    assert svc.canonical_params({"group_by": "stage", "category": "grow", "region": None}) == (
        "category=grow&group_by=stage"
    )
    assert svc.canonical_params({}) == ""


def test_a_failed_recompute_leaves_no_stale_figure(
    cast, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # given stored 2021 figures, then a new approved submission whose recompute fails
    load_demo(cast.prog_a)
    portfolio_recompute(program_id=cast.prog_a.pk, year=2021)
    add_submission(cast.a1, 2021, funding=[("membership_fees", "1000.00")], state="submitted")

    def broken(**kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr("impact.tasks.portfolio_recompute.delay", broken)
    with django_capture_on_commit_callbacks(execute=True):
        approve = cast.admin_a.client().post(
            "/api/v1/programs/prog-a/clusters/a1/submissions/2021/approve"
        )
    mix = cast.analyst_a.client().get(FM, {"year": 2021})

    # the approval commits, the failure is logged, and the figure is computed on demand
    assert approve.status_code == 200
    assert "could not queue the portfolio recompute" in caplog.text
    assert mix.status_code == 200
    assert mix.json()["source"] == "computed"
    assert mix.json()["total"] == "1817000.00"
    assert not _snapshots(cast.prog_a).filter(kind="funding_mix", params="").exists()


@pytest.fixture
def queued(monkeypatch):
    """The recomputes queued, as (kind, program_id, year), instead of running them."""
    calls: list[tuple[str, int, int | None]] = []
    monkeypatch.setattr(
        "impact.tasks.portfolio_recompute.delay",
        lambda *, program_id, year: calls.append(("year", program_id, year)),
    )
    monkeypatch.setattr(
        "impact.tasks.portfolio_recompute_program.delay",
        lambda *, program_id: calls.append(("program", program_id, None)),
    )
    return calls


def test_a_bulk_approve_of_one_year_queues_each_year_once(
    cast, queued, django_capture_on_commit_callbacks
):
    # given three submitted 2021 submissions
    from tests.factories import ClusterFactory
    from tests.review_helpers import doc, write

    a3 = ClusterFactory.create(program=cast.prog_a, slug="a3")
    for cluster in (cast.a1, cast.a2, a3):
        write(cluster, 2021, doc(funding={"membership_fees": "10.00"}), state="submitted")

    # when the admin approves the three in one request
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.admin_a.client().post(
            "/api/v1/programs/prog-a/periods/2021/approve",
            {"clusters": ["a1", "a2", "a3"]},
            format="json",
        )

    # then 2021 and 2022 (which compares with 2021) are queued once each, not three times
    assert response.status_code == 200 and response.json()["done"] == 3
    assert queued == [("year", cast.prog_a.pk, 2021), ("year", cast.prog_a.pk, 2022)]


def test_changes_of_different_years_in_one_transaction_queue_each_year(
    cast, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2021])
        hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2022])
        hooks.figure_inputs_changed(program_id=cast.prog_b.pk, years=[2021])

    assert queued == [
        ("year", cast.prog_a.pk, 2021),
        ("year", cast.prog_a.pk, 2022),
        ("year", cast.prog_a.pk, 2023),
        ("year", cast.prog_b.pk, 2021),
        ("year", cast.prog_b.pk, 2022),
    ]


def test_a_programme_recompute_covers_its_later_year_changes(
    cast, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hooks.program_restated(program_id=cast.prog_a.pk)
        hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2021])

    assert queued == [("program", cast.prog_a.pk, None)]


def test_the_next_commit_queues_again(cast, queued, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2021])

    assert queued == [("year", cast.prog_a.pk, 2021), ("year", cast.prog_a.pk, 2022)] * 2


def test_a_change_undone_by_a_savepoint_rollback_queues_nothing(
    cast, queued, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2021])
        try:
            with transaction.atomic():
                hooks.figure_inputs_changed(program_id=cast.prog_a.pk, years=[2030])
                raise RuntimeError("undo this one")
        except RuntimeError:
            pass

    assert queued == [("year", cast.prog_a.pk, 2021), ("year", cast.prog_a.pk, 2022)]
