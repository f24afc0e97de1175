"""Previewing a workbook upload: what it would change, without writing anything.

The preview runs the real upload (``workbook_upload``: the checks and the write of a PUT,
states, open period, ``If-Match``) inside a transaction that is then rolled back, and
reads what that write recorded: so a preview can never disagree with the upload itself.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from django.db import transaction

from ...access import Access
from ...models import Cluster, Submission, SubmissionEvent
from ...selectors.submissions import submission_get
from ...selectors.warnings import submission_warnings
from ..facts.changes import change_entry
from .upload import workbook_upload


def workbook_preview(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    content: BinaryIO,
    size: int,
    if_match: str | None = None,
) -> dict[str, Any]:
    """``{"changes": [one cluster-year entry], "warnings": [...]}`` of the upload, in the
    facts import's dry-run shape; nothing is written."""
    with transaction.atomic():
        before = (
            Submission.objects.for_program(access.program)
            .filter(cluster=cluster, year=year)
            .values_list("version", "state")
            .first()
        )
        submission, created = workbook_upload(
            access=access, cluster=cluster, year=year, content=content, size=size, if_match=if_match
        )
        diff: list[dict[str, Any]] = []
        if created or (before is not None and submission.version != before[0]):
            event = (
                SubmissionEvent.objects.for_program(access.program)
                .filter(submission=submission)
                .order_by("-id")
                .first()
            )
            diff = event.changes if event is not None else []
        written = submission_get(access=access, cluster=cluster, year=year)
        warnings = submission_warnings(program=access.program, submission=written)
        transaction.set_rollback(True)
    from_state = "" if before is None else before[1]
    return {
        "changes": [change_entry(cluster.slug, year, from_state, submission.state, diff)],
        "warnings": [w.as_dict() for w in warnings],
    }
