"""The search domain's Wagtail hooks that are not admin screens: its periodic tasks."""

from datetime import timedelta

from wagtail import hooks

from chuangkou.core.periodic import PeriodicTask

from .tasks import apply_index_changes, prune_index_changes


@hooks.register("periodic_tasks")
def search_periodic_tasks() -> list[PeriodicTask]:
    return [
        # A sweep behind the task enqueued on each commit: a change whose task was lost (the
        # worker stopped) is applied within a minute.
        PeriodicTask(name="search.apply_index_changes", every=timedelta(minutes=1),
                     task=apply_index_changes),
        PeriodicTask(name="search.prune_index_changes", every=timedelta(days=1),
                     task=prune_index_changes),
    ]
