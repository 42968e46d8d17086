"""The one "网上办事" admin menu; each part of the services app adds its items through
``SERVICES_MENU_HOOK`` with a ``core.admin_menu.PermissionMenuItem`` that shows only to who may use it."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

SERVICES_MENU_HOOK = "register_services_menu_item"

__all__ = ["SERVICES_MENU_HOOK", "services_menu"]

services_menu = Menu(register_hook_name=SERVICES_MENU_HOOK, construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_services_menu():
    # Wagtail hides a submenu whose items are all hidden.
    return SubmenuMenuItem(gettext_lazy("网上办事"), services_menu, name="services",
                           icon_name="tasks", order=620)
