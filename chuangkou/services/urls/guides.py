"""Public URLs of life-event guides (场景式服务)."""

from django.urls import path

from ..views import guides as views

urlpatterns = [
    path("guides/", views.guide_list, name="guides"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
]
