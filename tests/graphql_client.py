"""A small helper around strawberry-django's test client that sends the cast's tokens."""

from __future__ import annotations

from typing import Any, cast

from strawberry.test.client import Response
from strawberry_django.test.client import TestClient


def gql(member: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    client = TestClient("/graphql/")
    headers: dict[str, object] | None = (
        {"Authorization": f"Bearer {member.raw}"} if member is not None else None
    )
    # The sync client's answer (the async one would hand back a coroutine).
    response = cast(
        Response,
        client.query(query, variables=variables, headers=headers, assert_no_errors=False),
    )
    return {"data": response.data, "errors": response.errors}
