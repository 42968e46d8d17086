"""Helpers every services action module shares: audit, notifications, the acting user.
Private to the ``actions`` package."""

from collections.abc import Iterable

from django.conf import settings

from chuangkou.accounts import queries as account_queries
from chuangkou.core.audit import json_safe, record_event
from chuangkou.notifications.actions import notify


def _audit(action: str, *, actor=None, target=None, data: dict | None = None) -> None:
    record_event(action, actor=actor, target=target, data=json_safe(data or {}))


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _citizen_user(user):
    """``user`` when it has an active citizen account, else None (anonymous, staff, closed)."""
    user = _user_or_none(user)
    return user if user is not None and account_queries.citizen_account_of(user) else None


def _notify_person(*, kind: str, context: dict, user=None, email: str = "",
                   url: str = "") -> None:
    """Tell an applicant or booker: a citizen through their account (their addresses and
    channels), anyone else at the e-mail address they gave, if any. Queued now, sent after
    commit (``notifications.actions.notify``)."""
    context = {name: str(value) for name, value in context.items()}
    url = account_queries.absolute_url(url)
    if (citizen := _citizen_user(user)) is not None:
        notify(kind=kind, context=context, user=citizen, url=url)
    elif email:
        notify(kind=kind, context=context, email=email, url=url)


def _notify_staff(*, kind: str, context: dict, emails: Iterable[str], url: str = "") -> None:
    """Tell staff by e-mail, one delivery per address; links go to the admin's address."""
    context = {name: str(value) for name, value in context.items()}
    if url and "://" not in url:
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    for email in sorted({address for address in emails if address}):
        notify(kind=kind, context=context, email=email, url=url)
