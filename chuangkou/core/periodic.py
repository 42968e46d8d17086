"""Periodic tasks (定时任务): background tasks that run on a schedule — retrying failed
notifications, sending digests and reminders, sweeping deadlines.

Each app registers its own through the Wagtail hook ``periodic_tasks``
(``fn() -> list[PeriodicTask]``), so core imports none of them. The scheduler,
``manage.py enqueue_periodic_tasks`` (every minute: a systemd timer in production, a loop in the
demo), puts each task whose interval has passed on the task queue; the worker (``db_worker``)
runs it. A task runs at most once per interval however many schedulers run: each claims a due
task by moving ``PeriodicTaskRun.last_enqueued_at`` forward with a conditional update, which
only one of them can win.

Enqueueing is not audited: it is bookkeeping that happens every minute; the tasks record what
they change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task
from wagtail import hooks

from .models import PeriodicTaskRun

__all__ = [
    "HOOK_NAME",
    "PeriodicTask",
    "PeriodicTasksFailed",
    "enqueue_due_periodic_tasks",
    "registered_periodic_tasks",
]

HOOK_NAME = "periodic_tasks"
logger = logging.getLogger("chuangkou.core.periodic")

# The scheduler starts a little earlier or later each minute; without some slack a task due
# every five minutes would slip to every six whenever a run started a second early.
MAX_TOLERANCE = timedelta(seconds=30)


@dataclass(frozen=True)
class PeriodicTask:
    """``task`` (a django-tasks task taking no arguments) to be enqueued every ``every``."""

    name: str
    every: timedelta
    task: Task

    def __post_init__(self):
        if not self.name or len(self.name) > 100:
            raise ValueError("a periodic task needs a name of 1 to 100 characters")
        if self.every <= timedelta(0):
            raise ValueError(f"periodic task {self.name!r} needs a positive interval")

    @property
    def tolerance(self) -> timedelta:
        return min(self.every / 10, MAX_TOLERANCE)


class PeriodicTasksFailed(Exception):
    """Some due tasks could not be enqueued (they stay due and are tried at the next run)."""

    def __init__(self, *, enqueued: list[str], failed: dict[str, str]):
        self.enqueued = enqueued
        self.failed = failed
        super().__init__("could not enqueue " + ", ".join(
            f"{name} ({error})" for name, error in failed.items()))


def registered_periodic_tasks() -> list[PeriodicTask]:
    """Every task the apps register, by name; a name registered twice is a configuration
    error (the two would share one schedule)."""
    found: dict[str, PeriodicTask] = {}
    for provider in hooks.get_hooks(HOOK_NAME):
        for entry in provider():
            if entry.name in found and found[entry.name] != entry:
                raise ImproperlyConfigured(f"periodic task {entry.name!r} is registered twice")
            found[entry.name] = entry
    return [found[name] for name in sorted(found)]


def _claim_and_enqueue(entry: PeriodicTask, now: datetime) -> bool:
    PeriodicTaskRun.objects.get_or_create(name=entry.name)
    due = Q(last_enqueued_at__isnull=True) | Q(
        last_enqueued_at__lte=now - entry.every + entry.tolerance)
    with transaction.atomic():
        claimed = PeriodicTaskRun.objects.filter(name=entry.name).filter(due).update(
            last_enqueued_at=now) == 1
        if claimed:
            # Inside the claim's transaction: if enqueueing fails the claim is undone and the
            # next run tries again (with the database backend both rows commit together).
            entry.task.enqueue()
    return claimed


def enqueue_due_periodic_tasks(*, now: datetime | None = None) -> list[str]:
    """Enqueue every registered task whose interval has passed; return their names.

    Raises ``PeriodicTasksFailed`` (after trying every task) when some could not be enqueued.
    """
    now = now or timezone.now()
    enqueued: list[str] = []
    failed: dict[str, str] = {}
    for entry in registered_periodic_tasks():
        try:
            if _claim_and_enqueue(entry, now):
                enqueued.append(entry.name)
        except Exception as error:  # one broken task must not stop the others
            logger.exception("periodic task %s could not be enqueued", entry.name)
            failed[entry.name] = f"{type(error).__name__}: {error}"
    if failed:
        raise PeriodicTasksFailed(enqueued=enqueued, failed=failed)
    return enqueued
