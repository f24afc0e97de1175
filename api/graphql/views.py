"""The /graphql/ endpoint: bearer tokens as in REST, GraphiQL only in DEBUG."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from strawberry.django.views import GraphQLView

from api.rest.auth import authenticate_bearer

from .context import Context, build_scope
from .schema import schema


class ClusterbaseGraphQLView(GraphQLView):
    def dispatch(self, request: HttpRequest, *args, **kwargs):  # type: ignore[override]
        try:
            auth = authenticate_bearer(request)
        except exceptions.AuthenticationFailed as exc:
            return JsonResponse(
                {"errors": [{"message": str(exc.detail), "extensions": {"code": "UNAUTHENTICATED"}}]},
                status=401,
            )
        if auth is None and request.method == "POST" and not request.user.is_authenticated:
            return JsonResponse(
                {"errors": [{"message": "Send a token as 'Authorization: Bearer <token>'.",
                             "extensions": {"code": "UNAUTHENTICATED"}}]},
                status=401,
            )
        request.clusterbase_auth = auth  # type: ignore[attr-defined]
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, response: HttpResponse) -> Context:
        auth = getattr(request, "clusterbase_auth", None)
        if auth is not None:
            user, token = auth
        else:
            user, token = request.user, None
            if not user.is_authenticated:
                user = None
        return Context(
            request=request, response=response, user=user, token=token,
            scope=build_scope(user, token),
        )


graphql_view = csrf_exempt(ClusterbaseGraphQLView.as_view(schema=schema, graphql_ide="graphiql" if settings.DEBUG else None))
