"""Who may call the staff endpoints of the API."""

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class IsStaffMember(BasePermission):
    """Signed-in staff of a body: every role carries access to the Wagtail admin.

    Citizens' accounts are signed-in users too, so being authenticated is not enough.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and user.is_active
            and user.has_perm("wagtailadmin.access_admin")
        )
