"""The one way a REST view reaches tenant data.

``ProgramScopedView`` builds the caller's ``Scope`` (``clusters/access.py``) and resolves its
``Access`` to the programme in the URL once, right after authentication and throttling,
answering 404 when the programme is not visible. The base scopes the view's queryset
(``Model.objects.for_access(access, cluster_path=...)``: the programme, an editor's
clusters, no deleted cluster) and hands it to the subclass's
``safely_get_queryset(queryset)``, as PostHog's ``routing.py`` does; subclasses may not
override ``get_queryset``, so the scoping cannot be forgotten or restated.
"""

from __future__ import annotations

from typing import Any

import django_filters
import pycountry
from django import forms
from django.db import models
from django.db.models import QuerySet
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from clusters.access import Access, Scope
from clusters.models import ApiToken, Cluster, Program
from clusters.selectors.registry import cluster_get


def scope_for_request(request: Request) -> Scope:
    """The caller's scope, built once per request (from its bearer token)."""
    scope = getattr(request, "_clusterbase_scope", None)
    if scope is None:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        scope = Scope.of(user=request.user if token is None else None, token=token, via="rest")
        # the scope cached on the request: the stubs' Request declares no such attribute.
        request._clusterbase_scope = scope  # type: ignore[attr-defined]
    return scope


def access_for_request(request: Request, program_slug: str) -> Access:
    try:
        return scope_for_request(request).access(program_slug)
    except Program.DoesNotExist as exc:
        raise exceptions.NotFound(f"No programme '{program_slug}'.") from exc


class ProgramScopedView(generics.GenericAPIView):
    program_url_kwarg = "program"
    access: Access
    # Set when the URL names a cluster: resolved inside the caller's scope.
    cluster: Cluster

    # The path from the view's model to its cluster ("pk" for clusters, "cluster",
    # "submission__cluster"); None for programme-wide data. It narrows editors to their
    # clusters and hides deleted clusters' rows.
    scope_cluster_path: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset; implement safely_get_queryset instead."
            )

    # Writes (POST, PUT, PATCH, DELETE) on this view need program_admin: answer 403 before
    # looking at the body. The services check the role again for every other interface.
    admin_writes: bool = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Order: 401 (no or bad token), 429 (throttled), 404 (programme invisible), 403 (role).
        super().initial(request, *args, **kwargs)
        self.access = access_for_request(request, kwargs[self.program_url_kwarg])
        if "cluster" in kwargs:
            # A cluster in the path must be visible (exists, not deleted, held by an editor)
            # before any role check: an unheld cluster is a 404, never a 403.
            try:
                self.cluster = cluster_get(access=self.access, slug=kwargs["cluster"])
            except Cluster.DoesNotExist as exc:
                raise exceptions.NotFound(f"No cluster '{kwargs['cluster']}'.") from exc
        if self.admin_writes and request.method not in SAFE_METHODS:
            self.access.require_admin(f"{request.method} on this resource")

    def safely_get_queryset(self, queryset: QuerySet) -> QuerySet:
        """Narrow (filter, order, prefetch) the already scoped queryset; never widen it."""
        return queryset

    def get_queryset(self) -> QuerySet:
        # Read from the class: django-stubs takes a manager read off an instance for a
        # descriptor access. Views name their model with `queryset = Model.objects.none()`.
        declared = type(self).queryset
        assert declared is not None, f"{type(self).__name__} names no queryset model"
        model = declared.model
        if getattr(self, "swagger_fake_view", False):  # schema generation, no request
            return model._default_manager.none()
        if model is Program:
            scoped = Program.objects.filter(pk=self.access.program.pk)
        else:
            scoped = model.objects.for_access(self.access, cluster_path=self.scope_cluster_path)
        return self.safely_get_queryset(scoped)


class StrictCharField(serializers.CharField):
    """A text field that refuses numbers and booleans instead of turning them into text."""

    default_error_messages = {"invalid": "Expected a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


def iso_country_field(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=sorted(c.alpha_2 for c in pycountry.countries),
        help_text="ISO 3166-1 alpha-2 country code, e.g. NO",
        error_messages={
            "invalid_choice": "'{input}' is not an ISO 3166-1 alpha-2 country code (e.g. NO, ES, MX)."
        },
        **kwargs,
    )


def iso_currency_field(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=sorted(c.alpha_3 for c in pycountry.currencies),
        help_text="ISO 4217 currency code, e.g. EUR",
        error_messages={
            "invalid_choice": "'{input}' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN)."
        },
        **kwargs,
    )


class IntegerFilter(django_filters.NumberFilter):
    """A filter on a whole number (django-filter's NumberFilter would accept 0.5)."""

    field_class = forms.IntegerField


class StrictSerializer(serializers.Serializer):
    """Rejects keys it does not know (``program``, ``cluster_id``...) instead of ignoring them.

    Known read-only fields (``id``, ``created_at``) are ignored, so a client can send back
    what it read.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            errors = {k: [f"'{k}' is not a field of this resource."] for k in unknown}
            if errors:
                raise serializers.ValidationError(errors, code="unknown_field")
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
    }
