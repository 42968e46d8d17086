"""依申请公开 tells applicants and staff through the notifications interface (外网反馈): a
citizen who applied while signed in through their account, anyone else at the e-mail address
on the application, staff by e-mail one address at a time; each applicant notice once, and
nothing before the application's transaction commits."""

from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.disclosure import actions
from chuangkou.disclosure.choices import ResponseKind
from chuangkou.disclosure.models import DisclosureApplication
from chuangkou.notifications import sms
from chuangkou.notifications.kinds import all_kinds
from chuangkou.notifications.models import Delivery, SiteMessage
from chuangkou.notifications.rendering import render_message
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import make_staff

from .factories_applications import (
    applicant_input,
    information_request,
    make_application,
    make_online_application,
)

OFFICER, HEAD = Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD
MONDAY = "2026-03-02 10:00 +0800"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_every_disclosure_kind_renders_on_each_of_its_channels():
    context = {"number": "YSQ2026-EDUCATION-00001", "body": "示例市教育局", "signed_in": True,
               "online": True, "received_on": "2026-03-02", "due_on": "2026-03-30",
               "notice": "请写明文号。", "correction_due_on": "2026-03-23", "amount": "100.00",
               "fee_due_on": "2026-03-23", "kind": "予以公开", "target_body": "示例市卫生健康委员会",
               "new_number": "YSQ2026-HEALTH-00001", "reason": "逾期未补正。", "url": "/zwgk/"}
    kinds = [kind for kind in all_kinds() if kind.code.startswith("disclosure.")]
    assert len(kinds) == 10
    for kind in kinds:
        for channel in kind.channels:
            subject, body = render_message(kind, channel, context)
            assert "{{" not in subject + body and "{%" not in subject + body, kind.code
            assert "YSQ2026-EDUCATION-00001" in subject + body, kind.code


def test_an_applicant_without_an_account_is_told_at_the_address_on_the_application(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application, code = make_online_application(
            cluster, applicant=applicant_input(email="zhou.min@example.com"))
    (registered,) = mailoutbox
    assert registered.to == ["zhou.min@example.com"]
    assert application.number in registered.subject and code not in registered.body
    assert "查询码" in registered.body and not SiteMessage.objects.exists()


def test_a_signed_in_citizen_is_told_through_their_account(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    citizen = make_citizen(email="li.na@example.cn")
    with time_machine.travel(MONDAY, tick=False):
        application, _code = make_online_application(
            cluster, user=citizen.user, applicant=applicant_input(email="typed@example.com"))
        with django_capture_on_commit_callbacks(execute=True):
            actions.confirm_application_receipt(application=application,
                                                actor=cluster.user("education", OFFICER))
    message = SiteMessage.objects.get(user=citizen.user)
    assert "2026-03-30" in message.body
    assert message.url == reverse("disclosure:my_application", args=[application.number])
    assert [m.to for m in mailoutbox] == [["li.na@example.cn"]]


def test_correction_fee_and_answer_each_reach_the_applicant_once(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    officer = cluster.user("education", OFFICER)
    with time_machine.travel(MONDAY, tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        with django_capture_on_commit_callbacks(execute=True):
            actions.request_correction(application=application, actor=officer,
                                       notice="请写明所需信息的文号。")
            actions.receive_correction(application=application, actor=officer,
                                       received_on=date(2026, 3, 2))
            actions.answer_application(application=application, actor=officer,
                                       kind=ResponseKind.DISCLOSED, letter_text="予以公开。")
    subjects = [m.subject for m in mailoutbox if m.to == ["zhang@example.com"]]
    assert [subject.split("（")[0] for subject in subjects] == [
        "政府信息公开申请补正通知", "政府信息公开申请答复"]
    correction = next(m for m in mailoutbox if "补正" in m.subject)
    assert "请写明所需信息的文号。" in correction.body and "第三十条" in correction.body


def test_a_transfer_tells_the_applicant_the_new_body_and_number(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        with django_capture_on_commit_callbacks(execute=True):
            new = actions.transfer_application(application=application,
                                               actor=cluster.user("education", OFFICER),
                                               target_body=cluster.health)
    (told,) = [m for m in mailoutbox if "转交" in m.subject]
    assert cluster.health.name in told.body and new.number in told.body


def test_a_rolled_back_application_sends_nothing(cluster, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        actions.submit_online_application(body=cluster.education, applicant=applicant_input(),
                                          request=information_request(), form_token="rollback")
        raise RuntimeError("the request failed after the application was saved")
    assert not DisclosureApplication.objects.exists() and not Delivery.objects.exists()
    assert mailoutbox == []


def test_overdue_reminders_go_to_each_office_head_on_their_own(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    heads = [cluster.user("education", HEAD),
             make_staff(body=cluster.education, role=HEAD, username="education-head-2")]
    with time_machine.travel(MONDAY, tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
    with (time_machine.travel("2026-04-01 06:30 +0800", tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        actions.process_disclosure_deadlines(today=date(2026, 4, 1))
    overdue = [m for m in mailoutbox if "已超期" in m.subject]
    assert sorted(m.to for m in overdue) == sorted([head.email] for head in heads)
    assert application.number in overdue[0].subject
    assert not Delivery.objects.filter(kind="disclosure.application_overdue",
                                       channel="site").exists()
