"""Handling an application: receipt, 补正, consultation, extension, fees, answer, transfer."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.core.models import AuditEvent
from chuangkou.disclosure import actions
from chuangkou.disclosure.choices import (
    ApplicantKind,
    ApplicationEventKind,
    ApplicationStatus,
    ResponseKind,
)
from chuangkou.disclosure.exceptions import DisclosureRuleViolation
from chuangkou.disclosure.models import ApplicationResponse, DisclosureApplication
from chuangkou.disclosure.queries import find_application, response_letter_draft
from chuangkou.organizations.choices import Role

from .factories_applications import (
    applicant_input,
    information_request,
    make_application,
    make_online_application,
)

OFFICER = Role.DISCLOSURE_OFFICER
HEAD = Role.DISCLOSURE_OFFICE_HEAD


def reload(application):
    return DisclosureApplication.objects.get(pk=application.pk)


@time_machine.travel("2026-02-10 10:00 +0800", tick=False)
def test_online_application_gets_a_number_and_a_code_and_waits_for_confirmation(cluster):
    application, code = make_online_application(cluster)
    assert application.number == "YSQ2026-EDUCATION-00001"
    assert len(code) == 8 and set(code) <= set(actions.applications.QUERY_CODE_ALPHABET)
    assert code not in application.query_code_hash
    assert application.status == ApplicationStatus.AWAITING_CONFIRMATION
    assert application.due_on is None
    assert find_application(application.number, code) == application
    assert find_application(application.number, "AAAAAAAA") is None


@time_machine.travel("2026-02-10 10:00 +0800", tick=False)
def test_confirming_receipt_starts_the_20_working_days_across_spring_festival(cluster):
    application, _code = make_online_application(cluster)
    confirmed = actions.confirm_application_receipt(
        application=application, actor=cluster.user("education", OFFICER))
    assert confirmed.received_on == date(2026, 2, 10)
    assert confirmed.due_on == date(2026, 3, 16)
    assert confirmed.status == ApplicationStatus.PROCESSING


@time_machine.travel("2026-02-10 10:00 +0800", tick=False)
def test_each_body_numbers_its_applications_in_its_own_series(cluster):
    first = make_application(cluster, received_on=date(2026, 2, 10))
    second = make_application(cluster, received_on=date(2026, 2, 10))
    other = make_application(cluster, body_slug="health", received_on=date(2026, 2, 10))
    assert [first.number, second.number, other.number] == [
        "YSQ2026-EDUCATION-00001", "YSQ2026-EDUCATION-00002", "YSQ2026-HEALTH-00001"]


@time_machine.travel("2026-02-10 10:00 +0800", tick=False)
def test_staff_cannot_enter_a_receipt_date_in_the_future(cluster):
    with pytest.raises(DisclosureRuleViolation) as refused:
        make_application(cluster, received_on=date(2026, 2, 11))
    assert "received_on" in refused.value.errors


@time_machine.travel("2026-02-10 10:00 +0800", tick=False)
def test_a_legal_person_without_organisation_kind_is_refused(cluster):
    with pytest.raises(DisclosureRuleViolation) as refused:
        make_application(cluster, received_on=date(2026, 2, 10),
                         applicant_kind=ApplicantKind.LEGAL_PERSON)
    assert "organisation_kind" in refused.value.errors


def test_staff_of_another_body_cannot_act_on_an_application(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        with pytest.raises(PermissionDenied):
            actions.request_correction(application=application,
                                       actor=cluster.user("health", OFFICER), notice="补正")


def test_correction_restarts_the_clock_from_the_corrected_application(cluster):
    officer = cluster.user("education", OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        application = actions.request_correction(
            application=application, actor=officer, notice="请写明所需信息的年份和文件名称。")
    assert application.status == ApplicationStatus.AWAITING_CORRECTION
    assert application.correction_due_on == date(2026, 3, 26)
    assert application.due_on is None
    with time_machine.travel("2026-03-12 10:00 +0800", tick=False):
        application = actions.receive_correction(application=application, actor=officer,
                                                 received_on=date(2026, 3, 12))
    assert application.clock_started_on == date(2026, 3, 12)
    assert application.due_on == date(2026, 4, 10)  # 20 working days from 12 March, 清明 skipped
    with time_machine.travel("2026-03-13 10:00 +0800", tick=False), \
            pytest.raises(DisclosureRuleViolation) as refused:
        actions.request_correction(application=application, actor=officer, notice="再次补正")
    assert "一次" in refused.value.errors["notice"][0]


def test_correction_is_refused_after_7_working_days_from_receipt(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
    with time_machine.travel("2026-03-12 10:00 +0800", tick=False), \
            pytest.raises(DisclosureRuleViolation) as refused:
        actions.request_correction(application=application,
                                   actor=cluster.user("education", OFFICER), notice="请补正")
    assert "第三十条" in refused.value.errors["notice"][0]


def test_consultation_days_are_not_counted_in_the_reply_period(cluster):
    officer = cluster.user("education", OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
    assert application.due_on == date(2026, 3, 30)
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        application = actions.start_consultation(application=application, actor=officer,
                                                 third_party="示例市某某教育科技有限公司")
    assert application.status == ApplicationStatus.CONSULTING
    with time_machine.travel("2026-03-16 10:00 +0800", tick=False):
        application = actions.end_consultation(application=application, actor=officer)
    assert application.paused_working_days == 5
    assert application.due_on == date(2026, 4, 7)


def test_extension_is_approved_once_only_by_the_office_head_and_the_applicant_is_told(
        cluster, mailoutbox):
    officer, head = cluster.user("education", OFFICER), cluster.user("education", HEAD)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        actions.request_extension(application=application, actor=officer, working_days=20,
                                  reason="涉及多个科室档案，需要进一步检索。")
        with pytest.raises(PermissionDenied):
            actions.decide_extension(application=application, actor=officer, approve=True)
        with pytest.raises(PermissionDenied):
            actions.decide_extension(application=application,
                                     actor=cluster.user("health", HEAD), approve=True)
        with pytest.raises(DisclosureRuleViolation):  # a second request while one is pending
            actions.request_extension(application=application, actor=officer, working_days=5,
                                      reason="再次")
        application = actions.decide_extension(application=application, actor=head,
                                               approve=True, note="需要调取历年档案")
    assert application.extension_working_days == 20
    assert application.due_on == date(2026, 4, 28)
    told = application.events.get(kind=ApplicationEventKind.EXTENSION_APPROVED)
    assert told.visible_to_applicant and "2026-04-28" in told.public_note
    with time_machine.travel("2026-03-23 10:00 +0800", tick=False), \
            pytest.raises(DisclosureRuleViolation) as refused:
        actions.request_extension(application=application, actor=officer, working_days=5,
                                  reason="再延")
    assert "一次" in refused.value.errors["working_days"][0]


def test_the_office_head_cannot_approve_their_own_extension_request(cluster):
    head = cluster.user("education", HEAD)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        actions.request_extension(application=application, actor=head, working_days=10,
                                  reason="需要检索")
        with pytest.raises(DisclosureRuleViolation):
            actions.decide_extension(application=application, actor=head, approve=True)


@pytest.mark.parametrize(("count", "fee"), [(11, Decimal(100)), (31, Decimal(200)),
                                            (41, Decimal(300))])
def test_fee_for_the_nth_application_of_one_applicant_in_one_month(cluster, count, fee):
    officer = cluster.user("education", OFFICER)
    same_person = applicant_input(number="330102198503120017")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        applications = [make_application(cluster, received_on=date(2026, 3, 2),
                                         applicant=same_person) for _ in range(count)]
        with pytest.raises(DisclosureRuleViolation):  # the 10th is free
            actions.issue_fee_notice(application=applications[9], actor=officer)
        charged = actions.issue_fee_notice(application=applications[-1], actor=officer)
    assert charged.fee_amount == fee
    assert charged.status == ApplicationStatus.AWAITING_FEE
    assert charged.fee_due_on == date(2026, 3, 30)


def test_payment_time_is_not_counted_in_the_reply_period(cluster):
    officer = cluster.user("education", OFFICER)
    same_person = applicant_input(number="330102198503120017")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        applications = [make_application(cluster, received_on=date(2026, 3, 2),
                                         applicant=same_person) for _ in range(11)]
        application = actions.issue_fee_notice(application=applications[-1], actor=officer)
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        application = actions.record_fee_payment(application=application, actor=officer,
                                                 paid_on=date(2026, 3, 9))
    assert application.paused_working_days == 5
    assert application.due_on == date(2026, 4, 7)


def test_answering_creates_one_response_on_the_closing_day_with_the_letter_and_attachments(
        cluster, mailoutbox):
    officer = cluster.user("education", OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        letter = response_letter_draft(application, kind=ResponseKind.DISCLOSED)
        response = actions.answer_application(
            application=application, actor=officer, kind=ResponseKind.DISCLOSED,
            letter_text=letter,
            attachments=[SimpleUploadedFile("招生计划.pdf", b"%PDF-1.7 test")])
    assert "行政复议" in letter and "六个月" in letter and application.number in letter
    application = reload(application)
    assert application.status == ApplicationStatus.ANSWERED
    assert response.responded_on == application.closed_on == date(2026, 3, 2)
    assert response.attachments.count() == 1
    assert response.attachments.get().file.storage.location.endswith("private")


def test_an_attachment_whose_bytes_do_not_match_its_extension_is_refused(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        with pytest.raises(DisclosureRuleViolation) as refused:
            actions.answer_application(
                application=application, actor=cluster.user("education", OFFICER),
                kind=ResponseKind.DISCLOSED, letter_text="答复",
                attachments=[SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")])
    assert "attachments" in refused.value.errors
    assert not ApplicationResponse.objects.exists()


def test_the_closing_kinds_cannot_be_chosen_by_hand(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        with pytest.raises(DisclosureRuleViolation):
            actions.answer_application(application=application,
                                       actor=cluster.user("education", OFFICER),
                                       kind=ResponseKind.OTHER_UNPAID_FEE, letter_text="x")


def test_transfer_answers_not_held_and_registers_the_application_at_the_right_body(cluster):
    officer = cluster.user("education", OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        original, code = make_online_application(cluster)
        actions.confirm_application_receipt(application=original, actor=officer)
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        new = actions.transfer_application(application=original, actor=officer,
                                           target_body=cluster.health, note="属卫健委职责")
    original = reload(original)
    assert original.status == ApplicationStatus.TRANSFERRED
    assert original.response.kind == ResponseKind.NOT_HELD
    assert original.response.responded_on == original.closed_on == date(2026, 3, 4)
    assert cluster.health.name in original.response.letter_text
    assert new.number == "YSQ2026-HEALTH-00001" and new.transferred_from == original
    assert new.received_on == date(2026, 3, 4) and new.status == ApplicationStatus.PROCESSING
    assert new.applicant.name == original.applicant.name
    assert new.events.filter(kind=ApplicationEventKind.TRANSFERRED_IN).exists()
    assert list(original.events.values_list("kind", flat=True)) == [
        ApplicationEventKind.SUBMITTED, ApplicationEventKind.RECEIPT_CONFIRMED,
        ApplicationEventKind.TRANSFERRED]
    assert find_application(original.number, code) == original


def test_viewing_the_applicant_details_writes_an_audit_event(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
    actions.record_applicant_details_viewed(application=application,
                                            actor=cluster.user("education", OFFICER))
    assert AuditEvent.objects.filter(action="disclosure.applicant.viewed",
                                     target_id=str(application.pk)).count() == 1


def test_the_applicant_key_does_not_hold_the_document_number_in_clear(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(
            cluster, received_on=date(2026, 3, 2),
            applicant=applicant_input(number="330102198503120017"))
    assert "330102198503120017" not in application.applicant_key
    assert len(application.applicant_key) == 64


def test_information_request_factory_is_complete():
    assert information_request().information_description
