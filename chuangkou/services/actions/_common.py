"""Helpers every services action module shares: audit, mail after commit, the acting user.
Private to the ``actions`` package."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from chuangkou.core.audit import json_safe, record_event


def _audit(action: str, *, actor=None, target=None, data: dict | None = None) -> None:
    record_event(action, actor=actor, target=target, data=json_safe(data or {}))


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _mail_after_commit(subject: str, message: str, recipients: list[str]) -> None:
    recipients = sorted({address for address in recipients if address})
    if recipients:
        transaction.on_commit(lambda: send_mail(
            subject, message, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))
