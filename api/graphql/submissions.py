"""GraphQL mutations for annual submissions: the same services as REST.

The Submission, SubmissionEvent and line types live beside the Cluster type in
``api/graphql/clusters.py`` (``cluster.submissions``, ``cluster.submission(year)``,
``submission.history``). ``ifMatch`` is the version the caller read; a stale one is a
PRECONDITION_FAILED error, an impossible move a CONFLICT error.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from clusters.access import Access
from clusters.models import Cluster, Submission
from clusters.selectors.registry import cluster_get
from clusters.selectors.submissions import submission_get
from clusters.services import submissions as svc
from clusters.services import workflow

from .clusters import SubmissionType
from .context import Context
from .review import FieldCommentInput


@strawberry.input(description="One funding line; amount is a decimal string (2 decimals at most).")
class FundingLineInput:
    source: str
    amount: str
    in_kind: bool = False
    restricted: bool = False
    note: str = ""


@strawberry.input
class CostLineInput:
    category: str
    amount: str
    note: str = ""


@strawberry.input
class KpiValueInput:
    code: str
    value: str


@strawberry.input(description="The whole annual document, as in the REST body.")
class SubmissionInput:
    currency: str
    funding: list[FundingLineInput] = strawberry.field(default_factory=list)
    costs: list[CostLineInput] = strawberry.field(default_factory=list)
    kpis: list[KpiValueInput] = strawberry.field(default_factory=list)
    staff_fte: str | None = None
    notes: str = ""


def _document(data: SubmissionInput) -> dict:
    return {
        "currency": data.currency,
        "funding": [vars(f) for f in data.funding],
        "costs": [vars(c) for c in data.costs],
        "kpis": [vars(k) for k in data.kpis],
        "staff_fte": data.staff_fte,
        "notes": data.notes,
    }


def _target(info: Info, program: str, cluster: str) -> tuple[Access, Cluster]:
    ctx: Context = info.context
    access = ctx.require_access(program)
    return access, cluster_get(access=access, slug=cluster)


def _fresh(access: Access, submission: Submission) -> SubmissionType:
    # strawberry-django serves the model instance as its GraphQL type: the stubs cannot say so.
    return submission_get(  # type: ignore[return-value]
        access=access, cluster=submission.cluster, year=submission.year
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create or replace a cluster's submission of a year.")
    def put_submission(
        self,
        info: Info,
        program: str,
        cluster: str,
        year: int,
        input: SubmissionInput,
        if_match: int | None = None,
    ) -> SubmissionType:
        access, target = _target(info, program, cluster)
        submission, _ = svc.submission_put(
            access=access,
            cluster=target,
            year=year,
            data=_document(input),
            if_match=if_match,
        )
        return _fresh(access, submission)

    @strawberry.mutation(description="draft or returned -> submitted (editor or admin).")
    def submit_submission(
        self, info: Info, program: str, cluster: str, year: int, if_match: int | None = None
    ) -> SubmissionType:
        access, target = _target(info, program, cluster)
        return _fresh(
            access,
            workflow.submission_submit(access=access, cluster=target, year=year, if_match=if_match),
        )

    @strawberry.mutation(description="submitted -> approved (program_admin).")
    def approve_submission(
        self, info: Info, program: str, cluster: str, year: int, if_match: int | None = None
    ) -> SubmissionType:
        access, target = _target(info, program, cluster)
        return _fresh(
            access,
            workflow.submission_approve(
                access=access, cluster=target, year=year, if_match=if_match
            ),
        )

    @strawberry.mutation(
        description="submitted -> returned with a comment and optional comments on fields "
        "(program_admin)."
    )
    def return_submission(
        self,
        info: Info,
        program: str,
        cluster: str,
        year: int,
        comment: str,
        fields: list[FieldCommentInput] | None = None,
        if_match: int | None = None,
    ) -> SubmissionType:
        access, target = _target(info, program, cluster)
        return _fresh(
            access,
            workflow.submission_return(
                access=access,
                cluster=target,
                year=year,
                comment=comment,
                fields=None if fields is None else [vars(f) for f in fields],
                if_match=if_match,
            ),
        )

    @strawberry.mutation(description="approved -> draft (program_admin).")
    def reopen_submission(
        self, info: Info, program: str, cluster: str, year: int, if_match: int | None = None
    ) -> SubmissionType:
        access, target = _target(info, program, cluster)
        return _fresh(
            access,
            workflow.submission_reopen(access=access, cluster=target, year=year, if_match=if_match),
        )
