from wagtail.users.apps import WagtailUsersAppConfig


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user screens with our role-free forms (see users.py)."""

    user_viewset = "chuangkou.organizations.users.StaffUserViewSet"
