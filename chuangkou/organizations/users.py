"""Staff user screens without group or superuser fields: roles are granted only through
memberships (机构角色), so nobody hand-assigns Wagtail groups or permissions."""

from django.contrib.auth import get_user_model
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

User = get_user_model()
ROLE_FREE_FIELDS = {User.USERNAME_FIELD, "email", "first_name", "last_name"}


class RoleFreeFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail declares is_superuser on the form itself, not only in Meta.fields.
        self.fields.pop("is_superuser", None)


class StaffUserCreationForm(RoleFreeFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ROLE_FREE_FIELDS


class StaffUserEditForm(RoleFreeFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = ROLE_FREE_FIELDS | {"is_active"}


class StaffUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
