"""The submission API's shapes: output serializers, and input serializers that only
document the body for OpenAPI (the one validator is ``clusters.services.documents``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters.models import Submission, SubmissionEvent
from clusters.numbers import number_text


@extend_schema_field({"type": "string", "format": "decimal", "example": "165"})
class DecimalText(serializers.Field):
    """A KPI value as a decimal string without trailing zeros ("165", "0.125")."""

    def to_representation(self, value: Any) -> str | None:
        return number_text(value)


@extend_schema_field({"type": "string", "description": "draft, submitted, returned or approved"})
class SubmissionStateField(serializers.CharField):
    """The state as text: an enum here would need ENUM_NAME_OVERRIDES for a clean schema."""


@extend_schema_field({"type": "string", "description": "setup, staff, operations or projects"})
class CostCategoryField(serializers.CharField):
    """A cost category as text (its values are listed; parse_document checks them)."""


# --- output --------------------------------------------------------------------------


class FundingLineSerializer(serializers.Serializer):
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    source = serializers.CharField(source="source.code")  # type: ignore[assignment]
    category = serializers.CharField(
        source="source.category",
        read_only=True,
        help_text="public, private or project (from the source)",
    )
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    in_kind = serializers.BooleanField()
    restricted = serializers.BooleanField()
    note = serializers.CharField()


class CostLineSerializer(serializers.Serializer):
    category = CostCategoryField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    note = serializers.CharField()


class KpiValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="kpi.code")
    value = DecimalText()


class FieldCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text='PATCH .../comments/{id} with {"resolved"}.')
    field = serializers.CharField(help_text='As in history, e.g. "funding.membership_fees.amount".')
    comment = serializers.CharField()
    resolved = serializers.BooleanField()
    author = serializers.CharField(source="author_label")
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text="The version the comment was made on.")
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = serializers.CharField()
    resolved_how = serializers.CharField(help_text='"changed", "by_hand" or "" while open.')


class WarningSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The warning rule, see /warning-rules/.")
    field = serializers.CharField(help_text='e.g. "funding", "kpis.jobs_created.value".')
    message = serializers.CharField()
    blocking = serializers.BooleanField(help_text="True: submit is refused (409) until fixed.")


class SubmissionSerializer(serializers.Serializer):
    cluster = serializers.CharField(source="cluster.slug")
    year = serializers.IntegerField()
    currency = serializers.CharField(help_text="ISO 4217")
    state = SubmissionStateField()
    version = serializers.IntegerField(help_text="Also sent as the ETag; send it back in If-Match.")
    funding = FundingLineSerializer(many=True)
    costs = CostLineSerializer(many=True)
    kpis = KpiValueSerializer(many=True)
    staff_fte = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    notes = serializers.CharField()
    return_comment = serializers.CharField(help_text="Why an admin returned it, if it was.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    comments = FieldCommentSerializer(
        many=True,
        source="field_comments",
        help_text="Reviewers' comments on fields, resolved when the field changes or by hand.",
    )
    warnings = serializers.SerializerMethodField(
        help_text="The programme's warning rules that fire on this content (computed on read)."
    )

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, submission: Submission) -> list[dict[str, Any]]:
        # attached by api.rest.submissions.with_warnings(): not a model field.
        return [w.as_dict() for w in submission.warnings]  # type: ignore[attr-defined]


# --- input (documents the body; the one validator is clusters.services.documents) ------


class FundingLineInput(serializers.Serializer):
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    source = serializers.CharField(help_text="A code from /funding-sources/; once per submission.")  # type: ignore[assignment]
    amount = serializers.CharField(
        help_text='Decimal string, at most 2 decimals, e.g. "400000.00".'
    )
    in_kind = serializers.BooleanField(required=False, default=False)
    restricted = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    category = serializers.CharField(
        required=False, help_text="Ignored on input (shown on output)."
    )


class CostLineInput(serializers.Serializer):
    category = CostCategoryField()
    amount = serializers.CharField(help_text="Decimal string, at most 2 decimals.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class KpiValueInput(serializers.Serializer):
    code = serializers.CharField(help_text="A KPI code from /kpis/.")
    value = serializers.CharField(help_text="Decimal string, at most 6 decimals.")


class SubmissionInputSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="ISO 4217, e.g. EUR")
    funding = FundingLineInput(many=True, required=False)
    costs = CostLineInput(many=True, required=False)
    kpis = KpiValueInput(many=True, required=False)
    staff_fte = serializers.CharField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class SubmissionPatchSerializer(SubmissionInputSerializer):
    currency = serializers.CharField(required=False, help_text="ISO 4217, e.g. EUR")


class FieldCommentInput(serializers.Serializer):
    field = serializers.CharField(help_text='e.g. "funding.membership_fees.amount" or "kpis".')
    comment = serializers.CharField()


class ReturnRequest(serializers.Serializer):
    comment = serializers.CharField(help_text="Required: what the cluster should fix.")
    # The contract's field name shadows a DRF attribute in the stubs only (DRF's metaclass
    # moves declared fields aside), hence the ignore.
    fields = FieldCommentInput(many=True, required=False, help_text="Comments on fields.")  # type: ignore[assignment]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text='e.g. "funding.membership_fees.amount"')
    # "from" is a Python keyword: declared through the fields dict below.


ChangeSerializer._declared_fields["from"] = serializers.CharField(allow_null=True)
ChangeSerializer._declared_fields["to"] = serializers.CharField(allow_null=True)


class EventCommentSerializer(serializers.Serializer):
    field = serializers.CharField()
    comment = serializers.CharField()
    resolved = serializers.BooleanField(required=False)


class SubmissionEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")
    changes = ChangeSerializer(many=True)
    comments = EventCommentSerializer(
        many=True,
        help_text="Field comments given by a return, or resolved by this change "
        '(`"resolved": true`).',
    )

    class Meta:
        model = SubmissionEvent
        fields = [
            "at",
            "action",
            "actor",
            "via",
            "from_state",
            "to_state",
            "version",
            "comment",
            "changes",
            "comments",
        ]


class StatusCountsSerializer(serializers.Serializer):
    clusters = serializers.IntegerField()
    missing = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    returned = serializers.IntegerField()
    approved = serializers.IntegerField()
    late = serializers.IntegerField()


class ClusterStatusSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    name = serializers.CharField()
    state = serializers.CharField(help_text="draft, submitted, returned, approved or missing")
    version = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    warnings = WarningSerializer(many=True)


class PeriodStatusSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="period.year")
    opens_on = serializers.DateField(source="period.opens_on")
    closes_on = serializers.DateField(source="period.closes_on")
    period_state = serializers.CharField(source="period.state")
    past_close = serializers.BooleanField()
    counts = StatusCountsSerializer()
    clusters = ClusterStatusSerializer(many=True)
