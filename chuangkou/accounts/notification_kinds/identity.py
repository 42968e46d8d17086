"""Notifications of real-name verification (实名认证) and enterprise accounts (法人账号): the
decisions of the account officer, invitations to act for an enterprise and removals."""

from django.utils.translation import gettext_lazy as _

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind, register_kind

REAL_NAME_APPROVED = register_kind(NotificationKind(
    code="accounts.real_name_approved",
    label=_("实名认证通过"),
    subject=_("您的实名认证已通过"),
    body=_("您提交的实名认证申请已核验通过，您的账号已达到“实名认证”等级，"
           "可以办理要求实名认证的事项。查看：{{ url }}"),
    sms=_("您的实名认证申请已核验通过，可以办理要求实名认证的事项。"),
    variables={"display_name": _("昵称"), "url": _("实名认证页面地址")},
))

REAL_NAME_REJECTED = register_kind(NotificationKind(
    code="accounts.real_name_rejected",
    label=_("实名认证未通过"),
    subject=_("您的实名认证未通过"),
    body=_("您提交的实名认证申请未通过核验。原因：{{ reason }}\n"
           "您可以核对姓名和身份证号码后重新提交：{{ url }}"),
    sms=_("您的实名认证申请未通过核验，原因：{{ reason }}。可登录网站核对后重新提交。"),
    variables={"display_name": _("昵称"), "reason": _("未通过原因"),
               "url": _("实名认证页面地址")},
))

ENTERPRISE_VERIFIED = register_kind(NotificationKind(
    code="accounts.enterprise_verified",
    label=_("法人账号核验通过"),
    subject=_("{{ enterprise }}的法人账号已核验通过"),
    body=_("您注册的{{ enterprise }}法人账号已核验通过。您现在可以以单位身份办理事项，"
           "并邀请经办人加入：{{ url }}"),
    sms=_("您注册的{{ enterprise }}法人账号已核验通过，可登录网站以单位身份办理事项。"),
    variables={"enterprise": _("单位名称"), "url": _("单位页面地址")},
))

ENTERPRISE_REJECTED = register_kind(NotificationKind(
    code="accounts.enterprise_rejected",
    label=_("法人账号核验未通过"),
    subject=_("{{ enterprise }}的法人账号未通过核验"),
    body=_("您注册的{{ enterprise }}法人账号未通过核验。原因：{{ reason }}\n"
           "您可以核对单位信息后重新注册：{{ url }}"),
    sms=_("您注册的{{ enterprise }}法人账号未通过核验，原因：{{ reason }}。"),
    variables={"enterprise": _("单位名称"), "reason": _("未通过原因"),
               "url": _("单位页面地址")},
))

# Sent to an address, not to an account: the link carries the token, so the body is wiped
# from the delivery record once sent.
ENTERPRISE_INVITATION = register_kind(NotificationKind(
    code="accounts.enterprise_invitation",
    label=_("法人成员邀请"),
    subject=_("{{ enterprise }}邀请您作为{{ role }}办理业务"),
    body=_("{{ enterprise }}的管理员邀请您作为{{ role }}在政府网站上代表该单位办理事项。\n"
           "请登录已验证本邮箱或手机号码的个人账号后打开以下链接接受邀请，{{ days }}天内有效：\n"
           "{{ url }}\n如您不认识该单位，请忽略本消息。"),
    sms=_("{{ enterprise }}邀请您作为{{ role }}代表该单位办理事项，{{ days }}天内有效：{{ url }}"),
    channels=(Channel.EMAIL, Channel.SMS),
    variables={"enterprise": _("单位名称"), "role": _("角色（管理员或经办人）"),
               "days": _("有效天数"), "url": _("接受邀请的链接")},
    sensitive=True,
    mandatory=True,
))

ENTERPRISE_MEMBER_REMOVED = register_kind(NotificationKind(
    code="accounts.enterprise_member_removed",
    label=_("移出法人成员"),
    subject=_("您已不再是{{ enterprise }}的成员"),
    body=_("{{ enterprise }}的管理员已将您移出该单位，您不能再以该单位身份办理事项。"
           "如有疑问，请联系该单位管理员。"),
    sms=_("{{ enterprise }}的管理员已将您移出该单位，您不能再以该单位身份办理事项。"),
    variables={"enterprise": _("单位名称"), "url": _("我的单位页面地址")},
))
