"""The submission workbook: a template to fill in offline, and its upload.

- ``GET  .../clusters/{cluster}/submissions/{year}/template.xlsx``: a workbook to fill in.
- ``POST .../clusters/{cluster}/submissions/{year}/upload.xlsx``: the filled-in workbook.

The rules live in ``clusters.services.xlsx``.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.models import Submission
from clusters.selectors.submissions import submission_get
from clusters.services import xlsx as xlsx_svc
from clusters.validation import Problems, check_flag

from .base import ProgramScopedView, StrictSerializer
from .exports import ClusterYearChange
from .renderers import XLSX_CONTENT_TYPE, JSONRenderer, XlsxRenderer
from .schema import FILE_PROBLEMS, problem_response
from .submission_serializers import SubmissionSerializer, WarningSerializer
from .submissions import submission_response


class SubmissionTemplate(ProgramScopedView):
    """A workbook to fill in a cluster's submission offline.

    Sheets `Funding` (one row per funding source of the catalogue: code, name, category,
    amount, in_kind, restricted, note), `Costs` (the four categories), `KPIs` (every KPI
    defined, with its unit) and `Info` (cluster, year, currency, staff_fte, notes),
    prefilled with the current values when the submission exists. For the cluster's
    editor and program_admin; send it back to `upload.xlsx`.
    """

    queryset = Submission.objects.none()
    renderer_classes = [JSONRenderer, XlsxRenderer]

    def safely_get_queryset(self, queryset):
        return queryset.filter(cluster=self.cluster)

    @extend_schema(
        operation_id="submission_template_xlsx",
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The workbook."
            ),
            **FILE_PROBLEMS,
        },
    )
    def get(self, request: Request, program: str, cluster: str, year: int) -> HttpResponse:
        content = xlsx_svc.template_build(access=self.access, cluster=self.cluster, year=year)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{cluster}-{year}-submission.xlsx"'
        return response


class WorkbookUploadRequest(StrictSerializer):
    file = serializers.FileField(help_text="The filled-in template.xlsx.")


class WorkbookPreview(serializers.Serializer):
    changes = ClusterYearChange(many=True, help_text="One entry: this cluster-year.")
    warnings = WarningSerializer(many=True, help_text="The warnings the upload would have.")


class SubmissionUpload(ProgramScopedView):
    """Upload a filled-in `template.xlsx`: it replaces the submission's content.

    The workbook becomes a submission document and goes through exactly the checks and
    the write of `PUT .../submissions/{year}/` (states, open period for editors,
    `If-Match`, history). Problems name the cell: `field` is like `Funding!D7`.
    An empty amount or value cell means no line. Answers the submission as a PUT does
    (201 when created).
    """

    queryset = Submission.objects.none()
    parser_classes = [MultiPartParser]
    serializer_class = WorkbookUploadRequest

    def safely_get_queryset(self, queryset):
        return queryset.filter(cluster=self.cluster)

    @extend_schema(
        operation_id="submission_upload_xlsx",
        request={"multipart/form-data": WorkbookUploadRequest},
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description='The ETag you read, e.g. "3" (412 when stale).',
            ),
            OpenApiParameter(
                "dry_run",
                bool,
                required=False,
                description="true: write nothing; answer what the upload would change "
                '(`{"changes": [...]}` as the facts import\'s dry run) and its warnings.',
            ),
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="UploadAnswer",
                serializers=[SubmissionSerializer, WorkbookPreview],
                resource_type_field_name=None,
                many=False,
            ),
            201: SubmissionSerializer,
            **FILE_PROBLEMS,
            409: problem_response(409, "The submission is not editable (state, period)."),
            412: problem_response(412, "`If-Match` is stale."),
            413: problem_response(413, "The file is over 5 MiB or unpacks to more than 20 MiB."),
        },
    )
    def post(self, request: Request, program: str, cluster: str, year: int) -> Response:
        xlsx_svc.workbook_require_writer(access=self.access, cluster=self.cluster)
        ser = WorkbookUploadRequest(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["file"]
        if check_flag(
            request.query_params.get("dry_run"), field="dry_run", problems=(problems := Problems())
        ):
            problems.raise_if_any()
            preview = xlsx_svc.workbook_preview(
                access=self.access,
                cluster=self.cluster,
                year=year,
                content=upload,
                size=upload.size,
                if_match=request.headers.get("If-Match"),
            )
            return Response(WorkbookPreview(preview).data)
        problems.raise_if_any()
        submission, created = xlsx_svc.workbook_upload(
            access=self.access,
            cluster=self.cluster,
            year=year,
            content=upload,
            size=upload.size,
            if_match=request.headers.get("If-Match"),
        )
        reloaded = submission_get(access=self.access, cluster=self.cluster, year=year)
        return submission_response(
            reloaded, program=self.access.program, status_code=201 if created else 200
        )
