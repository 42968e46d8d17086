"""The one "用户" admin menu; each part of the accounts app adds its items through
``ACCOUNTS_MENU_HOOK`` with a ``core.admin_menu.PermissionMenuItem`` shown only to who may use
it (the account officer)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from chuangkou.core.admin_menu import PermissionMenuItem

from ..queries.personal_data import may_verify_identities, may_view_citizen_accounts

ACCOUNTS_MENU_HOOK = "register_accounts_menu_item"

__all__ = ["ACCOUNTS_MENU_HOOK", "accounts_menu"]

accounts_menu = Menu(register_hook_name=ACCOUNTS_MENU_HOOK, construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_accounts_menu():
    # Wagtail hides a submenu whose items are all hidden.
    return SubmenuMenuItem(gettext_lazy("用户"), accounts_menu, name="accounts",
                           icon_name="user", order=680)


@hooks.register(ACCOUNTS_MENU_HOOK)
def register_citizens_menu_item():
    return PermissionMenuItem(gettext_lazy("公众账号"), reverse("accounts_citizens"),
                              name="accounts-citizens", icon_name="user", order=100,
                              shown_to=may_view_citizen_accounts)


@hooks.register(ACCOUNTS_MENU_HOOK)
def register_real_name_menu_item():
    return PermissionMenuItem(gettext_lazy("实名认证审核"), reverse("accounts_real_name_requests"),
                              name="accounts-real-name", icon_name="form", order=200,
                              shown_to=may_verify_identities)
