"""The citizen's inbox (我的消息): reading messages."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import SiteMessage
from ._common import _audit

__all__ = ["mark_all_messages_read", "mark_message_read"]


@transaction.atomic
def mark_message_read(*, message: SiteMessage, actor) -> SiteMessage:
    """Mark ``message`` read (the first opening counts; later ones change nothing). ``actor``
    is its reader, who the caller has made sure is its recipient."""
    now = timezone.now()
    if SiteMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now):
        message.read_at = now
        _audit("notifications.message_read", actor=actor, target=message)
    return message


@transaction.atomic
def mark_all_messages_read(*, user) -> int:
    """全部标为已读: every unread message of ``user``; returns how many."""
    count = SiteMessage.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now())
    if count:
        _audit("notifications.messages_read", actor=user, data={"count": count})
    return count
