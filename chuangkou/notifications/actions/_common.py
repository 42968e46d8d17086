"""Helpers the notifications action modules share. Private to the ``actions`` package."""

from chuangkou.core.audit import json_safe, record_event


def _audit(action: str, *, actor=None, target=None, data: dict | None = None) -> None:
    record_event(action, actor=actor, target=target, data=json_safe(data or {}))


def _staff_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None
