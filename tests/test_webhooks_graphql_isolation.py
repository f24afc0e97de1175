"""GraphQL webhooks for every member of the cast: only programme A's admin may list,
register or remove A's webhooks; the others get FORBIDDEN (A's analyst and editor) or
NOT_FOUND (B's admin), and B's webhooks stay out of A's reach."""

from __future__ import annotations

import pytest

from tests.graphql_client import gql
from tests.isolation_matrix import _webhooks

LIST = '{ webhooks(program: "%s") { id url } }'
REGISTER = (
    'mutation { registerWebhook(program: "%s", url: "https://hooks.example.org/x", '
    'events: ["period.closed"]) { secret } }'
)
DELETE = 'mutation { deleteWebhook(program: "%s", id: %d) }'


def _code(result) -> str | None:
    return result["errors"][0]["extensions"]["code"] if result["errors"] else None


def test_the_admin_of_a_lists_only_as_webhooks(cast):
    _webhooks(cast)

    result = gql(cast.admin_a, LIST % "prog-a")

    assert result["data"]["webhooks"] == [{"id": 9101, "url": "https://hooks.example.org/prog-a"}]


@pytest.mark.parametrize(
    ("role", "code"),
    [("analyst_a", "FORBIDDEN"), ("editor_a1", "FORBIDDEN"), ("admin_b", "NOT_FOUND")],
)
@pytest.mark.parametrize("query", [LIST, REGISTER])
def test_others_may_not_list_or_register_on_a(cast, role, code, query):
    _webhooks(cast)

    result = gql(getattr(cast, role), query % "prog-a")

    assert _code(result) == code
    assert "hooks.example.org/prog-a" not in str(result)


@pytest.mark.parametrize(
    ("role", "program", "webhook", "code"),
    [
        ("analyst_a", "prog-a", 9101, "FORBIDDEN"),
        ("editor_a1", "prog-a", 9101, "FORBIDDEN"),
        ("admin_b", "prog-a", 9101, "NOT_FOUND"),
        ("admin_a", "prog-b", 9102, "NOT_FOUND"),
        ("admin_a", "prog-a", 9102, "NOT_FOUND"),
    ],
)
def test_nobody_removes_a_webhook_they_do_not_administer(cast, role, program, webhook, code):
    from webhooks.models import Endpoint

    _webhooks(cast)

    result = gql(getattr(cast, role), DELETE % (program, webhook))

    assert _code(result) == code
    assert Endpoint.objects.unscoped().count() == 2
