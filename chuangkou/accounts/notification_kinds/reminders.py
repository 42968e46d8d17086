"""The notification of 个性化提醒: a reminder whose day has come."""

from django.utils.translation import gettext_lazy as _

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind, register_kind

REMINDER_DUE = register_kind(NotificationKind(
    code="accounts.reminder_due",
    label=_("个性化提醒"),
    subject=_("【提醒】{{ title }}（到期日期{{ due_on }}）"),
    body=_("{{ display_name }}，您好：\n\n"
           "您的提醒事项“{{ title }}”到期日期为{{ due_on }}"
           "{% if days_left > 0 %}，还有{{ days_left }}天{% elif days_left == 0 %}，就是今天"
           "{% else %}，已经过期{% endif %}。"
           "{% if note %}\n备注：{{ note }}{% endif %}\n\n"
           "请及时办理。查看和管理您的提醒：{{ url }}"),
    sms=_("提醒：“{{ title }}”到期日期为{{ due_on }}，请及时办理。详情请登录我的主页查看。"),
    channels=(Channel.EMAIL, Channel.SMS, Channel.SITE),
    variables={
        "display_name": _("昵称"),
        "title": _("提醒事项"),
        "due_on": _("到期日期（YYYY-MM-DD）"),
        "days_left": _("距到期的天数"),
        "note": _("备注"),
        "source": _("提醒类型"),
        "url": _("提醒页面的链接"),
    },
))
