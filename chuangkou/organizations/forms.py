"""Admin forms for bodies and staff roles. They parse input only; the actions decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from .actions import BODY_FIELDS
from .choices import Role
from .models import Body
from .queries import body_tree


def indented_body_name(body: Body) -> str:
    """A body's name set in by its depth, so a flat list reads as the tree."""
    if body.depth <= 1:
        return body.name
    return f"{'　' * (body.depth - 2)}└ {body.name}"


class BodyChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", body_tree())
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return indented_body_name(obj)


class BodyForm(forms.Form):
    """A body's details; the model's own validators (GB 32100, GB/T 2260) run on each field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Body, fields=BODY_FIELDS))


class BodyCreateForm(BodyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "parent": BodyChoiceField(
                label=_("上级机构"), required=False, empty_label=_("（无，作为最上级机构）"),
            ),
            **self.fields,
        }


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{obj.get_username()}（{full_name}）" if full_name else obj.get_username()


class MembershipForm(forms.Form):
    user = StaffChoiceField(
        label=_("工作人员"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
    )
    body = BodyChoiceField(label=_("机构"))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
