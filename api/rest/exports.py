"""Data in and out: the facts CSV (export and import) and the submission XLSX template.

- ``GET  /programs/{program}/exports/facts.csv?year=Y&state=any``: streamed CSV.
- ``POST /programs/{program}/imports/facts``: multipart ``file`` (+ ``approve``, ``dry_run``).
- ``GET  .../clusters/{cluster}/submissions/{year}/template.xlsx``: a workbook to fill in.
- ``POST .../clusters/{cluster}/submissions/{year}/upload.xlsx``: the filled-in workbook.

The rules live in ``clusters.services.facts`` and ``clusters.services.xlsx``.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Any, cast

from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import renderers, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.models import Cluster, Submission, SubmissionState
from clusters.selectors.facts import facts_csv_lines, facts_rows
from clusters.selectors.submissions import submission_get
from clusters.services import facts as facts_svc
from clusters.services import xlsx as xlsx_svc
from clusters.validation import Problems, check_choice, check_flag, check_year

from .base import ProgramScopedView, StrictSerializer
from .problems import PROBLEM_CONTENT_TYPE, problem
from .renderers import JSONRenderer
from .submissions import SubmissionSerializer, WarningSerializer, submission_response

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PassthroughRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file's type in ``Accept``; errors still go out as JSON."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        return JSONRenderer().render(data)


class CsvRenderer(PassthroughRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(PassthroughRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


def _problem_response(status_code: int, description: str) -> OpenApiResponse:
    return OpenApiResponse(
        description=description,
        response={
            "type": "object",
            "properties": {k: {"type": "string"} for k in ("type", "title", "detail")},
        },
    )


PROBLEMS = {
    400: _problem_response(400, "Bad parameters or file: problem details with an `errors` list."),
    403: _problem_response(403, "The role may not do this."),
    404: _problem_response(404, "No such programme or cluster for this caller."),
}


# --- the facts CSV export ------------------------------------------------------------


STATE_CHOICES = ["any", *SubmissionState.values]


class FactsExport(ProgramScopedView):
    """The facts CSV: one row per funding line, cost line and KPI value.

    Header `cluster,year,currency,line,code,amount,in_kind,restricted,note`; rows ordered
    by cluster slug, year, line (funding, cost, kpi) and code; amounts exactly as stored,
    in the submission's currency. `in_kind` and `restricted` (`true`/`false`) are filled
    on funding lines only, `note` on funding and cost lines. Approved submissions only unless `state` says otherwise (`any` for every
    state). A cluster_editor gets its own clusters' rows only. Streamed: any size.
    """

    queryset = Cluster.objects.none()
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="facts_export",
        parameters=[
            OpenApiParameter(
                "year",
                int,
                required=False,
                description="Only this reporting year (default: every year).",
            ),
            OpenApiParameter(
                "state",
                str,
                required=False,
                enum=STATE_CHOICES,
                description="Submission state to export: `approved` (default), "
                "`any` for every state, or one state.",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="UTF-8 CSV, header "
                "`cluster,year,currency,line,code,amount,in_kind,restricted,note`.",
            ),
            **PROBLEMS,
        },
    )
    def get(self, request: Request, program: str) -> StreamingHttpResponse:
        problems = Problems()
        year = check_year(request.query_params.get("year"), problems=problems, required=False)
        state_raw = (
            check_choice(
                request.query_params.get("state") or SubmissionState.APPROVED,
                field="state",
                problems=problems,
                choices=STATE_CHOICES,
            )
            or SubmissionState.APPROVED
        )
        problems.raise_if_any()
        state = None if state_raw == "any" else state_raw
        rows = facts_rows(access=self.access, year=year, state=state)
        response = StreamingHttpResponse(
            (line.encode() for line in facts_csv_lines(rows)),
            content_type="text/csv; charset=utf-8",
        )
        suffix = str(year) if year is not None else "all-years"
        state_part = "" if state_raw == SubmissionState.APPROVED else f"-{state_raw}"
        response["Content-Disposition"] = (
            f'attachment; filename="{program}-facts-{suffix}{state_part}.csv"'
        )
        return response


# --- the facts CSV import ------------------------------------------------------------


class FactsImportRequest(StrictSerializer):
    file = serializers.FileField(
        help_text="The facts CSV, UTF-8, header cluster,year,currency,line,code,amount, "
        "optionally followed by in_kind,restricted,note."
    )
    approve = serializers.BooleanField(
        default=False,
        help_text="program_admin only: imported submissions become approved (historical data); "
        "submitted and approved submissions may then be restated too.",
    )
    dry_run = serializers.BooleanField(
        default=False,
        help_text="Write nothing; the answer's `changes` says what the import would do.",
    )


class FieldChange(serializers.Serializer):
    field = serializers.CharField(help_text='As in history, e.g. "funding.eu_projects.amount".')


# "from" is a Python keyword: declared through the fields dict.
FieldChange._declared_fields["from"] = serializers.CharField(allow_null=True)
FieldChange._declared_fields["to"] = serializers.CharField(allow_null=True)


class StateChange(serializers.Serializer):
    to = serializers.CharField()


StateChange._declared_fields["from"] = serializers.CharField(
    allow_null=True, help_text="null: the submission is new"
)


class ClusterYearChange(serializers.Serializer):
    cluster = serializers.CharField()
    year = serializers.IntegerField()
    added = FieldChange(many=True, help_text="Fields that are new (`from` is null).")
    changed = FieldChange(many=True)
    removed = FieldChange(many=True, help_text="Fields that go away (`to` is null).")
    state = StateChange(allow_null=True, help_text="null: the state does not change.")


class FactsImportResult(serializers.Serializer):
    rows = serializers.IntegerField()
    cluster_years = serializers.IntegerField()
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    approve = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    changes = ClusterYearChange(
        many=True,
        help_text="Per cluster-year of the file, ordered by cluster and year: what was "
        "(with dry_run: would be) added, changed and removed, and which submissions change "
        "state. The same after a real import.",
    )
    changes_truncated = serializers.BooleanField(
        help_text="True when the field lists stop after 50,000 field changes in all."
    )
    seconds = serializers.FloatField()


def _upload_lines(upload: Any) -> Any:
    """A fresh iterable of text lines over the uploaded file (read twice by the import)."""

    def open_lines() -> Iterator[str]:
        upload.seek(0)
        return codecs.iterdecode(iter(upload), "utf-8-sig")

    return open_lines


class FactsImport(ProgramScopedView):
    """Import a facts CSV: the same format the export writes.

    The whole file is validated first; if any row is bad the answer is 400 with one
    `errors` item per problem (`field` like `row 12: amount`, row 1 being the header) and
    nothing is written. The rows of one cluster-year replace that submission's funding,
    costs and KPIs. With the columns `in_kind,restricted,note` the file restates the
    lines' flags and notes too; without them, a line that already exists keeps its stored
    flags and note. Re-importing the same file (an export included) changes nothing.

    program_admin imports for every cluster; a cluster_editor only for the clusters it
    holds (other rows are `unknown_cluster`) and only while the year's period is open;
    program_analyst gets 403. Without `approve`, submitted and approved submissions are
    not touched (a `not_editable` row error); with `approve` (admin only) every imported
    submission becomes approved, recorded in its history as `imported`.
    """

    queryset = Cluster.objects.none()
    parser_classes = [MultiPartParser]
    serializer_class = FactsImportRequest

    @extend_schema(
        operation_id="facts_import",
        request={"multipart/form-data": FactsImportRequest},
        responses={200: FactsImportResult, **PROBLEMS},
    )
    def post(self, request: Request, program: str) -> Response:
        form = cast(QueryDict, request.data)  # MultiPartParser only: always a form
        approve = str(form.get("approve", "")).lower() in ("true", "1", "on", "yes")
        facts_svc.facts_import_require_role(access=self.access, approve=approve)
        ser = FactsImportRequest(data=request.data)
        ser.is_valid(raise_exception=True)
        result = facts_svc.facts_import(
            access=self.access,
            open_lines=_upload_lines(ser.validated_data["file"]),
            approve=ser.validated_data["approve"],
            dry_run=ser.validated_data["dry_run"],
        )
        return Response(FactsImportResult(result.as_dict()).data)


# --- the submission workbook ---------------------------------------------------------


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
            **PROBLEMS,
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
            **PROBLEMS,
            409: _problem_response(409, "The submission is not editable (state, period)."),
            412: _problem_response(412, "`If-Match` is stale."),
            413: _problem_response(413, "The file is over 5 MiB or unpacks to more than 20 MiB."),
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


__all__ = [
    "FactsExport",
    "FactsImport",
    "SubmissionTemplate",
    "SubmissionUpload",
    "PROBLEM_CONTENT_TYPE",
    "problem",
]
