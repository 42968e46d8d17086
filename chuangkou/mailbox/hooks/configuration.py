"""Admin URLs and menu item of the 政民互动 settings (mailbox.manage_mailbox only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import configuration as views
from .menu import MAILBOX_MENU_HOOK


@hooks.register("register_admin_urls")
def register_configuration_urls():
    return [
        path("mailbox/settings/kinds/", views.KindListView.as_view(), name="mailbox_kinds"),
        path("mailbox/settings/kinds/add/", views.KindCreateView.as_view(),
             name="mailbox_kind_add"),
        path("mailbox/settings/kinds/<int:pk>/", views.KindEditView.as_view(),
             name="mailbox_kind_edit"),
        path("mailbox/settings/time-limits/", views.TimeLimitListView.as_view(),
             name="mailbox_time_limits"),
        path("mailbox/settings/routing-rules/", views.RoutingRuleListView.as_view(),
             name="mailbox_routing_rules"),
        path("mailbox/settings/routing-rules/add/", views.RoutingRuleCreateView.as_view(),
             name="mailbox_routing_rule_add"),
        path("mailbox/settings/routing-rules/<int:pk>/", views.RoutingRuleEditView.as_view(),
             name="mailbox_routing_rule_edit"),
        path("mailbox/settings/routing-rules/<int:pk>/delete/",
             views.RoutingRuleDeleteView.as_view(), name="mailbox_routing_rule_delete"),
        path("mailbox/settings/api-keys/", views.ApiKeyListView.as_view(),
             name="mailbox_api_keys"),
        path("mailbox/settings/api-keys/<int:pk>/revoke/", views.ApiKeyRevokeView.as_view(),
             name="mailbox_api_key_revoke"),
    ]


@hooks.register(MAILBOX_MENU_HOOK)
def register_configuration_menu_item():
    return PermissionMenuItem(_("政民互动设置"), reverse("mailbox_kinds"),
                              name="mailbox-settings", icon_name="cog", order=900,
                              shown_to=views.may_manage_mailbox)
