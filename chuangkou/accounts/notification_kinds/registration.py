"""Notifications of registration, sign-in and account security. Codes and security notices are
mandatory: they go out whatever the citizen chose to receive, because they protect the account."""

from django.utils.translation import gettext_lazy as _

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind, register_kind

VERIFICATION_CODE = register_kind(NotificationKind(
    code="accounts.verification_code",
    label=_("验证码"),
    subject=_("您的验证码：{{ code }}"),
    body=_("您正在{{ purpose_label }}，验证码为 {{ code }}，{{ minutes }}分钟内有效。"
           "请勿将验证码告诉任何人，工作人员不会向您索要验证码。如非本人操作，请忽略本消息。"),
    sms=_("验证码{{ code }}，用于{{ purpose_label }}，{{ minutes }}分钟内有效，请勿泄露。"),
    channels=(Channel.EMAIL, Channel.SMS),
    variables={"code": _("6位验证码"), "minutes": _("有效分钟数"),
               "purpose_label": _("用途，如“找回密码”")},
    sensitive=True,
    mandatory=True,
))

ALREADY_REGISTERED = register_kind(NotificationKind(
    code="accounts.already_registered",
    label=_("重复注册提示"),
    subject=_("有人尝试用您的{{ contact_label }}注册账号"),
    body=_("有人尝试用您的{{ contact_label }}注册政府网站账号，但该{{ contact_label }}已注册。"
           "如是您本人，请直接登录或找回密码；如非本人操作，请忽略本消息，您的账号不受影响。"),
    sms=_("有人尝试用您的{{ contact_label }}注册账号。如是您本人，请直接登录或找回密码；"
          "如非本人操作，请忽略。"),
    channels=(Channel.EMAIL, Channel.SMS),
    variables={"contact_label": _("手机号码或邮箱")},
    mandatory=True,
))

CONTACT_CHANGED = register_kind(NotificationKind(
    code="accounts.contact_changed",
    label=_("联系方式变更提醒"),
    subject=_("您账号的{{ contact_label }}已更改"),
    body=_("您的政府网站账号已于{{ changed_at }}将{{ contact_label }}更改为 {{ new_contact }}，"
           "本{{ contact_label }}不再用于登录和接收通知。如非本人操作，请立即找回密码"
           "并联系网站管理员。"),
    sms=_("您账号的{{ contact_label }}已于{{ changed_at }}更改为{{ new_contact }}。"
          "如非本人操作，请立即找回密码。"),
    channels=(Channel.EMAIL, Channel.SMS),
    variables={"contact_label": _("手机号码或邮箱"), "new_contact": _("新地址（已脱敏）"),
               "changed_at": _("更改时间")},
    mandatory=True,
))

PASSWORD_CHANGED = register_kind(NotificationKind(
    code="accounts.password_changed",
    label=_("密码修改提醒"),
    subject=_("您账号的密码已修改"),
    body=_("您的政府网站账号密码已于{{ changed_at }}{{ how }}，其他设备上的登录已全部退出。"
           "如非本人操作，请立即找回密码并联系网站管理员。"),
    sms=_("您账号的密码已于{{ changed_at }}{{ how }}。如非本人操作，请立即找回密码。"),
    channels=(Channel.EMAIL, Channel.SMS, Channel.SITE),
    variables={"changed_at": _("修改时间"), "how": _("“修改”或“通过验证码重置”")},
    mandatory=True,
))
