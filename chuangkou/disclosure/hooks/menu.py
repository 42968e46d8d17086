"""The one "政府信息公开" admin menu; each part of the app adds its items through
``DISCLOSURE_MENU_HOOK`` with a ``core.admin_menu.PermissionMenuItem`` that shows only to who may use it."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

DISCLOSURE_MENU_HOOK = "register_disclosure_menu_item"


disclosure_menu = Menu(register_hook_name=DISCLOSURE_MENU_HOOK, construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_disclosure_menu():
    # Wagtail hides a submenu whose items are all hidden.
    return SubmenuMenuItem(gettext_lazy("政府信息公开"), disclosure_menu, name="disclosure",
                           icon_name="folder-open-inverse", order=600)
