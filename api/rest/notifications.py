"""A person's own mail preferences: ``GET|PUT /api/v1/me/notifications``.

Not tenant-scoped: it reads and writes only the caller's own row. A system token (one
without a person) has no mail and gets 403. The rules live in ``notifications.services``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.models import Kind
from notifications.services import mail_preferences_get, mail_preferences_update


class MailPreferenceSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    opted_out = serializers.ListField(
        child=serializers.CharField(),
        help_text="Kinds you do not want: " + ", ".join(Kind.values) + ".",
    )
    digest = serializers.BooleanField(
        help_text="As a program_admin: one mail a day with the submission and thread "
        "events instead of one mail each."
    )
    kinds = serializers.SerializerMethodField(help_text="Every kind of mail.")

    def get_kinds(self, obj: Any) -> list[str]:
        return list(Kind.values)


class MailPreferenceUpdate(serializers.Serializer):
    opted_out = serializers.ListField(child=serializers.CharField(), required=False)
    digest = serializers.BooleanField(required=False)


def _person(request: Request) -> Any:
    user = request.user
    if not getattr(user, "pk", None):
        raise PermissionDenied("This token acts for no person, so it has no mail preferences.")
    return user


class MyMailPreferences(APIView):
    """Which mails you get (submitted, approved, returned, reopened, commented, reminder,
    late) and whether you prefer a daily digest. PUT replaces the keys it sends."""

    serializer_class = MailPreferenceSerializer

    @extend_schema(responses=MailPreferenceSerializer)
    def get(self, request: Request) -> Response:
        return Response(MailPreferenceSerializer(mail_preferences_get(user=_person(request))).data)

    @extend_schema(request=MailPreferenceUpdate, responses=MailPreferenceSerializer)
    def put(self, request: Request) -> Response:
        found = mail_preferences_update(user=_person(request), data=request.data)
        return Response(MailPreferenceSerializer(found).data)
