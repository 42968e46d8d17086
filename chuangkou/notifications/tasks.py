"""Background tasks of the notifications domain (django-tasks, backend "background"), run by
the worker (``manage.py db_worker``)."""

from django_tasks import task

from . import actions

__all__ = ["deliver_notification", "retry_due_deliveries"]


@task(backend="background", queue_name="notifications")
def deliver_notification(delivery_id: int) -> str:
    return actions.deliver(delivery_id=delivery_id)


@task(backend="background", queue_name="notifications")
def retry_due_deliveries() -> int:
    """The retry sweep; enqueued every five minutes by the scheduler (``core.periodic``)."""
    return actions.retry_due_deliveries()
