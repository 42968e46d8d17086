"""Signal receivers: a watched model's save or delete records the documents it changes in the
change log, inside the same transaction (see ``documents.watch``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .documents import Watch, all_watches

__all__ = ["connect_sources"]


def _receiver(entry: Watch):
    def record(sender, instance, **kwargs):
        if kwargs.get("raw"):
            return  # fixtures loaded with loaddata: the rebuild indexes them
        from .actions import record_index_changes

        keys = [key for key in entry.keys(instance) if key]
        if keys:
            record_index_changes(keys=keys)

    return record


def connect_sources() -> None:
    for number, entry in enumerate(all_watches()):
        receiver = _receiver(entry)
        uid = f"search-watch-{entry.model._meta.label}-{number}"
        post_save.connect(receiver, sender=entry.model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=entry.model, weak=False,
                            dispatch_uid=f"{uid}-delete")
