"""Admin URLs and menu item of 信件统计 (supervisors and dispatchers)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import statistics as views
from .menu import MAILBOX_MENU_HOOK


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path("mailbox/statistics/", views.StatisticsView.as_view(), name="mailbox_statistics"),
        path("mailbox/statistics/export/", views.StatisticsExportView.as_view(),
             name="mailbox_statistics_export"),
    ]


@hooks.register(MAILBOX_MENU_HOOK)
def register_statistics_menu_item():
    return PermissionMenuItem(_("信件统计"), reverse("mailbox_statistics"),
                              name="mailbox-statistics", icon_name="table", order=300,
                              shown_to=views.may_see_statistics)
