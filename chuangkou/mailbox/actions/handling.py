"""Handling of assigned letters (办理): replies and their review (答复审核, 不合格重新办理),
extensions (延期), deadline reminders and escalation (到期提醒, 超期督办), and urging (督办).

Closed loop 受理 → 派单/转办 → 办理 → 答复 → 督办 → 办结 → 回访 → 评价 (国办发〔2020〕53号,
regulations.md §8). The reply deadline counts working days on the shared calendar from the day
the letter was assigned (``rules.reply_due_on``); an approved extension adds working days.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.calendar import working_calendar, working_days_between
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership

from .. import rules
from ..choices import (
    ExtensionStatus,
    LetterEventKind,
    LetterStatus,
    ReminderKind,
    ReplyStatus,
)
from ..exceptions import MailboxRuleViolation
from ..models import (
    DeadlineReminder,
    ExtensionRequest,
    Letter,
    LetterReply,
    UrgeNote,
)
from ..queries.letters import may_handle, may_review, may_supervise, staff_emails
from ._common import (
    _add_event,
    _audit,
    _locked,
    _notify_staff,
    _notify_writer,
    _require_status,
)

__all__ = [
    "DEFAULT_REMINDER_WORKING_DAYS",
    "EXTENSION_MAX_WORKING_DAYS",
    "REPLY_MAX_CHARS",
    "MailboxDeadlineRunResult",
    "answer_urge",
    "approve_reply",
    "decide_extension",
    "escalate_overdue_letter",
    "process_mailbox_deadlines",
    "remind_due_soon_letter",
    "request_extension",
    "return_reply",
    "save_reply_draft",
    "submit_reply_for_review",
    "urge_letter",
]

REPLY_MAX_CHARS = 5000
REASON_MIN_CHARS = 4
EXTENSION_MAX_WORKING_DAYS = 30
DEFAULT_REMINDER_WORKING_DAYS = 2
# Assigned and not yet answered: the reply clock runs.
RUNNING_STATUSES = (LetterStatus.IN_PROGRESS, LetterStatus.IN_REVIEW)


# --- Helpers (shared with ratings.py and publication.py) ----------------------------------------


def _require_text(text, *, field: str, min_chars: int = REASON_MIN_CHARS,
                  max_chars: int | None = None, message: str | None = None) -> str:
    text = rules.clean_text(text if isinstance(text, str) else "")
    if len(text) < min_chars:
        raise MailboxRuleViolation({field: [
            message or _("请填写理由，至少%(n)d个字。") % {"n": min_chars}]})
    if max_chars is not None and len(text) > max_chars:
        raise MailboxRuleViolation({field: [
            _("不能超过%(n)d个字（现有%(m)d个字）。") % {"n": max_chars, "m": len(text)}]})
    return text


def _supervisor_emails(body: Body | None) -> list[str]:
    """督办员 whose scope covers ``body``: supervisors of the body or of any body above it."""
    if body is None:
        return []
    emails: set[str] = set()
    for candidate in (*body.get_ancestors(), body):
        emails.update(staff_emails(candidate, roles=(Role.LETTER_SUPERVISOR,)))
    return sorted(emails)


def _handler_emails(letter: Letter) -> list[str]:
    emails = set(staff_emails(letter.assigned_body, roles=(Role.LETTER_HANDLER,)))
    if letter.handler_id and letter.handler.email and letter.handler.is_active:
        emails.add(letter.handler.email)
    return sorted(emails)


def _recompute_due_on(letter: Letter) -> None:
    letter.due_on = rules.reply_due_on(letter.assigned_on, letter.reply_working_days or 0,
                                       letter.extension_working_days, working_calendar())


# --- Replies ------------------------------------------------------------------------------------


def _reply_text(text) -> str:
    return _require_text(text, field="text", min_chars=1, max_chars=REPLY_MAX_CHARS,
                         message=_("请填写答复内容。"))


def _current_draft(letter: Letter) -> LetterReply | None:
    return (LetterReply.objects.select_for_update(of=("self",))
            .filter(letter=letter, body=letter.assigned_body, status=ReplyStatus.DRAFT)
            .order_by("-drafted_at", "-pk").first())


@transaction.atomic
def save_reply_draft(*, letter: Letter, actor, text: str) -> LetterReply:
    """保存答复草稿: the assigned body's handler keeps working on one draft (the same row is
    reused until it goes to review)."""
    letter = _locked(letter)
    if not may_handle(actor, letter):
        raise PermissionDenied
    _require_status(letter, LetterStatus.IN_PROGRESS)
    text = _reply_text(text)
    reply = _current_draft(letter)
    if reply is None:
        reply = LetterReply(letter=letter, status=ReplyStatus.DRAFT)
    reply.body = letter.assigned_body
    reply.text = text
    reply.drafted_by = actor
    reply.drafted_at = timezone.now()
    reply.save()
    _audit("mailbox.reply.draft_saved", actor=actor, target=letter,
           data={"reply": reply.pk, "chars": len(text)})
    return reply


@transaction.atomic
def submit_reply_for_review(*, letter: Letter, actor, text: str) -> LetterReply:
    """答复提交审核: the handler sends the reply to the body's reviewer; the letter waits in
    review (答复待审核)."""
    letter = _locked(letter)
    if not may_handle(actor, letter):
        raise PermissionDenied
    _require_status(letter, LetterStatus.IN_PROGRESS)
    text = _reply_text(text)
    reply = _current_draft(letter) or LetterReply(letter=letter)
    reply.body = letter.assigned_body
    reply.text = text
    reply.status = ReplyStatus.IN_REVIEW
    reply.drafted_by = actor
    reply.drafted_at = timezone.now()
    reply.review_note = ""
    reply.save()
    letter.status = LetterStatus.IN_REVIEW
    letter.handler = actor
    letter.save(update_fields=["status", "handler", "updated_at"])
    _add_event(letter, LetterEventKind.DRAFT_SUBMITTED, actor=actor, visible=False,
               internal_note=_("答复已提交审核。"))
    _audit("mailbox.reply.submitted", actor=actor, target=letter, data={"reply": reply.pk})
    _notify_staff(letter, "mailbox.reply_in_review",
                  staff_emails(letter.assigned_body, roles=(Role.LETTER_REVIEWER,)),
                  due_on=letter.due_on.isoformat() if letter.due_on else "-")
    return reply


def _locked_reply(reply: LetterReply) -> tuple[LetterReply, Letter]:
    letter = _locked(Letter(pk=reply.letter_id))
    reply = (LetterReply.objects.select_for_update(of=("self",))
             .select_related("body", "drafted_by").get(pk=reply.pk))
    return reply, letter


def _require_reply_in_review(reply: LetterReply, letter: Letter) -> None:
    if reply.status != ReplyStatus.IN_REVIEW or letter.status != LetterStatus.IN_REVIEW:
        raise MailboxRuleViolation({"reply": [
            _("该答复当前状态为“%(status)s”，不能审核。") % {
                "status": reply.get_status_display()}]})


@transaction.atomic
def approve_reply(*, reply: LetterReply, actor) -> Letter:
    """审核通过: the reviewer of the body (or a supervisor in scope) approves the reply; the
    letter is answered (办结), the reply goes to the writer and to the writers of every letter
    merged into it. Nobody approves a reply they drafted themselves."""
    reply, letter = _locked_reply(reply)
    if not may_review(actor, letter):
        raise PermissionDenied
    _require_reply_in_review(reply, letter)
    if reply.drafted_by_id is not None and reply.drafted_by_id == getattr(actor, "pk", None):
        raise MailboxRuleViolation({"reply": [
            _("不能审核自己起草的答复，请由其他审核人员审核。")]})
    now = timezone.now()
    reply.status = ReplyStatus.APPROVED
    reply.reviewed_by = actor
    reply.reviewed_at = now
    reply.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    letter.status = LetterStatus.ANSWERED
    letter.answered_at = now
    letter.answered_on = timezone.localdate(now)
    letter.answered_late = bool(letter.due_on and letter.answered_on > letter.due_on)
    letter.save(update_fields=["status", "answered_at", "answered_on", "answered_late",
                               "updated_at"])
    # Extension requests still pending lapse with the answer.
    ExtensionRequest.objects.filter(letter=letter, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decided_at=now,
        decision_note=_("来信已答复，延期申请自动终止。"))
    _add_event(letter, LetterEventKind.ANSWERED, actor=actor, from_body=reply.body, at=now,
               public_note=reply.text)
    _notify_writer(letter, "mailbox.letter_answered", dedupe=True, body=reply.body.name,
                   text=reply.text)
    merged = list(Letter.objects.select_for_update(of=("self",))
                  .filter(merged_into=letter).order_by("pk"))
    for duplicate in merged:
        _add_event(duplicate, LetterEventKind.ANSWERED, actor=actor, from_body=reply.body,
                   at=now, public_note=reply.text,
                   internal_note=_("随合并办理的来信 %(number)s 一并答复。") % {
                       "number": letter.number})
        _notify_writer(duplicate, "mailbox.letter_answered", dedupe=True,
                       body=reply.body.name, text=reply.text)
    _audit("mailbox.reply.approved", actor=actor, target=letter, data={
        "reply": reply.pk, "late": letter.answered_late,
        "merged": [duplicate.number for duplicate in merged]})
    return letter


@transaction.atomic
def return_reply(*, reply: LetterReply, actor, reasons: str) -> LetterReply:
    """不合格重新办理: the reviewer sends the reply back with reasons; the letter goes back to
    the handler (办理中). The writer does not see this step."""
    reply, letter = _locked_reply(reply)
    if not may_review(actor, letter):
        raise PermissionDenied
    _require_reply_in_review(reply, letter)
    reasons = _require_text(reasons, field="reasons", message=_(
        "请填写退回理由（不合格的原因和修改要求），至少%(n)d个字。") % {"n": REASON_MIN_CHARS})
    reply.status = ReplyStatus.RETURNED
    reply.review_note = reasons
    reply.reviewed_by = actor
    reply.reviewed_at = timezone.now()
    reply.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    letter.status = LetterStatus.IN_PROGRESS
    letter.save(update_fields=["status", "updated_at"])
    _add_event(letter, LetterEventKind.REPLY_RETURNED, actor=actor, visible=False,
               internal_note=reasons)
    _audit("mailbox.reply.returned", actor=actor, target=letter, data={"reply": reply.pk})
    recipients = ([reply.drafted_by.email] if reply.drafted_by and reply.drafted_by.email
                  else staff_emails(letter.assigned_body, roles=(Role.LETTER_HANDLER,)))
    _notify_staff(letter, "mailbox.reply_returned", recipients, reasons=reasons)
    return reply


# --- Extensions ---------------------------------------------------------------------------------


def _working_days(value) -> int:
    if isinstance(value, bool):
        value = None
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= EXTENSION_MAX_WORKING_DAYS:
        raise MailboxRuleViolation({"working_days": [
            _("延长的工作日须在1至%(n)d之间。") % {"n": EXTENSION_MAX_WORKING_DAYS}]})
    return days


@transaction.atomic
def request_extension(*, letter: Letter, actor, working_days: int,
                      reason: str) -> ExtensionRequest:
    """申请延期: the handler asks for 1–30 more working days, with a reason, before the letter
    is answered; one request waits for a decision at a time."""
    letter = _locked(letter)
    if not may_handle(actor, letter):
        raise PermissionDenied
    _require_status(letter, *RUNNING_STATUSES)
    days = _working_days(working_days)
    reason = _require_text(reason, field="reason")
    if ExtensionRequest.objects.filter(letter=letter, status=ExtensionStatus.PENDING).exists():
        raise MailboxRuleViolation({"working_days": [
            _("该来信已有一项延期申请待审批，审批后才能再次申请。")]})
    request = ExtensionRequest.objects.create(
        letter=letter, working_days=days, reason=reason, requested_by=actor,
        requested_at=timezone.now())
    _add_event(letter, LetterEventKind.EXTENSION_REQUESTED, actor=actor, visible=False,
               internal_note=_("申请延长%(days)d个工作日：%(reason)s") % {
                   "days": days, "reason": reason})
    _audit("mailbox.extension.requested", actor=actor, target=letter,
           data={"request": request.pk, "working_days": days})
    _notify_staff(letter, "mailbox.extension_requested",
                  staff_emails(letter.assigned_body, roles=(Role.LETTER_REVIEWER,)),
                  days=days, reason=reason)
    return request


@transaction.atomic
def decide_extension(*, request: ExtensionRequest, actor, approve: bool,
                     note: str = "") -> ExtensionRequest:
    """审批延期: the reviewer of the body (or a supervisor in scope) grants or refuses the
    request. A grant adds its working days and moves the deadline; the writer is told the new
    one. Nobody decides their own request."""
    letter = _locked(Letter(pk=request.letter_id))
    request = ExtensionRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if not may_review(actor, letter):
        raise PermissionDenied
    if request.status != ExtensionStatus.PENDING:
        raise MailboxRuleViolation({"__all__": [
            _("该延期申请已审批（%(status)s）。") % {"status": request.get_status_display()}]})
    _require_status(letter, *RUNNING_STATUSES)
    if request.requested_by_id is not None and request.requested_by_id == getattr(
            actor, "pk", None):
        raise MailboxRuleViolation({"__all__": [_("不能审批自己提出的延期申请。")]})
    note = rules.clean_text(note if isinstance(note, str) else "")
    now = timezone.now()
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        previous_due = letter.due_on
        letter.extension_working_days += request.working_days
        _recompute_due_on(letter)
        letter.save(update_fields=["extension_working_days", "due_on", "updated_at"])
        _add_event(letter, LetterEventKind.EXTENSION_APPROVED, actor=actor, at=now,
                   public_note=_("办理期限延长至%(due)s。") % {"due": letter.due_on.isoformat()},
                   internal_note=note)
        _audit("mailbox.extension.approved", actor=actor, target=letter, data={
            "request": request.pk, "working_days": request.working_days,
            "previous_due_on": previous_due, "due_on": letter.due_on})
        _notify_writer(letter, "mailbox.letter_extended", due_on=letter.due_on.isoformat())
    else:
        _add_event(letter, LetterEventKind.EXTENSION_REFUSED, actor=actor, at=now,
                   visible=False, internal_note=note)
        _audit("mailbox.extension.refused", actor=actor, target=letter,
               data={"request": request.pk})
    recipients = ([request.requested_by.email] if request.requested_by
                  and request.requested_by.email else _handler_emails(letter))
    _notify_staff(letter, "mailbox.extension_decided", recipients, approved=approve,
                  due_on=letter.due_on.isoformat() if letter.due_on else "-", note=note)
    return request


# --- Urging (督办) -------------------------------------------------------------------------------


@transaction.atomic
def urge_letter(*, letter: Letter, actor, note: str) -> UrgeNote:
    """督办: a supervisor whose scope covers the letter urges the assigned body with a note the
    handler must answer."""
    letter = _locked(letter)
    if not may_supervise(actor, letter):
        raise PermissionDenied
    _require_status(letter, *RUNNING_STATUSES)
    note = _require_text(note, field="note", max_chars=REPLY_MAX_CHARS, message=_(
        "请填写督办意见，至少%(n)d个字。") % {"n": REASON_MIN_CHARS})
    urge = UrgeNote.objects.create(letter=letter, body=letter.assigned_body, note=note,
                                   issued_by=actor, issued_at=timezone.now())
    _add_event(letter, LetterEventKind.URGED, actor=actor, visible=False,
               to_body=letter.assigned_body, internal_note=note)
    _audit("mailbox.letter.urged", actor=actor, target=letter,
           data={"urge": urge.pk, "body": letter.assigned_body.slug})
    _notify_staff(letter, "mailbox.letter_urged", _handler_emails(letter), note=note)
    return urge


def _handles_body(user, body_id: int) -> bool:
    return (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
            and user.has_perm("mailbox.handle_letter")
            and Membership.objects.filter(user=user, body_id=body_id,
                                          role__in=(Role.LETTER_HANDLER,
                                                    Role.LETTER_REVIEWER)).exists())


@transaction.atomic
def answer_urge(*, urge: UrgeNote, actor, response: str) -> UrgeNote:
    """督办回复: the urged body's handler answers the note once, saying what was done."""
    letter = _locked(Letter(pk=urge.letter_id))
    urge = (UrgeNote.objects.select_for_update(of=("self",)).select_related("issued_by")
            .get(pk=urge.pk))
    if not _handles_body(actor, urge.body_id):
        raise PermissionDenied
    if urge.responded_at is not None:
        raise MailboxRuleViolation({"response": [_("该督办已回复，不能重复回复。")]})
    response = _require_text(response, field="response", max_chars=REPLY_MAX_CHARS, message=_(
        "请填写办理情况说明，至少%(n)d个字。") % {"n": REASON_MIN_CHARS})
    urge.response = response
    urge.responded_by = actor
    urge.responded_at = timezone.now()
    urge.save(update_fields=["response", "responded_by", "responded_at"])
    _add_event(letter, LetterEventKind.URGE_ANSWERED, actor=actor, visible=False,
               internal_note=response)
    _audit("mailbox.urge.answered", actor=actor, target=letter, data={"urge": urge.pk})
    if urge.issued_by and urge.issued_by.email:
        _notify_staff(letter, "mailbox.urge_answered", [urge.issued_by.email],
                      response=response)
    return urge


# --- Deadlines (到期提醒, 超期督办) ---------------------------------------------------------------


@dataclass(kw_only=True)
class MailboxDeadlineRunResult:
    """What one run of the deadline job did: letter numbers reminded and escalated."""

    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)

    @property
    def reminded_count(self) -> int:
        return len(self.reminded)

    @property
    def escalated_count(self) -> int:
        return len(self.escalated)


def _reminder_working_days() -> int:
    return int(getattr(settings, "MAILBOX_REMINDER_WORKING_DAYS", DEFAULT_REMINDER_WORKING_DAYS))


def _running_locked(letter: Letter) -> Letter | None:
    letter = (Letter.objects.select_for_update(of=("self",))
              .select_related("assigned_body", "handler").filter(pk=letter.pk).first())
    if letter is None or letter.status not in RUNNING_STATUSES or letter.due_on is None:
        return None
    return letter


def _already_sent(letter: Letter, kind: str) -> bool:
    return DeadlineReminder.objects.filter(letter=letter, kind=kind,
                                           due_on=letter.due_on).exists()


@transaction.atomic
def remind_due_soon_letter(*, letter: Letter, today: date) -> DeadlineReminder | None:
    """到期提醒: tell the assigned body's handlers that a letter's deadline is near; once per
    deadline (None when already sent or no longer due)."""
    letter = _running_locked(letter)
    if letter is None or letter.due_on < today or _already_sent(letter, ReminderKind.DUE_SOON):
        return None
    left = working_days_between(today, letter.due_on, calendar=working_calendar())
    reminder = DeadlineReminder.objects.create(letter=letter, kind=ReminderKind.DUE_SOON,
                                               due_on=letter.due_on, sent_at=timezone.now())
    note = _("答复期限 %(due)s，剩余%(left)d个工作日。") % {
        "due": letter.due_on.isoformat(), "left": left}
    _add_event(letter, LetterEventKind.REMINDED, visible=False, internal_note=note)
    _audit("mailbox.letter.reminded", target=letter,
           data={"due_on": letter.due_on, "working_days_left": left})
    _notify_staff(letter, "mailbox.letter_due_soon", _handler_emails(letter),
                  due_on=letter.due_on.isoformat(), left=left)
    return reminder


@transaction.atomic
def escalate_overdue_letter(*, letter: Letter, today: date) -> DeadlineReminder | None:
    """超期督办: a letter past its deadline is escalated to the supervisors whose scope covers
    the assigned body; once per deadline (None when already done or not overdue)."""
    letter = _running_locked(letter)
    if letter is None or letter.due_on >= today or _already_sent(letter, ReminderKind.OVERDUE):
        return None
    now = timezone.now()
    reminder = DeadlineReminder.objects.create(letter=letter, kind=ReminderKind.OVERDUE,
                                               due_on=letter.due_on, sent_at=now)
    if letter.escalated_at is None:
        letter.escalated_at = now
        letter.save(update_fields=["escalated_at", "updated_at"])
    overdue = working_days_between(letter.due_on, today, calendar=working_calendar())
    note = _("答复期限 %(due)s 已过（超期%(days)d个工作日），已提请督办。") % {
        "due": letter.due_on.isoformat(), "days": overdue}
    _add_event(letter, LetterEventKind.ESCALATED, visible=False, internal_note=note, at=now)
    _audit("mailbox.letter.escalated", target=letter,
           data={"due_on": letter.due_on, "working_days_overdue": overdue})
    _notify_staff(letter, "mailbox.letter_overdue", _supervisor_emails(letter.assigned_body),
                  body=letter.assigned_body.name, due_on=letter.due_on.isoformat(),
                  days=overdue)
    return reminder


def process_mailbox_deadlines(*, today: date) -> MailboxDeadlineRunResult:
    """The daily run: remind handlers when a letter has ``MAILBOX_REMINDER_WORKING_DAYS``
    (default 2) working days or fewer left, escalate overdue letters to the supervisors. Each
    step once per deadline, so running twice sends nothing new; each letter is its own
    transaction, so one failure does not undo the others."""
    result = MailboxDeadlineRunResult()
    calendar = working_calendar()
    window = _reminder_working_days()
    running = (Letter.objects.filter(status__in=RUNNING_STATUSES, due_on__isnull=False)
               .order_by("due_on", "pk"))
    for letter in running.filter(due_on__gte=today):
        if working_days_between(today, letter.due_on, calendar=calendar) > window:
            continue
        if remind_due_soon_letter(letter=letter, today=today):
            result.reminded.append(letter.number)
    for letter in running.filter(due_on__lt=today):
        if escalate_overdue_letter(letter=letter, today=today):
            result.escalated.append(letter.number)
    return result
