"""Support for the tests of every app's ``search.py``: what the change log recorded for the
public index."""

from __future__ import annotations

from .models import IndexChange

__all__ = ["forget_recorded_changes", "recorded_keys"]


def recorded_keys() -> set[str]:
    """Keys the change log holds for the public index (the admin search's ``wagtail:`` keys
    left out)."""
    return set(IndexChange.objects.exclude(key__startswith="wagtail:")
               .values_list("key", flat=True))


def forget_recorded_changes() -> None:
    IndexChange.objects.all().delete()
