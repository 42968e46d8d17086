"""Admin menu building blocks every app's menu shares."""

from wagtail.admin.menu import MenuItem

__all__ = ["PermissionMenuItem"]


class PermissionMenuItem(MenuItem):
    """A menu item shown only when ``shown_to(user)`` is true: to users its view would let in."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)
