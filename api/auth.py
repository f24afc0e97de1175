"""Bearer-token authentication for the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from clusters.models import ApiToken
from clusters.services.tokens import token_authenticate


class SystemPrincipal:
    """The caller behind a token that belongs to no person (a BI tool, an integration)."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token

    def get_username(self) -> str:
        return f"token:{self.token.name}"

    def __str__(self) -> str:
        return self.get_username()


def bearer_value(request: HttpRequest) -> str | None:
    """The raw bearer token of a request; None when there is no Authorization header."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise exceptions.AuthenticationFailed(
            "Send the token as 'Authorization: Bearer <token>'.", code="bad_authorization_header"
        )
    return value.strip()


def authenticate_bearer(request: HttpRequest) -> tuple[Any, ApiToken] | None:
    raw = bearer_value(request)
    if raw is None:
        return None
    token = token_authenticate(raw)
    if token is None:
        raise exceptions.AuthenticationFailed(
            "The token is unknown, expired or revoked.", code="invalid_token"
        )
    return (token.user if token.user_id else SystemPrincipal(token)), token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        return authenticate_bearer(request._request)

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
