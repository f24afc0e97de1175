"""The /graphql/ endpoint: bearer tokens only, as in REST; GraphiQL only in DEBUG.

No session fallback: the endpoint is CSRF-exempt, so a browser session must never act
through it. GraphiQL (DEBUG) sends the token as a header like any client.

A request strawberry cannot read (not JSON, nested deeper than ``API_JSON_MAX_DEPTH``, no
query) is answered as a GraphQL error with ``extensions.code`` ``BAD_REQUEST`` and the
HTTP status, like every other refusal here, not as strawberry's plain-text body.
"""

from __future__ import annotations

from http import HTTPStatus
from types import SimpleNamespace
from typing import Any

from cross_web import HTTPException
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from strawberry.django.views import GraphQLView

from api import json_limits
from api.auth import authenticate_bearer
from api.throttling import TokenRateThrottle
from clusters.access import Scope

from .context import Context
from .schema import schema


class _BadRequest(HTTPException):
    """A request strawberry cannot read, with the ``reason`` code clients see."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(400, message)
        self.reason_code = reason


def _error(message: str, status: int, **extensions: Any) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"status": status, **extensions}}]},
        status=status,
    )


class ClusterbaseGraphQLView(GraphQLView[Context, None]):
    def decode_json(self, data: str | bytes) -> object:
        try:
            return json_limits.loads(data)
        except json_limits.JsonTooDeep as exc:
            raise _BadRequest(str(exc), exc.code) from exc

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        try:
            auth = authenticate_bearer(request)
        except exceptions.AuthenticationFailed as exc:
            return JsonResponse(
                {
                    "errors": [
                        {"message": str(exc.detail), "extensions": {"code": "UNAUTHENTICATED"}}
                    ]
                },
                status=401,
            )
        if auth is None and not self._is_graphiql_page(request):
            return JsonResponse(
                {
                    "errors": [
                        {
                            "message": "Send a token as 'Authorization: Bearer <token>'.",
                            "extensions": {"code": "UNAUTHENTICATED"},
                        }
                    ]
                },
                status=401,
            )
        if auth is not None:
            throttle = TokenRateThrottle()
            # The same per-token bucket as REST: GraphQL is no way around the rate limit.
            if not throttle.allow_request(SimpleNamespace(auth=auth[1], META=request.META), self):
                wait = throttle.wait() or 1
                response = JsonResponse(
                    {
                        "errors": [
                            {
                                "message": f"Too many requests; retry in {int(wait)} s.",
                                "extensions": {"code": "THROTTLED", "status": 429},
                            }
                        ]
                    },
                    status=429,
                )
                response["Retry-After"] = str(max(1, int(wait)))
                return response
        # our per-request attribute: the stubs' request types declare none.
        request.clusterbase_auth = auth  # type: ignore[attr-defined]
        try:
            return self.run(request=request)
        except HTTPException as exc:
            status = HTTPStatus(exc.status_code)
            reason = getattr(exc, "reason_code", "parse_error" if status == 400 else None)
            return _error(
                exc.reason,
                status,
                code=status.name,  # BAD_REQUEST, METHOD_NOT_ALLOWED...
                reason=reason or status.name.lower(),
            )

    @staticmethod
    def _is_graphiql_page(request: HttpRequest) -> bool:
        return (
            settings.DEBUG
            and request.method == "GET"
            and "query" not in request.GET
            and "text/html" in request.headers.get("Accept", "")
        )

    def get_context(self, request: HttpRequest, response: HttpResponse) -> Context:
        auth = getattr(request, "clusterbase_auth", None)
        token = auth[1] if auth is not None else None
        return Context(
            request=request, response=response, scope=Scope.of(token=token, via="graphql")
        )


graphql_view = csrf_exempt(
    ClusterbaseGraphQLView.as_view(
        schema=schema, graphql_ide="graphiql" if settings.DEBUG else None
    )
)
