from django.urls import path

from ..views import identity as views

urlpatterns = [
    path("identity/", views.identity, name="identity"),
]
