"""我的主页 at /yonghu/."""

from django.urls import path

from ..views import homepage as views

urlpatterns = [
    path("", views.homepage, name="homepage"),
]
