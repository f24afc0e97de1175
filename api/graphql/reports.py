"""GraphQL: annual reports. Generate one (a job), read where a stored report is, share it.

Resolvers map arguments to ``reports.services`` / ``reports.selectors``; the rules (who
generates, reads and shares what; years and languages) are there, the same as REST's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from clusters.selectors.registry import cluster_get
from reports.links import report_urls, share_urls
from reports.models import ReportKind, StoredReport
from reports.selectors.stored import ReportNotGenerated, stored_report_get
from reports.services import shares
from reports.services.requests import report_request

from .context import Context
from .jobs import JobType, job_type

ClusterArg = Annotated[
    str | None,
    strawberry.argument(description="A cluster's slug: its annual report; none: the programme's."),
]
LangArg = Annotated[
    str | None,
    strawberry.argument(description="en, es or nb; the programme's language when absent."),
]


@strawberry.type(name="StoredReport")
class StoredReportType:
    kind: str = strawberry.field(description="cluster, program or clusters (the zip).")
    year: int
    language: str
    html_url: str | None = strawberry.field(description="The API path of its HTML.")
    pdf_url: str | None = strawberry.field(description="The API path of its PDF.")
    zip_url: str | None = strawberry.field(description="The API path of the zip (batch only).")
    pages: int | None
    as_of: dt.datetime = strawberry.field(description="The latest change to what it shows.")
    generated_at: dt.datetime


@strawberry.type(name="ReportShare")
class ReportShareType:
    id: int
    url: str = strawberry.field(description="Opens the report's HTML without a token.")
    pdf_url: str
    language: str
    year: int
    expires_at: dt.datetime


def _target(info: Info, program: str, cluster: str | None) -> tuple[Any, Any, str]:
    ctx: Context = info.context
    access = ctx.require_access(program)
    if cluster is None:
        return access, None, ReportKind.PROGRAM
    return access, cluster_get(access=access, slug=cluster), ReportKind.CLUSTER


def _stored(report: StoredReport) -> StoredReportType:
    urls = report_urls(report)
    return StoredReportType(
        kind=report.kind,
        year=report.year,
        language=report.language,
        html_url=urls.get("html"),
        pdf_url=urls.get("pdf"),
        zip_url=urls.get("zip"),
        pages=report.pages,
        as_of=report.as_of,
        generated_at=report.generated_at,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="A stored annual report (a cluster's, or the programme's without "
        "`cluster`) in a language; null until it has been generated."
    )
    def annual_report(
        self,
        info: Info,
        program: str,
        year: int,
        cluster: ClusterArg = None,
        lang: LangArg = None,
        clusters_zip: bool = False,
    ) -> StoredReportType | None:
        access, instance, kind = _target(info, program, cluster)
        if clusters_zip and instance is None:
            kind = ReportKind.CLUSTERS
        fmt = "zip" if kind == ReportKind.CLUSTERS else "pdf"
        try:
            report = stored_report_get(
                access=access, kind=kind, cluster=instance, year=year, lang=lang, fmt=fmt
            )
        except ReportNotGenerated:
            return None
        return _stored(report)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Generate a cluster's annual report (admins, the cluster's editors) or, "
        "without `cluster`, the programme's portfolio report (admins): a job."
    )
    def generate_report(
        self, info: Info, program: str, year: int, cluster: ClusterArg = None, lang: LangArg = None
    ) -> JobType:
        access, instance, kind = _target(info, program, cluster)
        return job_type(
            report_request(access=access, kind=kind, year=year, lang=lang, cluster=instance)
        )

    @strawberry.mutation(
        description="Generate every cluster's annual report of the year and a zip of them "
        "all (admins): a job."
    )
    def generate_cluster_reports(
        self, info: Info, program: str, year: int, lang: LangArg = None
    ) -> JobType:
        access = info.context.require_access(program)
        return job_type(
            report_request(access=access, kind=ReportKind.CLUSTERS, year=year, lang=lang)
        )

    @strawberry.mutation(
        description="A link that opens a stored report without a token until `expiresAt` "
        "(default 30 days, at most a year) or until revoked; shown only now."
    )
    def share_report(
        self,
        info: Info,
        program: str,
        year: int,
        cluster: ClusterArg = None,
        lang: LangArg = None,
        expires_at: str | None = None,
    ) -> ReportShareType:
        access, instance, kind = _target(info, program, cluster)
        body = {"expires_at": expires_at} if expires_at is not None else {}
        share, raw = shares.share_create(
            access=access, kind=kind, cluster=instance, year=year, lang=lang, data=body
        )
        urls = share_urls(raw, request=info.context.request)
        return ReportShareType(
            id=share.pk,
            url=urls["url"],
            pdf_url=urls["pdf_url"],
            language=share.language,
            year=share.year,
            expires_at=share.expires_at,
        )

    @strawberry.mutation(description="Revoke a shared link at once. Answers true.")
    def revoke_report_share(
        self, info: Info, program: str, year: int, id: strawberry.ID, cluster: ClusterArg = None
    ) -> bool:
        access, instance, kind = _target(info, program, cluster)
        shares.share_revoke(access=access, kind=kind, cluster=instance, year=year, share_id=id)
        return True
