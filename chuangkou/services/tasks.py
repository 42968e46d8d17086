"""Background tasks of 网上办事 (django-tasks, backend "background")."""

from django_tasks import task

__all__ = ["send_booking_reminders_task"]


@task(backend="background", queue_name="periodic")
def send_booking_reminders_task() -> int:
    from .actions.bookings import send_booking_reminders

    return send_booking_reminders()
