from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.graphql.views import graphql_view
from api.health import healthz, readyz
from api.rest.problems import not_found_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.rest.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("graphql/", graphql_view, name="graphql"),
    path("odata/", include("api.odata.urls")),
    # Anything else under /api/ is a problem-details 404, even with DEBUG on.
    re_path(r"^api/", not_found_view),
]

handler400 = "api.rest.problems.bad_request_view"
handler403 = "api.rest.problems.permission_denied_view"
handler404 = "api.rest.problems.not_found_view"
handler500 = "api.rest.problems.server_error_view"

if settings.DEBUG:
    urlpatterns.append(path("", RedirectView.as_view(url="/api/docs/")))
