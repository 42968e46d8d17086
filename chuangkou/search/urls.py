from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("sousuo/", views.results, name="results"),
    path("sousuo/suggest/", views.suggestions, name="suggest"),
    path("sousuo/go/", views.click, name="click"),
]
