"""Forms of 法人账号: registration, inviting a member, changing a member's role, choosing whom
to act for, and the account officer's rejection."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin
from chuangkou.core.validators import validate_credit_code

from ..actions.enterprises import (
    ENTERPRISE_NAME_MAX_CHARS,
    REJECTION_REASON_MAX_CHARS,
    normalise_credit_code,
)
from ..choices import ContactKind, EnterpriseRole
from ..contacts import validate_contact

__all__ = ["ActingForm", "EnterpriseRegistrationForm", "EnterpriseRejectForm", "InviteForm",
           "MemberRoleForm"]


class EnterpriseRegistrationForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("单位名称"), max_length=ENTERPRISE_NAME_MAX_CHARS,
        help_text=_("与营业执照或登记证书上的名称一致。"),
        error_messages={"required": _("请填写单位名称。"),
                        "max_length": _("单位名称不能超过%(limit_value)d个字。")})
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=24,
        help_text=_("18位，见营业执照左上角。"),
        error_messages={"required": _("请填写统一社会信用代码。"),
                        "max_length": _("统一社会信用代码应为18位。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    legal_representative = forms.CharField(
        label=_("法定代表人"), max_length=60,
        help_text=_("与营业执照上的法定代表人（负责人）姓名一致。"),
        error_messages={"required": _("请填写法定代表人姓名。"),
                        "max_length": _("法定代表人姓名不能超过%(limit_value)d个字。")})

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code


class InviteForm(AccessibleFormMixin, forms.Form):
    contact_kind = forms.ChoiceField(
        label=_("邀请方式"), choices=ContactKind.choices, widget=forms.RadioSelect,
        initial=ContactKind.MOBILE,
        error_messages={"required": _("请选择以手机号码或电子邮箱邀请。"),
                        "invalid_choice": _("请选择以手机号码或电子邮箱邀请。")})
    contact = forms.CharField(
        label=_("受邀人的手机号码或电子邮箱"), max_length=254,
        help_text=_("受邀人须使用已验证该号码或邮箱的个人账号接受邀请。"),
        error_messages={"required": _("请填写受邀人的手机号码或电子邮箱。")})
    role = forms.ChoiceField(
        label=_("角色"), choices=EnterpriseRole.choices, widget=forms.RadioSelect,
        initial=EnterpriseRole.MEMBER,
        help_text=_("管理员可以邀请和移除成员；经办人只能以单位身份办理事项。"),
        error_messages={"required": _("请选择角色。"),
                        "invalid_choice": _("请选择角色：管理员或经办人。")})

    def clean(self):
        cleaned = super().clean()
        kind, contact = cleaned.get("contact_kind"), cleaned.get("contact")
        if kind and contact:
            try:
                cleaned["contact"] = validate_contact(kind, contact)
            except ValidationError as error:
                self.add_error("contact", error)
        return cleaned


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=EnterpriseRole.choices)


class ActingForm(forms.Form):
    """以谁的身份办理: empty for oneself, otherwise one of the citizen's verified enterprises."""

    enterprise = forms.TypedChoiceField(label=_("办理身份"), coerce=int, empty_value=None,
                                        required=False, widget=forms.RadioSelect)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = {enterprise.pk: enterprise for enterprise in enterprises}
        self.fields["enterprise"].choices = [("", _("个人身份"))] + [
            (enterprise.pk, enterprise.name) for enterprise in enterprises]
        self.fields["enterprise"].error_messages["invalid_choice"] = _(
            "只能选择您所在的、已核验的单位。")

    def chosen(self):
        return self.enterprises.get(self.cleaned_data["enterprise"])


class EnterpriseRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("未通过原因"), max_length=REJECTION_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("注册人会收到这段说明，例如“单位名称与营业执照不一致”。"),
        error_messages={"required": _("请说明未通过的原因。"),
                        "max_length": _("原因不能超过%(limit_value)d个字。")})
