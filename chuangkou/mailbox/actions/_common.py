"""Helpers every mailbox action module shares: audit, timeline events, row locks, state checks
and notifications (queued with the letter's transaction, sent after it commits). Private to the
``actions`` package."""

from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.accounts.queries import is_citizen
from chuangkou.core.audit import json_safe, record_event
from chuangkou.notifications.actions import notify
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


def _writer_email(letter: Letter) -> str:
    return (WriterDetails.objects.filter(letter=letter).values_list("email", flat=True).first()
            or "")


def _notify_writer(letter: Letter, notification: str, *, dedupe: bool = False,
                   **context) -> None:
    """Tell the writer: a citizen who wrote while signed in through their account (their
    addresses, channels and inbox), anyone else at the e-mail address given with the letter.
    ``dedupe`` marks a notification the letter can only cause once (its receipt, its answer)."""
    context = {"number": letter.number, "title": letter.title, **context}
    dedupe_key = letter.number if dedupe else ""
    if letter.user_id is not None and is_citizen(letter.user):
        notify(kind=notification, context={**context, "signed_in": True}, user=letter.user,
               url=reverse("mailbox:letter", args=[letter.number]), dedupe_key=dedupe_key)
    elif email := _writer_email(letter):
        notify(kind=notification, context={**context, "signed_in": False}, email=email,
               url=reverse("mailbox:query"), dedupe_key=dedupe_key)


def _notify_staff(letter: Letter, notification: str, emails: Iterable[str],
                  **context) -> None:
    """Tell staff by e-mail, one delivery per address (each retried on its own)."""
    context = {"number": letter.number, "title": letter.title, **context}
    url = reverse("mailbox_letter_detail", args=[letter.number])
    for email in sorted({address for address in emails if address}):
        notify(kind=notification, context=context, email=email, url=url)
