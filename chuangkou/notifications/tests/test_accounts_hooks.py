"""What the notifications domain answers to the accounts domain's hooks: a citizen's messages
in the download of their data, and forgetting them when the account closes."""

import pytest
from django.utils import timezone

from chuangkou.accounts.homepage import close_citizen_records, export_citizen_data
from chuangkou.notifications.choices import Channel, DeliveryStatus
from chuangkou.notifications.models import Delivery, SiteMessage

from .support import NOTICE, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kinds")]


def make_delivery(user, **fields):
    values = dict(kind=NOTICE.code, channel=Channel.SMS, user=user, address="13912345678",
                  masked_address="139****5678", subject="", body="您的申请（办件编号BJ2026112300017）已受理。",
                  status=DeliveryStatus.SENT, sent_at=timezone.now())
    values.update(fields)
    return Delivery.objects.create(**values)


def test_the_data_download_holds_my_messages_and_delivery_records():
    me, neighbour = make_user(), make_user()
    SiteMessage.objects.create(user=me, subject="您的申请已受理", body="个体工商户设立登记已受理。")
    SiteMessage.objects.create(user=neighbour, subject="别人的消息", body="不应出现。")
    make_delivery(me)
    data = export_citizen_data(user=me)
    [message] = data["站内消息"]
    assert message["标题"] == "您的申请已受理" and message["阅读时间"] is None
    [record] = data["通知发送记录"]
    assert record["通知类型"] == NOTICE.label and record["接收地址"] == "139****5678"
    assert record["状态"] == "已发送"
    assert "别人的消息" not in str(data)


def test_closing_an_account_forgets_its_messages_and_addresses_but_keeps_the_records():
    me, neighbour = make_user(), make_user()
    SiteMessage.objects.create(user=me, subject="您的申请已受理", body="个体工商户设立登记已受理。")
    sent = make_delivery(me)
    pending = make_delivery(me, channel=Channel.EMAIL, address="zhangwei@example.cn",
                            masked_address="z***@example.cn", status=DeliveryStatus.QUEUED,
                            sent_at=None)
    theirs = make_delivery(neighbour)
    assert close_citizen_records(user=me) >= 3
    assert not SiteMessage.objects.filter(user=me).exists()
    sent.refresh_from_db()
    pending.refresh_from_db()
    assert (sent.address, sent.masked_address, sent.status) == ("", "", DeliveryStatus.SENT)
    assert "BJ2026112300017" not in sent.body
    assert pending.status == DeliveryStatus.ABANDONED and pending.address == ""
    theirs.refresh_from_db()
    assert theirs.address == "13912345678"
