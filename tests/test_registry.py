"""The cluster registry over REST: create, read, update, soft delete, filters, validation."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clusters.models import Cluster
from tests.factories import ClusterFactory

URL = "/api/v1/programs/prog-a/clusters/"
NEW = {
    "slug": "ocean",
    "name": "Ocean Tech",
    "country": "NO",
    "region": "Vestland",
    "sector": "Ocean technology",
    "founded_year": 2012,
    "stage": "growth",
    "category": "transform",
}


def test_admin_registers_a_cluster(cast):
    response = cast.admin_a.client().post(URL, NEW, format="json")

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in NEW} == NEW
    assert body["status"] == "active"
    assert Cluster.objects.for_program(cast.prog_a).get(slug="ocean").name == "Ocean Tech"


def _errors(response) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"stage": "teenage"}, [("stage", "invalid_choice")]),
        ({"category": "shrink"}, [("category", "invalid_choice")]),
        ({"country": "XX"}, [("country", "invalid_country")]),
        ({"founded_year": timezone.now().year + 1}, [("founded_year", "out_of_range")]),
        ({"slug": "a1"}, [("slug", "unique")]),
        ({"slug": "has space"}, [("slug", "invalid")]),
        ({"program": "prog-b"}, [("program", "unknown_field")]),
        ({"name": ""}, [("name", "required")]),
    ],
)
def test_bad_input_is_a_400_with_the_field_named(cast, change, expected):
    response = cast.admin_a.client().post(URL, {**NEW, **change}, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert _errors(response) == expected
    assert (
        not Cluster.objects.for_program(cast.prog_a)
        .filter(slug__in=["ocean", "has space"])
        .exists()
    )


def test_a_duplicate_slug_in_another_programme_is_fine(cast):
    response = cast.admin_a.client().post(URL, {**NEW, "slug": "b1"}, format="json")

    assert response.status_code == 201
    assert (response.json()["slug"], response.json()["name"]) == ("b1", "Ocean Tech")
    assert Cluster.objects.for_program(cast.prog_a).get(slug="b1").name == "Ocean Tech"
    assert Cluster.objects.for_program(cast.prog_b).get(slug="b1").name == "Beta One"


def test_a_missing_required_field_is_named(cast):
    response = cast.admin_a.client().post(URL, {"slug": "x"}, format="json")

    assert response.status_code == 400
    assert sorted(f for f, _ in _errors(response)) == ["category", "country", "name", "stage"]


def test_patch_changes_only_what_is_sent(cast):
    response = cast.admin_a.client().patch(f"{URL}a1/", {"stage": "supercluster"}, format="json")

    assert response.status_code == 200
    a1 = Cluster.objects.for_program(cast.prog_a).get(slug="a1")
    assert (a1.stage, a1.name, a1.category) == ("supercluster", "Alpha One", "transform")


def test_patch_cannot_move_a_cluster_to_another_programme(cast):
    response = cast.admin_a.client().patch(
        f"{URL}a1/", {"program": cast.prog_b.pk, "id": 999}, format="json"
    )

    assert response.status_code == 400
    assert _errors(response) == [("id", "unknown_field"), ("program", "unknown_field")]
    assert Cluster.objects.for_program(cast.prog_a).filter(slug="a1").exists()


def test_delete_is_soft_and_frees_the_slug(cast):
    response = cast.admin_a.client().delete(f"{URL}a2/")

    assert response.status_code == 204
    assert cast.admin_a.client().get(f"{URL}a2/").status_code == 404
    kept = Cluster.objects.for_program(cast.prog_a).get(name="Alpha Two")
    assert kept.deleted_at is not None
    assert cast.admin_a.client().post(URL, {**NEW, "slug": "a2"}, format="json").status_code == 201


@pytest.mark.parametrize(
    "query, slugs",
    [
        ("stage=emerging", ["a2"]),
        ("category=transform", ["a1"]),
        ("region=vestland", ["a1", "a2"]),
        ("status=active", ["a1", "a2"]),
        ("search=two", ["a2"]),
        ("ordering=-name", ["a2", "a1"]),
    ],
)
def test_filters_search_and_ordering(cast, query, slugs):
    response = cast.analyst_a.client().get(f"{URL}?{query}")

    assert [c["slug"] for c in response.json()["results"]] == slugs


def test_an_unknown_filter_value_is_a_400(cast):
    response = cast.analyst_a.client().get(f"{URL}?stage=teenage")

    assert response.status_code == 400
    assert _errors(response)[0][0] == "stage"


def test_pagination_caps_page_size_at_500(cast):
    ClusterFactory.create_batch(3, program=cast.prog_a)

    response = cast.admin_a.client().get(f"{URL}?page_size=2&page=2")

    body = response.json()
    assert (body["count"], len(body["results"]), body["previous"] is not None) == (5, 2, True)
    too_big = cast.admin_a.client().get(f"{URL}?page_size=501")
    assert (too_big.status_code, too_big.json()["errors"][0]["field"]) == (400, "page_size")


def test_editor_sees_only_its_clusters(cast):
    response = cast.editor_a1.client().get(URL)

    assert [c["slug"] for c in response.json()["results"]] == ["a1"]


@pytest.mark.parametrize("n", [10, 200])
def test_listing_runs_a_fixed_number_of_queries(cast, django_assert_num_queries, n):
    ClusterFactory.create_batch(n, program=cast.prog_a)
    client = cast.analyst_a.client()
    client.get(URL)  # first use records last_used_at; later requests within a minute do not

    # token lookup, programme, count, page
    with django_assert_num_queries(4):
        response = client.get(f"{URL}?page_size=500")

    assert response.json()["count"] == n + 2


def test_a_regrouping_change_restates_stored_figures(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "impact.tasks.portfolio_recompute_program.delay", lambda **kw: queued.append(kw)
    )

    with django_capture_on_commit_callbacks(execute=True):
        cast.admin_a.client().patch(f"{URL}a1/", {"region": "Agder"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        cast.admin_a.client().patch(f"{URL}a1/", {"website": "https://a1.example"}, format="json")

    assert queued == [{"program_id": cast.prog_a.pk}]


def test_a_currency_change_restates_stored_figures(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "impact.tasks.portfolio_recompute_program.delay", lambda **kw: queued.append(kw)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = cast.admin_a.client().patch(
            "/api/v1/programs/prog-a/", {"currency": "NOK"}, format="json"
        )

    assert response.json()["currency"] == "NOK"
    assert queued == [{"program_id": cast.prog_a.pk}]


def test_a_deleted_long_slug_is_freed(cast):
    long_slug = "x" * 64
    client = cast.admin_a.client()
    client.post(URL, {**NEW, "slug": long_slug}, format="json")

    client.delete(f"{URL}{long_slug}/")
    response = client.post(URL, {**NEW, "slug": long_slug}, format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == long_slug
    assert Cluster.objects.for_program(cast.prog_a).filter(slug=long_slug).count() == 1
