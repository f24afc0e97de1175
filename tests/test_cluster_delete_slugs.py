"""Deleting a cluster frees its slug as ``<slug>--deleted-<id>``, or with a counter when a
cluster was already renamed to exactly that: never an IntegrityError (a 500)."""

from __future__ import annotations

from clusters.models import Cluster
from tests.graphql_client import gql

URL = "/api/v1/programs/prog-a/clusters/"


def _take_freed_slug_of(cast, cluster: Cluster) -> str:
    taken = f"{cluster.slug}--deleted-{cluster.pk}"
    response = cast.admin_a.client().patch(f"{URL}a2/", {"slug": taken}, format="json")
    assert response.status_code == 200
    return taken


def test_rest_delete_when_the_freed_slug_is_taken_uses_the_next_one(cast):
    taken = _take_freed_slug_of(cast, cast.a1)

    response = cast.admin_a.client().delete(f"{URL}a1/")

    assert response.status_code == 204
    deleted = Cluster.objects.for_program(cast.prog_a).get(pk=cast.a1.pk)
    assert deleted.slug == f"{taken}-1"
    assert deleted.deleted_at is not None
    assert Cluster.objects.for_program(cast.prog_a).get(pk=cast.a2.pk).slug == taken


def test_graphql_delete_when_the_freed_slug_is_taken_uses_the_next_one(cast):
    taken = _take_freed_slug_of(cast, cast.a1)

    result = gql(cast.admin_a, 'mutation { deleteCluster(program: "prog-a", slug: "a1") }')

    assert result == {"data": {"deleteCluster": True}, "errors": None}
    assert Cluster.objects.for_program(cast.prog_a).get(pk=cast.a1.pk).slug == f"{taken}-1"


def test_delete_when_the_freed_slug_and_its_next_are_taken(cast):
    taken = _take_freed_slug_of(cast, cast.a1)
    client = cast.admin_a.client()
    response = client.post(
        URL,
        {
            "slug": f"{taken}-1",
            "name": "Third",
            "country": "NO",
            "stage": "growth",
            "category": "build",
        },
        format="json",
    )
    assert response.status_code == 201

    response = client.delete(f"{URL}a1/")

    assert response.status_code == 204
    assert Cluster.objects.for_program(cast.prog_a).get(pk=cast.a1.pk).slug == f"{taken}-2"
