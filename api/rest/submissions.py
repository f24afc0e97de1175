"""Annual submissions: /programs/{program}/clusters/{cluster}/submissions/...

The rules live in ``clusters.services.submissions``; these views parse the request, call
the service and render the submission with its ``ETag: "<version>"``.
"""

from __future__ import annotations

from typing import Any

from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.errors import PayloadTooLarge
from clusters.models import (
    Program,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
)
from clusters.selectors.submissions import (
    period_status,
    submission_get,
    submission_history,
    submission_list,
)
from clusters.selectors.warnings import warnings_for
from clusters.services import submissions as svc
from clusters.services import workflow
from clusters.validation import Problems, check_keys, require_body

from .base import ProgramScopedView
from .submission_serializers import (
    PeriodStatusSerializer,
    ReturnRequest,
    SubmissionEventSerializer,
    SubmissionInputSerializer,
    SubmissionPatchSerializer,
    SubmissionSerializer,
)

# A submission body is at most a few hundred lines; anything near this is not one.
MAX_BODY_BYTES = 512 * 1024


# --- views ---------------------------------------------------------------------------

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read, e.g. "3": the write fails with 412 if the submission has '
    "changed since.",
)
IF_NONE_MATCH_PUT = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="`*`: only create; 412 if the submission exists already.",
)
IF_NONE_MATCH_GET = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag you hold: 304 Not Modified while it is still current.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The submission\'s version as a strong entity tag, e.g. "3".',
)


def with_warnings(program: Program, submissions: list[Submission]) -> list[Submission]:
    """Attach each submission's warnings (four queries for the lot) for the serializer."""
    found = warnings_for(program=program, submissions=submissions)
    for submission in submissions:
        # the serializer's computed field reads it: not a model field.
        submission.warnings = found[submission.pk]  # type: ignore[attr-defined]
    return submissions


def submission_response(
    submission: Submission, *, program: Program, status_code: int = 200
) -> Response:
    with_warnings(program, [submission])
    response = Response(SubmissionSerializer(submission).data, status=status_code)
    response["ETag"] = f'"{submission.version}"'
    patch_vary_headers(response, ["Authorization"])
    return response


def _refuse_too_large(request: Request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise PayloadTooLarge(
            f"The body has {length} bytes; a submission accepts at most {MAX_BODY_BYTES}.",
            field="body",
        )


class _SubmissionView(ProgramScopedView):
    queryset = Submission.objects.none()
    serializer_class = SubmissionSerializer
    filter_backends: list[Any] = []

    def safely_get_queryset(self, queryset):
        # self.cluster: resolved by ProgramScopedView inside the caller's scope (404 otherwise).
        return submission_list(access=self.access, cluster=self.cluster)

    def reload(self, submission: Submission) -> Submission:
        return submission_get(access=self.access, cluster=submission.cluster, year=submission.year)


class SubmissionList(_SubmissionView, generics.ListAPIView):
    """A cluster's annual submissions, newest year first (paginated), each with its
    `comments` and `warnings`."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # every collection is paginated
        with_warnings(self.access.program, list(page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SubmissionDetail(_SubmissionView):
    """The cluster's submission for one year.

    PUT creates (201) or replaces the whole document; PATCH replaces only the top-level keys
    it sends. Cluster editors write only while the year's reporting period is open (state
    `open` and today within `opens_on`..`closes_on`); admins at any time. Content is written
    only in `draft` and `returned`. Send the `ETag` you read as `If-Match` to avoid
    overwriting someone else's change (412 when stale).
    """

    @extend_schema(
        responses={200: SubmissionSerializer, 304: None}, parameters=[ETAG, IF_NONE_MATCH_GET]
    )
    def get(self, request: Request, program: str, cluster: str, year: int) -> Response:
        submission = submission_get(access=self.access, cluster=self.cluster, year=year)
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and svc.if_match_allows(
            if_none_match.replace("W/", ""), submission.version
        ):
            # Weak comparison, as RFC 9110 asks for If-None-Match.
            response = Response(status=304)
            response["ETag"] = f'"{submission.version}"'
            return response
        return submission_response(submission, program=self.access.program)

    @extend_schema(
        request=SubmissionInputSerializer,
        parameters=[IF_MATCH, IF_NONE_MATCH_PUT, ETAG],
        responses={200: SubmissionSerializer, 201: SubmissionSerializer},
    )
    def put(self, request: Request, program: str, cluster: str, year: int) -> Response:
        _refuse_too_large(request)
        target = self.cluster
        submission, created = svc.submission_put(
            access=self.access,
            cluster=target,
            year=year,
            data=request.data,
            if_match=request.headers.get("If-Match"),
            if_none_match=request.headers.get("If-None-Match"),
        )
        return submission_response(
            self.reload(submission),
            program=self.access.program,
            status_code=201 if created else 200,
        )

    @extend_schema(
        request=SubmissionPatchSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: SubmissionSerializer},
    )
    def patch(self, request: Request, program: str, cluster: str, year: int) -> Response:
        _refuse_too_large(request)
        target = self.cluster
        submission = svc.submission_patch(
            access=self.access,
            cluster=target,
            year=year,
            data=request.data,
            if_match=request.headers.get("If-Match"),
        )
        return submission_response(self.reload(submission), program=self.access.program)


class _MoveView(_SubmissionView):
    move: str = ""

    def perform_move(self, request: Request, target: Any, year: int) -> Submission:
        service = {
            "submit": workflow.submission_submit,
            "approve": workflow.submission_approve,
            "reopen": workflow.submission_reopen,
        }[self.move]
        return service(
            access=self.access, cluster=target, year=year, if_match=request.headers.get("If-Match")
        )

    def post(self, request: Request, program: str, cluster: str, year: int) -> Response:
        target = self.cluster
        submission = self.perform_move(request, target, year)
        return submission_response(self.reload(submission), program=self.access.program)


_MOVE_SCHEMA: dict[str, Any] = {
    "request": None,
    "parameters": [IF_MATCH],
    "responses": {200: SubmissionSerializer},
}


@extend_schema(
    **_MOVE_SCHEMA,
    description="draft or returned -> submitted (the cluster's editor while the period is open, or an admin). Repeating it is a no-op.",
)
class SubmissionSubmit(_MoveView):
    move = "submit"


@extend_schema(
    **_MOVE_SCHEMA, description="submitted -> approved (program_admin). Repeating it is a no-op."
)
class SubmissionApprove(_MoveView):
    move = "approve"


@extend_schema(
    **_MOVE_SCHEMA,
    description="approved -> draft (program_admin), to correct figures. Repeating it is a no-op.",
)
class SubmissionReopen(_MoveView):
    move = "reopen"


@extend_schema(
    request=ReturnRequest,
    parameters=[IF_MATCH, ETAG],
    responses={200: SubmissionSerializer},
    description='submitted -> returned with `{"comment", "fields": [{"field", "comment"}]}` '
    "(program_admin). Field paths are those of the history (`funding.membership_fees.amount`, "
    "`costs.staff.amount`, `kpis.jobs_created.value`, a whole line `funding.eu_projects` or "
    "section `kpis`); each becomes an open comment on the submission until that field "
    "changes or someone resolves it. Repeating it is a no-op.",
)
class SubmissionReturn(_MoveView):
    move = "return"

    def perform_move(self, request: Request, target: Any, year: int) -> Submission:
        body = require_body(request.data)
        check_keys(
            body, allowed=("comment", "fields"), problems=(problems := Problems()), what="a return"
        )
        problems.raise_if_any()
        return workflow.submission_return(
            access=self.access,
            cluster=target,
            year=year,
            comment=body.get("comment"),
            fields=body.get("fields"),
            if_match=request.headers.get("If-Match"),
        )


class SubmissionHistory(ProgramScopedView, generics.ListAPIView):
    """Every content and state change of a submission, oldest first (paginated). `changes`
    lists field-level differences such as `funding.membership_fees.amount`."""

    queryset = SubmissionEvent.objects.none()
    serializer_class = SubmissionEventSerializer
    filter_backends: list[Any] = []

    def safely_get_queryset(self, queryset):
        submission = (
            Submission.objects.for_program(self.access.program)
            .filter(cluster=self.cluster)
            .only("pk")
            .get(year=self.kwargs["year"])
        )
        return submission_history(access=self.access, submission=submission)


class PeriodStatus(ProgramScopedView):
    """Where each active cluster stands for a reporting year (program_admin, program_analyst).

    `state` is the submission's state or `missing`; `late` is true once `closes_on` has
    passed for a cluster whose submission is not submitted or approved.
    """

    queryset = ReportingPeriod.objects.none()
    serializer_class = PeriodStatusSerializer

    def get(self, request: Request, program: str, year: int) -> Response:
        return Response(PeriodStatusSerializer(period_status(access=self.access, year=year)).data)


__all__ = [
    "PeriodStatus",
    "SubmissionApprove",
    "SubmissionDetail",
    "SubmissionHistory",
    "SubmissionList",
    "SubmissionReopen",
    "SubmissionReturn",
    "SubmissionSubmit",
]
