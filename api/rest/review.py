"""Review: field comments, a submission's thread, warning rules and bulk review.

- ``GET  .../submissions/{year}/comments``: the field comments (as in the submission).
- ``PATCH .../submissions/{year}/comments/{id}``: ``{"resolved": true|false}``.
- ``GET|POST .../submissions/{year}/thread``: free comments between editors and admins.
- ``GET /programs/{program}/warning-rules/``, ``GET|PATCH .../warning-rules/{rule}/``.
- ``POST /programs/{program}/periods/{year}/approve`` and ``.../return``: bulk review.

The rules live in ``clusters.services.comments``, ``warning_rules`` and ``bulk_review``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.models import FieldComment, ThreadMessage, WarningRule
from clusters.selectors.review import field_comment_list, review_submission, thread_list
from clusters.selectors.warnings import warning_rule_list
from clusters.services import bulk_review, comments, warning_rules

from .base import ProgramScopedView
from .submission_serializers import FieldCommentInput, FieldCommentSerializer

# --- field comments and the thread ----------------------------------------------------


class FieldCommentPatch(serializers.Serializer):
    resolved = serializers.BooleanField(help_text="true: resolved by hand; false: open again.")


class FieldCommentList(ProgramScopedView, generics.ListAPIView):
    """The reviewers' comments on fields of a submission, oldest first (paginated);
    resolved ones stay listed. Everyone who sees the submission reads them."""

    queryset = FieldComment.objects.none()
    serializer_class = FieldCommentSerializer
    scope_cluster_path = "submission__cluster"
    filter_backends: list[Any] = []

    def safely_get_queryset(self, queryset):
        submission = review_submission(
            access=self.access, cluster=self.cluster, year=self.kwargs["year"]
        )
        return field_comment_list(access=self.access, submission=submission)


class FieldCommentDetail(ProgramScopedView):
    """Resolve a field comment by hand (`{"resolved": true}`) or open it again (`false`):
    the cluster's editors and program_admin. Recorded in the history."""

    queryset = FieldComment.objects.none()
    serializer_class = FieldCommentSerializer
    scope_cluster_path = "submission__cluster"

    @extend_schema(request=FieldCommentPatch, responses=FieldCommentSerializer)
    def patch(self, request: Request, program: str, cluster: str, year: int, comment: int):
        found = comments.field_comment_update(
            access=self.access,
            cluster=self.cluster,
            year=year,
            comment_id=comment,
            data=request.data,
        )
        return Response(FieldCommentSerializer(found).data)


class ThreadMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    comment = serializers.CharField()
    author = serializers.CharField(source="author_label", read_only=True)
    role = serializers.CharField(source="author_role", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ThreadList(ProgramScopedView, generics.ListAPIView):
    """A submission's thread: free comments between the cluster's editors and the
    programme, oldest first, with who (`author`, `role`) and when.

    GET: everyone who sees the submission (analysts read). POST `{"comment"}`: the
    cluster's editors and program_admin (201)."""

    queryset = ThreadMessage.objects.none()
    serializer_class = ThreadMessageSerializer
    scope_cluster_path = "submission__cluster"
    filter_backends: list[Any] = []

    def safely_get_queryset(self, queryset):
        submission = review_submission(
            access=self.access, cluster=self.cluster, year=self.kwargs["year"]
        )
        return thread_list(access=self.access, submission=submission)

    @extend_schema(request=ThreadMessageSerializer, responses={201: ThreadMessageSerializer})
    def post(self, request: Request, program: str, cluster: str, year: int) -> Response:
        message = comments.thread_post(
            access=self.access, cluster=self.cluster, year=year, data=request.data
        )
        return Response(ThreadMessageSerializer(message).data, status=201)


# --- warning rules ------------------------------------------------------------------------


class WarningRuleSerializer(serializers.Serializer):
    rule = serializers.CharField()
    description = serializers.CharField(source="get_rule_display", read_only=True)
    enabled = serializers.BooleanField()
    blocking = serializers.BooleanField(
        help_text="true: a submission this rule warns about cannot be submitted (409)."
    )
    params = serializers.DictField(
        help_text="funding_change: max_change_percent; costs_over_funding: "
        "max_excess_percent; kpi_outlier: factor; public_share: max_share (0 to 1); "
        "required_kpis: kpis (codes); source_disappeared: none."
    )
    updated_at = serializers.DateTimeField(read_only=True)


class WarningRulePatch(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    blocking = serializers.BooleanField(required=False)
    params = serializers.DictField(required=False, help_text="Merged into the current ones.")


class WarningRuleList(ProgramScopedView, generics.ListAPIView):
    """The programme's warning rules (paginated), checked on every save and submit of a
    submission. Every role of the programme reads them; program_admin changes them."""

    queryset = WarningRule.objects.none()
    serializer_class = WarningRuleSerializer
    filter_backends: list[Any] = []

    def safely_get_queryset(self, queryset):
        return warning_rule_list(access=self.access)


class WarningRuleDetail(ProgramScopedView):
    """One warning rule; PATCH `enabled`, `blocking`, `params` (program_admin)."""

    queryset = WarningRule.objects.none()
    serializer_class = WarningRuleSerializer
    admin_writes = True

    def get(self, request: Request, program: str, rule: str) -> Response:
        return Response(WarningRuleSerializer(self.get_queryset().get(rule=rule)).data)

    @extend_schema(request=WarningRulePatch, responses=WarningRuleSerializer)
    def patch(self, request: Request, program: str, rule: str) -> Response:
        found = warning_rules.warning_rule_update(access=self.access, rule=rule, data=request.data)
        return Response(WarningRuleSerializer(found).data)


# --- bulk review ----------------------------------------------------------------------------


class BulkApproveRequest(serializers.Serializer):
    clusters = serializers.ListField(child=serializers.CharField(), help_text="Cluster slugs.")
    atomic = serializers.BooleanField(
        required=False, default=False, help_text="true: all or nothing."
    )


class BulkReturnRequest(BulkApproveRequest):
    comment = serializers.CharField(help_text="Required: what the clusters should fix.")
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    fields = FieldCommentInput(many=True, required=False)  # type: ignore[assignment]


class BulkOutcomeSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    ok = serializers.BooleanField()
    state = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    status = serializers.IntegerField(help_text="What this cluster alone would have answered.")
    code = serializers.CharField()
    message = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    action = serializers.CharField()
    atomic = serializers.BooleanField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = BulkOutcomeSerializer(many=True)


class _BulkMove(ProgramScopedView):
    queryset = WarningRule.objects.none()  # programme-wide; the service loads the clusters
    serializer_class = BulkResultSerializer
    admin_writes = True
    move = ""

    def post(self, request: Request, program: str, year: int) -> Response:
        result = bulk_review.submissions_bulk_move(
            access=self.access, year=year, move=self.move, data=request.data
        )
        return Response(BulkResultSerializer(result.as_dict()).data)


@extend_schema(
    request=BulkApproveRequest,
    responses=BulkResultSerializer,
    description="Approve the named clusters' submissions of the year (program_admin), each "
    "as a single approve would. By default a cluster that fails is listed with the status "
    "and code it would have had alone and the others stay approved; `atomic: true` undoes "
    "all of them on any failure (409 `bulk_failed`, `errors` naming `clusters.N`).",
)
class BulkApprove(_BulkMove):
    move = "approve"


@extend_schema(
    request=BulkReturnRequest,
    responses=BulkResultSerializer,
    description="Return the named clusters' submissions of the year with one `comment` "
    "(and optional field comments) each, as a single return would (program_admin). "
    "Failures as for the bulk approve.",
)
class BulkReturn(_BulkMove):
    move = "return"
