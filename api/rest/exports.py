"""The facts CSV, out and in (the submission workbook is ``api/rest/workbooks.py``).

- ``GET  /programs/{program}/exports/facts.csv?year=Y&state=any``: streamed CSV.
- ``POST /programs/{program}/imports/facts``: multipart ``file`` (+ ``approve``, ``dry_run``).

The rules live in ``clusters.services.facts``.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Any, cast

from django.http import QueryDict, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.models import Cluster, SubmissionState
from clusters.selectors.facts import facts_csv_lines, facts_rows
from clusters.services import facts as facts_svc
from clusters.validation import Problems, check_choice, check_year

from .base import ProgramScopedView, StrictSerializer
from .renderers import CsvRenderer, JSONRenderer
from .schema import FILE_PROBLEMS

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
            **FILE_PROBLEMS,
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
        responses={200: FactsImportResult, **FILE_PROBLEMS},
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
