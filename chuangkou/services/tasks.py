"""Background tasks of 网上办事 (django-tasks, backend "background")."""

from django_tasks import task

__all__ = ["deliver_due_webhooks_task", "send_booking_reminders_task", "send_webhook_deliveries"]


@task(backend="background", queue_name="periodic")
def send_booking_reminders_task() -> int:
    from .actions.bookings import send_booking_reminders

    return send_booking_reminders()


@task(backend="background", queue_name="notifications")
def send_webhook_deliveries(delivery_ids: list[int]) -> None:
    """Send webhooks queued by an action, off the request: a slow back-office system never
    holds up the citizen or the handler. A failure leaves the delivery due for the next run of
    ``deliver_due_webhooks``."""
    from .webhooks import send_queued_deliveries

    send_queued_deliveries(delivery_ids)


@task(backend="background", queue_name="periodic")
def deliver_due_webhooks_task() -> int:
    from .webhooks import deliver_due_webhooks

    return deliver_due_webhooks().delivered
