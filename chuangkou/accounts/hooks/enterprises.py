"""Admin URLs and menu item of 法人账号审核."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import enterprises as views
from ..queries.personal_data import may_verify_identities
from .menu import ACCOUNTS_MENU_HOOK


@hooks.register("register_admin_urls")
def register_enterprise_admin_urls():
    return [
        path("accounts/enterprises/", views.EnterpriseListView.as_view(),
             name="accounts_enterprises"),
        path("accounts/enterprises/<int:pk>/", views.EnterpriseView.as_view(),
             name="accounts_enterprise"),
        path("accounts/enterprises/<int:pk>/representative/",
             views.RevealEnterpriseView.as_view(), name="accounts_enterprise_reveal"),
        path("accounts/enterprises/<int:pk>/verify/", views.EnterpriseDecisionView.as_view(),
             {"decision": "verify"}, name="accounts_enterprise_verify"),
        path("accounts/enterprises/<int:pk>/reject/", views.EnterpriseDecisionView.as_view(),
             {"decision": "reject"}, name="accounts_enterprise_reject"),
    ]


@hooks.register(ACCOUNTS_MENU_HOOK)
def register_enterprises_menu_item():
    return PermissionMenuItem(gettext_lazy("法人账号审核"), reverse("accounts_enterprises"),
                              name="accounts-enterprises", icon_name="group", order=300,
                              shown_to=may_verify_identities)
