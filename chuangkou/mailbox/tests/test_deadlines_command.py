"""The daily deadline run (到期提醒, 超期督办) and its management command: each reminder and
escalation once per deadline, to the right people."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import LetterEventKind, ReminderKind
from chuangkou.mailbox.models import DeadlineReminder, Letter, LetterEvent
from chuangkou.mailbox.tests.factories import make_letter
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

HANDLER, REVIEWER, SUPERVISOR = (Role.LETTER_HANDLER, Role.LETTER_REVIEWER,
                                 Role.LETTER_SUPERVISOR)


def assigned_letter(cluster, body=None, at: str = "2026-03-02 10:00 +0800") -> Letter:
    # Monday 2 March 2026; 咨询 5 working days → due Monday 9 March.
    with time_machine.travel(at, tick=False):
        return make_letter(cluster=cluster, assign_to=body or cluster.education)


def run(day: str, capture, *, command: bool = False) -> tuple[object, str]:
    out = StringIO()
    with time_machine.travel(f"{day} 06:30 +0800", tick=False), capture(execute=True):
        if command:
            call_command("process_mailbox_deadlines", stdout=out)
            return None, out.getvalue()
        return actions.process_mailbox_deadlines(today=date.fromisoformat(day)), ""


def test_handlers_are_reminded_two_working_days_before_the_deadline_once(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    cluster.user("education", HANDLER)
    letter = assigned_letter(cluster)
    assert letter.due_on == date(2026, 3, 9)
    result, _ = run("2026-03-04", django_capture_on_commit_callbacks)  # 3 working days left
    assert result.reminded == [] and mailoutbox == []
    result, _ = run("2026-03-05", django_capture_on_commit_callbacks)  # 6 and 9 March left
    assert result.reminded == [letter.number] and result.reminded_count == 1
    assert [message.to for message in mailoutbox] == [
        [cluster.user("education", HANDLER).email]]
    assert letter.number in mailoutbox[0].subject
    reminder = DeadlineReminder.objects.get(letter=letter)
    assert reminder.kind == ReminderKind.DUE_SOON and reminder.due_on == date(2026, 3, 9)
    assert not LetterEvent.objects.get(letter=letter, kind=LetterEventKind.REMINDED
                                       ).visible_to_writer
    result, _ = run("2026-03-06", django_capture_on_commit_callbacks)
    result_again, _ = run("2026-03-06", django_capture_on_commit_callbacks)
    assert result.reminded == result_again.reminded == []
    assert len(mailoutbox) == 1


def test_the_reminder_window_is_a_setting(cluster, settings, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    settings.MAILBOX_REMINDER_WORKING_DAYS = 4
    result, _ = run("2026-03-03", django_capture_on_commit_callbacks)  # 4 working days left
    assert result.reminded == [letter.number]


def test_the_due_day_itself_gets_a_reminder_not_an_escalation(
        cluster, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    result, _ = run("2026-03-09", django_capture_on_commit_callbacks)
    assert result.reminded == [letter.number] and result.escalated == []
    assert Letter.objects.get(pk=letter.pk).escalated_at is None


def test_an_overdue_letter_is_escalated_to_the_supervisors_in_scope_once(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    supervisors = {slug: cluster.user(slug, SUPERVISOR)
                   for slug in ("city", "education", "health", "dongcheng")}
    letter = assigned_letter(cluster)
    result, _ = run("2026-03-10", django_capture_on_commit_callbacks)
    assert result.escalated == [letter.number] and result.escalated_count == 1
    letter.refresh_from_db()
    escalated_at = letter.escalated_at
    assert escalated_at is not None
    assert LetterEvent.objects.filter(letter=letter, kind=LetterEventKind.ESCALATED).count() == 1
    assert DeadlineReminder.objects.filter(letter=letter, kind=ReminderKind.OVERDUE).count() == 1
    # The education and city supervisors cover the body (one e-mail each); those of health
    # and 东城区 do not.
    assert sorted(message.to for message in mailoutbox) == sorted(
        [[supervisors["city"].email], [supervisors["education"].email]])
    result, _ = run("2026-03-11", django_capture_on_commit_callbacks)
    assert result.escalated == [] and len(mailoutbox) == 2
    assert Letter.objects.get(pk=letter.pk).escalated_at == escalated_at


def test_an_extension_after_escalation_gives_a_new_deadline_its_own_reminders(
        cluster, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    run("2026-03-10", django_capture_on_commit_callbacks)
    first_escalation = Letter.objects.get(pk=letter.pk).escalated_at
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        request = actions.request_extension(
            letter=letter, actor=cluster.user("education", HANDLER), working_days=3,
            reason="需要会同交警部门现场核查")
        actions.decide_extension(request=request, actor=cluster.user("education", REVIEWER),
                                 approve=True)
    letter.refresh_from_db()
    assert letter.due_on == date(2026, 3, 12)
    result, _ = run("2026-03-11", django_capture_on_commit_callbacks)
    assert result.reminded == [letter.number]
    result, _ = run("2026-03-13", django_capture_on_commit_callbacks)
    assert result.escalated == [letter.number]
    letter.refresh_from_db()
    assert letter.escalated_at == first_escalation  # set the first time only
    assert DeadlineReminder.objects.filter(letter=letter, kind=ReminderKind.OVERDUE).count() == 2


def test_answered_letters_are_neither_reminded_nor_escalated(
        cluster, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    reply = actions.submit_reply_for_review(letter=letter, actor=cluster.user("education", HANDLER),
                                            text="您好，已增设临时停车点。")
    actions.approve_reply(reply=reply, actor=cluster.user("education", REVIEWER))
    result, _ = run("2026-03-09", django_capture_on_commit_callbacks)
    assert result.reminded == []
    result, _ = run("2026-03-10", django_capture_on_commit_callbacks)
    assert result.escalated == []


def test_a_letter_in_review_still_counts_as_open(cluster, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    actions.submit_reply_for_review(letter=letter, actor=cluster.user("education", HANDLER),
                                    text="您好，已增设临时停车点。")
    result, _ = run("2026-03-10", django_capture_on_commit_callbacks)
    assert result.escalated == [letter.number]


def test_the_command_prints_the_counts_and_takes_a_date(cluster, django_capture_on_commit_callbacks):
    assigned_letter(cluster)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("process_mailbox_deadlines", "--date", "2026-03-10", stdout=out)
    assert out.getvalue().strip() == "due-soon reminders 0, escalations 1"
    _, printed = run("2026-03-10", django_capture_on_commit_callbacks, command=True)
    assert printed.strip() == "due-soon reminders 0, escalations 0"


def test_the_command_refuses_a_malformed_date(cluster):
    with pytest.raises(CommandError):
        call_command("process_mailbox_deadlines", "--date", "10/03/2026", stdout=StringIO())
