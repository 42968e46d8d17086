"""Helpers every mailbox action module shares: audit, timeline events, row locks, state checks
and mail sent after commit. Private to the ``actions`` package."""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.audit import json_safe, record_event
from chuangkou.organizations.models import Body

from ..exceptions import MailboxRuleViolation
from ..models import Letter, LetterEvent, WriterDetails


def _audit(action: str, *, actor=None, target=None, data: dict | None = None) -> None:
    record_event(action, actor=actor, target=target, data=json_safe(data or {}))


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _add_event(letter: Letter, kind: str, *, actor=None, public_note: str = "",
               internal_note: str = "", visible: bool = True, from_body: Body | None = None,
               to_body: Body | None = None, at: datetime | None = None) -> LetterEvent:
    return LetterEvent.objects.create(
        letter=letter, kind=kind, occurred_at=at or timezone.now(), actor=_user_or_none(actor),
        from_body=from_body, to_body=to_body, public_note=public_note,
        internal_note=internal_note, visible_to_writer=visible)


def _locked(letter: Letter) -> Letter:
    # Re-read under a row lock: two staff acting at once must not both pass the checks.
    return (Letter.objects.select_for_update(of=("self",))
            .select_related("kind", "addressed_body", "assigned_body")
            .get(pk=letter.pk))


def _require_status(letter: Letter, *statuses: str, field: str = "__all__") -> None:
    if letter.status not in statuses:
        raise MailboxRuleViolation({field: [
            _("该来信当前状态为“%(status)s”，不能办理此事项。")
            % {"status": letter.get_status_display()}]})


def _mail_after_commit(subject: str, message: str, recipients: list[str]) -> None:
    recipients = sorted({address for address in recipients if address})
    if recipients:
        transaction.on_commit(lambda: send_mail(
            subject, message, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))


def _writer_email(letter: Letter) -> str:
    return (WriterDetails.objects.filter(letter=letter).values_list("email", flat=True).first()
            or "")
