"""Public URLs of ratings: 好差评公示 and the applicant's rating of an application."""

from django.urls import path

from ..views import ratings as views

__all__ = ["urlpatterns"]

urlpatterns: list = [
    path("ratings/", views.ratings, name="ratings"),
    path("applications/<str:number>/rate/", views.rate, name="rate"),
]
