"""Periodic background tasks of the accounts domain (django-tasks, backend "background", queue
"periodic"): reminders whose day has come, and the e-mail digests of subscriptions. Each one is
safe to run twice (the actions claim what they send), so a scheduler that fires twice costs
nothing but a query."""

from django_tasks import task

from . import actions

__all__ = [
    "send_daily_subscription_digests",
    "send_due_reminders",
    "send_subscription_digests",
    "send_weekly_subscription_digests",
]


@task(backend="background", queue_name="periodic")
def send_due_reminders() -> int:
    return actions.send_due_reminders()


@task(backend="background", queue_name="periodic")
def send_subscription_digests(frequency: str) -> int:
    return actions.send_subscription_digests(frequency=frequency)


# The periodic scheduler enqueues tasks without arguments: one task per digest frequency.
@task(backend="background", queue_name="periodic")
def send_daily_subscription_digests() -> int:
    return actions.send_subscription_digests(frequency="daily")


@task(backend="background", queue_name="periodic")
def send_weekly_subscription_digests() -> int:
    return actions.send_subscription_digests(frequency="weekly")
