"""Who is calling the feed: a bearer token, or Basic auth with any user name and the token
as the password (what Power BI's service and Excel can store and refresh with)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from rest_framework import authentication, exceptions

from api.auth import SystemPrincipal, authenticate_bearer
from clusters.models import ApiToken
from clusters.services.tokens import token_authenticate

from .errors import CHALLENGE


def _basic_password(value: str) -> str:
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise exceptions.AuthenticationFailed(
            "Basic credentials must be base64 of 'user:token'.", code="bad_authorization_header"
        ) from None
    _, sep, password = decoded.partition(":")
    if not sep or not password:
        raise exceptions.AuthenticationFailed(
            "Send the token as the Basic password (any user name).", code="bad_authorization_header"
        )
    return password


class ODataAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = request._request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return authenticate_bearer(request._request)
        token = token_authenticate(_basic_password(value))
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The token is unknown, expired or revoked.", code="invalid_token"
            )
        return (token.user if token.user_id else SystemPrincipal(token)), token

    def authenticate_header(self, request: Any) -> str:
        return CHALLENGE
