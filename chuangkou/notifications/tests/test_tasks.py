"""The notifications' tasks: on a queue the worker serves, and the retry sweep on the
scheduler every five minutes."""

from datetime import timedelta

from django.conf import settings

from chuangkou.core.periodic import registered_periodic_tasks
from chuangkou.notifications.tasks import deliver_notification, retry_due_deliveries


def test_the_retry_sweep_is_scheduled_every_five_minutes():
    [sweep] = [entry for entry in registered_periodic_tasks()
               if entry.name == "notifications.retry_due_deliveries"]
    assert sweep.every == timedelta(minutes=5) and sweep.task is retry_due_deliveries


def test_the_tasks_run_on_the_background_backend_on_a_queue_it_declares():
    from chuangkou.settings import base

    for task in (deliver_notification, retry_due_deliveries):
        assert task.backend == "background"
        assert task.queue_name in base.TASKS["background"]["QUEUES"]
        assert task.queue_name in settings.TASKS["background"]["QUEUES"]
