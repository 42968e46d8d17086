"""Public URLs of applications (网上申请, 办件查询, 办件详情)."""

from django.urls import path

from ..views import applications as views

urlpatterns = [
    path("items/<str:code>/apply/", views.apply, name="apply"),
    path("applications/<str:number>/receipt/", views.receipt, name="receipt"),
    path("query/", views.query, name="query"),
    path("applications/<str:number>/", views.application, name="application"),
    path("applications/<str:number>/supplement/", views.supplement, name="supplement"),
    path("applications/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<str:number>/uploads/<int:pk>/", views.application_upload,
         name="application_upload"),
]
