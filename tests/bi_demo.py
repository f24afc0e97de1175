"""The demo programme (load_demo's own functions) with a token per role, for the BI tests."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from clusters.models import Program, Role
from clusters.services.tokens import token_create

BASE = "/api/v1/programs/demo/exports"


@dataclass
class Demo:
    program: Program
    admin: str
    analyst: str
    editor: str  # cluster_editor of ocean-tech

    def client(self, raw: str | None = None) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw or self.analyst}")
        return client


def load_demo_programme() -> Demo:
    call_command("load_demo", "--no-tokens", stdout=io.StringIO())
    program = Program.objects.get(slug="demo")
    raws = [
        token_create(name=f"bi {role}", role=role, program=program, cluster_slugs=clusters)[1]
        for role, clusters in (
            (Role.PROGRAM_ADMIN, []),
            (Role.PROGRAM_ANALYST, []),
            (Role.CLUSTER_EDITOR, ["ocean-tech"]),
        )
    ]
    return Demo(program, *raws)


@pytest.fixture(name="demo")
def demo_fixture(db) -> Demo:
    return load_demo_programme()


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
