"""Bulk review: approve or return many submissions of one reporting year in one call.

Each cluster goes through exactly the service a single ``approve`` / ``return`` calls
(checks, If-Match-free move, history entry, hooks, figures, mail), in a savepoint of its
own. By default a cluster that fails is named in the result with the status, code and
message it would have had alone, and the others stay done; with ``atomic`` one failure
undoes every move of the call (a 409 ``bulk_failed`` listing every failure).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction

from ..access import Access
from ..errors import DomainError, StateConflict
from ..models import Cluster
from ..validation import (
    Problems,
    check_flag,
    check_keys,
    check_list,
    check_slug,
    check_text,
    require_body,
    shown,
)
from . import workflow
from .comments import check_field_comments
from .documents import ReferenceData

MAX_CLUSTERS = 500
MOVES = ("approve", "return")


@dataclass
class Outcome:
    cluster: str
    ok: bool
    state: str | None = None
    version: int | None = None
    status: int = 200
    code: str = ""
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BulkResult:
    year: int
    action: str
    atomic: bool
    results: list[Outcome] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "action": self.action,
            "atomic": self.atomic,
            "done": self.done,
            "failed": self.failed,
            "results": [r.as_dict() for r in self.results],
        }


def _failure(slug: str, exc: Exception) -> Outcome:
    """What the single call would have answered (the error table of clusters/errors.py)."""
    if isinstance(exc, DomainError):
        return Outcome(slug, False, status=exc.status, code=exc.code, message=exc.message)
    if isinstance(exc, ValidationError):
        return Outcome(slug, False, status=400, code="invalid", message="; ".join(exc.messages))
    if isinstance(exc, PermissionDenied):
        return Outcome(slug, False, status=403, code="permission_denied", message=str(exc))
    return Outcome(
        slug, False, status=404, code="not_found", message=f"No {exc.__class__.__name__}."
    )


def _check(access: Access, move: str, data: Any) -> tuple[list[str], bool, str, list[dict]]:
    body = require_body(data)
    problems = Problems()
    allowed = ("clusters", "atomic") + (("comment", "fields") if move == "return" else ())
    check_keys(body, allowed=allowed, problems=problems, what=f"a bulk {move}")
    slugs: list[str] = []
    for i, slug in enumerate(
        check_list(
            body.get("clusters"),
            field="clusters",
            problems=problems,
            limit=MAX_CLUSTERS,
            required=True,
            required_message="Name the clusters: a list of slugs.",
        )
    ):
        if check_slug(slug, field=f"clusters.{i}", problems=problems) is None:
            continue
        if slug in slugs:
            problems.add(f"clusters.{i}", f"'{shown(slug)}' is named twice.", "duplicate")
        else:
            slugs.append(slug)
    atomic = check_flag(body.get("atomic"), field="atomic", problems=problems)
    comment, fields = "", []
    if move == "return":
        # Checked once here so a bad comment is one 400, not a failure per cluster.
        comment = check_text(body.get("comment"), field="comment", problems=problems) or ""
        if not comment.strip() and not problems.has("comment"):
            problems.add(
                "comment", "Say what the clusters should fix: a comment is required.", "required"
            )
        if body.get("fields") is not None:
            fields = check_field_comments(
                body["fields"], ref=ReferenceData.load(access.program), problems=problems
            )
    problems.raise_if_any()
    return slugs, atomic, comment, fields


@transaction.atomic
def submissions_bulk_move(*, access: Access, year: int, move: str, data: Any) -> BulkResult:
    """Approve or return the named clusters' submissions of ``year`` (program_admin).

    ``data``: ``{"clusters": [slugs], "atomic": false}``, plus ``comment`` and ``fields``
    for a return (given to every cluster). Results keep the order of ``clusters``.
    """
    if move not in MOVES:
        raise ValueError(move)
    access.require_admin(f"The bulk {move}")
    slugs, atomic, comment, fields = _check(access, move, data)
    clusters = {
        c.slug: c
        for c in Cluster.objects.for_access(access, cluster_path="pk").filter(slug__in=slugs)
    }
    result = BulkResult(year=year, action=move, atomic=atomic)
    for slug in slugs:
        cluster = clusters.get(slug)
        try:
            if cluster is None:
                raise Cluster.DoesNotExist
            with transaction.atomic():  # one savepoint per cluster: a failure undoes only it
                if move == "approve":
                    submission = workflow.submission_approve(
                        access=access, cluster=cluster, year=year
                    )
                else:
                    submission = workflow.submission_return(
                        access=access,
                        cluster=cluster,
                        year=year,
                        comment=comment,
                        fields=fields or None,
                    )
        except (DomainError, ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
            outcome = _failure(slug, exc)
            if isinstance(exc, ObjectDoesNotExist):
                what = "cluster" if cluster is None else f"{year} submission"
                outcome.message = (
                    f"No {what} '{slug}'." if cluster is None else (f"{slug} has no {what}.")
                )
            result.results.append(outcome)
            continue
        result.results.append(Outcome(slug, True, submission.state, submission.version))
    if atomic and result.failed:
        failures = [(i, r) for i, r in enumerate(result.results) if not r.ok]
        raise StateConflict(
            f"{result.failed} of {len(slugs)} clusters could not be {move}d, so none was "
            f"(atomic): {'; '.join(f'{r.cluster}: {r.message}' for _, r in failures)}",
            code="bulk_failed",
            field="clusters",
            errors=[
                {"field": f"clusters.{i}", "code": r.code, "message": f"{r.cluster}: {r.message}"}
                for i, r in failures
            ],
        )
    return result
