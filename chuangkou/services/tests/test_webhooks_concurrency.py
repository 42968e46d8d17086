"""Webhooks with real transactions and threads: a committed change is sent and a rolled-back
one is not; two (and four) parallel ``deliver_due_webhooks`` runs send each delivery exactly
once. Each worker thread has its own database connection and closes it when done."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from ..choices import ApplicationEventKind, WebhookDeliveryStatus
from ..models import WebhookDelivery
from ..webhooks import deliver_due_webhooks, notify_back_offices
from .factories import make_application, make_item
from .integration_support import Receiver, register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DELIVERIES = 30


@pytest.fixture
def receiver():
    server = Receiver(delay=0.01).start()
    yield server
    server.stop()


def test_a_committed_change_is_sent_and_a_rolled_back_one_is_not(cluster, receiver):
    register(cluster, webhook_url=receiver.url)
    item = make_item(body=cluster.education)
    sent = make_application(item=item)
    with transaction.atomic():
        notify_back_offices(application=sent, event_kind=ApplicationEventKind.ACCEPTED)
        assert receiver.requests == []  # nothing before the commit
    assert len(receiver.requests) == 1
    rolled_back = make_application(item=item)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_back_offices(application=rolled_back, event_kind=ApplicationEventKind.REFUSED)
        raise RuntimeError("the action failed")
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().application == sent
    assert WebhookDelivery.objects.get().status == WebhookDeliveryStatus.DELIVERED


@pytest.mark.parametrize("workers", [2, 4])
def test_parallel_runs_deliver_each_delivery_exactly_once(cluster, receiver, workers):
    register(cluster, webhook_url=receiver.url)
    item = make_item(body=cluster.education)
    for _ in range(DELIVERIES):
        # Outside a transaction's commit hook: queued only, sent by the parallel runs below.
        with transaction.atomic():
            notify_back_offices(application=make_application(item=item),
                                event_kind=ApplicationEventKind.SUBMITTED)
            connection.run_on_commit.clear()
    assert WebhookDelivery.objects.filter(status=WebhookDeliveryStatus.PENDING).count() \
        == DELIVERIES
    barrier = threading.Barrier(workers)

    def run(_index):
        try:
            barrier.wait(timeout=30)
            return deliver_due_webhooks()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run, range(workers)))
    assert sum(result.delivered for result in results) == DELIVERIES
    received = [request.headers["x-chuangkou-delivery"] for request in receiver.requests]
    assert len(received) == DELIVERIES
    assert len(set(received)) == DELIVERIES
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        WebhookDeliveryStatus.DELIVERED}
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
