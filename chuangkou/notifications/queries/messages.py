"""The citizen's inbox (我的消息)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import SiteMessage

__all__ = ["message_of", "messages_of", "recent_messages", "unread_message_count"]


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def messages_of(user) -> QuerySet[SiteMessage]:
    """``user``'s in-site messages, newest first (none for anonymous visitors)."""
    if not _signed_in(user):
        return SiteMessage.objects.none()
    return SiteMessage.objects.filter(user=user).order_by("-created_at", "-pk")


def message_of(user, pk: int) -> SiteMessage | None:
    """``user``'s message ``pk``; None when there is none or it is someone else's."""
    return messages_of(user).filter(pk=pk).first()


def unread_message_count(user) -> int:
    """How many of ``user``'s messages are unread (0 for anonymous visitors)."""
    if not _signed_in(user):
        return 0
    return SiteMessage.objects.filter(user=user, read_at__isnull=True).count()


def recent_messages(user, *, limit: int = 5) -> list[SiteMessage]:
    """``user``'s ``limit`` newest messages, read or not."""
    return list(messages_of(user)[:limit])
