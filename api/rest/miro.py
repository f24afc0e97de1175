"""Miro over REST: the programme's access token (admins) and the export and import jobs of a
canvas (202 with a job). The work itself is in canvases.miro."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from canvases import services as svc
from canvases.models import Canvas
from clusters.models import Job
from clusters.selectors.jobs import job_data

from .base import ProgramScopedView
from .canvases import CanvasBase
from .jobs import JobSerializer

MIRO_REQUEST = inline_serializer(
    "MiroRequest",
    {
        "board_id": serializers.CharField(
            help_text="The board's id (the part of its link after /board/)."
        ),
        "alternative": serializers.CharField(required=False),
    },
)


def _accepted(request: Request, program: str, job: Job) -> Response:
    response = Response(job_data(job), status=status.HTTP_202_ACCEPTED)
    response["Location"] = f"/api/v1/programs/{program}/jobs/{job.pk}/"
    return response


class MiroExport(CanvasBase):
    """Export the canvas to a Miro board (a job: 202 with `Location`): a frame, a shape per
    block, a sticky note per note (blue as-is, orange to-be). A second export to the same
    board updates the same items. Admins and the cluster's editors."""

    @extend_schema(request=MIRO_REQUEST, responses={202: JobSerializer})
    def post(self, request: Request, program: str, cluster: str, kind: str) -> Response:
        job = svc.miro_export_request(
            access=self.access, cluster=self.cluster, kind=kind, data=request.data
        )
        job.refresh_from_db()
        return _accepted(request, program, job)


class MiroImport(CanvasBase):
    """Import the canvas back from a Miro board (a job): stickies whose centre lies in a
    block become its notes (orange: to-be); the others are listed in `result.unplaced`.
    Offered for the business-model canvas, the strategy and the value triangle."""

    @extend_schema(request=MIRO_REQUEST, responses={202: JobSerializer})
    def post(self, request: Request, program: str, cluster: str, kind: str) -> Response:
        job = svc.miro_import_request(
            access=self.access, cluster=self.cluster, kind=kind, data=request.data
        )
        job.refresh_from_db()
        return _accepted(request, program, job)


class MiroIntegration(ProgramScopedView):
    """The programme's Miro access (admins). PUT `{"access_token"}` stores it encrypted (an
    empty token removes it); GET answers only whether it is configured."""

    queryset = Canvas.objects.none()
    pagination_class = None
    CONFIGURED = inline_serializer("MiroIntegration", {"configured": serializers.BooleanField()})

    @extend_schema(responses=CONFIGURED)
    def get(self, request: Request, program: str) -> Response:
        return Response({"configured": svc.miro_configured(access=self.access)})

    @extend_schema(
        request=inline_serializer("MiroToken", {"access_token": serializers.CharField()}),
        responses=CONFIGURED,
    )
    def put(self, request: Request, program: str) -> Response:
        connection = svc.miro_token_set(access=self.access, data=request.data)
        return Response({"configured": connection is not None})
