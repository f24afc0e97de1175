"""A small helper around strawberry-django's test client that sends the cast's tokens."""

from __future__ import annotations

from typing import Any

from strawberry_django.test.client import TestClient


def gql(member: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    client = TestClient("/graphql/")
    headers = {"Authorization": f"Bearer {member.raw}"} if member is not None else None
    response = client.query(query, variables=variables, headers=headers, assert_no_errors=False)
    return {"data": response.data, "errors": response.errors}
