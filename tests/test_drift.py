"""Generated artefacts match the code: migrations and the exported GraphQL schema."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


def test_models_and_migrations_agree(db):
    out = io.StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()


def test_the_exported_graphql_schema_is_current():
    try:
        call_command("export_graphql_schema", "--check", stdout=io.StringIO())
    except Exception as exc:  # CommandError names the command that rewrites the file
        pytest.fail(str(exc))
