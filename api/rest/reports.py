"""Annual reports over REST: generate (a job), read the stored HTML and PDF, share.

Thin: the rules (who generates, shares and reads what; years, languages; expiry) are in
``reports.services`` and ``reports.selectors``. Under /programs/{program}/ for the
programme's reports and /programs/{program}/clusters/{cluster}/ for a cluster's; shared
links under /shared/reports/.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import BasePagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clusters.selectors.jobs import job_data
from reports.links import share_urls
from reports.models import ReportKind, ReportShare, StoredReport
from reports.selectors.stored import (
    FORMATS,
    ReportNotGenerated,
    file_name,
    report_file,
    stored_report_get,
)
from reports.services import shares
from reports.services.requests import report_request

from .base import ProgramScopedView
from .canvases import LenientNegotiation
from .jobs import JobSerializer
from .pagination import PageNumberPagination

LANG = OpenApiParameter(
    "lang",
    str,
    enum=["en", "es", "nb"],
    description="The report's language; the programme's language when absent.",
)
# A report is a document people open: it runs nothing and loads nothing from elsewhere.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
HTML_DOC = OpenApiResponse(OpenApiTypes.STR, description="The report as one HTML document.")
PDF_DOC = OpenApiResponse(OpenApiTypes.BINARY, description="The report as a tagged A4 PDF.")
ZIP_DOC = OpenApiResponse(OpenApiTypes.BINARY, description="Every cluster's report, zipped.")
SHARE_REQUEST = inline_serializer(
    "ReportShareRequest",
    {
        "expires_at": serializers.DateTimeField(
            required=False,
            help_text="When the link stops working (ISO 8601 time or date); default 30 days, "
            "at most a year.",
        )
    },
)


class ReportShareSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="Opens the report's HTML without a token.")
    pdf_url = serializers.CharField(help_text="Opens the report's PDF without a token.")
    language = serializers.CharField()
    year = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()


class ReportShareItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    language = serializers.CharField()
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    active = serializers.BooleanField()


def _stamp(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def accepted(program: str, job: Any) -> Response:
    job.refresh_from_db()
    response = Response(job_data(job), status=status.HTTP_202_ACCEPTED)
    response["Location"] = f"/api/v1/programs/{program}/jobs/{job.pk}/"
    return response


def file_response(report: StoredReport, fmt: str, *, shared: bool = False) -> FileResponse:
    response = FileResponse(
        report_file(report, fmt),
        content_type=FORMATS[fmt],
        as_attachment=fmt == "zip",
        filename=file_name(report, fmt),
    )
    response["Content-Length"] = str(report.files[fmt]["size"])
    response["Content-Language"] = report.language
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if shared else "private, max-age=0"
    if fmt == "html":
        response["Content-Security-Policy"] = HTML_POLICY
    if shared:
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class ReportBase(ProgramScopedView):
    queryset = StoredReport.objects.none()
    pagination_class: type[BasePagination] | None = None
    kind: str = ReportKind.PROGRAM

    @property
    def report_cluster(self) -> Any:
        return self.cluster if self.kind == ReportKind.CLUSTER else None


class ReportGenerate(ReportBase):
    def post(self, request: Request, program: str, year: int, **kwargs: Any) -> Response:
        job = report_request(
            access=self.access,
            kind=self.kind,
            year=year,
            lang=request.query_params.get("lang"),
            cluster=self.report_cluster,
            data=request.data,
        )
        return accepted(program, job)


class ClusterReportGenerate(ReportGenerate):
    """Generate the cluster's annual report of `year` (a job: 202 with `Location`): its
    financing, costs, KPIs against last year and its roadmap, canvases and completeness, as
    HTML and PDF in `?lang=`. Generating again replaces the stored report. Admins and the
    cluster's editors."""

    kind = ReportKind.CLUSTER

    @extend_schema(parameters=[LANG], request=None, responses={202: JobSerializer})
    def post(self, request: Request, program: str, year: int, **kwargs: Any) -> Response:
        return super().post(request, program, year, **kwargs)


class ProgramReportGenerate(ReportGenerate):
    """Generate the programme's portfolio report of `year` (a job): funding mix and trend,
    breakdowns, public reliance, costs, value impact, roadmaps, completeness, the saved
    what-if and the European benchmark. Admins."""

    kind = ReportKind.PROGRAM

    @extend_schema(parameters=[LANG], request=None, responses={202: JobSerializer})
    def post(self, request: Request, program: str, year: int, **kwargs: Any) -> Response:
        return super().post(request, program, year, **kwargs)


class ClustersReportGenerate(ReportGenerate):
    """Generate every cluster's annual report of `year` in one job (each stored as that
    cluster's report) and a zip of them all, read at `reports/{year}/clusters.zip`. Admins."""

    kind = ReportKind.CLUSTERS

    @extend_schema(parameters=[LANG], request=None, responses={202: JobSerializer})
    def post(self, request: Request, program: str, year: int, **kwargs: Any) -> Response:
        return super().post(request, program, year, **kwargs)


class ReportFile(ReportBase):
    content_negotiation_class = LenientNegotiation
    fmt = "html"

    def get(self, request: Request, program: str, year: int, **kwargs: Any) -> FileResponse:
        try:
            report = stored_report_get(
                access=self.access,
                kind=self.kind,
                cluster=self.report_cluster,
                year=year,
                lang=request.query_params.get("lang"),
                fmt=self.fmt,
            )
        except ReportNotGenerated as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return file_response(report, self.fmt)


def _file_view(
    kind: str, fmt: str, doc: OpenApiResponse, media: str, text: str
) -> type[ReportFile]:
    class View(ReportFile):
        __doc__ = text

        @extend_schema(parameters=[LANG], responses={(200, media): doc})
        def get(self, request: Request, program: str, year: int, **kwargs: Any) -> FileResponse:
            return super().get(request, program, year, **kwargs)

    View.kind, View.fmt = kind, fmt
    View.__name__ = View.__qualname__ = f"{kind.title()}Report{fmt.title()}"
    return View


CLUSTER_READ = (
    "The stored annual report of the cluster (404 until generated in that language). "
    "Admins, analysts and the cluster's editors."
)
PROGRAM_READ = (
    "The stored portfolio report (404 until generated in that language). Admins and analysts."
)
ClusterReportHtml = _file_view(ReportKind.CLUSTER, "html", HTML_DOC, "text/html", CLUSTER_READ)
ClusterReportPdf = _file_view(ReportKind.CLUSTER, "pdf", PDF_DOC, "application/pdf", CLUSTER_READ)
ProgramReportHtml = _file_view(ReportKind.PROGRAM, "html", HTML_DOC, "text/html", PROGRAM_READ)
ProgramReportPdf = _file_view(ReportKind.PROGRAM, "pdf", PDF_DOC, "application/pdf", PROGRAM_READ)
ClustersReportZip = _file_view(
    ReportKind.CLUSTERS,
    "zip",
    ZIP_DOC,
    "application/zip",
    "Every cluster's report of the year in one zip (404 until generated). Admins and analysts.",
)


class ReportShares(ReportBase):
    """POST makes a link that opens this report (HTML and PDF, in `?lang=` or the
    programme's language) without a token until `expires_at` (default 30 days, at most a
    year) or until it is revoked; the link is shown only in this answer. GET lists the links
    made (never their secret). Admins; a cluster's editors for their cluster's report."""

    pagination_class = PageNumberPagination

    @extend_schema(parameters=[LANG], request=SHARE_REQUEST, responses={201: ReportShareSerializer})
    def post(self, request: Request, program: str, year: int, **kwargs: Any) -> Response:
        share, raw = shares.share_create(
            access=self.access,
            kind=self.kind,
            cluster=self.report_cluster,
            year=year,
            lang=request.query_params.get("lang"),
            data=request.data,
        )
        body = {
            "id": share.pk,
            **share_urls(raw, request=request._request),
            "language": share.language,
            "year": share.year,
            "expires_at": _stamp(share.expires_at),
            "created_at": _stamp(share.created_at),
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ReportShareItemSerializer(many=True))
    def get(self, request: Request, program: str, year: int, **kwargs: Any) -> Response:
        items = shares.share_list(
            access=self.access, kind=self.kind, cluster=self.report_cluster, year=year
        )
        page = self.paginate_queryset(items)
        assert page is not None
        return self.get_paginated_response(
            [
                {
                    "id": s.pk,
                    "language": s.language,
                    "created_by": s.created_by,
                    "created_at": _stamp(s.created_at),
                    "expires_at": _stamp(s.expires_at),
                    "revoked_at": _stamp(s.revoked_at),
                    "active": s.is_active,
                }
                for s in page
            ]
        )


class ReportShareDetail(ReportBase):
    """DELETE revokes a link at once (204; revoking it again is a 204 too)."""

    @extend_schema(responses={204: None})
    def delete(
        self, request: Request, program: str, year: int, share: int, **kwargs: Any
    ) -> Response:
        shares.share_revoke(
            access=self.access,
            kind=self.kind,
            cluster=self.report_cluster,
            year=year,
            share_id=share,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClusterReportShares(ReportShares):
    kind = ReportKind.CLUSTER


class ProgramReportShares(ReportShares):
    kind = ReportKind.PROGRAM


class ClusterReportShareDetail(ReportShareDetail):
    kind = ReportKind.CLUSTER


class ProgramReportShareDetail(ReportShareDetail):
    kind = ReportKind.PROGRAM


class SharedReport(APIView):
    """A shared report, opened with the link's secret instead of a token (no
    `Authorization`): the HTML or the PDF, in the language it was shared in or `?lang=`.
    404 once the link has expired or been revoked, and for anything else."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    content_negotiation_class = LenientNegotiation
    fmt = "html"

    def get(self, request: Request, token: str) -> FileResponse:
        try:
            _share, report = shares.shared_report_get(
                raw=token, lang=request.query_params.get("lang"), fmt=self.fmt
            )
        except ReportShare.DoesNotExist as exc:
            raise exceptions.NotFound("This link is unknown, expired or revoked.") from exc
        return file_response(report, self.fmt, shared=True)


class SharedReportHtml(SharedReport):
    fmt = "html"

    @extend_schema(parameters=[LANG], responses={(200, "text/html"): HTML_DOC}, auth=[])
    def get(self, request: Request, token: str) -> FileResponse:
        return super().get(request, token)


class SharedReportPdf(SharedReport):
    fmt = "pdf"

    @extend_schema(parameters=[LANG], responses={(200, "application/pdf"): PDF_DOC}, auth=[])
    def get(self, request: Request, token: str) -> FileResponse:
        return super().get(request, token)
