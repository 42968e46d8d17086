"""Forms of 实名认证: the citizen's request, and the account officer's decision. Forms check
the shape of each field with a message naming the rule; the rules themselves are the
actions'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin
from chuangkou.core.validators import resident_id_problem

from ..actions.identity import (
    REAL_NAME_MAX_CHARS,
    REJECTION_REASON_MAX_CHARS,
    normalise_id_number,
    normalise_real_name,
    real_name_problem,
)

__all__ = ["RealNameRejectForm", "RealNameRequestForm"]


class RealNameRequestForm(AccessibleFormMixin, forms.Form):
    real_name = forms.CharField(
        label=_("姓名"), max_length=REAL_NAME_MAX_CHARS + 10,
        help_text=_("与居民身份证上的姓名一致；少数民族姓名中间的间隔号请输入“·”。"),
        error_messages={"required": _("请填写姓名。"),
                        "max_length": _("姓名不能超过%(limit_value)d个字。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label=_("居民身份证号码"), max_length=24,
        help_text=_("18位，最后一位可能是X。"),
        error_messages={"required": _("请填写居民身份证号码。"),
                        "max_length": _("居民身份证号码应为18位。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text",
                                      "spellcheck": "false"}))
    consent = forms.BooleanField(
        label=_("我同意本网站为核验身份处理我的姓名和身份证号码"),
        help_text=_("身份证号码属于敏感个人信息（个人信息保护法 第二十八条），"
                    "仅用于实名认证，加密保存，不会公开。"),
        error_messages={"required": _("请勾选同意，否则无法进行实名认证。")})

    def clean_real_name(self):
        name = normalise_real_name(self.cleaned_data["real_name"])
        if problem := real_name_problem(name):
            raise forms.ValidationError(problem, code="real_name")
        return name

    def clean_id_number(self):
        number = normalise_id_number(self.cleaned_data["id_number"])
        if problem := resident_id_problem(number):
            raise forms.ValidationError(problem, code="id_number")
        return number


class RealNameRejectForm(forms.Form):
    """The account officer's reason, sent to the citizen."""

    reason = forms.CharField(
        label=_("未通过原因"), max_length=REJECTION_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("申请人会收到这段说明，例如“姓名与身份证号码不一致”。"),
        error_messages={"required": _("请说明未通过的原因。"),
                        "max_length": _("原因不能超过%(limit_value)d个字。")})
