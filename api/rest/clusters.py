"""The cluster registry: /programs/{program}/clusters/."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from clusters.filters import ClusterFilter
from clusters.models import Category, Cluster, ClusterStatus, Stage
from clusters.services import registry as svc
from clusters.validation import MIN_FOUNDED_YEAR

from .base import ProgramScopedView, StrictModelSerializer, StrictSlugField, iso_country_field


class ClusterSerializer(StrictModelSerializer):
    slug = StrictSlugField(max_length=64)
    country = iso_country_field()
    stage = serializers.ChoiceField(choices=Stage.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    status = serializers.ChoiceField(choices=ClusterStatus.choices, default=ClusterStatus.ACTIVE)
    founded_year = serializers.IntegerField(
        min_value=MIN_FOUNDED_YEAR, required=False, allow_null=True
    )

    class Meta:
        model = Cluster
        fields = [
            "slug",
            "name",
            "country",
            "region",
            "sector",
            "founded_year",
            "stage",
            "category",
            "status",
            "website",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ClusterList(ProgramScopedView, generics.ListCreateAPIView):
    """Clusters of the programme (a cluster_editor sees only its own).

    Filters: `stage`, `category`, `status`, `region`, `sector`, `country`; `search` on name
    and slug; `ordering` by name, slug, founded_year, created_at (prefix `-` to reverse).
    """

    admin_writes = True
    serializer_class = ClusterSerializer
    queryset = Cluster.objects.none()
    scope_cluster_path = "pk"
    filterset_class = ClusterFilter
    ordering_fields = ["name", "slug", "founded_year", "created_at"]
    ordering = ["name"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cluster = svc.cluster_create(access=self.access, data=request.data)
        return Response(ClusterSerializer(cluster).data, status=status.HTTP_201_CREATED)


class ClusterDetail(ProgramScopedView):
    admin_writes = True
    serializer_class = ClusterSerializer
    queryset = Cluster.objects.none()
    scope_cluster_path = "pk"

    def get(self, request: Request, program: str, cluster: str) -> Response:
        return Response(ClusterSerializer(self.cluster).data)

    def patch(self, request: Request, program: str, cluster: str) -> Response:
        updated = svc.cluster_update(access=self.access, cluster=self.cluster, data=request.data)
        return Response(ClusterSerializer(updated).data)

    def delete(self, request: Request, program: str, cluster: str) -> Response:
        svc.cluster_delete(access=self.access, cluster=self.cluster, when=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)
