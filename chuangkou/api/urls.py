"""The versioned public API: /api/v1/. Each domain app contributes its routes in api/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

app_name = "api"

urlpatterns = [
    path("", include("chuangkou.organizations.api.urls")),
    path("", include("chuangkou.sitecluster.api.urls")),
    path("services/", include("chuangkou.services.api.urls")),
    path("search/", include("chuangkou.search.api.urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
