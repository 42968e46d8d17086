"""Admin menu and URLs of 依申请公开 (menu "依申请公开", staff of the body only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import applications as views
from .menu import DISCLOSURE_MENU_HOOK


@hooks.register("register_admin_urls")
def register_application_urls():
    return [
        path("disclosure/applications/", views.ApplicationListView.as_view(),
             name="disclosure_applications"),
        path("disclosure/applications/add/", views.ApplicationAddView.as_view(),
             name="disclosure_application_add"),
        path("disclosure/applications/<int:pk>/", views.ApplicationDetailView.as_view(),
             name="disclosure_application_detail"),
        path("disclosure/applications/<int:pk>/applicant/",
             views.RevealApplicantView.as_view(), name="disclosure_application_reveal"),
        path("disclosure/applications/<int:pk>/<slug:action>/",
             views.ApplicationActionView.as_view(), name="disclosure_application_action"),
    ]


@hooks.register(DISCLOSURE_MENU_HOOK)
def register_application_menu_item():
    return PermissionMenuItem(_("依申请公开"), reverse("disclosure_applications"),
                              name="disclosure-applications", icon_name="doc-full", order=200,
                              shown_to=views.may_use_applications)


@hooks.register("public_entries")
def disclosure_application_entry():
    return (30, _("依申请公开"), reverse("disclosure:application_landing"),
            _("向行政机关申请获取政府信息"))
