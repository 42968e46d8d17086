"""The one "政民互动" admin menu; each part of the mailbox adds its items through
``MAILBOX_MENU_HOOK`` with a ``core.admin_menu.PermissionMenuItem`` that shows only to who may use it."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

MAILBOX_MENU_HOOK = "register_mailbox_menu_item"

__all__ = ["MAILBOX_MENU_HOOK", "mailbox_menu"]


mailbox_menu = Menu(register_hook_name=MAILBOX_MENU_HOOK, construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_mailbox_menu():
    # Wagtail hides a submenu whose items are all hidden.
    return SubmenuMenuItem(gettext_lazy("政民互动"), mailbox_menu, name="mailbox",
                           icon_name="mail", order=610)
