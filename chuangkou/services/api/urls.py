"""Back-office integration API of 网上办事 under /api/v1/services/."""

from django.urls import path

from . import views

NUMBER = "<str:number>"

urlpatterns = [
    path("backoffice/applications/", views.ApplicationListView.as_view(),
         name="services-backoffice-applications"),
    path(f"backoffice/applications/{NUMBER}/", views.ApplicationDetailView.as_view(),
         name="services-backoffice-application"),
    path(f"backoffice/applications/{NUMBER}/uploads/<int:pk>/",
         views.ApplicationUploadView.as_view(), name="services-backoffice-upload"),
    path(f"backoffice/applications/{NUMBER}/transitions/", views.TransitionView.as_view(),
         name="services-backoffice-transitions"),
]
