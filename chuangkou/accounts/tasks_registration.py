"""Background work of registration: removing registrations nobody verified, every hour."""

from datetime import timedelta

from django_tasks import task
from wagtail import hooks

__all__ = ["purge_unverified_accounts_task"]

PURGE_EVERY = timedelta(hours=1)


@task(backend="background", queue_name="periodic")
def purge_unverified_accounts_task() -> int:
    from .actions import purge_unverified_accounts

    return purge_unverified_accounts()


@hooks.register("periodic_tasks")
def registration_periodic_tasks() -> list:
    # Imported when the scheduler asks, so loading the accounts hooks never depends on it.
    from chuangkou.core.periodic import PeriodicTask

    return [PeriodicTask(name="accounts.purge_unverified_accounts", every=PURGE_EVERY,
                         task=purge_unverified_accounts_task)]
