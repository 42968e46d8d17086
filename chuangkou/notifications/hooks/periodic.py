"""The notifications' periodic task: the retry sweep, every five minutes (``core.periodic``)."""

from datetime import timedelta

from wagtail import hooks

from chuangkou.core.periodic import HOOK_NAME, PeriodicTask

from ..tasks import retry_due_deliveries

RETRY_SWEEP = PeriodicTask("notifications.retry_due_deliveries", timedelta(minutes=5),
                           retry_due_deliveries)


@hooks.register(HOOK_NAME)
def register_periodic_tasks():
    return [RETRY_SWEEP]
