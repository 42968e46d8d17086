"""Intake, routing, dispatch, forwarding, returning, merging and moderation of letters."""

import io
import zipfile
from datetime import date, datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangkou.core.models import AuditEvent, SerialCounter
from chuangkou.mailbox import actions, rules
from chuangkou.mailbox.actions import intake
from chuangkou.mailbox.choices import (
    ExtensionStatus,
    LetterChannel,
    LetterEventKind,
    LetterStatus,
)
from chuangkou.mailbox.exceptions import LetterSubmissionRefused, MailboxRuleViolation
from chuangkou.mailbox.models import Letter, LetterKind, ReplyTimeLimit
from chuangkou.organizations.choices import Role
from chuangkou.publishing.actions import add_lexicon_entry
from chuangkou.publishing.choices import LexiconCategory

from .factories import letter_draft, make_letter, next_token, writer_input

pytestmark = pytest.mark.django_db

MONDAY_MORNING = "2026-03-02 10:00 +0800"
D, H, R, S = (Role.LETTER_DISPATCHER, Role.LETTER_HANDLER, Role.LETTER_REVIEWER,
              Role.LETTER_SUPERVISOR)


def submit(*, draft=None, writer=None, **kwargs):
    kwargs.setdefault("form_token", next_token())
    return actions.submit_letter(draft=draft or letter_draft(), writer=writer or writer_input(),
                                 **kwargs)


def refused_fields(**kwargs) -> dict:
    with pytest.raises(LetterSubmissionRefused) as caught:
        submit(**kwargs)
    return caught.value.errors


def errors_of(error) -> dict:
    return error.errors


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                              content_type="application/pdf")


def png(name="照片.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png")


def jpg(name="现场.jpg"):
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0" + b"\x00" * 40, content_type="image/jpeg")


def zipped(name, part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


# --- Submission -----------------------------------------------------------------------------


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_submitted_letter_gets_a_number_and_a_query_code_stored_only_as_a_digest(cluster):
    letter, code = submit()
    assert letter.number == "XJ2026000001"
    assert (letter.year, letter.sequence) == (2026, 1)
    assert len(code) == 8 and set(code) <= set(rules.QUERY_CODE_ALPHABET)
    letter.refresh_from_db()
    assert letter.query_code_digest == rules.query_code_digest(letter.number, code)
    assert code not in letter.query_code_digest
    assert letter.channel == LetterChannel.WEBSITE
    second, _code = submit()
    assert second.number == "XJ2026000002"


@time_machine.travel("2026-03-02 23:30 +0800", tick=False)
def test_received_on_is_the_local_date_not_the_utc_date(cluster):
    letter, _code = submit()
    assert letter.received_on == date(2026, 3, 2)
    assert letter.submitted_at.utcoffset().total_seconds() == 0  # stored in UTC: 15:30


def test_writer_details_are_kept_apart_from_the_letter(cluster):
    letter, _code = submit(writer=writer_input(name=" 李 华 ", phone="0571-87654321",
                                               email="Li.Hua@Example.com", address="和平路1号"))
    details = letter.writer
    assert (details.name, details.phone, details.email, details.address) == (
        "李 华", "0571-87654321", "li.hua@example.com", "和平路1号")
    assert "李" not in letter.title + letter.content


def test_repeated_form_token_returns_the_first_letter_and_no_code(cluster):
    first, code = submit(form_token="same-token")
    again, no_code = submit(form_token="same-token",
                            draft=letter_draft(title="另一个标题", content="另一段内容"))
    assert code and no_code is None
    assert again.pk == first.pk
    assert Letter.objects.count() == 1


def test_repeated_external_work_order_returns_the_first_letter(cluster):
    first, _code = submit(form_token=None, channel=LetterChannel.HOTLINE,
                          external_source="12345", external_id="GD20260001")
    again, no_code = submit(form_token=None, channel=LetterChannel.HOTLINE,
                            external_source="12345", external_id="GD20260001")
    other_source, _ = submit(form_token=None, external_source="app", external_id="GD20260001")
    assert again.pk == first.pk and no_code is None
    assert other_source.pk != first.pk
    assert Letter.objects.count() == 2


def test_token_committed_by_a_parallel_request_returns_that_letter_without_a_gap(cluster):
    first, _code = submit(form_token="raced")
    real_earlier = intake._earlier
    calls = []

    def late(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_earlier(*args)  # the race: not yet visible

    with mock.patch.object(intake, "_earlier", side_effect=late):
        again, code = submit(form_token="raced")
    assert (again.pk, code) == (first.pk, None)
    assert len(calls) == 2
    following, _code = submit()
    assert following.sequence == first.sequence + 1  # the raced number was rolled back


def test_signed_in_writer_is_linked_to_the_letter(cluster, django_user_model):
    citizen = django_user_model.objects.create_user("citizen", password="x")
    letter, _code = submit(user=citizen)
    assert letter.user == citizen
    anonymous, _code = submit(user=None)
    assert anonymous.user is None


def test_control_characters_are_stripped_and_html_is_kept_as_plain_text(cluster):
    letter, _code = submit(draft=letter_draft(
        title="<script>alert(1)</script>\x00标题", content="第一行\r\n<b>第二行</b>\x07"))
    letter.refresh_from_db()
    assert letter.title == "<script>alert(1)</script>标题"
    assert letter.content == "第一行\n<b>第二行</b>"


def test_inactive_kind_is_refused(cluster):
    LetterKind.objects.filter(code="piping").update(is_active=False)
    assert "kind" in refused_fields(draft=letter_draft(kind_code="piping"))


def test_empty_and_oversized_title_are_refused_with_the_rule(cluster):
    assert "title" in refused_fields(draft=letter_draft(title=" \x00 "))
    errors = refused_fields(draft=letter_draft(title="长" * 101))
    assert "100" in errors["title"][0]
    letter, _code = submit(draft=letter_draft(title="长" * 100))
    assert len(letter.title) == 100


def test_empty_content_is_refused(cluster):
    assert "content" in refused_fields(draft=letter_draft(content="   "))


def test_content_over_the_configured_limit_is_refused(cluster, settings):
    settings.MAILBOX_CONTENT_MAX_CHARS = 20
    errors = refused_fields(draft=letter_draft(content="字" * 21))
    assert "20" in errors["content"][0] and "21" in errors["content"][0]
    letter, _code = submit(draft=letter_draft(content="字" * 20))
    assert letter.content == "字" * 20


def test_content_limit_defaults_to_5000_characters(cluster):
    assert "content" in refused_fields(draft=letter_draft(content="字" * 5001))
    letter, _code = submit(draft=letter_draft(content="字" * 5000))
    assert len(letter.content) == 5000


def test_writer_name_and_one_contact_are_required(cluster):
    assert "name" in refused_fields(writer=writer_input(name=""))
    errors = refused_fields(writer=writer_input(phone="", email=""))
    assert "phone" in errors
    assert submit(writer=writer_input(phone="", email="only@example.com"))[0].pk
    assert submit(writer=writer_input(phone="13800001111", email=""))[0].pk


def test_malformed_email_and_phone_are_refused(cluster):
    assert "email" in refused_fields(writer=writer_input(email="not-an-address"))
    assert "phone" in refused_fields(writer=writer_input(phone="<script>"))


def test_every_problem_is_reported_at_once_and_nothing_is_saved(cluster):
    errors = refused_fields(draft=letter_draft(title="", content=""),
                            writer=writer_input(name="", phone="", email=""))
    assert {"title", "content", "name", "phone"} <= set(errors)
    assert Letter.objects.count() == 0
    assert not SerialCounter.objects.filter(scope="mailbox.letter").exists()
    assert not AuditEvent.objects.filter(action="mailbox.letter.submitted").exists()


def test_allowed_attachments_are_accepted_by_content(cluster):
    files = [pdf(), png(), jpg(), zipped("意见.docx", "word/document.xml"),
             zipped("数据.xlsx", "xl/workbook.xml")]
    letter, _code = submit(attachments=files)
    stored = list(letter.attachments.order_by("pk"))
    assert [a.original_name for a in stored] == ["材料.pdf", "照片.png", "现场.jpg", "意见.docx",
                                                 "数据.xlsx"]
    assert [a.content_type for a in stored][:3] == ["application/pdf", "image/png", "image/jpeg"]
    assert all(a.size > 0 for a in stored)
    assert all("材料" not in a.file.name for a in stored)  # stored under a random name
    with stored[0].file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_ofd_attachment_is_accepted(cluster):
    letter, _code = submit(attachments=[zipped("证明.ofd", "OFD.xml")])
    assert letter.attachments.get().content_type == "application/ofd"


def test_attachment_with_a_disallowed_content_is_refused_naming_the_file(cluster):
    program = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    errors = refused_fields(attachments=[pdf(), program])
    assert len(errors["attachments"]) == 1
    assert "报告.pdf" in errors["attachments"][0]
    assert Letter.objects.count() == 0


def test_attachment_whose_name_contradicts_its_content_is_refused(cluster):
    errors = refused_fields(attachments=[png(name="扫描件.pdf")])
    assert "扫描件.pdf" in errors["attachments"][0] and "PNG" in errors["attachments"][0]


def test_plain_zip_renamed_docx_is_refused(cluster):
    errors = refused_fields(attachments=[zipped("文档.docx", "other/file.txt")])
    assert "文档.docx" in errors["attachments"][0]


def test_more_than_five_attachments_are_refused(cluster):
    errors = refused_fields(attachments=[pdf(f"{n}.pdf") for n in range(6)])
    assert "5" in errors["attachments"][0]
    assert submit(attachments=[pdf(f"{n}.pdf") for n in range(5)])[0].attachments.count() == 5


def test_attachment_over_the_size_limit_is_refused(cluster, settings):
    settings.MAILBOX_ATTACHMENT_MAX_BYTES = 30
    errors = refused_fields(attachments=[pdf("大文件.pdf")])
    assert "大文件.pdf" in errors["attachments"][0]


def test_attachment_limit_defaults_to_10_mb():
    big = SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert "大.pdf" in intake.attachment_errors(big)[0]
    fits = SimpleUploadedFile("刚好.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 - 5))
    assert intake.attachment_errors(fits) == []


def test_submission_is_audited_without_personal_data(cluster):
    letter, code = submit(writer=writer_input(name="赵六", phone="13700001234",
                                              email="zhao@example.com", address="幸福路8号"))
    event = AuditEvent.objects.get(action="mailbox.letter.submitted")
    assert event.target_id == str(letter.pk)
    assert event.data["kind"] == "zixun" and event.data["held"] is False
    text = str(event.data)
    for personal in ("赵六", "13700001234", "zhao@example.com", "幸福路8号", code):
        assert personal not in text


def test_writer_gets_a_receipt_with_the_number_but_not_the_code(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter, code = submit(writer=writer_input(email="wang@example.com"))
    receipts = [m for m in mailoutbox if m.to == ["wang@example.com"]]
    assert len(receipts) == 1
    assert letter.number in receipts[0].subject + receipts[0].body
    assert code not in receipts[0].subject + receipts[0].body


def test_no_receipt_without_an_email_address(cluster, mailoutbox,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(writer=writer_input(email=""))
    assert not [m for m in mailoutbox if "已收到" in m.subject]


def test_submitted_event_is_visible_to_the_writer(cluster):
    letter, _code = submit()
    event = letter.events.get(kind=LetterEventKind.SUBMITTED)
    assert event.visible_to_writer and letter.number in event.public_note


# --- Lexicon screen --------------------------------------------------------------------------


def test_lexicon_hit_holds_the_letter_for_moderation_with_the_categories(cluster):
    add_lexicon_entry(term="网络赌博", category=LexiconCategory.GAMBLING)
    add_lexicon_entry(term="刷单返利", category=LexiconCategory.FRAUD)
    letter, code = submit(draft=letter_draft(
        addressed_body=cluster.education, title="举报网络赌博", content="有人组织刷单返利"))
    assert code
    assert letter.status == LetterStatus.HELD
    assert letter.assigned_body is None
    assert "赌博" in letter.moderation_reason and "网络赌博" in letter.moderation_reason
    assert "诈骗" in letter.moderation_reason and "刷单返利" in letter.moderation_reason
    held = letter.events.get(kind=LetterEventKind.HELD)
    assert held.visible_to_writer and "正在审核" in held.public_note
    assert AuditEvent.objects.get(action="mailbox.letter.submitted").data["held"] is True


def test_personal_data_in_the_text_does_not_hold_the_letter(cluster):
    letter, _code = submit(draft=letter_draft(
        addressed_body=cluster.education, content="请回电13912345678，邮箱 a@example.com"))
    assert letter.status == LetterStatus.IN_PROGRESS
    assert letter.moderation_reason == ""


def test_matched_personal_data_in_the_moderation_reason_is_masked(cluster):
    add_lexicon_entry(term="代办证件", category=LexiconCategory.ILLEGAL)
    letter, _code = submit(draft=letter_draft(content="代办证件请联系13912345678"))
    assert letter.status == LetterStatus.HELD
    assert "13912345678" not in letter.moderation_reason


def test_inactive_lexicon_entries_do_not_hold_letters(cluster):
    from chuangkou.publishing.actions import update_lexicon_entry

    entry = add_lexicon_entry(term="网络赌博", category=LexiconCategory.GAMBLING)
    update_lexicon_entry(entry=entry, is_active=False)
    letter, _code = submit(draft=letter_draft(content="网络赌博"))
    assert letter.status == LetterStatus.AWAITING_DISPATCH


# --- Routing ------------------------------------------------------------------------------


def rule(cluster, *, target, **values):
    return actions.save_routing_rule(actor=cluster.user("city", D), target_body=target,
                                     name=values.pop("name", "规则"), **values)


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_letter_to_a_body_without_a_rule_goes_to_that_body_with_its_deadline(cluster):
    letter, _code = submit(draft=letter_draft(addressed_body=cluster.education))
    assert letter.status == LetterStatus.IN_PROGRESS
    assert letter.assigned_body == cluster.education
    assert letter.assigned_on == date(2026, 3, 2)
    assert letter.reply_working_days == 5
    assert letter.extension_working_days == 0
    assert letter.due_on == date(2026, 3, 9)
    event = letter.events.get(kind=LetterEventKind.ROUTED)
    assert event.to_body == cluster.education and event.visible_to_writer


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_work_order_received_earlier_keeps_its_clock_from_the_day_it_was_received(cluster):
    received = timezone.make_aware(datetime(2026, 2, 13, 10, 0))  # Friday before 春节
    letter, _code = submit(draft=letter_draft(addressed_body=cluster.education),
                           submitted_at=received)
    assert letter.received_on == date(2026, 2, 13)
    assert letter.assigned_on == date(2026, 2, 13)
    # 5 working days: Saturday 2.14 is worked (调休), 2.15-2.23 is the Spring Festival holiday.
    assert letter.due_on == date(2026, 2, 27)
    assert letter.events.get(kind=LetterEventKind.ROUTED).occurred_at == received


def test_not_sure_without_a_rule_waits_for_dispatch(cluster):
    letter, _code = submit(draft=letter_draft(addressed_body=None))
    assert letter.status == LetterStatus.AWAITING_DISPATCH
    assert letter.assigned_body is None and letter.due_on is None
    assert not letter.events.filter(kind=LetterEventKind.ROUTED).exists()


def test_keyword_rule_routes_a_not_sure_letter_ignoring_case(cluster):
    rule(cluster, target=cluster.health, keywords="医院\nCOVID")
    letter, _code = submit(draft=letter_draft(title="关于covid疫苗", content="接种点在哪里"))
    assert letter.assigned_body == cluster.health
    assert "规则" in letter.events.get(kind=LetterEventKind.ROUTED).internal_note


def test_rules_are_tried_by_priority(cluster):
    rule(cluster, target=cluster.health, keywords="学校", priority=20, name="后")
    rule(cluster, target=cluster.district, keywords="学校", priority=10, name="先")
    letter, _code = submit(draft=letter_draft(title="学校门口", content="拥堵"))
    assert letter.assigned_body == cluster.district


def test_rule_conditions_on_kind_and_addressed_body_must_all_hold(cluster):
    tousu = LetterKind.objects.get(code="tousu")
    rule(cluster, target=cluster.district, kind=tousu, addressed_body=cluster.education)
    matching, _ = submit(draft=letter_draft(kind_code="tousu", addressed_body=cluster.education))
    other_kind, _ = submit(draft=letter_draft(kind_code="zixun",
                                              addressed_body=cluster.education))
    other_body, _ = submit(draft=letter_draft(kind_code="tousu", addressed_body=cluster.health))
    assert matching.assigned_body == cluster.district
    assert other_kind.assigned_body == cluster.education
    assert other_body.assigned_body == cluster.health


def test_inactive_rules_are_ignored(cluster):
    rule(cluster, target=cluster.health, keywords="学校", is_active=False)
    letter, _code = submit(draft=letter_draft(title="学校", addressed_body=None))
    assert letter.status == LetterStatus.AWAITING_DISPATCH


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_body_time_limit_overrides_the_kind_limit(cluster):
    ReplyTimeLimit.objects.create(body=cluster.education,
                                  kind=LetterKind.objects.get(code="zixun"),
                                  reply_working_days=3)
    letter, _code = submit(draft=letter_draft(addressed_body=cluster.education))
    assert letter.reply_working_days == 3
    assert letter.due_on == date(2026, 3, 5)


def test_route_letter_refuses_a_letter_already_assigned(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation):
        actions.route_letter(letter=letter)


# --- Dispatch -------------------------------------------------------------------------------


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_dispatcher_assigns_a_waiting_letter_and_the_clock_starts(cluster, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    handler = cluster.user("health", H)
    letter = make_letter(cluster=cluster)
    with django_capture_on_commit_callbacks(execute=True):
        letter = actions.dispatch_letter(letter=letter, actor=cluster.user("city", D),
                                         body=cluster.health, note="卫生类")
    assert letter.status == LetterStatus.IN_PROGRESS
    assert (letter.assigned_body, letter.assigned_on, letter.due_on) == (
        cluster.health, date(2026, 3, 2), date(2026, 3, 9))
    event = letter.events.get(kind=LetterEventKind.DISPATCHED)
    assert event.to_body == cluster.health and event.internal_note == "卫生类"
    assert AuditEvent.objects.filter(action="mailbox.letter.dispatched").exists()
    assert any(handler.email in m.to for m in mailoutbox)


def test_dispatch_of_a_not_sure_letter_is_only_for_top_dispatchers(cluster):
    letter = make_letter(cluster=cluster)
    for outsider in (cluster.user("education", D), cluster.user("city", H),
                     cluster.user("city", S), cluster.user("city", R)):
        with pytest.raises(PermissionDenied):
            actions.dispatch_letter(letter=letter, actor=outsider, body=cluster.education)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.AWAITING_DISPATCH


def test_dispatcher_of_a_body_dispatches_letters_returned_by_it(cluster):
    letter = make_letter(cluster=cluster, addressed_body=cluster.district)
    letter = actions.return_letter(letter=letter, actor=cluster.user("dongcheng", H),
                                   reason="不属于本区职责")
    with pytest.raises(PermissionDenied):
        actions.dispatch_letter(letter=letter, actor=cluster.user("education", D),
                                body=cluster.education)
    letter = actions.dispatch_letter(letter=letter, actor=cluster.user("dongcheng", D),
                                     body=cluster.district)
    assert letter.assigned_body == cluster.district


def test_dispatch_target_must_be_within_the_dispatchers_bodies(cluster):
    letter = make_letter(cluster=cluster, addressed_body=cluster.district)
    letter = actions.return_letter(letter=letter, actor=cluster.user("dongcheng", H),
                                   reason="不属于本区职责")
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.dispatch_letter(letter=letter, actor=cluster.user("dongcheng", D),
                                body=cluster.health)
    assert "body" in errors_of(caught.value)


def test_dispatch_refuses_a_letter_that_is_not_waiting(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation):
        actions.dispatch_letter(letter=letter, actor=cluster.user("city", D),
                                body=cluster.health)


# --- Forwarding (转办) ---------------------------------------------------------------------


def test_forward_restarts_the_clock_for_the_new_body(cluster):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education)
        assert letter.due_on == date(2026, 3, 9)
    with time_machine.travel("2026-03-05 09:00 +0800", tick=False):
        letter = actions.forward_letter(letter=letter, actor=cluster.user("city", D),
                                        body=cluster.health, reason="属于卫健委职责")
    assert letter.assigned_body == cluster.health
    assert letter.assigned_on == date(2026, 3, 5)
    assert letter.due_on == date(2026, 3, 12)
    event = letter.events.get(kind=LetterEventKind.FORWARDED)
    assert (event.from_body, event.to_body) == (cluster.education, cluster.health)
    assert event.internal_note == "属于卫健委职责" and event.visible_to_writer
    assert "属于卫健委职责" not in event.public_note


def test_forward_needs_a_reason_of_four_characters(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.forward_letter(letter=letter, actor=cluster.user("city", D),
                               body=cluster.health, reason=" 转办 ")
    assert "reason" in errors_of(caught.value)


def test_forward_to_the_current_body_is_refused(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.forward_letter(letter=letter, actor=cluster.user("city", D),
                               body=cluster.education, reason="重新交办一次")
    assert "body" in errors_of(caught.value)


def test_forward_refuses_pending_extension_requests(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    request = actions.request_extension(letter=letter, actor=cluster.user("education", H),
                                        working_days=5, reason="需要现场核实")
    actions.forward_letter(letter=letter, actor=cluster.user("city", D), body=cluster.health,
                           reason="属于卫健委职责")
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REFUSED
    assert request.decision_note


def test_staff_outside_the_scope_may_not_forward(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    for outsider in (cluster.user("health", D), cluster.user("education", H),
                     cluster.user("city", S)):
        with pytest.raises(PermissionDenied):
            actions.forward_letter(letter=letter, actor=outsider, body=cluster.health,
                                   reason="属于卫健委职责")


# --- Returning (退单) ----------------------------------------------------------------------


def test_assigned_body_returns_a_wrongly_dispatched_letter(cluster, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with django_capture_on_commit_callbacks(execute=True):
        letter = actions.return_letter(letter=letter, actor=cluster.user("education", R),
                                       reason="不属于教育局职责")
    assert letter.status == LetterStatus.AWAITING_DISPATCH
    assert letter.assigned_body is None and letter.due_on is None and letter.assigned_on is None
    event = letter.events.get(kind=LetterEventKind.RETURNED)
    assert event.from_body == cluster.education and event.internal_note == "不属于教育局职责"
    assert not event.visible_to_writer
    assert any(cluster.user("city", D).email in m.to for m in mailoutbox)


def test_only_the_assigned_bodys_handler_or_reviewer_may_return(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    for outsider in (cluster.user("health", H), cluster.user("city", D),
                     cluster.user("education", D), cluster.user("city", S)):
        with pytest.raises(PermissionDenied):
            actions.return_letter(letter=letter, actor=outsider, reason="不属于本单位职责")
    actions.return_letter(letter=letter, actor=cluster.user("education", H),
                          reason="不属于本单位职责")


def test_return_needs_a_reason(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.return_letter(letter=letter, actor=cluster.user("education", H), reason="")
    assert "reason" in errors_of(caught.value)


# --- Merging (合并) ------------------------------------------------------------------------


def test_duplicate_is_merged_into_an_open_letter(cluster):
    into = make_letter(cluster=cluster, assign_to=cluster.education)
    duplicate = make_letter(cluster=cluster, assign_to=cluster.education)
    merged = actions.merge_letters(duplicate=duplicate, into=into,
                                   actor=cluster.user("city", D), reason="反映同一事项")
    assert merged.status == LetterStatus.MERGED and merged.merged_into == into
    assert list(into.merged_letters.all()) == [merged]
    public = merged.events.get(kind=LetterEventKind.MERGED)
    assert public.visible_to_writer and into.number not in public.public_note
    assert not into.events.get(kind=LetterEventKind.MERGED).visible_to_writer


def test_merge_resolves_chains_to_the_root(cluster):
    root = make_letter(cluster=cluster, assign_to=cluster.education)
    middle = make_letter(cluster=cluster, assign_to=cluster.education)
    follower = make_letter(cluster=cluster, assign_to=cluster.education)
    late = make_letter(cluster=cluster, assign_to=cluster.education)
    dispatcher = cluster.user("city", D)
    actions.merge_letters(duplicate=follower, into=middle, actor=dispatcher, reason="同一事项")
    actions.merge_letters(duplicate=middle, into=root, actor=dispatcher, reason="同一事项")
    assert Letter.objects.get(pk=follower.pk).merged_into_id == root.pk
    with pytest.raises(MailboxRuleViolation):  # into a merged letter that is its own root
        actions.merge_letters(duplicate=root, into=follower, actor=dispatcher, reason="同一事项")
    merged = actions.merge_letters(duplicate=late, into=middle, actor=dispatcher,
                                   reason="同一事项")
    assert merged.merged_into_id == root.pk


def test_merge_refuses_the_same_letter_and_closed_letters(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    dispatcher = cluster.user("city", D)
    with pytest.raises(MailboxRuleViolation):
        actions.merge_letters(duplicate=letter, into=letter, actor=dispatcher, reason="同一事项")
    add_lexicon_entry(term="网络赌博", category=LexiconCategory.GAMBLING)
    refused = make_letter(cluster=cluster, content="网络赌博")
    actions.refuse_letter(letter=refused, actor=dispatcher, reason="内容违法违规")
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.merge_letters(duplicate=letter, into=refused, actor=dispatcher, reason="同一事项")
    assert "into" in errors_of(caught.value)
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.merge_letters(duplicate=refused, into=letter, actor=dispatcher, reason="同一事项")
    assert "duplicate" in errors_of(caught.value)


def test_merge_needs_a_reason(cluster):
    first = make_letter(cluster=cluster, assign_to=cluster.education)
    second = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation):
        actions.merge_letters(duplicate=second, into=first, actor=cluster.user("city", D),
                              reason="")


def test_dispatcher_outside_either_letters_scope_may_not_merge(cluster):
    first = make_letter(cluster=cluster, assign_to=cluster.education)
    second = make_letter(cluster=cluster, assign_to=cluster.health)
    for outsider in (cluster.user("education", D), cluster.user("education", H),
                     cluster.user("city", S)):
        with pytest.raises(PermissionDenied):
            actions.merge_letters(duplicate=second, into=first, actor=outsider,
                                  reason="同一事项")


def test_merged_duplicate_gets_the_reply_of_the_letter_it_joined(cluster):
    from .factories import answer_letter

    into = make_letter(cluster=cluster, assign_to=cluster.education)
    duplicate = make_letter(cluster=cluster, assign_to=cluster.education)
    actions.merge_letters(duplicate=duplicate, into=into, actor=cluster.user("city", D),
                          reason="同一事项")
    answered = answer_letter(into, cluster)
    assert answered.status == LetterStatus.ANSWERED
    duplicate.refresh_from_db()
    assert duplicate.status == LetterStatus.MERGED
    assert duplicate.events.filter(kind=LetterEventKind.ANSWERED).exists()


# --- Moderation -----------------------------------------------------------------------------


@pytest.fixture
def held(cluster):
    add_lexicon_entry(term="网络赌博", category=LexiconCategory.GAMBLING)
    return make_letter(cluster=cluster, addressed_body=cluster.education,
                       content="有人在学校附近组织网络赌博")


def test_released_letter_is_routed(cluster, held):
    letter = actions.release_held_letter(letter=held, actor=cluster.user("education", D))
    assert letter.status == LetterStatus.IN_PROGRESS
    assert letter.assigned_body == cluster.education
    kinds = list(letter.events.values_list("kind", flat=True))
    assert kinds == [LetterEventKind.SUBMITTED, LetterEventKind.HELD, LetterEventKind.RELEASED,
                     LetterEventKind.ROUTED]


def test_refused_letter_tells_the_writer_why(cluster, held, mailoutbox,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = actions.refuse_letter(letter=held, actor=cluster.user("city", D),
                                       reason="内容涉及违法信息")
    assert letter.status == LetterStatus.REFUSED
    event = letter.events.get(kind=LetterEventKind.REFUSED)
    assert event.visible_to_writer and "内容涉及违法信息" in event.public_note
    assert any("内容涉及违法信息" in m.body for m in mailoutbox
               if m.to == ["wang.xiaoming@example.com"])


def test_refusal_needs_a_reason(cluster, held):
    with pytest.raises(MailboxRuleViolation):
        actions.refuse_letter(letter=held, actor=cluster.user("city", D), reason="不行")


def test_only_dispatchers_in_scope_moderate_held_letters(cluster, held):
    for outsider in (cluster.user("health", D), cluster.user("education", H),
                     cluster.user("education", R), cluster.user("city", S)):
        with pytest.raises(PermissionDenied):
            actions.release_held_letter(letter=held, actor=outsider)
        with pytest.raises(PermissionDenied):
            actions.refuse_letter(letter=held, actor=outsider, reason="内容违法违规")


def test_release_refuses_a_letter_that_is_not_held(cluster):
    letter = make_letter(cluster=cluster)
    with pytest.raises(MailboxRuleViolation):
        actions.release_held_letter(letter=letter, actor=cluster.user("city", D))


# --- Writer details -------------------------------------------------------------------------


def test_viewing_writer_details_is_audited(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education, writer_name="陈静")
    details = actions.record_writer_details_viewed(letter=letter,
                                                   actor=cluster.user("education", H))
    assert details.name == "陈静"
    event = AuditEvent.objects.get(action="mailbox.writer.viewed")
    assert event.actor == cluster.user("education", H)
    assert "陈静" not in str(event.data)


def test_staff_without_the_permission_or_the_scope_may_not_see_writer_details(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    for outsider in (cluster.user("health", H), cluster.user("city", S),
                     cluster.user("health", D), cluster.user("education", Role.EDITOR)):
        with pytest.raises(PermissionDenied):
            actions.record_writer_details_viewed(letter=letter, actor=outsider)
    assert not AuditEvent.objects.filter(action="mailbox.writer.viewed").exists()
    assert actions.record_writer_details_viewed(letter=letter, actor=cluster.user("city", D))



def test_unknown_channel_is_refused(cluster):
    assert "channel" in refused_fields(channel="carrier-pigeon")
