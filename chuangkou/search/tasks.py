"""Background tasks of the search domain (django-tasks, backend "background")."""

from __future__ import annotations

from django_tasks import task

__all__ = ["apply_index_changes", "prune_index_changes", "schedule_index_update"]


@task(backend="background", queue_name="search")
def apply_index_changes() -> int:
    """Apply the change log to this machine's index replica (after a commit, and every minute
    as a sweep)."""
    from .replica import apply_pending_changes

    return apply_pending_changes()


def schedule_index_update() -> None:
    apply_index_changes.enqueue()


@task(backend="background", queue_name="search")
def prune_index_changes() -> int:
    """Forget change-log entries older than a week (every replica applied them long ago)."""
    from .actions import prune_index_changes as prune

    return prune()
