"""The notification of 订阅: the daily or weekly e-mail digest."""

from django.utils.translation import gettext_lazy as _

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind, register_kind

SUBSCRIPTION_DIGEST = register_kind(NotificationKind(
    code="accounts.subscription_digest",
    label=_("订阅信息摘要"),
    subject=_("您订阅的信息有{{ item_count }}条更新（{{ frequency }}）"),
    body=_("{{ display_name }}，您好：\n\n"
           "以下是您订阅的栏目、机构和主题最近发布的信息。\n"
           "{% for section in sections %}\n"
           "【{{ section.title }}】共{{ section.count }}条\n"
           "{% for item in section.items %}"
           "· {{ item.title }}（{{ item.published_on }}）\n  {{ item.url }}\n"
           "{% endfor %}"
           "{% if section.more %}……另有{{ section.more }}条，请到网站查看。\n{% endif %}"
           "{% endfor %}\n"
           "管理我的订阅：{{ manage_url }}\n\n"
           "如不想再收到某项订阅，点击对应的链接即可退订，无需登录：\n"
           "{% for section in sections %}"
           "· 退订“{{ section.title }}”：{{ section.unsubscribe_url }}\n"
           "{% endfor %}"),
    channels=(Channel.EMAIL,),
    variables={
        "display_name": _("昵称"),
        "frequency": _("接收方式（每日邮件摘要或每周邮件摘要）"),
        "item_count": _("本次摘要的信息条数"),
        "sections": _("各项订阅：title 订阅对象, count 新信息条数, items 信息列表（title 标题, "
                      "published_on 发布日期, url 链接）, more 未列出的条数, "
                      "unsubscribe_url 一键退订链接"),
        "manage_url": _("我的订阅页面的链接"),
    },
))
