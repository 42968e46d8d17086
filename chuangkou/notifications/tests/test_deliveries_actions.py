"""Queueing and sending notifications (发送记录): one delivery per channel, sent after commit
and exactly once; recipients' preferences and closed accounts; one-time codes wiped; failures
retried with back-off, given up after the last attempt; staff's re-send."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from chuangkou.core.models import AuditEvent
from chuangkou.notifications import actions
from chuangkou.notifications.actions import (
    ABANDONED_PLACEHOLDER,
    SENSITIVE_PLACEHOLDER,
    deliver,
    notify,
    retry_delivery,
    retry_due_deliveries,
)
from chuangkou.notifications.choices import Channel, DeliveryStatus
from chuangkou.notifications.exceptions import DeliveryNotRetryable
from chuangkou.notifications.models import Delivery, NotificationTemplate, SiteMessage
from chuangkou.notifications.recipients import Recipient

from .support import (
    CODE,
    NOTICE,
    NOTICE_CONTEXT,
    FlakyGateway,
    make_user,
    reachable,
    recipients,
    sms_gateway,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kinds", "sms_outbox")]

MOBILE = "13912345678"
NOWHERE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
           "background": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                          "QUEUES": ["notifications"]}}
EMAIL = "zhangwei@example.cn"


def send_notice(**kwargs):
    return notify(kind=NOTICE.code, context=NOTICE_CONTEXT, **kwargs)


def test_a_notification_to_an_address_is_recorded_masked_and_sent_after_commit(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [delivery] = send_notice(email=EMAIL, url="/banshi/applications/BJ2026112300017/")
        assert (delivery.status, mail.outbox) == (DeliveryStatus.QUEUED, [])
    assert len(callbacks) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None
    assert delivery.masked_address == "z***@example.cn"
    [message] = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject == "您的申请已受理：个体工商户设立登记"
    assert "查看办理进度：/banshi/applications/BJ2026112300017/" in message.body


def test_a_rolled_back_submission_records_and_sends_nothing(django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True),
          pytest.raises(RuntimeError), transaction.atomic()):
        send_notice(email=EMAIL, mobile=MOBILE)
        raise RuntimeError("保存申请时出错")
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_a_user_is_reached_on_every_channel_at_their_own_addresses(
        django_capture_on_commit_callbacks, sms_outbox):
    user = make_user()
    with (recipients({user.pk: reachable(email=EMAIL, mobile=MOBILE)}),
          django_capture_on_commit_callbacks(execute=True)):
        deliveries = send_notice(user=user, url="/banshi/")
    assert sorted(delivery.channel for delivery in deliveries) == sorted(Channel.values)
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert [(sent.mobile, sent.text) for sent in sms_outbox] == [
        (MOBILE, "【窗口】您的申请（办件编号BJ2026112300017）已受理。")]
    message = SiteMessage.objects.get(user=user)
    assert message.subject == "您的申请已受理：个体工商户设立登记" and message.url == "/banshi/"
    assert message.delivery.status == DeliveryStatus.SENT


def test_a_users_channel_preferences_are_honoured(django_capture_on_commit_callbacks):
    user = make_user()
    with (recipients({user.pk: reachable(email=EMAIL, mobile=MOBILE, channels=[Channel.SITE])}),
          django_capture_on_commit_callbacks(execute=True)):
        deliveries = send_notice(user=user)
    assert [delivery.channel for delivery in deliveries] == [Channel.SITE]
    assert mail.outbox == []


def test_a_mandatory_kind_reaches_the_user_whatever_their_preferences(
        django_capture_on_commit_callbacks, sms_outbox):
    user = make_user()
    with (recipients({user.pk: reachable(email=EMAIL, mobile=MOBILE, channels=[Channel.SITE])}),
          django_capture_on_commit_callbacks(execute=True)):
        deliveries = notify(kind=CODE.code, context={"code": "482915"}, user=user)
    assert sorted(delivery.channel for delivery in deliveries) == [Channel.EMAIL, Channel.SMS]
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1


@pytest.mark.parametrize("kind", [NOTICE, CODE])
def test_a_closed_account_receives_nothing_even_mandatory_notices(
        kind, django_capture_on_commit_callbacks, sms_outbox):
    user = make_user()
    closed = Recipient(email=EMAIL, mobile=MOBILE, is_reachable=False)
    with recipients({user.pk: closed}), django_capture_on_commit_callbacks(execute=True):
        assert notify(kind=kind.code, context={"code": "482915", **NOTICE_CONTEXT},
                      user=user, email=EMAIL) == []
    assert not Delivery.objects.exists()
    assert (mail.outbox, sms_outbox) == ([], [])


def test_a_dedupe_key_sends_a_notice_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_notice(email=EMAIL, dedupe_key="application-17-accepted")
        second = send_notice(email=EMAIL, dedupe_key="application-17-accepted")
    assert len(first) == 1 and second == []
    assert len(mail.outbox) == 1


def test_a_one_time_code_is_wiped_once_sent_and_never_goes_to_the_inbox(
        django_capture_on_commit_callbacks, sms_outbox):
    user = make_user()
    with (recipients({user.pk: reachable(email=EMAIL, mobile=MOBILE)}),
          django_capture_on_commit_callbacks(execute=True)):
        deliveries = notify(kind=CODE.code, context={"code": "482915"}, user=user,
                            channels=Channel.values)
    assert Channel.SITE not in {delivery.channel for delivery in deliveries}
    assert not SiteMessage.objects.exists()
    assert "482915" in mail.outbox[0].body and "482915" in sms_outbox[0].text
    assert set(Delivery.objects.values_list("body", flat=True)) == {SENSITIVE_PLACEHOLDER}


def test_staffs_active_template_replaces_the_default_wording(django_capture_on_commit_callbacks):
    NotificationTemplate.objects.create(
        kind=NOTICE.code, channel=Channel.EMAIL, subject="【示例市政务服务网】受理通知",
        body="{{ item }}（{{ number }}）已受理。")
    NotificationTemplate.objects.create(kind=NOTICE.code, channel=Channel.SMS,
                                        body="停用的模板 {{ number }}", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(email=EMAIL, mobile=MOBILE)
    assert mail.outbox[0].subject == "【示例市政务服务网】受理通知"
    assert mail.outbox[0].body == "个体工商户设立登记（BJ2026112300017）已受理。"
    assert Delivery.objects.get(channel=Channel.SMS).body == "您的申请（办件编号BJ2026112300017）已受理。"


def test_a_template_that_fails_to_render_falls_back_to_the_default_wording():
    NotificationTemplate.objects.create(kind=NOTICE.code, channel=Channel.EMAIL,
                                        subject="受理通知", body='{% url "notifications:no_such_page" %}')
    [delivery] = send_notice(email=EMAIL)
    assert delivery.body.startswith("您提交的“个体工商户设立登记”申请已受理")


@override_settings(NOTIFICATIONS_RETRY_BASE_SECONDS=60)
def test_a_failed_send_is_recorded_with_its_masked_error_and_the_next_attempt(
        django_capture_on_commit_callbacks):
    with sms_gateway("UnreachableGateway"), django_capture_on_commit_callbacks(execute=True):
        [delivery] = send_notice(mobile=MOBILE)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert MOBILE not in delivery.last_error and "139****5678" in delivery.last_error
    assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(
        seconds=60)
    event = AuditEvent.objects.get(action="notifications.delivery_failed")
    assert event.data["attempts"] == 1 and event.data["abandoned"] is False


def test_a_delivery_is_not_tried_again_before_its_back_off_has_passed(
        django_capture_on_commit_callbacks):
    with sms_gateway("UnreachableGateway"), django_capture_on_commit_callbacks(execute=True):
        [delivery] = send_notice(mobile=MOBILE)
    with sms_gateway("UnreachableGateway"):
        assert deliver(delivery_id=delivery.pk) == DeliveryStatus.FAILED
        assert retry_due_deliveries() == 0
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1


def test_the_retry_sweep_sends_a_failed_delivery_once_its_back_off_has_passed(
        django_capture_on_commit_callbacks, sms_outbox):
    FlakyGateway.reset(failures=1)
    with sms_gateway("FlakyGateway"):
        with django_capture_on_commit_callbacks(execute=True):
            [delivery] = send_notice(mobile=MOBILE)
        assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.FAILED
        with (time_machine.travel(timezone.now() + timedelta(minutes=2)),
              django_capture_on_commit_callbacks(execute=True)):
            assert retry_due_deliveries() == 1
        assert deliver(delivery_id=delivery.pk) == DeliveryStatus.SENT
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(sms_outbox) == 1


def test_running_the_send_task_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = send_notice(email=EMAIL)
    assert deliver(delivery_id=delivery.pk) == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


@override_settings(NOTIFICATIONS_MAX_ATTEMPTS=3, NOTIFICATIONS_RETRY_BASE_SECONDS=0)
def test_a_delivery_is_given_up_after_the_last_attempt_and_a_code_wiped(
        django_capture_on_commit_callbacks):
    with sms_gateway("UnreachableGateway"):
        with django_capture_on_commit_callbacks(execute=True):
            [delivery] = notify(kind=CODE.code, context={"code": "482915"}, mobile=MOBILE)
        for _attempt in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                retry_due_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.ABANDONED, 3)
    assert delivery.next_attempt_at is None and delivery.body == ABANDONED_PLACEHOLDER
    assert AuditEvent.objects.filter(action="notifications.delivery_failed").count() == 3


def test_a_queued_delivery_whose_task_was_lost_is_queued_again_after_an_hour(
        django_capture_on_commit_callbacks):
    with (override_settings(TASKS=NOWHERE), django_capture_on_commit_callbacks(execute=True)):
        [delivery] = send_notice(email=EMAIL)  # the task goes nowhere
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_due_deliveries() == 0
    assert mail.outbox == []
    with (time_machine.travel(timezone.now() + timedelta(minutes=61)),
          django_capture_on_commit_callbacks(execute=True)):
        assert retry_due_deliveries() == 1
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_an_email_a_dead_worker_left_half_sent_is_given_up_not_sent_twice():
    [delivery] = send_notice(email=EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=20))
    retry_due_deliveries()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.ABANDONED
    assert "为避免重复发送" in delivery.last_error
    assert mail.outbox == []


def test_an_inbox_message_a_dead_worker_left_unwritten_is_delivered_by_the_sweep(
        django_capture_on_commit_callbacks):
    user = make_user()
    with recipients({user.pk: reachable(channels=[Channel.SITE])}):
        [delivery] = send_notice(user=user)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):
        retry_due_deliveries()
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    assert SiteMessage.objects.filter(user=user).count() == 1


def test_an_inbox_message_for_a_deleted_user_is_given_up():
    user = make_user()
    with recipients({user.pk: reachable(channels=[Channel.SITE])}):
        [delivery] = send_notice(user=user)
    Delivery.objects.filter(pk=delivery.pk).update(user=None)
    assert deliver(delivery_id=delivery.pk) == DeliveryStatus.ABANDONED
    assert not SiteMessage.objects.exists()


def test_staff_send_a_given_up_delivery_again_and_it_is_audited(
        django_capture_on_commit_callbacks):
    administrator = make_user("city-system_administrator")
    [delivery] = send_notice(email=EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.ABANDONED, attempts=6,
                                                   last_error="SMTPServerDisconnected")
    with django_capture_on_commit_callbacks(execute=True):
        retry_delivery(delivery=delivery, actor=administrator)
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="notifications.delivery_retried")
    assert event.actor == administrator and event.data["previous_status"] == "abandoned"


@pytest.mark.parametrize("status", [DeliveryStatus.QUEUED, DeliveryStatus.SENDING,
                                    DeliveryStatus.SENT])
def test_only_failed_or_given_up_deliveries_can_be_sent_again(status):
    [delivery] = send_notice(email=EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(status=status, sent_at=timezone.now())
    with pytest.raises(DeliveryNotRetryable, match="只能重新发送"):
        retry_delivery(delivery=delivery, actor=None)


def test_a_one_time_code_is_never_sent_again_by_staff():
    [delivery] = notify(kind=CODE.code, context={"code": "482915"}, email=EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.ABANDONED)
    with pytest.raises(DeliveryNotRetryable, match="验证码"):
        retry_delivery(delivery=delivery, actor=None)
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.ABANDONED


def test_forgetting_a_recipient_clears_their_inbox_addresses_and_pending_sends(
        django_capture_on_commit_callbacks):
    user = make_user()
    with recipients({user.pk: reachable(email=EMAIL, mobile=MOBILE)}):
        with django_capture_on_commit_callbacks(execute=True):
            send_notice(user=user)
        pending = send_notice(user=user, channels=[Channel.EMAIL])[0]
    assert actions.forget_recipient(user=user) == 5
    assert not SiteMessage.objects.filter(user=user).exists()
    rows = Delivery.objects.filter(user=user)
    assert {row.address for row in rows} == {""} and {row.masked_address for row in rows} == {""}
    assert "个体工商户" not in "".join(rows.values_list("body", flat=True))
    assert Delivery.objects.get(pk=pending.pk).status == DeliveryStatus.ABANDONED
    assert deliver(delivery_id=pending.pk) == DeliveryStatus.ABANDONED
