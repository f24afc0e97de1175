"""The standing cast: who is who in every isolation test.

Programme A ("prog-a", EUR) has clusters a1 and a2; programme B ("prog-b", NOK) has b1.
Tokens: admin_a, analyst_a, editor_a1 (holds only a1), admin_b.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import override_settings
from hypothesis import settings
from rest_framework.test import APIClient

from clusters.access import Access, Scope
from clusters.models import ApiToken, Cluster, Program, Role
from clusters.services.tokens import token_create
from tests.factories import ClusterFactory, make_program
from tests.properties import WIDE_FACTOR

# Property tests: `make test` runs the `ci` profile, so every run tries the same examples and
# passes or fails the same way (derandomized, no example database, no deadline on a shared
# machine). `make test-wide` (`--hypothesis-profile=wide`) explores: fresh random examples,
# WIDE_FACTOR times as many (see tests/properties.py), failures kept in .hypothesis/ to replay.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("wide", max_examples=100 * WIDE_FACTOR, deadline=None, print_blob=True)
settings.load_profile("ci")

# The shared givens (tests/givens.py): their fixtures (demo, staff_of_a, recomputes) reach
# every test from here.
pytest_plugins = ["tests.givens"]


@dataclass
class Member:
    name: str
    token: ApiToken
    raw: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.raw}"}

    def client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.raw}")
        return client

    def access(self, program: Program) -> Access:
        return Scope.of(token=self.token).access(program.slug)


@dataclass
class Cast:
    prog_a: Program
    prog_b: Program
    a1: Cluster
    a2: Cluster
    b1: Cluster
    admin_a: Member
    analyst_a: Member
    editor_a1: Member
    admin_b: Member

    @property
    def members(self) -> list[Member]:
        return [self.admin_a, self.analyst_a, self.editor_a1, self.admin_b]


def _member(name: str, program: Program, role: str, clusters: list[str] | None = None) -> Member:
    token, raw = token_create(name=name, role=role, program=program, cluster_slugs=clusters or [])
    return Member(name, token, raw)


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Files the tests generate (reports) go to a temporary MEDIA_ROOT, never var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db) -> Cast:
    prog_a = make_program("prog-a", currency="EUR", country="NO")
    prog_b = make_program("prog-b", currency="NOK", country="NO")
    a1 = ClusterFactory.create(program=prog_a, slug="a1", name="Alpha One")
    a2 = ClusterFactory.create(
        program=prog_a, slug="a2", name="Alpha Two", stage="emerging", category="build"
    )
    b1 = ClusterFactory.create(program=prog_b, slug="b1", name="Beta One")
    return Cast(
        prog_a=prog_a,
        prog_b=prog_b,
        a1=a1,
        a2=a2,
        b1=b1,
        admin_a=_member("admin_a", prog_a, Role.PROGRAM_ADMIN),
        analyst_a=_member("analyst_a", prog_a, Role.PROGRAM_ANALYST),
        editor_a1=_member("editor_a1", prog_a, Role.CLUSTER_EDITOR, ["a1"]),
        admin_b=_member("admin_b", prog_b, Role.PROGRAM_ADMIN),
    )


@pytest.fixture
def anon() -> APIClient:
    return APIClient()
