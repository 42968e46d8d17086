"""Admin URLs and menu item of 12345热线工单交换 (dispatchers and mailbox managers)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import exchange as views
from ..queries.letters import may_exchange_work_orders
from .menu import MAILBOX_MENU_HOOK


@hooks.register("register_admin_urls")
def register_exchange_urls():
    return [
        path("mailbox/hotline/", views.HotlineExchangeView.as_view(), name="mailbox_hotline"),
        path("mailbox/hotline/export/", views.HotlineExportView.as_view(),
             name="mailbox_hotline_export"),
    ]


@hooks.register(MAILBOX_MENU_HOOK)
def register_exchange_menu_item():
    return PermissionMenuItem(_("12345工单交换"), reverse("mailbox_hotline"),
                              name="mailbox-hotline", icon_name="resubmit", order=400,
                              shown_to=may_exchange_work_orders)
