"""Handling of assigned letters: drafts, review (答复审核, 不合格重新办理), extensions (延期) and
urging (督办), all through the actions."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import (
    ExtensionStatus,
    LetterEventKind,
    LetterStatus,
    ReplyStatus,
)
from chuangkou.mailbox.exceptions import MailboxRuleViolation
from chuangkou.mailbox.models import Letter, LetterEvent, LetterReply, UrgeNote
from chuangkou.mailbox.queries import timeline_of, unanswered_urge_notes
from chuangkou.mailbox.tests.factories import make_letter
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

HANDLER, REVIEWER = Role.LETTER_HANDLER, Role.LETTER_REVIEWER
DISPATCHER, SUPERVISOR = Role.LETTER_DISPATCHER, Role.LETTER_SUPERVISOR
REPLY = "您好，经核实，学校门口已于本周增设临时停车点，交警部门在上下学时段加强疏导。"
ASSIGNED_ON = "2026-03-02 10:00 +0800"  # Monday; 咨询 5 working days → due Monday 9 March


def assigned_letter(cluster, *, at: str = ASSIGNED_ON, body=None, **kwargs) -> Letter:
    with time_machine.travel(at, tick=False):
        return make_letter(cluster=cluster, assign_to=body or cluster.education, **kwargs)


def in_review(cluster, letter: Letter, *, by=None) -> LetterReply:
    return actions.submit_reply_for_review(
        letter=letter, actor=by or cluster.user("education", HANDLER), text=REPLY)


def kinds(letter: Letter) -> list[str]:
    return list(LetterEvent.objects.filter(letter=letter).values_list("kind", flat=True))


# --- Drafts -----------------------------------------------------------------------------------


def test_saving_a_draft_twice_reuses_one_draft_row(cluster):
    letter = assigned_letter(cluster)
    handler = cluster.user("education", HANDLER)
    first = actions.save_reply_draft(letter=letter, actor=handler, text="初稿")
    second = actions.save_reply_draft(letter=letter, actor=handler, text="  修改后的稿子  ")
    assert first.pk == second.pk
    reply = LetterReply.objects.get(letter=letter)
    assert reply.status == ReplyStatus.DRAFT
    assert reply.text == "修改后的稿子"
    assert reply.body == cluster.education and reply.drafted_by == handler
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.IN_PROGRESS


@pytest.mark.parametrize("text", ["", "   ", "字" * 5001, None])
def test_reply_text_must_have_1_to_5000_characters(cluster, text):
    letter = assigned_letter(cluster)
    handler = cluster.user("education", HANDLER)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.save_reply_draft(letter=letter, actor=handler, text=text)
    assert "text" in error.value.errors
    with pytest.raises(MailboxRuleViolation):
        actions.submit_reply_for_review(letter=letter, actor=handler, text=text)
    assert not LetterReply.objects.filter(letter=letter).exists()


def test_a_5000_character_reply_is_accepted(cluster):
    letter = assigned_letter(cluster)
    reply = actions.submit_reply_for_review(
        letter=letter, actor=cluster.user("education", HANDLER), text="字" * 5000)
    assert len(reply.text) == 5000


@pytest.mark.parametrize(("body", "role"), [
    ("health", HANDLER), ("city", HANDLER), ("education", DISPATCHER),
    ("education", SUPERVISOR), ("city", SUPERVISOR),
])
def test_only_the_assigned_bodys_handler_or_reviewer_drafts(cluster, body, role):
    letter = assigned_letter(cluster)
    with pytest.raises(PermissionDenied):
        actions.save_reply_draft(letter=letter, actor=cluster.user(body, role), text=REPLY)
    with pytest.raises(PermissionDenied):
        actions.submit_reply_for_review(letter=letter, actor=cluster.user(body, role), text=REPLY)


def test_a_letter_waiting_for_dispatch_cannot_be_answered(cluster):
    with time_machine.travel(ASSIGNED_ON, tick=False):
        letter = make_letter(cluster=cluster)  # "不确定": waits for a dispatcher
    assert letter.status == LetterStatus.AWAITING_DISPATCH
    with pytest.raises(PermissionDenied):
        actions.save_reply_draft(letter=letter, actor=cluster.user("education", HANDLER),
                                 text=REPLY)


# --- Review -------------------------------------------------------------------------------------


def test_submitting_for_review_reuses_the_draft_and_notifies_the_reviewers(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    handler, reviewer = cluster.user("education", HANDLER), cluster.user("education", REVIEWER)
    draft = actions.save_reply_draft(letter=letter, actor=handler, text="初稿")
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.submit_reply_for_review(letter=letter, actor=handler, text=REPLY)
    assert reply.pk == draft.pk and reply.status == ReplyStatus.IN_REVIEW
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_REVIEW and letter.handler == handler
    event = LetterEvent.objects.get(letter=letter, kind=LetterEventKind.DRAFT_SUBMITTED)
    assert not event.visible_to_writer
    assert [message.to for message in mailoutbox] == [[reviewer.email]]
    with pytest.raises(MailboxRuleViolation):  # in review: the handler waits for the reviewer
        actions.save_reply_draft(letter=letter, actor=handler, text="再改一下")


def test_approval_answers_the_letter_and_sends_the_reply_to_the_writer(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster, email="writer@example.com")
    reply = in_review(cluster, letter)
    reviewer = cluster.user("education", REVIEWER)
    with (time_machine.travel("2026-03-06 15:00 +0800", tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        answered = actions.approve_reply(reply=reply, actor=reviewer)
    assert answered.status == LetterStatus.ANSWERED
    assert answered.answered_on == date(2026, 3, 6)
    assert answered.answered_at == datetime.fromisoformat("2026-03-06T15:00+08:00")
    assert answered.answered_late is False
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.APPROVED and reply.reviewed_by == reviewer
    event = LetterEvent.objects.get(letter=letter, kind=LetterEventKind.ANSWERED)
    assert event.visible_to_writer and event.public_note == REPLY
    assert event.from_body == cluster.education
    assert [message.to for message in mailoutbox] == [["writer@example.com"]]
    assert REPLY in mailoutbox[0].body and letter.number in mailoutbox[0].subject
    assert AuditEvent.objects.filter(action="mailbox.reply.approved",
                                     target_id=str(letter.pk)).exists()


def test_no_mail_is_sent_before_the_approval_commits(cluster, mailoutbox):
    letter = assigned_letter(cluster)
    actions.approve_reply(reply=in_review(cluster, letter),
                          actor=cluster.user("education", REVIEWER))
    assert mailoutbox == []  # the test's transaction never commits


def test_letter_answered_late_is_flagged(cluster):
    letter = assigned_letter(cluster)
    assert letter.due_on == date(2026, 3, 9)
    reply = in_review(cluster, letter)
    with time_machine.travel("2026-03-09 23:00 +0800", tick=False):  # the due day itself
        on_time = actions.approve_reply(reply=reply, actor=cluster.user("education", REVIEWER))
    assert on_time.answered_late is False
    late_letter = assigned_letter(cluster)
    reply = in_review(cluster, late_letter)
    with time_machine.travel("2026-03-10 09:00 +0800", tick=False):
        late = actions.approve_reply(reply=reply, actor=cluster.user("education", REVIEWER))
    assert late.answered_on == date(2026, 3, 10) and late.answered_late is True


def test_approval_also_answers_every_letter_merged_into_it(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster, email="first@example.com")
    duplicate = assigned_letter(cluster, email="second@example.com", writer_name="李四")
    actions.merge_letters(duplicate=duplicate, into=letter,
                          actor=cluster.user("city", DISPATCHER), reason="反映同一事项")
    reply = in_review(cluster, letter)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_reply(reply=reply, actor=cluster.user("education", REVIEWER))
    duplicate.refresh_from_db()
    assert duplicate.status == LetterStatus.MERGED
    event = LetterEvent.objects.get(letter=duplicate, kind=LetterEventKind.ANSWERED)
    assert event.visible_to_writer and event.public_note == REPLY
    assert sorted(message.to[0] for message in mailoutbox) == [
        "first@example.com", "second@example.com"]
    assert duplicate.number in next(m.subject for m in mailoutbox
                                     if m.to == ["second@example.com"])


def test_a_reviewer_may_not_approve_a_reply_they_drafted(cluster):
    letter = assigned_letter(cluster)
    reviewer = cluster.user("education", REVIEWER)
    reply = in_review(cluster, letter, by=reviewer)  # reviewers may also draft
    with pytest.raises(MailboxRuleViolation) as error:
        actions.approve_reply(reply=reply, actor=reviewer)
    assert "reply" in error.value.errors
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.IN_REVIEW
    # Another reviewer in scope (the city's supervisor) may.
    answered = actions.approve_reply(reply=reply, actor=cluster.user("city", SUPERVISOR))
    assert answered.status == LetterStatus.ANSWERED


@pytest.mark.parametrize(("body", "role"), [
    ("education", HANDLER), ("health", REVIEWER), ("city", REVIEWER),
    ("dongcheng", SUPERVISOR), ("education", DISPATCHER),
])
def test_only_the_bodys_reviewer_or_a_supervisor_in_scope_reviews(cluster, body, role):
    letter = assigned_letter(cluster)
    reply = in_review(cluster, letter)
    with pytest.raises(PermissionDenied):
        actions.approve_reply(reply=reply, actor=cluster.user(body, role))
    with pytest.raises(PermissionDenied):
        actions.return_reply(reply=reply, actor=cluster.user(body, role), reasons="答复不完整")


@pytest.mark.parametrize("body", ["education", "city"])
def test_the_education_supervisor_and_the_city_supervisor_may_review(cluster, body):
    letter = assigned_letter(cluster)
    answered = actions.approve_reply(reply=in_review(cluster, letter),
                                     actor=cluster.user(body, SUPERVISOR))
    assert answered.status == LetterStatus.ANSWERED


def test_only_a_reply_in_review_can_be_approved(cluster):
    letter = assigned_letter(cluster)
    draft = actions.save_reply_draft(letter=letter, actor=cluster.user("education", HANDLER),
                                     text=REPLY)
    with pytest.raises(MailboxRuleViolation):
        actions.approve_reply(reply=draft, actor=cluster.user("education", REVIEWER))
    reply = in_review(cluster, letter)
    actions.approve_reply(reply=reply, actor=cluster.user("education", REVIEWER))
    with pytest.raises(MailboxRuleViolation):  # approved once is enough
        actions.approve_reply(reply=reply, actor=cluster.user("city", SUPERVISOR))


@pytest.mark.parametrize("reasons", ["", "不行", "   差   "])
def test_returning_a_reply_needs_reasons_of_at_least_four_characters(cluster, reasons):
    letter = assigned_letter(cluster)
    reply = in_review(cluster, letter)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.return_reply(reply=reply, actor=cluster.user("education", REVIEWER),
                             reasons=reasons)
    assert "reasons" in error.value.errors
    assert LetterReply.objects.get(pk=reply.pk).status == ReplyStatus.IN_REVIEW


def test_a_returned_reply_goes_back_to_the_handler_without_the_writer_seeing_it(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    handler = cluster.user("education", HANDLER)
    reply = in_review(cluster, letter)
    with django_capture_on_commit_callbacks(execute=True):
        returned = actions.return_reply(reply=reply, actor=cluster.user("education", REVIEWER),
                                        reasons="未说明停车点的具体位置，请补充。")
    assert returned.status == ReplyStatus.RETURNED
    assert returned.review_note == "未说明停车点的具体位置，请补充。"
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_PROGRESS
    event = LetterEvent.objects.get(letter=letter, kind=LetterEventKind.REPLY_RETURNED)
    assert not event.visible_to_writer
    assert LetterEventKind.REPLY_RETURNED not in [
        e.kind for e in timeline_of(letter, for_writer=True)]
    assert [message.to for message in mailoutbox] == [[handler.email]]
    # 重新办理: a new reply row; the returned one keeps its reasons.
    second = actions.submit_reply_for_review(letter=letter, actor=handler, text=REPLY + "补充。")
    assert second.pk != returned.pk
    assert LetterReply.objects.get(pk=returned.pk).status == ReplyStatus.RETURNED


# --- Extensions --------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 31, -1, "abc", None, True])
def test_an_extension_is_1_to_30_working_days(cluster, days):
    letter = assigned_letter(cluster)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                  working_days=days, reason="需要现场核查")
    assert "working_days" in error.value.errors


def test_an_extension_needs_a_reason(cluster):
    letter = assigned_letter(cluster)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                  working_days=5, reason="核查")
    assert "reason" in error.value.errors


def test_only_one_extension_request_waits_at_a_time(cluster):
    letter = assigned_letter(cluster)
    handler = cluster.user("education", HANDLER)
    actions.request_extension(letter=letter, actor=handler, working_days=5,
                              reason="需要会同交警部门现场核查")
    with pytest.raises(MailboxRuleViolation):
        actions.request_extension(letter=letter, actor=handler, working_days=3,
                                  reason="再申请一次延期")


def test_an_approved_extension_moves_the_deadline_across_national_day(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster, at="2026-09-21 10:00 +0800")
    assert letter.due_on == date(2026, 9, 29)
    request = actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                        working_days=10, reason="需要会同交警部门现场核查")
    assert LetterEvent.objects.get(letter=letter, kind=LetterEventKind.EXTENSION_REQUESTED
                                   ).visible_to_writer is False
    with django_capture_on_commit_callbacks(execute=True):
        decided = actions.decide_extension(request=request,
                                           actor=cluster.user("education", REVIEWER),
                                           approve=True, note="同意")
    assert decided.status == ExtensionStatus.APPROVED
    letter.refresh_from_db()
    assert letter.extension_working_days == 10
    # 15 working days from 21 September, skipping 1–7 October (国庆节).
    assert letter.due_on == date(2026, 10, 19)
    event = LetterEvent.objects.get(letter=letter, kind=LetterEventKind.EXTENSION_APPROVED)
    assert event.visible_to_writer and event.public_note == "办理期限延长至2026-10-19。"
    decisions = [message.to for message in mailoutbox if "延期申请审批结果" in message.subject]
    assert decisions == [[cluster.user("education", HANDLER).email]]
    (told,) = [message for message in mailoutbox if message.to == ["wang.xiaoming@example.com"]]
    assert "2026-10-19" in told.body  # the writer learns the new deadline
    # A second approved extension adds up.
    second = actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                       working_days=1, reason="仍需等待检测报告")
    actions.decide_extension(request=second, actor=cluster.user("city", SUPERVISOR),
                             approve=True)
    letter.refresh_from_db()
    assert letter.extension_working_days == 11 and letter.due_on == date(2026, 10, 20)


def test_a_refused_extension_keeps_the_deadline_and_stays_internal(cluster):
    letter = assigned_letter(cluster)
    request = actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                        working_days=5, reason="需要现场核查")
    actions.decide_extension(request=request, actor=cluster.user("education", REVIEWER),
                             approve=False, note="期限内可以办结")
    letter.refresh_from_db()
    assert letter.due_on == date(2026, 3, 9) and letter.extension_working_days == 0
    assert not LetterEvent.objects.get(letter=letter, kind=LetterEventKind.EXTENSION_REFUSED
                                       ).visible_to_writer
    with pytest.raises(MailboxRuleViolation):  # decided once
        actions.decide_extension(request=request, actor=cluster.user("education", REVIEWER),
                                 approve=True)


@pytest.mark.parametrize(("body", "role"), [
    ("education", HANDLER), ("health", REVIEWER), ("dongcheng", SUPERVISOR),
])
def test_only_the_bodys_reviewer_or_a_supervisor_decides_an_extension(cluster, body, role):
    letter = assigned_letter(cluster)
    request = actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                        working_days=5, reason="需要现场核查")
    with pytest.raises(PermissionDenied):
        actions.decide_extension(request=request, actor=cluster.user(body, role), approve=True)


def test_nobody_decides_their_own_extension_request(cluster):
    letter = assigned_letter(cluster)
    reviewer = cluster.user("education", REVIEWER)
    request = actions.request_extension(letter=letter, actor=reviewer, working_days=5,
                                        reason="需要现场核查")
    with pytest.raises(MailboxRuleViolation):
        actions.decide_extension(request=request, actor=reviewer, approve=True)


def test_no_extension_is_requested_after_the_answer(cluster):
    letter = assigned_letter(cluster)
    actions.approve_reply(reply=in_review(cluster, letter),
                          actor=cluster.user("education", REVIEWER))
    with pytest.raises(MailboxRuleViolation):
        actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                  working_days=5, reason="需要现场核查")


def test_a_pending_extension_lapses_when_the_letter_is_answered(cluster):
    letter = assigned_letter(cluster)
    request = actions.request_extension(letter=letter, actor=cluster.user("education", HANDLER),
                                        working_days=5, reason="需要现场核查")
    actions.approve_reply(reply=in_review(cluster, letter),
                          actor=cluster.user("education", REVIEWER))
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REFUSED


# --- Urging (督办) -------------------------------------------------------------------------------


def test_a_supervisor_urges_and_the_handler_answers_once(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    letter = assigned_letter(cluster)
    supervisor, handler = cluster.user("city", SUPERVISOR), cluster.user("education", HANDLER)
    with django_capture_on_commit_callbacks(execute=True):
        urge = actions.urge_letter(letter=letter, actor=supervisor, note="请于本周内答复群众。")
    assert urge.body == cluster.education and urge.issued_by == supervisor
    assert not LetterEvent.objects.get(letter=letter, kind=LetterEventKind.URGED
                                       ).visible_to_writer
    assert [message.to for message in mailoutbox] == [[handler.email]]
    assert list(unanswered_urge_notes(handler)) == [urge]
    assert list(unanswered_urge_notes(cluster.user("health", HANDLER))) == []

    with django_capture_on_commit_callbacks(execute=True):
        answered = actions.answer_urge(urge=urge, actor=handler,
                                       response="已联系交警部门，周五前答复。")
    assert answered.response == "已联系交警部门，周五前答复。" and answered.responded_by == handler
    assert LetterEventKind.URGE_ANSWERED in kinds(letter)
    assert mailoutbox[-1].to == [supervisor.email]
    assert list(unanswered_urge_notes(handler)) == []
    with pytest.raises(MailboxRuleViolation) as error:
        actions.answer_urge(urge=urge, actor=handler, response="再回复一次可以吗")
    assert "response" in error.value.errors


def test_an_urge_note_and_its_answer_need_four_characters(cluster):
    letter = assigned_letter(cluster)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.urge_letter(letter=letter, actor=cluster.user("city", SUPERVISOR), note="快点")
    assert "note" in error.value.errors
    urge = actions.urge_letter(letter=letter, actor=cluster.user("city", SUPERVISOR),
                               note="请尽快办理答复。")
    with pytest.raises(MailboxRuleViolation) as error:
        actions.answer_urge(urge=urge, actor=cluster.user("education", HANDLER), response="好")
    assert "response" in error.value.errors
    assert UrgeNote.objects.get(pk=urge.pk).responded_at is None


@pytest.mark.parametrize(("body", "role"), [
    ("dongcheng", SUPERVISOR), ("health", SUPERVISOR), ("education", REVIEWER),
    ("city", DISPATCHER),
])
def test_only_a_supervisor_in_scope_urges(cluster, body, role):
    letter = assigned_letter(cluster)
    with pytest.raises(PermissionDenied):
        actions.urge_letter(letter=letter, actor=cluster.user(body, role), note="请尽快办理答复。")


def test_only_the_urged_bodys_staff_answer_an_urge(cluster):
    letter = assigned_letter(cluster)
    urge = actions.urge_letter(letter=letter, actor=cluster.user("education", SUPERVISOR),
                               note="请尽快办理答复。")
    for body, role in (("health", HANDLER), ("city", SUPERVISOR)):
        with pytest.raises(PermissionDenied):
            actions.answer_urge(urge=urge, actor=cluster.user(body, role), response="已经办理完毕")


def test_an_answered_letter_is_not_urged(cluster):
    letter = assigned_letter(cluster)
    actions.approve_reply(reply=in_review(cluster, letter),
                          actor=cluster.user("education", REVIEWER))
    with pytest.raises(MailboxRuleViolation):
        actions.urge_letter(letter=letter, actor=cluster.user("city", SUPERVISOR),
                            note="请尽快办理答复。")


def test_a_forwarded_letter_gets_a_fresh_draft_for_its_new_body(cluster):
    letter = assigned_letter(cluster)
    old = actions.save_reply_draft(letter=letter, actor=cluster.user("education", HANDLER),
                                   text="教育局的草稿")
    actions.forward_letter(letter=letter, actor=cluster.user("city", DISPATCHER),
                           body=cluster.health, reason="属于卫健部门职责")
    new = actions.save_reply_draft(letter=letter, actor=cluster.user("health", HANDLER),
                                   text="卫健委的草稿")
    assert new.pk != old.pk and new.body == cluster.health
    assert LetterReply.objects.get(pk=old.pk).text == "教育局的草稿"
