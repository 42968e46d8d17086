"""Signed webhooks to back-office systems: what is queued for whom, what the payload holds
(and never holds), signatures, sending to a real HTTP receiver, retries with backoff, giving
up, and the command."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from chuangkou.core.models import AuditEvent

from .. import actions
from ..choices import ApplicationEventKind, FormFieldKind, WebhookDeliveryStatus
from ..models import ApplicationUpload, OnlineFormField, WebhookDelivery
from ..webhooks import (
    deliver_due_webhooks,
    notify_back_offices,
    send_delivery,
    sign_payload,
    verify_signature,
)
from .factories import make_application, make_item
from .integration_support import Receiver, administrator, register

pytestmark = pytest.mark.django_db

RESIDENT_ID = "11010519491231002X"
NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education)


def queue(application, kind=ApplicationEventKind.ACCEPTED):
    notify_back_offices(application=application, event_kind=kind)


# --------------------------------------------------------------------------- signatures


def test_a_signature_verifies_over_timestamp_and_body():
    body = '{"event":"accepted"}'
    now = 1_767_225_600
    signature = "sha256=" + sign_payload("s3cret", now, body)
    assert verify_signature(secret="s3cret", timestamp=now, body=body, signature=signature,
                            now=now)
    assert verify_signature(secret="s3cret", timestamp=str(now), body=body.encode(),
                            signature=signature.removeprefix("sha256="), now=now + 10)


@pytest.mark.parametrize("change", ["body", "secret", "timestamp", "stale", "garbage"])
def test_a_signature_fails_when_anything_differs_or_is_stale(change):
    body, now = '{"event":"accepted"}', 1_767_225_600
    signature = "sha256=" + sign_payload("s3cret", now, body)
    arguments = {"secret": "s3cret", "timestamp": now, "body": body, "signature": signature,
                 "now": now}
    arguments.update({"body": {"body": body + " "}, "secret": {"secret": "other"},
                      "timestamp": {"timestamp": now + 1}, "stale": {"now": now + 301},
                      "garbage": {"timestamp": "yesterday"}}[change])
    assert not verify_signature(**arguments)


def test_sign_payload_is_hex_hmac_sha256_of_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"12.{}", hashlib.sha256).hexdigest()
    assert sign_payload("k", 12, "{}") == expected


# --------------------------------------------------------------------------- queueing


def test_a_change_queues_one_delivery_per_active_system_with_a_url_of_the_body(cluster, item):
    with_url, _key = register(cluster, webhook_url="https://sp.example.gov.cn/hook")
    register(cluster, name="只拉取的系统")  # no webhook URL
    inactive, _key = register(cluster, name="停用的系统", webhook_url="https://old.example.cn/h")
    actions.update_back_office_system(actor=administrator(cluster), system=inactive,
                                      name=inactive.name, webhook_url=inactive.webhook_url,
                                      is_active=False)
    register(cluster, body=cluster.health, name="卫健系统", webhook_url="https://wjw.example.cn/h")
    application = make_application(item=item)
    queue(application)
    delivery = WebhookDelivery.objects.get()
    assert delivery.system == with_url
    assert delivery.status == WebhookDeliveryStatus.PENDING and delivery.attempts == 0
    assert delivery.event_kind == "accepted"
    assert delivery.payload["event_id"] == str(delivery.event_id)


def test_an_application_on_its_way_up_notifies_both_its_current_and_implementing_body(
        cluster, item):
    education, _k = register(cluster, webhook_url="https://jyj.example.cn/h")
    district, _k = register(cluster, body=cluster.district, name="东城系统",
                            webhook_url="https://dc.example.cn/h")
    application = make_application(item=item, body=cluster.district)
    queue(application, ApplicationEventKind.SUBMITTED)
    assert set(WebhookDelivery.objects.values_list("system", flat=True)) == {education.pk,
                                                                            district.pk}
    ids = set(WebhookDelivery.objects.values_list("event_id", flat=True))
    assert len(ids) == 2  # each receiver gets its own event id


def test_without_a_system_nothing_is_queued(cluster, item):
    queue(make_application(item=item))
    assert not WebhookDelivery.objects.exists()


def test_the_payload_names_the_state_and_where_to_fetch_the_rest_but_no_personal_data(
        cluster, item):
    OnlineFormField.objects.create(item=item, name="parent_id", label="监护人身份证号",
                                   kind=FormFieldKind.RESIDENT_ID, sort_order=3)
    register(cluster, webhook_url="https://jyj.example.cn/h")
    application = make_application(item=item, answers={
        "student_name": "李小明", "grade": "二年级", "parent_id": RESIDENT_ID})
    upload = ApplicationUpload.objects.create(
        application=application, file="2026/03/a.pdf", original_name="转学申请表.pdf",
        content_type="application/pdf", size=1234)
    queue(application)
    payload = WebhookDelivery.objects.get().payload
    text = json.dumps(payload, ensure_ascii=False)
    assert RESIDENT_ID not in text
    assert "李建华" not in text and "13912345678" not in text  # the applicant's details
    details = payload["application"]
    assert payload["event"] == "accepted"
    assert details["number"] == application.number
    assert details["status"] == "submitted"
    assert details["item"] == {"code": item.code, "name": item.name}
    assert details["current_body"]["slug"] == "education"
    assert details["answers"] == {"student_name": "李小明", "grade": "二年级"}
    assert details["withheld_answers"] == ["parent_id"]
    assert details["uploads"][0]["url"].endswith(
        f"/api/v1/services/backoffice/applications/{application.number}/uploads/{upload.pk}/")
    assert details["api_url"].endswith(
        f"/api/v1/services/backoffice/applications/{application.number}/")


# --------------------------------------------------------------------------- sending


def test_a_committed_change_is_sent_signed_to_the_receiver(
        cluster, item, receiver, django_capture_on_commit_callbacks):
    system, _key = register(cluster, webhook_url=receiver.url)
    application = make_application(item=item)
    with django_capture_on_commit_callbacks(execute=True):
        queue(application)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.path == "/hooks/chuangkou"
    assert request.headers["x-chuangkou-event"] == "accepted"
    delivery = WebhookDelivery.objects.get()
    assert request.headers["x-chuangkou-delivery"] == str(delivery.event_id)
    assert request.headers["content-type"].startswith("application/json")
    assert verify_signature(secret=system.webhook_secret,
                            timestamp=request.headers["x-chuangkou-timestamp"],
                            body=request.body, signature=request.headers["x-chuangkou-signature"])
    assert request.json == delivery.payload
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        WebhookDeliveryStatus.DELIVERED, 1, 200)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None


def test_the_send_is_a_background_task_not_part_of_the_request(
        cluster, item, receiver, django_capture_on_commit_callbacks):
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    register(cluster, webhook_url=receiver.url)
    application = make_application(item=item)
    queued_in_database = {"BACKEND": "django_tasks_db.DatabaseBackend",
                          "QUEUES": ["notifications", "periodic"]}
    with override_settings(TASKS={"default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
            "background": queued_in_database}):
        with django_capture_on_commit_callbacks(execute=True):
            queue(application)
        assert receiver.requests == []
        task_row = DBTaskResult.objects.get()
        assert task_row.task_path == "chuangkou.services.tasks.send_webhook_deliveries"
        task_backends["background"].get_result(str(task_row.pk)).task.call(*task_row.args_kwargs["args"])
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == WebhookDeliveryStatus.DELIVERED


def test_a_rolled_back_change_sends_nothing(
        cluster, item, receiver, django_capture_on_commit_callbacks):
    register(cluster, webhook_url=receiver.url)
    application = make_application(item=item)
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        queue(application)
        raise RuntimeError("the action failed after queueing")
    assert callbacks == []
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failed_send_is_retried_with_backoff_then_delivered(
        cluster, item, django_capture_on_commit_callbacks):
    receiver = Receiver(answers=[500, 503, 200]).start()
    try:
        register(cluster, webhook_url=receiver.url)
        with time_machine.travel(NOW, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                queue(make_application(item=item))
            delivery = WebhookDelivery.objects.get()
            assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
                WebhookDeliveryStatus.PENDING, 1, 500)
            assert delivery.next_attempt_at == NOW + timedelta(minutes=1)
            assert "500" in delivery.last_error
        assert deliver_due_webhooks(now=NOW + timedelta(seconds=59)).skipped == 0
        assert len(receiver.requests) == 1  # not due yet
        with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
            result = deliver_due_webhooks()
        assert result.retrying == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2 and delivery.last_status_code == 503
        assert delivery.next_attempt_at == NOW + timedelta(minutes=3)  # then 2 minutes
        with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
            result = deliver_due_webhooks()
        assert result.delivered == 1
        delivery.refresh_from_db()
        assert delivery.status == WebhookDeliveryStatus.DELIVERED and delivery.attempts == 3
        assert delivery.last_error == ""
        assert len(receiver.requests) == 3
        assert len({r.headers["x-chuangkou-delivery"] for r in receiver.requests}) == 1
    finally:
        receiver.stop()


@override_settings(SERVICES_WEBHOOK_MAX_ATTEMPTS=3)
def test_a_delivery_is_given_up_after_the_maximum_attempts(cluster, item):
    receiver = Receiver(answers=[500]).start()
    try:
        register(cluster, webhook_url=receiver.url)
        queue(make_application(item=item))
        moment = timezone.now()
        statuses = []
        for _attempt in range(4):
            moment += timedelta(hours=1)
            statuses.append(deliver_due_webhooks(now=moment))
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == WebhookDeliveryStatus.FAILED and delivery.attempts == 3
        assert delivery.next_attempt_at is None
        assert [s.failed for s in statuses] == [0, 0, 1, 0]
        assert len(receiver.requests) == 3
    finally:
        receiver.stop()


def test_an_unreachable_receiver_is_recorded_as_an_error_and_retried(cluster, item):
    receiver = Receiver().start()
    url = receiver.url
    receiver.stop()  # nothing listens there now
    register(cluster, webhook_url=url)
    queue(make_application(item=item))
    assert deliver_due_webhooks().retrying == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDeliveryStatus.PENDING
    assert delivery.last_status_code is None and delivery.last_error


def test_a_redirect_is_not_followed(cluster, item):
    receiver = Receiver(answers=[302], location="http://127.0.0.1:9/elsewhere").start()
    try:
        register(cluster, webhook_url=receiver.url)
        queue(make_application(item=item))
        deliver_due_webhooks()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == WebhookDeliveryStatus.PENDING
        assert delivery.last_status_code == 302 and len(receiver.requests) == 1
    finally:
        receiver.stop()


def test_a_system_switched_off_after_queueing_gets_nothing(cluster, item, receiver):
    system, _key = register(cluster, webhook_url=receiver.url)
    queue(make_application(item=item))
    actions.update_back_office_system(actor=administrator(cluster), system=system,
                                      name=system.name, webhook_url=receiver.url,
                                      is_active=False)
    deliver_due_webhooks()
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().attempts == 1


def test_a_delivered_or_not_due_delivery_is_not_sent_again(cluster, item, receiver):
    register(cluster, webhook_url=receiver.url)
    queue(make_application(item=item))
    delivery = WebhookDelivery.objects.get()
    assert send_delivery(delivery.pk) == WebhookDeliveryStatus.DELIVERED
    assert send_delivery(delivery.pk) is None
    assert deliver_due_webhooks().delivered == 0
    assert len(receiver.requests) == 1


def test_the_signature_uses_the_current_webhook_secret(cluster, item, receiver):
    system, _key = register(cluster, webhook_url=receiver.url)
    queue(make_application(item=item))
    secret = actions.rotate_webhook_secret(actor=administrator(cluster), system=system)
    deliver_due_webhooks()
    request = receiver.requests[0]
    assert verify_signature(secret=secret, timestamp=request.headers["x-chuangkou-timestamp"],
                            body=request.body, signature=request.headers["x-chuangkou-signature"])
    assert int(request.headers["x-chuangkou-timestamp"]) <= time.time() + 1


def test_the_command_delivers_what_is_due_and_prints_the_counts(cluster, item, receiver,
                                                                capsys):
    register(cluster, webhook_url=receiver.url)
    queue(make_application(item=item))
    queue(make_application(item=item))
    call_command("deliver_service_webhooks")
    assert "delivered 2" in capsys.readouterr().out
    assert len(receiver.requests) == 2


def test_the_command_refuses_a_bad_loop_value():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("deliver_service_webhooks", "--loop", "0")


def test_queueing_writes_no_audit_event_of_its_own(cluster, item):
    register(cluster, webhook_url="https://jyj.example.cn/h")
    before = AuditEvent.objects.count()
    queue(make_application(item=item))
    assert AuditEvent.objects.count() == before
