"""Forms of registration, sign-in, password reset and the security page (账号安全).

They check what can be checked without the database, each message naming the rule; the
actions check the rest (password rules, codes, lock-out) and their refusals come back onto
these fields."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin

from ..choices import ContactKind
from ..contacts import classify_identifier, validate_contact

__all__ = [
    "CodeForm",
    "ContactChangeForm",
    "PasswordChangeForm",
    "RegistrationForm",
    "ResetConfirmForm",
    "ResetRequestForm",
    "SignInForm",
]

CONTACT_MAX_LENGTH = 254
PASSWORD_MAX_LENGTH = 128
CODE_PATTERN = re.compile(r"^\d{6}$")
PASSWORD_HELP = _("至少10位；不能全是数字，不能是常见密码（如 woaini1314），不能与邮箱或昵称相似。")


def _password_field(label, *, required_message, help_text="", autocomplete="new-password"):
    return forms.CharField(
        label=label, max_length=PASSWORD_MAX_LENGTH, strip=False, help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": required_message,
                        "max_length": _("密码不能超过%(limit_value)d个字符。")})


def _identifier_field(help_text=""):
    return forms.CharField(
        label=_("手机号码或电子邮箱"), max_length=CONTACT_MAX_LENGTH, help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false",
                                      "autocapitalize": "none"}),
        error_messages={"required": _("请填写手机号码或电子邮箱。"),
                        "max_length": _("不能超过%(limit_value)d个字符。")})


def clean_contact_identifier(text: str) -> tuple[str, str]:
    """``(kind, normalised value)`` of a typed mobile number or e-mail address, or a
    ``ValidationError`` naming the rule it broke."""
    kind, value = classify_identifier(text)
    return kind, validate_contact(kind, value)


class _ConfirmedPasswordMixin:
    # The two fields that must hold the same new password.
    matching_fields = ("new_password", "new_password_confirm")

    def clean(self):
        cleaned = super().clean()
        first_name, second_name = self.matching_fields
        first, second = cleaned.get(first_name), cleaned.get(second_name)
        if first and second and first != second:
            self.add_error(second_name, _("两次输入的密码不一致，请重新输入。"))
        return cleaned


class RegistrationForm(AccessibleFormMixin, _ConfirmedPasswordMixin, forms.Form):
    """注册: a mobile number or e-mail address, a password and consent to the use of the
    address."""

    contact = _identifier_field(help_text=_("用于登录和接收验证码、办事通知。手机号码为以1开头的11位数字。"))
    display_name = forms.CharField(
        label=_("昵称（选填）"), required=False, max_length=40,
        help_text=_("在网站上称呼您的名字，不必是真实姓名。"),
        error_messages={"max_length": _("昵称不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})
    password = _password_field(_("密码"), help_text=PASSWORD_HELP,
                               required_message=_("请设置登录密码。"))
    password_confirm = _password_field(_("确认密码"), required_message=_("请再输入一次密码。"))
    consent = forms.BooleanField(
        label=_("我同意网站按以下说明使用我的手机号码或邮箱"),
        help_text=_("手机号码或邮箱只用于登录、找回密码和发送您办理事项的通知，加密保存，不会公开。"),
        error_messages={"required": _("请勾选同意，否则无法注册。")})

    matching_fields = ("password", "password_confirm")
    summary_labels = {"consent": _("同意使用说明")}

    def clean_contact(self) -> str:
        kind, value = clean_contact_identifier(self.cleaned_data["contact"])
        self.cleaned_data["contact_kind"] = kind
        return value


class CodeForm(AccessibleFormMixin, forms.Form):
    """A six-digit code from an SMS or e-mail."""

    code = forms.CharField(
        label=_("验证码"), max_length=20,
        help_text=_("短信或邮件中的6位数字。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("请填写验证码。"),
                        "max_length": _("验证码为6位数字。")})

    def clean_code(self) -> str:
        code = "".join(unicodedata.normalize("NFKC", self.cleaned_data["code"]).split())
        if not CODE_PATTERN.match(code):
            raise ValidationError(_("验证码为6位数字。"), code="format")
        return code


class SignInForm(AccessibleFormMixin, forms.Form):
    """登录 with a mobile number or e-mail address and the password."""

    identifier = _identifier_field()
    password = _password_field(_("密码"), autocomplete="current-password",
                               required_message=_("请填写密码。"))


class ResetRequestForm(AccessibleFormMixin, forms.Form):
    """找回密码: the mobile number or e-mail address the code goes to."""

    identifier = _identifier_field(help_text=_("注册时使用的手机号码或电子邮箱，验证码将发送到这里。"))

    def clean_identifier(self) -> str:
        kind, value = clean_contact_identifier(self.cleaned_data["identifier"])
        self.cleaned_data["identifier_kind"] = kind
        return value


class ResetConfirmForm(_ConfirmedPasswordMixin, CodeForm):
    """The code of the reset and the new password."""

    new_password = _password_field(_("新密码"), help_text=PASSWORD_HELP,
                                   required_message=_("请设置新密码。"))
    new_password_confirm = _password_field(_("确认新密码"),
                                           required_message=_("请再输入一次新密码。"))


class PasswordChangeForm(AccessibleFormMixin, _ConfirmedPasswordMixin, forms.Form):
    """修改密码 with the current one."""

    current_password = _password_field(_("当前密码"), autocomplete="current-password",
                                       required_message=_("请填写当前密码。"))
    new_password = _password_field(_("新密码"), help_text=PASSWORD_HELP,
                                   required_message=_("请设置新密码。"))
    new_password_confirm = _password_field(_("确认新密码"),
                                           required_message=_("请再输入一次新密码。"))


class ContactChangeForm(AccessibleFormMixin, forms.Form):
    """Add or change the mobile number or the e-mail address (one form per kind)."""

    new_contact = forms.CharField(max_length=CONTACT_MAX_LENGTH)

    def __init__(self, *args, contact_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_kind = contact_kind
        field = self.fields["new_contact"]
        if contact_kind == ContactKind.MOBILE:
            field.label = _("新手机号码")
            field.help_text = _("以1开头的11位数字，验证码将发送到新号码。")
            field.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
            field.error_messages.update({"required": _("请填写新手机号码。")})
        else:
            field.label = _("新电子邮箱")
            field.help_text = _("验证码将发送到新邮箱，例如 name@example.cn。")
            field.widget.attrs.update({"inputmode": "email", "autocomplete": "email",
                                       "spellcheck": "false", "autocapitalize": "none"})
            field.error_messages.update({"required": _("请填写新电子邮箱。")})
        field.error_messages["max_length"] = _("不能超过%(limit_value)d个字符。")

    def clean_new_contact(self) -> str:
        return validate_contact(self.contact_kind, self.cleaned_data["new_contact"])
