"""Bearer tokens: hashed, shown once, expiring, revocable, last-used tracked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from clusters.models import ApiToken, Role, hash_token
from clusters.services.tokens import token_create, token_revoke
from tests.givens import BAD_TOKEN

URL = "/api/v1/programs/prog-a/clusters/"


def test_a_valid_token_lists_its_programme(cast):
    response = cast.admin_a.client().get("/api/v1/programs/")

    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["results"]] == ["prog-a"]


def test_the_token_is_stored_only_as_a_hash(cast):
    token = ApiToken.objects.get(pk=cast.admin_a.token.pk)

    assert token.key_hash == hash_token(cast.admin_a.raw)
    assert cast.admin_a.raw not in {token.key_hash, token.prefix, token.name}
    assert cast.admin_a.raw.startswith(f"cb_{token.prefix}_")


@pytest.mark.parametrize(
    "header, code",
    [
        (None, "not_authenticated"),
        ("Bearer cb_nope_nope", "invalid_token"),
        ("Token abc", "bad_authorization_header"),
        ("Bearer ", "bad_authorization_header"),
    ],
)
def test_missing_or_bad_tokens_are_401_problems(cast, anon, header, code):
    if header is not None:
        anon.credentials(HTTP_AUTHORIZATION=header)

    response = anon.get(URL)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == code


def test_an_expired_token_is_refused(cast):
    ApiToken.objects.filter(pk=cast.admin_a.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    response = cast.admin_a.client().get(URL)

    assert response.status_code == 401
    assert response.json()["detail"] == "The token is unknown, expired or revoked."


def test_a_revoked_token_is_refused(cast):
    token_revoke(token=cast.admin_a.token)

    response = cast.admin_a.client().get(URL)

    assert response.status_code == 401
    assert response.json() == BAD_TOKEN


def test_use_records_last_used_time(cast):
    assert ApiToken.objects.get(pk=cast.analyst_a.token.pk).last_used_at is None

    cast.analyst_a.client().get(URL)

    assert ApiToken.objects.get(pk=cast.analyst_a.token.pk).last_used_at is not None


def test_an_editor_token_needs_a_cluster_of_its_programme(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        token_create(name="x", role=Role.CLUSTER_EDITOR, program=cast.prog_a, cluster_slugs=["b1"])

    assert err.value.message_dict == {"clusters": ["No cluster b1 in prog-a."]}


def test_create_token_command_prints_the_token_once(cast):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_token",
        program="prog-a",
        role="cluster_editor",
        cluster=["a2"],
        name="a2 editor",
        stdout=out,
        stderr=err,
    )

    raw = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert (token.name, token.role, [c.slug for c in token.clusters.all()]) == (
        "a2 editor",
        "cluster_editor",
        ["a2"],
    )
    listed = token_client(raw).get(URL).json()["results"]
    assert [c["slug"] for c in listed] == ["a2"]


def test_create_program_command_seeds_the_catalogue(db):
    out = io.StringIO()

    call_command(
        "create_program", slug="nordic", name="Nordic", currency="nok", country="no", stdout=out
    )

    assert "Created programme 'nordic'" in out.getvalue()
    from clusters.models import FundingSource, Program

    program = Program.objects.get(slug="nordic")
    assert (program.currency, program.country) == ("NOK", "NO")
    assert FundingSource.objects.for_program(program).count() == 30


def test_site_staff_token_sees_every_programme(cast):
    _, raw = token_create(name="staff", role=Role.PROGRAM_ADMIN, program=None, site_staff=True)

    slugs = [p["slug"] for p in token_client(raw).get("/api/v1/programs/").json()["results"]]

    assert slugs == ["prog-a", "prog-b"]
    assert token_client(raw).get("/api/v1/programs/prog-b/clusters/b1/").status_code == 200


def token_client(raw: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client
