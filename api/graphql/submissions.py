"""GraphQL for annual submissions: the Submission, SubmissionEvent and line types (read
through ``cluster.submissions``, ``cluster.submission(year)`` and ``submission.history`` in
``api/graphql/clusters.py``), and the mutations, on the same services as REST.

``ifMatch`` is the version the caller read; a stale one is a PRECONDITION_FAILED error, an
impossible move a CONFLICT error.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry.types import Info

from clusters.access import Access
from clusters.models import Cluster, CostLine, FundingLine, KpiValue, Submission, SubmissionEvent
from clusters.numbers import number_text
from clusters.selectors.registry import cluster_get
from clusters.selectors.submissions import submission_get
from clusters.services import submissions as svc
from clusters.services import workflow

from .context import Context, Scoped
from .reference import FundingSourceType, KpiType
from .review import FieldCommentInput

if TYPE_CHECKING:
    from .review import EventCommentType, FieldCommentType, ThreadMessageType, WarningType

REVIEW = "api.graphql.review"


@strawberry_django.type(FundingLine, name="FundingLine")
class FundingLineType(Scoped):
    scope_cluster_path = "submission__cluster"
    amount: decimal.Decimal
    in_kind: bool
    restricted: bool
    note: str
    source: FundingSourceType


@strawberry_django.type(CostLine, name="CostLine")
class CostLineType(Scoped):
    scope_cluster_path = "submission__cluster"
    category: str
    amount: decimal.Decimal
    note: str


@strawberry_django.type(KpiValue, name="KpiValue")
class KpiValueType(Scoped):
    scope_cluster_path = "submission__cluster"
    kpi: KpiType

    @strawberry_django.field(only=["value"], description='Decimal string as sent, e.g. "165".')
    def value(self) -> decimal.Decimal:
        # The same text REST shows ("165", not the stored "165.000000").
        return decimal.Decimal(number_text(self.value) or "0")


@strawberry.type(name="SubmissionChange")
class SubmissionChangeType:
    field: str
    from_: str | None = strawberry.field(name="from")
    to: str | None


@strawberry_django.type(SubmissionEvent, name="SubmissionEvent")
class SubmissionEventType(Scoped):
    scope_cluster_path = "submission__cluster"
    at: dt.datetime
    action: str
    actor_label: str
    via: str
    from_state: str
    to_state: str
    version: int
    comment: str

    @strawberry_django.field(description='Field-level differences, e.g. "funding.training.amount".')
    def changes(self) -> list[SubmissionChangeType]:
        return [
            SubmissionChangeType(field=c["field"], from_=c["from"], to=c["to"])
            for c in self.changes
        ]

    @strawberry_django.field(
        only=["comments"],
        description="Field comments given by a return, or resolved by this change.",
    )
    def comments(self) -> list[Annotated[EventCommentType, strawberry.lazy(REVIEW)]]:
        from .review import EventCommentType

        return [
            EventCommentType(field=c["field"], comment=c["comment"], resolved=c.get("resolved"))
            for c in self.comments
        ]


@strawberry_django.type(Submission, name="Submission")
class SubmissionType(Scoped):
    scope_cluster_path = "cluster"
    year: int
    currency: str
    state: str
    version: int
    staff_fte: decimal.Decimal | None
    notes: str
    return_comment: str
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    updated_at: dt.datetime
    funding: list[FundingLineType]
    costs: list[CostLineType]
    kpis: list[KpiValueType]
    history: list[SubmissionEventType] = strawberry_django.field(
        field_name="events", description="Every content and state change, oldest first."
    )
    comments: list[Annotated[FieldCommentType, strawberry.lazy(REVIEW)]] = strawberry_django.field(
        field_name="field_comments",
        description="Reviewers' comments on fields, resolved when the field changes.",
    )
    thread: list[Annotated[ThreadMessageType, strawberry.lazy(REVIEW)]] = strawberry_django.field(
        description="Free comments between editors and the programme."
    )

    @strawberry_django.field(
        only=["pk", "program_id", "year"],
        description="What the programme's warning rules say about this content.",
    )
    def warnings(self, info: Info) -> list[Annotated[WarningType, strawberry.lazy(REVIEW)]]:
        from .review import resolve_warnings

        # `self` is the Submission at run time (strawberry-django resolves on the model).
        return resolve_warnings(info, self)  # type: ignore[arg-type]


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
