"""The submission workflow: submit, approve, return and reopen.

``submit``: draft|returned -> submitted (the cluster's editor while the period is open, or
an admin); ``approve``: submitted -> approved, ``return`` (comment required): submitted ->
returned, ``reopen``: approved -> draft (admin only). Repeating a move that already
happened is a no-op that returns the unchanged submission; any other impossible move is a
``StateConflict`` (409). Every move records an event, announces ``submission_moved`` on the
hook list, and approve/reopen change the portfolio figures' inputs.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import hooks
from ..access import Access
from ..errors import StateConflict
from ..models import Cluster, Submission, SubmissionEvent, SubmissionState
from ..selectors.submissions import submission_list
from ..selectors.warnings import Warning, submission_warnings
from ..validation import Problems, check_text
from .comments import check_field_comments, field_comments_create
from .documents import ReferenceData
from .history import submission_record_event
from .submissions import (
    _locked,
    _period,
    _require_cluster,
    _require_match,
    _require_open_for,
    _require_writer,
)

MAX_COMMENT = 5000


_MOVES: dict[str, tuple[tuple[str, ...], str, str]] = {
    # action: (states it starts from, target state, event action)
    "submit": (
        (SubmissionState.DRAFT, SubmissionState.RETURNED),
        SubmissionState.SUBMITTED,
        SubmissionEvent.Action.SUBMITTED,
    ),
    "approve": (
        (SubmissionState.SUBMITTED,),
        SubmissionState.APPROVED,
        SubmissionEvent.Action.APPROVED,
    ),
    "return": (
        (SubmissionState.SUBMITTED,),
        SubmissionState.RETURNED,
        SubmissionEvent.Action.RETURNED,
    ),
    "reopen": ((SubmissionState.APPROVED,), SubmissionState.DRAFT, SubmissionEvent.Action.REOPENED),
}


def _move(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    move: str,
    if_match: str | int | None,
    comment: str = "",
    fields: list[dict[str, str]] | None = None,
) -> Submission:
    sources, target, action = _MOVES[move]
    _require_cluster(access, cluster)
    if move == "submit":
        _require_writer(access, "Submitting a submission")
    else:
        access.require_admin(f"The {move} move")
    submission = _locked(access, cluster, year)
    if submission is None:
        raise Submission.DoesNotExist
    if submission.state == target:
        # The move already happened (a retry, a double click): safe, nothing changes.
        return submission
    _require_match(submission, if_match)
    if submission.state not in sources:
        raise StateConflict(
            f"Cannot {move} a submission that is {submission.state}; {move} applies to "
            f"{' or '.join(sources)} submissions.",
            code="invalid_transition",
        )
    if move == "submit":
        _require_open_for(access, _period(access, year))
        _refuse_blocking_warnings(access, cluster, submission)
    previous = submission.state
    now = timezone.now()
    submission.state = target
    submission.version += 1
    if move == "submit":
        submission.submitted_at = now
    elif move == "approve":
        submission.approved_at = now
    elif move == "return":
        submission.return_comment = comment
    elif move == "reopen":
        submission.approved_at = None
    submission.save()
    submission_record_event(
        access=access,
        submission=submission,
        action=action,
        from_state=previous,
        to_state=target,
        comment=comment,
        comments=fields if move == "return" else None,
    )
    data = {
        "submission_id": submission.pk,
        "cluster": cluster.slug,
        "year": year,
        "action": action,
        "state": target,
    }
    if move == "return":
        if fields:
            field_comments_create(access=access, submission=submission, comments=fields)
        data.update(comment=comment, fields=fields or [])
    hooks.announce(hooks.Event(hooks.SUBMISSION_MOVED, access.program.pk, (year,), data))
    if move in ("approve", "reopen"):
        # Only approved submissions count in portfolio figures.
        hooks.figure_inputs_changed(program_id=access.program.pk, years=[year])
    return submission


def _refuse_blocking_warnings(access: Access, cluster: Cluster, submission: Submission) -> None:
    """A warning of a rule the programme made blocking refuses submit (409), naming the
    rule in ``code`` and every blocking warning in ``errors``."""
    loaded = submission_list(access=access, cluster=cluster).get(pk=submission.pk)
    blocking: list[Warning] = [
        w for w in submission_warnings(program=access.program, submission=loaded) if w.blocking
    ]
    if not blocking:
        return
    rules = sorted({w.rule for w in blocking}, key=[w.rule for w in blocking].index)
    raise StateConflict(
        f"The programme does not accept a submission with these warnings: "
        f"{'; '.join(w.message for w in blocking)} Fix them, or ask a program_admin.",
        code=f"warning_{rules[0]}",
        field=blocking[0].field,
        errors=[
            {"field": w.field, "code": f"warning_{w.rule}", "message": w.message} for w in blocking
        ],
    )


@transaction.atomic
def submission_submit(
    *, access: Access, cluster: Cluster, year: int, if_match: str | int | None = None
) -> Submission:
    """draft | returned -> submitted, by the cluster's editor (period open) or an admin."""
    return _move(access=access, cluster=cluster, year=year, move="submit", if_match=if_match)


@transaction.atomic
def submission_approve(
    *, access: Access, cluster: Cluster, year: int, if_match: str | int | None = None
) -> Submission:
    """submitted -> approved (program_admin); the year's portfolio figures are recomputed."""
    return _move(access=access, cluster=cluster, year=year, move="approve", if_match=if_match)


@transaction.atomic
def submission_return(
    *,
    access: Access,
    cluster: Cluster,
    year: int,
    comment: Any,
    fields: Any = None,
    if_match: str | int | None = None,
) -> Submission:
    """submitted -> returned with a comment saying what to fix (program_admin), and
    optionally comments on fields ``[{"field": "funding.membership_fees.amount",
    "comment": "..."}]`` that the editor sees next to the values until they change."""
    _require_cluster(access, cluster)
    access.require_admin("The return move")
    problems = Problems()
    text = check_text(comment, field="comment", problems=problems, limit=MAX_COMMENT)
    if text is not None and not text.strip() and not problems:
        problems.add(
            "comment", "Say what the cluster should fix: a comment is required.", "required"
        )
    field_comments = (
        check_field_comments(fields, ref=ReferenceData.load(access.program), problems=problems)
        if fields is not None
        else []
    )
    problems.raise_if_any()
    assert isinstance(text, str)
    comment = text
    return _move(
        access=access,
        cluster=cluster,
        year=year,
        move="return",
        if_match=if_match,
        comment=comment.strip(),
        fields=field_comments,
    )


@transaction.atomic
def submission_reopen(
    *, access: Access, cluster: Cluster, year: int, if_match: str | int | None = None
) -> Submission:
    """approved -> draft (program_admin), so the figures can be corrected."""
    return _move(access=access, cluster=cluster, year=year, move="reopen", if_match=if_match)
