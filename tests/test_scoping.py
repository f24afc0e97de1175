"""The scoping path fails closed: tenant data is never read without a programme."""

from __future__ import annotations

import pytest

from clusters.models import Cluster, FundingSource, UnscopedQueryError


@pytest.mark.parametrize(
    "query",
    [
        lambda: list(Cluster.objects.all()),
        lambda: Cluster.objects.filter(slug="a1").first(),
        lambda: Cluster.objects.count(),
        lambda: Cluster.objects.exists(),
        lambda: Cluster.objects.get(slug="a1"),
        lambda: Cluster.objects.filter(slug="a1").update(name="x"),
        lambda: Cluster.objects.all().delete(),
        lambda: list(FundingSource.objects.values_list("code", flat=True)),
        lambda: list(Cluster.objects.iterator()),
        lambda: Cluster.objects.aggregate(n=__import__("django.db.models").db.models.Count("id")),
    ],
)
def test_an_unscoped_query_raises(cast, query):
    with pytest.raises(UnscopedQueryError):
        query()


def test_a_scoped_query_sees_only_its_programme(cast):
    assert sorted(Cluster.objects.for_program(cast.prog_a).values_list("slug", flat=True)) == [
        "a1",
        "a2",
    ]
    assert list(Cluster.objects.for_program(cast.prog_b).values_list("slug", flat=True)) == ["b1"]


def test_scoping_survives_chaining(cast):
    qs = Cluster.objects.for_program(cast.prog_a).filter(stage="growth").order_by("slug")

    assert [c.slug for c in qs] == ["a1"]


def test_for_program_none_raises(cast):
    with pytest.raises(UnscopedQueryError):
        Cluster.objects.for_program(None)
