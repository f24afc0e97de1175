"""Comments in review: on fields of a submission (given with ``return``) and the thread of
free comments between a cluster's editors and its programme.

A field comment names a field as the history does (``funding.membership_fees.amount``,
``costs.staff.amount``, ``kpis.jobs_created.value``, ``currency``, ``staff_fte``,
``notes``), or a whole line or section (``funding.membership_fees``, ``kpis``). A path is
checked against the shape a document of this programme may have (its funding sources,
cost categories and KPIs), so a comment may point at a line the cluster forgot.

A field comment is resolved when a later write changes that field (or anything under the
line or section it names): the content services call ``field_comments_resolve_changed``
with ``document_diff``'s changes, and the write's history entry lists what it resolved.
The cluster's editors and admins may also resolve (or reopen) one by hand; that is a
history entry of its own. Nothing is ever deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import hooks
from ..access import Access
from ..models import (
    Cluster,
    CostCategory,
    FieldComment,
    Submission,
    SubmissionEvent,
    ThreadMessage,
)
from ..validation import (
    MAX_TEXT,
    Problems,
    check_flag,
    check_keys,
    check_list,
    check_object,
    check_text,
    require_body,
    shown,
    whole_number,
)
from .documents import ReferenceData
from .history import submission_record_event

MAX_COMMENT = 5000
MAX_FIELD_COMMENTS = 100
TOP_FIELDS = ("currency", "staff_fte", "notes", "funding", "costs", "kpis")
LEAVES = {
    "funding": ("amount", "in_kind", "restricted", "note"),
    "costs": ("amount", "note"),
    "kpis": ("value",),
}


def field_path_problem(path: str, ref: ReferenceData) -> str | None:
    """Why ``path`` is not a field of this programme's submissions; None when it is."""
    parts = path.split(".")
    if parts[0] not in TOP_FIELDS:
        return f"'{shown(path)}' is not a field of a submission; fields start with {', '.join(TOP_FIELDS)}."
    if len(parts) == 1:
        return None
    section = parts[0]
    if section not in LEAVES or len(parts) > 3:
        return f"'{shown(path)}' is not a field of a submission."
    codes: Iterable[str] = {
        "funding": ref.sources,
        "costs": CostCategory.values,
        "kpis": ref.kpis,
    }[section]
    if parts[1] not in codes:
        what = {"funding": "funding source", "costs": "cost category", "kpis": "KPI"}[section]
        return f"'{shown(parts[1])}' is not a {what} of this programme ({shown(path)})."
    if len(parts) == 3 and parts[2] not in LEAVES[section]:
        return f"A {section} line has {', '.join(LEAVES[section])}, not '{shown(parts[2])}'."
    return None


def check_field_comments(raw: Any, *, ref: ReferenceData, problems: Problems) -> list[dict]:
    """``[{"field", "comment"}]`` from a return body, each path checked against ``ref``."""
    out: list[dict[str, str]] = []
    for i, item in enumerate(
        check_list(raw, field="fields", problems=problems, limit=MAX_FIELD_COMMENTS)
    ):
        where = f"fields.{i}"
        if check_object(item, field=where, problems=problems) is None:
            continue
        check_keys(
            item, allowed=("field", "comment"), field=where, problems=problems, what="a comment"
        )
        path = check_text(
            item.get("field"), field=f"{where}.field", problems=problems, limit=200, required=True
        )
        text = check_text(
            item.get("comment"),
            field=f"{where}.comment",
            problems=problems,
            limit=MAX_COMMENT,
            required=True,
        )
        if path and (why := field_path_problem(path, ref)):
            problems.add(f"{where}.field", why, "unknown_field_path")
            continue
        if text is not None and not text.strip():
            problems.add(f"{where}.comment", "A comment says something.", "required")
            continue
        if path and text:
            out.append({"field": path, "comment": text.strip()})
    return out


def field_comments_create(
    *, access: Access, submission: Submission, comments: list[dict[str, str]]
) -> list[FieldComment]:
    return FieldComment.objects.bulk_create(
        FieldComment(
            program_id=submission.program_id,
            submission=submission,
            field=c["field"],
            comment=c["comment"],
            author=access.user if access.user_id else None,
            author_label=access.label[:200],
            version=submission.version,
        )
        for c in comments
    )


def _covers(comment_field: str, changed: str) -> bool:
    return changed == comment_field or changed.startswith(comment_field + ".")


def field_comments_resolve_changed(
    *, access: Access, submission_ids: Iterable[int], changes: dict[int, list[dict]], program: Any
) -> dict[int, list[dict[str, Any]]]:
    """Resolve the open field comments whose field a write changed.

    ``changes``: ``document_diff`` output by submission id. Two queries for any number of
    submissions (the open comments, one update). Returns the resolved comments by
    submission id, as the history entries list them.
    """
    ids = [pk for pk in submission_ids if changes.get(pk)]
    if not ids:
        return {}
    open_comments = list(
        FieldComment.objects.for_program(program)
        .filter(submission_id__in=ids, resolved=False)
        .only("pk", "submission_id", "field", "comment")
    )
    done: dict[int, list[dict[str, Any]]] = {}
    resolved_ids = []
    for comment in open_comments:
        fields = [c["field"] for c in changes[comment.submission_id]]
        if any(_covers(comment.field, changed) for changed in fields):
            resolved_ids.append(comment.pk)
            done.setdefault(comment.submission_id, []).append(
                {"field": comment.field, "comment": comment.comment, "resolved": True}
            )
    if resolved_ids:
        FieldComment.objects.for_program(program).filter(pk__in=resolved_ids).update(
            resolved=True,
            resolved_at=timezone.now(),
            resolved_by=access.label[:200],
            resolved_how=FieldComment.How.CHANGED,
        )
    return done


def _require_party(access: Access, what: str) -> None:
    """The two sides of a review: the programme's admins and the cluster's editors."""
    if not (access.is_admin or access.is_editor):
        raise PermissionDenied(f"{what} is for the cluster's editors and program_admin.")


@transaction.atomic
def field_comment_update(
    *, access: Access, cluster: Cluster, year: int, comment_id: Any, data: Any
) -> FieldComment:
    """``{"resolved": true|false}``: resolve a field comment by hand (or reopen it)."""
    from .submissions import _require_cluster

    _require_cluster(access, cluster)
    body = require_body(data)
    problems = Problems()
    check_keys(
        body,
        allowed=("resolved", "field", "comment", "id", "author", "created_at"),
        problems=problems,
        what="a field comment",
    )
    if "resolved" not in body:
        problems.add("resolved", "Send resolved: true or false.", "required")
    resolved = check_flag(body.get("resolved"), field="resolved", problems=problems)
    submission = (
        Submission.objects.for_program(access.program)
        .select_for_update()
        .get(cluster=cluster, year=year)
    )
    pk = whole_number(comment_id)
    if pk is None:
        raise FieldComment.DoesNotExist
    comment = (
        FieldComment.objects.for_program(access.program)
        .select_for_update()
        .get(submission=submission, pk=pk)
    )
    _require_party(access, "Resolving a field comment")
    problems.raise_if_any()
    if comment.resolved == resolved:
        return comment  # already so: nothing to record
    comment.resolved = resolved
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = access.label[:200] if resolved else ""
    comment.resolved_how = FieldComment.How.BY_HAND if resolved else ""
    comment.save()
    submission_record_event(
        access=access,
        submission=submission,
        action=SubmissionEvent.Action.RESOLVED if resolved else SubmissionEvent.Action.UNRESOLVED,
        from_state=submission.state,
        to_state=submission.state,
        comments=[{"field": comment.field, "comment": comment.comment, "resolved": resolved}],
    )
    return comment


@transaction.atomic
def thread_post(*, access: Access, cluster: Cluster, year: int, data: Any) -> ThreadMessage:
    """Add a free comment to a submission's thread (its editors and program_admin)."""
    from .submissions import _require_cluster

    _require_cluster(access, cluster)
    submission = Submission.objects.for_program(access.program).get(cluster=cluster, year=year)
    _require_party(access, "Writing in a submission's thread")
    body = require_body(data)
    problems = Problems()
    check_keys(
        body,
        allowed=("comment", "id", "author", "role", "created_at"),
        problems=problems,
        what="a thread comment",
    )
    text = check_text(
        body.get("comment"), field="comment", problems=problems, limit=MAX_TEXT, required=True
    )
    if text is not None and not text.strip() and not problems.has("comment"):
        problems.add("comment", "A comment says something.", "required")
    problems.raise_if_any()
    message = ThreadMessage.objects.create(
        program=access.program,
        submission=submission,
        author=access.user if access.user_id else None,
        author_label=access.label[:200],
        author_role=access.role,
        comment=(text or "").strip(),
    )
    hooks.announce(
        hooks.Event(
            hooks.SUBMISSION_COMMENTED,
            access.program.pk,
            (year,),
            {
                "submission_id": submission.pk,
                "cluster": cluster.slug,
                "year": year,
                "message_id": message.pk,
                "author": message.author_label,
                "role": message.author_role,
            },
        )
    )
    return message
