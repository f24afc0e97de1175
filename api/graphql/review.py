"""GraphQL for review: field comments, the thread, warnings, warning rules, bulk review.

The same services as REST (``clusters.services.comments``, ``warning_rules``,
``bulk_review``); ``Submission.comments``, ``.thread`` and ``.warnings`` are declared on
the type in ``api/graphql/submissions.py``, ``Program.warningRules`` in
``api/graphql/clusters.py``.
"""

from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django
from strawberry.scalars import JSON
from strawberry.types import Info

from clusters.models import FieldComment, Program, Submission, ThreadMessage, WarningRule
from clusters.selectors.registry import cluster_get
from clusters.selectors.submissions import with_lines
from clusters.selectors.warnings import warning_rule_list, warnings_for
from clusters.services import bulk_review, comments, warning_rules

from .context import Context, Scoped, scope_queryset


@strawberry_django.type(FieldComment, name="FieldComment")
class FieldCommentType(Scoped):
    scope_cluster_path = "submission__cluster"
    id: strawberry.ID
    field: str
    comment: str
    resolved: bool
    author: str = strawberry_django.field(field_name="author_label")
    created_at: dt.datetime
    version: int
    resolved_at: dt.datetime | None
    resolved_by: str
    resolved_how: str


@strawberry_django.type(ThreadMessage, name="ThreadMessage")
class ThreadMessageType(Scoped):
    scope_cluster_path = "submission__cluster"
    id: strawberry.ID
    comment: str
    author: str = strawberry_django.field(field_name="author_label")
    role: str = strawberry_django.field(field_name="author_role")
    created_at: dt.datetime


@strawberry.type(name="Warning")
class WarningType:
    rule: str
    field: str
    message: str
    blocking: bool


@strawberry_django.type(WarningRule, name="WarningRule")
class WarningRuleType(Scoped):
    rule: str
    enabled: bool
    blocking: bool
    params: JSON
    updated_at: dt.datetime


@strawberry.type(name="EventComment")
class EventCommentType:
    field: str
    comment: str
    resolved: bool | None = None


@strawberry.input(name="FieldCommentInput")
class FieldCommentInput:
    field: str
    comment: str


@strawberry.type(name="BulkOutcome")
class BulkOutcomeType:
    cluster: str
    ok: bool
    state: str | None
    version: int | None
    status: int
    code: str
    message: str


@strawberry.type(name="BulkResult")
class BulkResultType:
    year: int
    action: str
    atomic: bool
    done: int
    failed: int
    results: list[BulkOutcomeType]


def resolve_warnings(info: Info, submission: Submission) -> list[WarningType]:
    """A submission's warnings, computed once per request for every visible submission of
    its programme-year (a fixed number of queries however many submissions are shown)."""
    ctx: Context = info.context
    program_id, year = submission.program_id, submission.year

    def load() -> dict:
        program = Program.objects.get(pk=program_id)
        visible = scope_queryset(Submission.objects.all(), info, cluster_path="cluster").filter(
            program_id=program_id, year=year
        )
        return warnings_for(
            program=program, submissions=list(with_lines(visible, program, comments=False))
        )

    found = ctx.memo(("warnings", program_id, year), load)
    return [WarningType(**w.as_dict()) for w in found.get(submission.pk, [])]


def resolve_warning_rules(info: Info, program_slug: str) -> list[WarningRuleType]:
    access = info.context.require_access(program_slug)
    return list(warning_rule_list(access=access))


def _bulk(result: bulk_review.BulkResult) -> BulkResultType:
    data = result.as_dict()
    data["results"] = [BulkOutcomeType(**r) for r in data["results"]]
    return BulkResultType(**data)


def _fields(fields: list[FieldCommentInput] | None) -> list[dict] | None:
    return None if fields is None else [vars(f) for f in fields]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Resolve a field comment by hand (resolved: true) or open it again."
    )
    def resolve_field_comment(
        self, info: Info, program: str, cluster: str, year: int, id: strawberry.ID, resolved: bool
    ) -> FieldCommentType:
        access = info.context.require_access(program)
        target = cluster_get(access=access, slug=cluster)
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return comments.field_comment_update(  # type: ignore[return-value]
            access=access,
            cluster=target,
            year=year,
            comment_id=id,
            data={"resolved": resolved},
        )

    @strawberry.mutation(description="Write in a submission's thread (its editors and admins).")
    def post_thread_message(
        self, info: Info, program: str, cluster: str, year: int, comment: str
    ) -> ThreadMessageType:
        access = info.context.require_access(program)
        target = cluster_get(access=access, slug=cluster)
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return comments.thread_post(  # type: ignore[return-value]
            access=access,
            cluster=target,
            year=year,
            data={"comment": comment},
        )

    @strawberry.mutation(description="Change a warning rule (program_admin).")
    def update_warning_rule(
        self,
        info: Info,
        program: str,
        rule: str,
        enabled: bool | None = None,
        blocking: bool | None = None,
        params: JSON | None = None,
    ) -> WarningRuleType:
        access = info.context.require_access(program)
        data = {
            k: v
            for k, v in (("enabled", enabled), ("blocking", blocking), ("params", params))
            if v is not None
        }
        # strawberry-django serves the model as its GraphQL type; the stubs can't say so.
        return warning_rules.warning_rule_update(  # type: ignore[return-value]
            access=access, rule=rule, data=data
        )

    @strawberry.mutation(description="Approve many submissions of a year (program_admin).")
    def approve_submissions(
        self, info: Info, program: str, year: int, clusters: list[str], atomic: bool = False
    ) -> BulkResultType:
        access = info.context.require_access(program)
        return _bulk(
            bulk_review.submissions_bulk_move(
                access=access,
                year=year,
                move="approve",
                data={"clusters": clusters, "atomic": atomic},
            )
        )

    @strawberry.mutation(
        description="Return many submissions of a year with one comment (program_admin)."
    )
    def return_submissions(
        self,
        info: Info,
        program: str,
        year: int,
        clusters: list[str],
        comment: str,
        fields: list[FieldCommentInput] | None = None,
        atomic: bool = False,
    ) -> BulkResultType:
        access = info.context.require_access(program)
        data = {"clusters": clusters, "comment": comment, "atomic": atomic}
        if fields is not None:
            data["fields"] = _fields(fields)
        return _bulk(
            bulk_review.submissions_bulk_move(access=access, year=year, move="return", data=data)
        )
