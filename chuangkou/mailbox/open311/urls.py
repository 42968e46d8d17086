"""Open311 GeoReport v2 at /open311/v2/ (JSON and XML: the format is the path's extension)."""

from django.urls import path, re_path

from . import views

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(r"^services/(?P<service_code>[A-Za-z0-9_\-.]{1,90})" + FORMAT,
            views.service_definition, name="service_definition"),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[A-Za-z0-9_\-]{1,40})" + FORMAT,
            views.request_detail, name="request"),
]
