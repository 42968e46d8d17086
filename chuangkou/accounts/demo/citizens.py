"""Owned by the identity helper: demo citizen accounts at every identity level and a verified
enterprise. ``demo_citizen(key)`` is what other apps' demo loaders use to give a demo citizen
their applications and letters."""

__all__ = ["DEMO_CITIZEN_PASSWORD", "demo_citizen", "load"]

DEMO_CITIZEN_PASSWORD = "Shimin-2026-Demo"  # noqa: S105 (public demo credential)


def demo_citizen(key: str):
    """The demo ``CitizenAccount`` named ``key`` ("zhangwei", "lina", "wangfang"), or None."""
    raise NotImplementedError


def load(*, stdout=None) -> None:
    raise NotImplementedError
