"""个性化提醒: reminders a citizen sets for themselves (an ID card that expires, a driving
licence to renew) and reminders other apps schedule for them (a booking), and the daily run that
sends every reminder whose day has come.

A reminder is sent once: the run claims it with a conditional update (scheduled → sent) in the
same transaction that queues the notification, and the notification carries a dedupe key, so a
second run, or two schedulers at once, send nothing more.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import AccountStatus, ReminderSource, ReminderStatus
from ..exceptions import AccountClosed, AccountsRuleViolation
from ..models import CitizenAccount, Reminder
from ..queries.homepage import absolute_url, public_root_url
from ._common import audit

__all__ = [
    "MAX_DAYS_BEFORE",
    "MAX_REMINDERS",
    "cancel_reminders_for_source",
    "create_reminder",
    "delete_reminder",
    "is_editable_by_citizen",
    "schedule_reminder",
    "send_due_reminders",
    "update_reminder",
]

logger = logging.getLogger("chuangkou.accounts.reminders")

TITLE_MAX_LENGTH = Reminder._meta.get_field("title").max_length
NOTE_MAX_LENGTH = Reminder._meta.get_field("note").max_length
URL_MAX_LENGTH = Reminder._meta.get_field("url").max_length
REFERENCE_MAX_LENGTH = Reminder._meta.get_field("source_reference").max_length
# A year ahead is the longest notice a citizen asks for (证件到期 a year before is already rare).
MAX_DAYS_BEFORE = 365
# Sources a citizen picks themselves; the others belong to the app that scheduled them.
CITIZEN_SOURCES = (ReminderSource.MANUAL, ReminderSource.DOCUMENT_EXPIRY)
BATCH_SIZE = 500
# A bound on what one account can make; far more than anybody's documents and appointments.
MAX_REMINDERS = 200


def is_editable_by_citizen(reminder: Reminder) -> bool:
    """Whether the citizen may change a reminder: those of their own kinds, not a booking's
    (which the booking keeps in step with its slot)."""
    return reminder.source in CITIZEN_SOURCES


def _clean_line(value: str) -> str:
    return " ".join((value or "").split())


def _require_active(account: CitizenAccount) -> None:
    if account.status != AccountStatus.ACTIVE:
        raise AccountClosed({"__all__": [_("该账号已注销，不能再设置提醒。")]})


def _citizen_fields(*, title: str, due_on, days_before, note: str, source: str,
                    today: date) -> dict:
    """The checked fields of a reminder the citizen writes, or ``AccountsRuleViolation`` with a
    message per field naming the rule."""
    errors: dict[str, list[str]] = {}
    title = _clean_line(title)
    note = _clean_line(note)
    if not title:
        errors["title"] = [_("请填写提醒事项，例如“身份证有效期到期”。")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("提醒事项不能超过%(limit)d个字（现有%(count)d个字）。")
                           % {"limit": TITLE_MAX_LENGTH, "count": len(title)}]
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [_("备注不能超过%(limit)d个字（现有%(count)d个字）。")
                          % {"limit": NOTE_MAX_LENGTH, "count": len(note)}]
    if source not in CITIZEN_SOURCES:
        errors["source"] = [_("请选择提醒类型。")]
    if not isinstance(due_on, date):
        errors["due_on"] = [_("请填写到期日期，格式如 2026-08-01。")]
    elif due_on < today:
        errors["due_on"] = [_("到期日期不能早于今天（%(today)s）。") % {"today": today.isoformat()}]
    if isinstance(days_before, bool) or not isinstance(days_before, int):
        errors["days_before"] = [_("请填写提前提醒的天数（0至%(max)d之间的整数）。")
                                 % {"max": MAX_DAYS_BEFORE}]
    elif not 0 <= days_before <= MAX_DAYS_BEFORE:
        errors["days_before"] = [_("提前提醒的天数应在0至%(max)d之间。") % {"max": MAX_DAYS_BEFORE}]
    remind_on = None
    if "due_on" not in errors and "days_before" not in errors:
        remind_on = due_on - timedelta(days=days_before)
        # Today is still ahead of the reminder run: a reminder for today goes out at the next
        # hourly run, which is what a citizen noting something late expects.
        if remind_on < today:
            errors["days_before"] = [
                _("按提前%(days)d天计算，提醒日期（%(remind_on)s）已经过去；"
                  "请减少提前天数，最多提前%(most)d天。")
                % {"days": days_before, "remind_on": remind_on.isoformat(),
                   "most": (due_on - today).days}]
    if errors:
        raise AccountsRuleViolation(errors)
    return {"title": title, "note": note, "due_on": due_on, "remind_on": remind_on,
            "source": source}


@transaction.atomic
def create_reminder(*, account: CitizenAccount, title: str, due_on: date, days_before: int,
                    note: str = "", source: str = ReminderSource.MANUAL) -> Reminder:
    """A reminder the citizen sets: sent ``days_before`` days before ``due_on``.

    The due date may not be past, nor the reminder day (today counts: it is sent at the next
    run); ``source`` is 自定义提醒 or 证件到期.
    """
    _require_active(account)
    fields = _citizen_fields(title=title, due_on=due_on, days_before=days_before, note=note,
                             source=source, today=timezone.localdate())
    if Reminder.objects.filter(account=account).exclude(status=ReminderStatus.SENT).count() \
            >= MAX_REMINDERS:
        raise AccountsRuleViolation({"__all__": [
            _("每个账号最多设置%(count)d条待提醒事项，请先删除不再需要的提醒。")
            % {"count": MAX_REMINDERS}]})
    reminder = Reminder.objects.create(account=account, **fields)
    audit("reminder.created", actor=account.user, target=reminder,
          data={"source": reminder.source, "remind_on": reminder.remind_on.isoformat()})
    return reminder


def _own_locked(account: CitizenAccount, reminder: Reminder) -> Reminder:
    # Views only ever hand over the citizen's own reminders; this holds even if one did not.
    locked = (Reminder.objects.select_for_update()
              .filter(pk=reminder.pk, account=account).first())
    if locked is None:
        raise Reminder.DoesNotExist
    return locked


@transaction.atomic
def update_reminder(*, account: CitizenAccount, reminder: Reminder, title: str, due_on: date,
                    days_before: int, note: str = "",
                    source: str = ReminderSource.MANUAL) -> Reminder:
    """Change a reminder the citizen set; a new reminder day schedules it again (also one that
    was already sent or cancelled). Reminders another app made (a booking's) are changed by
    that app only: the citizen may delete them."""
    _require_active(account)
    reminder = _own_locked(account, reminder)
    if not is_editable_by_citizen(reminder):
        raise AccountsRuleViolation({"__all__": [
            _("该提醒由“%(source)s”自动生成，不能修改；不需要时可以删除。")
            % {"source": reminder.get_source_display()}]})
    fields = _citizen_fields(title=title, due_on=due_on, days_before=days_before, note=note,
                             source=source, today=timezone.localdate())
    rescheduled = (fields["remind_on"] != reminder.remind_on
                   or reminder.status == ReminderStatus.CANCELLED)
    changed = sorted(name for name, value in fields.items() if getattr(reminder, name) != value)
    for name, value in fields.items():
        setattr(reminder, name, value)
    if rescheduled:
        reminder.status = ReminderStatus.SCHEDULED
        reminder.sent_at = None
    reminder.save()
    audit("reminder.changed", actor=account.user, target=reminder,
          data={"changed": changed, "rescheduled": rescheduled})
    return reminder


@transaction.atomic
def delete_reminder(*, account: CitizenAccount, reminder: Reminder) -> None:
    """Remove one of the citizen's reminders, whatever its state or source."""
    reminder = _own_locked(account, reminder)
    audit("reminder.deleted", actor=account.user, target=reminder,
          data={"source": reminder.source, "status": reminder.status})
    reminder.delete()


def _scheduled_fields(*, title: str, due_on, remind_on, url: str, note: str, source: str,
                      source_reference: str, today: date) -> dict:
    errors: dict[str, list[str]] = {}
    title = _clean_line(title)
    if not title:
        errors["title"] = [_("请填写提醒事项。")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("提醒事项不能超过%(limit)d个字。") % {"limit": TITLE_MAX_LENGTH}]
    note = _clean_line(note)
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [_("备注不能超过%(limit)d个字。") % {"limit": NOTE_MAX_LENGTH}]
    if len(url or "") > URL_MAX_LENGTH:
        errors["url"] = [_("链接不能超过%(limit)d个字符。") % {"limit": URL_MAX_LENGTH}]
    if source not in ReminderSource.values:
        errors["source"] = [_("未知的提醒来源。")]
    if len(source_reference) > REFERENCE_MAX_LENGTH:
        errors["source_reference"] = [_("来源编号不能超过%(limit)d个字符。")
                                      % {"limit": REFERENCE_MAX_LENGTH}]
    if not isinstance(due_on, date) or not isinstance(remind_on, date):
        errors["due_on"] = [_("请给出到期日期和提醒日期。")]
    elif due_on < today:
        errors["due_on"] = [_("到期日期不能早于今天（%(today)s）。") % {"today": today.isoformat()}]
    elif remind_on > due_on:
        errors["remind_on"] = [_("提醒日期不能晚于到期日期。")]
    if errors:
        raise AccountsRuleViolation(errors)
    # A booking made the day before still gets its reminder: a day already past becomes today.
    return {"title": title, "due_on": due_on, "remind_on": max(remind_on, today), "url": url or "",
            "note": note}


@transaction.atomic
def schedule_reminder(*, account: CitizenAccount, title: str, due_on: date, remind_on: date,
                      source: str = ReminderSource.MANUAL, source_reference: str = "",
                      url: str = "", note: str = "") -> Reminder:
    """A reminder another app makes for a citizen (a booking) or the demo sets up.

    With a ``source_reference`` it is idempotent: the reminder of that (account, source,
    reference) is updated instead of a second one made; it is scheduled again when its reminder
    day changes or it had been cancelled, and left sent when nothing about it changed.
    """
    _require_active(account)
    source_reference = (source_reference or "").strip()
    fields = _scheduled_fields(title=title, due_on=due_on, remind_on=remind_on, url=url,
                               note=note, source=source, source_reference=source_reference,
                               today=timezone.localdate())
    existing = None
    if source_reference:
        existing = (Reminder.objects.select_for_update()
                    .filter(account=account, source=source, source_reference=source_reference)
                    .first())
    if existing is None:
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(account=account, source=source,
                                                   source_reference=source_reference, **fields)
        except IntegrityError:
            # Another request scheduled the same reference meanwhile: update that one.
            existing = Reminder.objects.select_for_update().get(
                account=account, source=source, source_reference=source_reference)
        else:
            audit("reminder.scheduled", actor=None, target=reminder,
                  data={"source": source, "remind_on": reminder.remind_on.isoformat()})
            return reminder
    rescheduled = (fields["remind_on"] != existing.remind_on
                   or existing.status == ReminderStatus.CANCELLED)
    changed = sorted(name for name, value in fields.items() if getattr(existing, name) != value)
    if not changed and not rescheduled:
        return existing
    for name, value in fields.items():
        setattr(existing, name, value)
    if rescheduled:
        existing.status = ReminderStatus.SCHEDULED
        existing.sent_at = None
    existing.save()
    audit("reminder.rescheduled", actor=None, target=existing,
          data={"source": source, "changed": changed, "rescheduled": rescheduled})
    return existing


@transaction.atomic
def cancel_reminders_for_source(*, account: CitizenAccount, source: str,
                                source_reference: str) -> int:
    """Cancel the scheduled reminders of a source (a cancelled booking); returns how many."""
    cancelled = Reminder.objects.filter(
        account=account, source=source, source_reference=source_reference,
        status=ReminderStatus.SCHEDULED).update(status=ReminderStatus.CANCELLED)
    if cancelled:
        audit("reminder.cancelled", actor=None, target=account,
              data={"source": source, "count": cancelled})
    return cancelled


def _send_one(reminder: Reminder, *, now, today: date, root: str) -> bool:
    from chuangkou.notifications.actions import notify

    with transaction.atomic():
        claimed = Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SCHEDULED).update(
            status=ReminderStatus.SENT, sent_at=now)
        if claimed != 1:
            return False
        account = reminder.account
        url = reminder.url or reverse("accounts:reminders")
        notify(kind="accounts.reminder_due", user=account.user, url=absolute_url(url, root=root),
               dedupe_key=f"reminder-{reminder.pk}",
               context={"display_name": account.display_name, "title": reminder.title,
                        "due_on": reminder.due_on.isoformat(),
                        "days_left": (reminder.due_on - today).days,
                        "note": reminder.note, "source": reminder.get_source_display()})
        audit("reminder.sent", actor=None, target=reminder,
              data={"source": reminder.source, "due_on": reminder.due_on.isoformat()})
    return True


def send_due_reminders(*, today: date | None = None) -> int:
    """Send every scheduled reminder whose day has come (``remind_on <= today``) to an active
    account, once; returns how many were sent.

    Each reminder is claimed and queued in a transaction of its own: one that fails is logged
    and left scheduled for the next run without holding back the others.
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    due = (Reminder.objects.filter(status=ReminderStatus.SCHEDULED, remind_on__lte=today,
                                   account__status=AccountStatus.ACTIVE)
           .select_related("account", "account__user").order_by("pk"))
    root = public_root_url()
    sent = 0
    last_pk = 0
    # Batches by primary key rather than one open cursor: SQLite gives a cursor no isolation
    # from the writes made while it is read.
    while batch := list(due.filter(pk__gt=last_pk)[:BATCH_SIZE]):
        for reminder in batch:
            try:
                sent += _send_one(reminder, now=now, today=today, root=root)
            except Exception:  # one bad row must not stop everybody else's reminders
                logger.exception("reminder %s could not be sent", reminder.pk)
        last_pk = batch[-1].pk
    return sent
