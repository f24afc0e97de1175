"""Reads of review comments: a submission's field comments and its thread."""

from __future__ import annotations

from django.db.models import QuerySet

from ..access import Access
from ..models import Cluster, FieldComment, Submission, ThreadMessage


def review_submission(*, access: Access, cluster: Cluster, year: int) -> Submission:
    """The submission the comments belong to (only its id), or ``Submission.DoesNotExist``."""
    return (
        Submission.objects.for_program(access.program)
        .filter(cluster=cluster)
        .only("pk", "year", "cluster_id", "program_id", "state", "version")
        .get(year=year)
    )


def field_comment_list(*, access: Access, submission: Submission) -> QuerySet[FieldComment]:
    """A submission's field comments, oldest first (resolved ones too)."""
    return (
        FieldComment.objects.for_program(access.program)
        .filter(submission=submission)
        .order_by("created_at", "id")
    )


def thread_list(*, access: Access, submission: Submission) -> QuerySet[ThreadMessage]:
    """A submission's thread, oldest first."""
    return (
        ThreadMessage.objects.for_program(access.program)
        .filter(submission=submission)
        .order_by("created_at", "id")
    )
