"""The delivery guarantees end to end, with the real database task backend and its worker
(``db_worker``) run in-process: commits are real, so are the task rows.

A rolled-back submission leaves no delivery and no task; a committed one leaves one task that
the worker runs once; a failed send is retried by the sweep through the worker and sent once."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chuangkou.notifications.actions import notify
from chuangkou.notifications.choices import DeliveryStatus
from chuangkou.notifications.models import Delivery
from chuangkou.notifications.tasks import deliver_notification, retry_due_deliveries

from .support import (
    NOTICE,
    NOTICE_CONTEXT,
    FlakyGateway,
    database_task_backend,
    run_worker,
    sms_gateway,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("test_kinds", "sms_outbox")]

EMAIL = "lina@example.cn"
MOBILE = "13800138000"


@pytest.fixture(autouse=True)
def database_tasks():
    with database_task_backend():
        yield


def tasks_of(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path))


def test_a_rolled_back_submission_leaves_no_delivery_and_no_task():
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(kind=NOTICE.code, context=NOTICE_CONTEXT, email=EMAIL, mobile=MOBILE)
        raise RuntimeError("办件保存失败")
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_a_committed_notification_is_one_task_the_worker_sends_once_even_if_queued_twice():
    with transaction.atomic():
        [delivery] = notify(kind=NOTICE.code, context=NOTICE_CONTEXT, email=EMAIL)
        assert not DBTaskResult.objects.exists()  # nothing is queued before the commit
    [queued] = tasks_of(deliver_notification)
    assert queued.status == TaskResultStatus.READY and queued.queue_name == "notifications"
    assert queued.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    deliver_notification.enqueue(delivery.pk)  # as a broker redelivering, or a second sweep

    run_worker()
    run_worker()
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    assert [(task.status, task.return_value) for task in tasks_of(deliver_notification)] == [
        (TaskResultStatus.SUCCESSFUL, "sent")] * 2


@override_settings(NOTIFICATIONS_RETRY_BASE_SECONDS=0)
def test_a_failed_send_is_retried_by_the_sweep_through_the_worker_and_sent_once(sms_outbox):
    FlakyGateway.reset(failures=1)
    with sms_gateway("FlakyGateway"):
        [delivery] = notify(kind=NOTICE.code, context=NOTICE_CONTEXT, mobile=MOBILE)
        run_worker()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
        assert "短信网关响应超时" in delivery.last_error and delivery.next_attempt_at is not None

        retry_due_deliveries.enqueue()
        run_worker()  # the sweep queues the send, which the same batch then runs
        run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert [sent.mobile for sent in sms_outbox] == [MOBILE]
    assert len(tasks_of(deliver_notification)) == 2
