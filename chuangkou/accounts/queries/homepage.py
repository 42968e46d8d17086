"""Reads of 我的主页 and 个性化提醒: a citizen's reminders, and the public address of a path
for links in e-mails and SMS (which have no request to build one from)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from wagtail.models import Site

from ..choices import ReminderStatus
from ..models import CitizenAccount, Reminder

__all__ = [
    "absolute_url",
    "public_root_url",
    "reminder_of",
    "reminders_of",
    "sent_reminders",
    "upcoming_reminders",
]


def public_root_url() -> str:
    """The portal's address (the default Wagtail site, which the portal is), without a trailing
    slash; the admin's base address when no portal is set up yet."""
    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is not None:
        return site.root_url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path: str, *, root: str | None = None) -> str:
    """``path`` on the portal's host (``root``, when the caller already read it); an address
    that is already absolute is kept."""
    if not path or "://" in path:
        return path
    return (root if root is not None else public_root_url()) + "/" + path.lstrip("/")


def reminders_of(account: CitizenAccount) -> QuerySet[Reminder]:
    return Reminder.objects.filter(account=account)


def upcoming_reminders(account: CitizenAccount) -> QuerySet[Reminder]:
    """Reminders still to be sent, the soonest first."""
    return reminders_of(account).filter(status=ReminderStatus.SCHEDULED).order_by(
        "remind_on", "due_on", "pk")


def sent_reminders(account: CitizenAccount) -> QuerySet[Reminder]:
    """Reminders already sent, the most recent first."""
    return reminders_of(account).filter(status=ReminderStatus.SENT).order_by("-sent_at", "-pk")


def reminder_of(account: CitizenAccount, pk: int) -> Reminder | None:
    """One of ``account``'s reminders; None for anybody else's (the view answers 404)."""
    return reminders_of(account).filter(pk=pk).first()
