"""What the notifications domain does for the accounts domain's hooks (named by string, so
this app imports nothing of accounts here): the citizen's messages in the download of their
data, and forgetting them when the account closes."""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from ..actions import forget_recipient
from ..kinds import get_kind
from ..models import Delivery, SiteMessage


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _kind_label(code: str) -> str:
    try:
        return str(get_kind(code).label)
    except LookupError:
        return code


@hooks.register("citizen_data_export")
def export_messages(*, user) -> dict:
    messages = SiteMessage.objects.filter(user=user).order_by("created_at", "pk")
    deliveries = (Delivery.objects.filter(user=user).order_by("created_at", "pk")
                  .only("kind", "channel", "masked_address", "subject", "status", "created_at",
                        "sent_at", "is_sensitive"))
    return {
        _("站内消息"): [
            {_("标题"): message.subject, _("正文"): message.body, _("链接"): message.url,
             _("收到时间"): _local(message.created_at), _("阅读时间"): _local(message.read_at)}
            for message in messages],
        _("通知发送记录"): [
            {_("通知类型"): _kind_label(delivery.kind), _("渠道"): delivery.get_channel_display(),
             _("接收地址"): delivery.masked_address, _("标题"): delivery.subject,
             _("状态"): delivery.get_status_display(), _("创建时间"): _local(delivery.created_at),
             _("发送时间"): _local(delivery.sent_at)}
            for delivery in deliveries],
    }


@hooks.register("citizen_account_closing")
def forget_closing_citizen(*, user) -> int:
    return forget_recipient(user=user)
