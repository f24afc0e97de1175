"""Reads of annual submissions, their history and the status of a reporting period."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from ..access import Access
from ..models import (
    Cluster,
    ClusterStatus,
    CostLine,
    FieldComment,
    FundingLine,
    KpiValue,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from .warnings import warnings_for

# A submission is "done" for a period once it is submitted or approved.
DONE_STATES = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


def with_lines(
    qs: QuerySet[Submission], program: Any, *, comments: bool = True
) -> QuerySet[Submission]:
    """Submissions with their lines and (``comments``) field comments, one query each."""
    qs = qs.prefetch_related(
        Prefetch(
            "funding",
            queryset=FundingLine.objects.for_program(program)
            .select_related("source")
            .order_by("id"),
        ),
        Prefetch("costs", queryset=CostLine.objects.for_program(program).order_by("id")),
        Prefetch(
            "kpis",
            queryset=KpiValue.objects.for_program(program).select_related("kpi").order_by("id"),
        ),
    )
    if comments:
        qs = qs.prefetch_related(
            Prefetch(
                "field_comments",
                queryset=FieldComment.objects.for_program(program).order_by("created_at", "id"),
            )
        )
    return qs


def submission_list(*, access: Access, cluster: Cluster) -> QuerySet[Submission]:
    """A cluster's submissions, newest year first, with their lines and field comments
    (five queries)."""
    program = access.program
    return with_lines(
        Submission.objects.for_program(program).filter(cluster=cluster).select_related("cluster"),
        program,
    ).order_by("-year")


def submission_get(*, access: Access, cluster: Cluster, year: int) -> Submission:
    """The submission, or ``Submission.DoesNotExist``."""
    return submission_list(access=access, cluster=cluster).get(year=year)


def submission_history(*, access: Access, submission: Submission) -> QuerySet[SubmissionEvent]:
    """A submission's history, oldest first."""
    return (
        SubmissionEvent.objects.for_program(access.program)
        .filter(submission=submission)
        .order_by("at", "id")
    )


@dataclass(frozen=True)
class PeriodStatus:
    period: ReportingPeriod
    past_close: bool
    clusters: list[dict[str, Any]]
    counts: dict[str, int]


def period_status(*, access: Access, year: int) -> PeriodStatus:
    """Where each active cluster of the programme stands for ``year``, with each
    submission's warnings: ten queries after the period itself (counts, rows, the
    submissions with their three kinds of lines, the rules' four yardsticks), whatever the
    number of clusters. ``Period.DoesNotExist`` when absent."""
    access.require_portfolio_reader()
    program = access.program
    period = ReportingPeriod.objects.for_program(program).get(year=year)
    past_close = timezone.localdate() > period.closes_on
    own = Submission.objects.for_program(program).filter(cluster=OuterRef("pk"), year=year)
    clusters = (
        Cluster.objects.for_access(access, cluster_path="pk")
        .filter(status=ClusterStatus.ACTIVE)
        .annotate(
            submission_state=Subquery(own.values("state")[:1]),
            submission_version=Subquery(own.values("version")[:1]),
            submission_submitted_at=Subquery(own.values("submitted_at")[:1]),
        )
    )
    not_done = ~Q(submission_state__in=DONE_STATES) | Q(submission_state__isnull=True)
    counts = clusters.aggregate(
        clusters=Count("pk"),
        missing=Count("pk", filter=Q(submission_state__isnull=True)),
        **{
            state: Count("pk", filter=Q(submission_state=state)) for state in SubmissionState.values
        },
        not_done=Count("pk", filter=not_done),
    )
    # Late: not submitted or approved once the period's closing day has passed.
    counts["late"] = counts.pop("not_done") if past_close else 0
    # Each submission's warnings: its lines (four queries) and the rules' yardsticks (four).
    submissions = list(
        with_lines(
            Submission.objects.for_program(program).filter(
                year=year,
                cluster__status=ClusterStatus.ACTIVE,
                cluster__deleted_at__isnull=True,
            ),
            program,
            comments=False,
        )
    )
    warnings = warnings_for(program=program, submissions=submissions)
    by_cluster = {s.cluster_id: [w.as_dict() for w in warnings[s.pk]] for s in submissions}
    rows = [
        {
            "cluster": c.slug,
            "name": c.name,
            "state": c.submission_state or "missing",
            "version": c.submission_version,
            "submitted_at": c.submission_submitted_at,
            "late": past_close and c.submission_state not in DONE_STATES,
            "warnings": by_cluster.get(c.pk, []),
        }
        for c in clusters.order_by("name", "id")
    ]
    return PeriodStatus(period=period, past_close=past_close, clusters=rows, counts=counts)
