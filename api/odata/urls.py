"""Routes of the OData feed, under /odata/."""

from django.urls import path, re_path

from . import views
from .errors import not_found_view

P = "<slug:program>/"

urlpatterns = [
    path(P, views.ServiceDocument.as_view(), name="odata-service"),
    path(f"{P}$metadata", views.Metadata.as_view(), name="odata-metadata"),
    re_path(
        r"^(?P<program>[-a-zA-Z0-9_]+)/(?P<entity_set>[A-Za-z]+)(?:\(\))?/\$count$",
        views.EntitySetCount.as_view(),
        name="odata-entity-set-count",
    ),
    re_path(
        r"^(?P<program>[-a-zA-Z0-9_]+)/(?P<entity_set>[A-Za-z]+)(?:\(\))?$",
        views.EntitySet.as_view(),
        name="odata-entity-set",
    ),
    re_path(r"", not_found_view),
]
