"""Background tasks of the notifications domain (django-tasks, backend "background")."""

from django_tasks import task

from . import actions

__all__ = ["deliver_notification"]


@task(backend="background", queue_name="notifications")
def deliver_notification(delivery_id: int) -> str:
    return actions.deliver(delivery_id=delivery_id)
