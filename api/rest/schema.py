"""OpenAPI: every operation documents its problem-details error responses."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .problems import PROBLEM_CONTENT_TYPE


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    errors = ProblemFieldErrorSerializer(many=True, required=False)  # type: ignore[assignment]


ERRORS_EVERYWHERE = {
    "401": "No token, or an unknown, expired or revoked one.",
    "404": "Not found, or not visible to the caller.",
    "405": "Method not allowed.",
    "406": "The requested representation is not available.",
    "429": "Throttled; see Retry-After.",
    "500": "Unexpected server error.",
    # Any call may meet SQLite's single writer (a token's last use is written on every call).
    "503": "The database is busy; retry after Retry-After seconds.",
}
ERRORS_FOR_WRITES = {
    "400": "Invalid input; `errors` names each field.",
    "403": "The caller's role may not do this.",
    "409": "The resource's state does not allow this.",
    "412": "Stale If-Match.",
    "413": "Body too large.",
    "415": "Unsupported media type.",
}
ERRORS_FOR_READS = {
    "400": "Invalid query parameters.",
    "403": "The caller's role may not read this.",
}


class ProblemAutoSchema(AutoSchema):
    def _get_paginator(self) -> Any:
        # Only a GET of a collection is paginated; a PUT of a list (fx rates) answers the
        # plain list it wrote, and the schema must say so.
        if self.method != "GET":
            return None
        return super()._get_paginator()

    def get_filter_backends(self) -> list[Any]:
        # Likewise only a GET of a collection is filtered: a PUT of a list takes no `year`,
        # `currency`, `search` or `ordering`, so the schema must not offer them.
        if self.method != "GET":
            return []
        return super().get_filter_backends()

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERRORS_EVERYWHERE)
        errors.update(ERRORS_FOR_READS if self.method in ("GET", "HEAD") else ERRORS_FOR_WRITES)
        component = self.resolve_serializer(ProblemSerializer(), "response")
        problem_content = {PROBLEM_CONTENT_TYPE: {"schema": component.ref}}
        for code, response in responses.items():
            # Whatever a view declared for an error status, errors are problem details.
            if code.isdigit() and int(code) >= 400 and isinstance(response, dict):
                response["content"] = problem_content
        for code, description in errors.items():
            responses.setdefault(code, {"description": description, "content": problem_content})
        return responses


# The problems of the file endpoints (exports, imports, workbooks), declared per operation.
def problem_response(status_code: int, description: str) -> OpenApiResponse:
    return OpenApiResponse(
        description=description,
        response={
            "type": "object",
            "properties": {k: {"type": "string"} for k in ("type", "title", "detail")},
        },
    )


FILE_PROBLEMS = {
    400: problem_response(400, "Bad parameters or file: problem details with an `errors` list."),
    403: problem_response(403, "The role may not do this."),
    404: problem_response(404, "No such programme or cluster for this caller."),
}
