"""Jobs over REST: long work (Miro export and import, reports) answers 202 with a job; its
URL reads how it is doing."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.models import Job
from clusters.selectors.jobs import job_data, job_get

from .base import ProgramScopedView


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(
        help_text="canvas.miro_export, canvas.miro_import, report.cluster, report.program, "
        "report.clusters"
    )
    state = serializers.ChoiceField(choices=["queued", "running", "succeeded", "failed"])
    progress = serializers.FloatField(help_text="0 to 1")
    result = serializers.JSONField(
        allow_null=True,
        help_text="Miro jobs: board_url and counts. Report jobs: year, language, the html and "
        "pdf paths (zip for report.clusters), pages, sizes, as_of.",
    )
    error = serializers.CharField(allow_null=True)
    cluster = serializers.CharField(allow_null=True)
    requested_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class JobDetail(ProgramScopedView):
    """A job: visible to the programme's admins and analysts, and to the editors of the
    cluster it works on (others get 404)."""

    queryset = Job.objects.none()
    serializer_class = JobSerializer
    pagination_class = None

    def get(self, request: Request, program: str, job: int) -> Response:
        return Response(job_data(job_get(access=self.access, job_id=job)))
