"""Forms of 个人信息: correcting what the citizen may correct, closing the account, and the
account officer's filters of 公众账号."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin

from ..actions.personal_data import ADDRESS_MAX_CHARS, DISPLAY_NAME_MAX_CHARS
from ..choices import AccountStatus, IdentityLevel

__all__ = ["CitizenFilterForm", "CloseAccountForm", "ProfileForm"]


class ProfileForm(AccessibleFormMixin, forms.Form):
    display_name = forms.CharField(
        label=_("昵称（选填）"), required=False, max_length=DISPLAY_NAME_MAX_CHARS,
        help_text=_("显示在“我的主页”上，不超过%(max)d个字。") % {"max": DISPLAY_NAME_MAX_CHARS},
        error_messages={"max_length": _("昵称不能超过%(limit_value)d个字。")})
    address = forms.CharField(
        label=_("联系地址（选填）"), required=False, max_length=ADDRESS_MAX_CHARS,
        help_text=_("用于邮寄办理结果等，不超过%(max)d个字。") % {"max": ADDRESS_MAX_CHARS},
        error_messages={"max_length": _("联系地址不能超过%(limit_value)d个字。")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    notify_by_email = forms.BooleanField(label=_("通过电子邮件通知我"), required=False)
    notify_by_sms = forms.BooleanField(label=_("通过短信通知我"), required=False)
    notify_in_site = forms.BooleanField(label=_("在站内消息中通知我"), required=False)


class CloseAccountForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label=_("登录密码"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请输入登录密码以确认是您本人操作。")})
    confirm = forms.BooleanField(
        label=_("我已了解：注销后账号不能恢复，个人信息将被删除"),
        error_messages={"required": _("请勾选确认您已了解注销的后果。")})


class CitizenFilterForm(forms.Form):
    contact = forms.CharField(label=_("手机号码或电子邮箱"), required=False, max_length=254,
                              help_text=_("须输入完整号码或邮箱，精确查找。"))
    level = forms.ChoiceField(label=_("身份等级"), required=False,
                              choices=[("", _("全部")), *IdentityLevel.choices])
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), *AccountStatus.choices])
