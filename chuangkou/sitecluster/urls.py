from django.urls import path

from . import views

app_name = "sitecluster"

urlpatterns = [
    path("zhaocuo/", views.report_error, name="report_error"),
]
