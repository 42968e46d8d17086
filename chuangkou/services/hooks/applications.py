"""Admin URLs, menu item and home panel of applications (办件管理, 代办申请)."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem
from chuangkou.core.calendar import working_calendar

from ..admin_views import applications as views
from ..queries.applications import application_todo_counts, may_use_applications
from .menu import SERVICES_MENU_HOOK


@hooks.register("register_admin_urls")
def register_application_urls():
    return [
        path("services/applications/", views.ApplicationListView.as_view(),
             name="services_applications"),
        path("services/applications/proxy/", views.ProxyItemsView.as_view(),
             name="services_application_proxy"),
        path("services/applications/proxy/<str:code>/", views.ProxyApplyView.as_view(),
             name="services_application_proxy_apply"),
        path("services/applications/<str:number>/", views.ApplicationDetailView.as_view(),
             name="services_application_detail"),
        path("services/applications/<str:number>/applicant/",
             views.RevealApplicantView.as_view(), name="services_application_applicant"),
        path("services/applications/<str:number>/uploads/<int:pk>/", views.UploadView.as_view(),
             name="services_application_upload"),
        path("services/applications/<str:number>/<slug:action>/",
             views.ApplicationActionView.as_view(), name="services_application_action"),
    ]


@hooks.register(SERVICES_MENU_HOOK)
def register_applications_menu_item():
    return PermissionMenuItem(_("办件管理"), reverse("services_applications"),
                              name="services-applications", icon_name="tasks", order=300,
                              shown_to=may_use_applications)


@hooks.register("construct_homepage_panels")
def add_my_applications_panel(request, panels):
    counts = application_todo_counts(request.user, today=timezone.localdate(),
                                     calendar=working_calendar())
    if counts is not None:
        panels.append(views.MyApplicationsPanel(counts))
