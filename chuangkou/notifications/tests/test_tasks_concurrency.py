"""Under real concurrency, on both databases: two workers running the same delivery at once
send it once (an SMS, an in-site message); two schedulers running at once enqueue the retry
sweep once."""

from functools import partial

import pytest
from django_tasks_db.models import DBTaskResult
from wagtail import hooks

from chuangkou.core.periodic import HOOK_NAME, enqueue_due_periodic_tasks
from chuangkou.core.testing import run_at_once
from chuangkou.notifications.actions import deliver, notify
from chuangkou.notifications.choices import Channel, DeliveryStatus
from chuangkou.notifications.hooks.periodic import RETRY_SWEEP
from chuangkou.notifications.models import SiteMessage
from chuangkou.notifications.tasks import retry_due_deliveries

from .support import (
    NOTICE,
    NOTICE_CONTEXT,
    GatedGateway,
    database_task_backend,
    make_user,
    reachable,
    recipients,
    sms_gateway,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("test_kinds", "sms_outbox")]


@pytest.fixture(autouse=True)
def database_tasks():
    """Tasks wait in the database for the worker (here: the test's threads) instead of
    running the moment they are queued."""
    with database_task_backend():
        yield


def run_together(target, count=2):
    """``target(index)`` on ``count`` threads released at the same moment; none may raise."""
    results, errors = run_at_once([partial(target, index) for index in range(count)], timeout=60)
    assert errors == []
    return results


def test_two_workers_sending_the_same_sms_at_once_send_it_once(sms_outbox):
    [delivery] = notify(kind=NOTICE.code, context=NOTICE_CONTEXT, mobile="13700001111")
    assert sms_outbox == []
    GatedGateway.gate.clear()

    def send(index):
        try:
            return deliver(delivery_id=delivery.pk)
        finally:
            # The one that lost the claim opens the gate for the one sending; if both had
            # claimed, both would send once the wait timed out, and the test would see two.
            GatedGateway.gate.set()

    with sms_gateway("GatedGateway"):
        results = run_together(send)
    assert sorted(results) == [DeliveryStatus.SENDING, DeliveryStatus.SENT]
    assert len(sms_outbox) == 1


def test_two_workers_writing_the_same_inbox_message_at_once_write_it_once():
    user = make_user()
    with recipients({user.pk: reachable(channels=[Channel.SITE])}):
        [delivery] = notify(kind=NOTICE.code, context=NOTICE_CONTEXT, user=user)
    assert SiteMessage.objects.count() == 0
    results = run_together(lambda index: deliver(delivery_id=delivery.pk))
    assert DeliveryStatus.SENT in results
    assert SiteMessage.objects.filter(user=user).count() == 1


def test_two_schedulers_at_once_enqueue_the_retry_sweep_once(monkeypatch):
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, HOOK_NAME, [])
    with hooks.register_temporarily(HOOK_NAME, lambda: [RETRY_SWEEP]):
        results = run_together(lambda index: enqueue_due_periodic_tasks())
    assert sorted(results, key=len) == [[], [RETRY_SWEEP.name]]
    assert DBTaskResult.objects.filter(task_path=retry_due_deliveries.module_path).count() == 1
