"""factory_boy factories. Programmes and clusters are made through their services (the one
write path), so they get the catalogue and the derived fields (a cluster's folded region)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from clusters.access import system_access
from clusters.models import Cluster, Program
from clusters.services.programs import program_create
from clusters.services.registry import cluster_create


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")


def make_program(
    slug: str = "prog-a", *, currency: str = "EUR", country: str = "NO", name: str | None = None
) -> Program:
    return program_create(
        slug=slug, name=name or f"Programme {slug}", currency=currency, country=country
    )


class ClusterFactory(factory.django.DjangoModelFactory[Cluster]):
    class Meta:
        model = Cluster

    program = None  # required: pass program=
    slug = factory.Sequence(lambda n: f"cluster-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    country = "NO"
    region = "Vestland"
    sector = "Ocean technology"
    founded_year = 2012
    stage = "growth"
    category = "transform"

    @classmethod
    def _create(cls, model_class: type[Cluster], *args: object, **kwargs: object) -> Cluster:
        program = kwargs.pop("program")
        assert isinstance(program, Program), "ClusterFactory needs program="
        return cluster_create(access=system_access(program, label="factory"), data=kwargs)
