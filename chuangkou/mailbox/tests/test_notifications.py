"""The mailbox tells writers and staff through the notifications interface: a citizen who wrote
while signed in through their account (inbox, and their own addresses), anyone else at the
address given with the letter, staff by e-mail one address at a time; nothing leaves before the
letter's transaction commits, and a rolled-back submission sends nothing."""

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.mailbox import actions
from chuangkou.mailbox.models import Letter
from chuangkou.notifications import sms
from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import all_kinds
from chuangkou.notifications.models import Delivery, SiteMessage
from chuangkou.notifications.rendering import render_message
from chuangkou.organizations.choices import Role

from .factories import answer_letter, letter_draft, make_letter, next_token, writer_input

MONDAY = "2026-03-02 10:00 +0800"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def kinds_of(deliveries) -> list[str]:
    return [delivery.kind for delivery in deliveries]


def test_every_mailbox_kind_renders_on_each_of_its_channels():
    context = {"number": "XJ2026-000001", "title": "和平路路灯不亮", "signed_in": False,
               "body": "示例市教育局", "due_on": "2026-03-09", "reason": "内容不属实",
               "text": "已修复。", "reasons": "答复不完整", "days": 5, "left": 2, "note": "请加快",
               "response": "已办理", "level": "不满意", "approved": True, "url": "/hudong/"}
    kinds = [kind for kind in all_kinds() if kind.code.startswith("mailbox.")]
    assert len(kinds) == 17
    for kind in kinds:
        for channel in kind.channels:
            subject, body = render_message(kind, channel, context)
            assert "{{" not in subject + body and "{%" not in subject + body, kind.code
            assert "XJ2026-000001" in subject + body, kind.code


def test_an_anonymous_writer_is_told_at_the_address_they_gave(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter, code = actions.submit_letter(
            draft=letter_draft(), writer=writer_input(email="zhou.min@example.com"),
            form_token=next_token())
    (receipt,) = [message for message in mailoutbox if message.to == ["zhou.min@example.com"]]
    assert letter.number in receipt.subject and "查询码" in receipt.body
    assert code not in receipt.body
    assert not SiteMessage.objects.exists() and sms.outbox == []


def test_a_signed_in_citizen_is_told_through_their_account_not_the_typed_address(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    citizen = make_citizen(email="li.na@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        letter, _code = actions.submit_letter(
            draft=letter_draft(), writer=writer_input(email="typed@example.com"),
            form_token=next_token(), user=citizen.user)
    message = SiteMessage.objects.get(user=citizen.user)
    assert letter.number in message.subject and "我的来信" in message.body
    assert message.url == reverse("mailbox:letter", args=[letter.number])
    assert [m.to for m in mailoutbox if "已收到" in m.subject] == [["li.na@example.cn"]]


def test_a_rolled_back_submission_sends_nothing(cluster, mailoutbox,
                                                django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        actions.submit_letter(draft=letter_draft(), writer=writer_input(),
                              form_token=next_token())
        raise RuntimeError("the request failed after the letter was saved")
    assert not Letter.objects.exists() and not Delivery.objects.exists()
    assert mailoutbox == []


def test_forwarding_tells_the_writer_the_new_body_and_deadline(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    handler = cluster.user("health", Role.LETTER_HANDLER)
    with time_machine.travel(MONDAY, tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            actions.forward_letter(letter=letter, actor=cluster.user("city", Role.LETTER_DISPATCHER),
                                   body=cluster.health, reason="属卫生健康部门职责")
    (told,) = [m for m in mailoutbox if m.to == ["wang.xiaoming@example.com"]]
    assert cluster.health.name in told.body and "2026-03-09" in told.body
    handlers = [m.to for m in mailoutbox if "新交办来信" in m.subject]
    assert handlers == [[handler.email]]


def test_an_approved_extension_tells_the_writer_the_new_deadline(
        cluster, django_capture_on_commit_callbacks):
    citizen = make_citizen()
    with time_machine.travel(MONDAY, tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education, user=citizen.user)
        request = actions.request_extension(
            letter=letter, actor=cluster.user("education", Role.LETTER_HANDLER),
            working_days=5, reason="需要现场核查")
        with django_capture_on_commit_callbacks(execute=True):
            actions.decide_extension(request=request, approve=True,
                                     actor=cluster.user("education", Role.LETTER_REVIEWER))
    message = SiteMessage.objects.get(user=citizen.user, subject__contains="期限延长")
    assert "2026-03-16" in message.body


def test_merged_and_answered_letters_reach_each_writer_once(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        first = make_letter(cluster=cluster, assign_to=cluster.education,
                            email="first@example.com")
        second = make_letter(cluster=cluster, assign_to=cluster.education,
                             email="second@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            actions.merge_letters(duplicate=second, into=first, reason="反映同一事项",
                                  actor=cluster.user("city", Role.LETTER_DISPATCHER))
            answer_letter(first, cluster)
    to_second = [m.subject for m in mailoutbox if m.to == ["second@example.com"]]
    assert any("合并办理" in subject for subject in to_second)
    answered = sorted(m.to[0] for m in mailoutbox if "已答复" in m.subject)
    assert answered == ["first@example.com", "second@example.com"]
    assert Delivery.objects.filter(kind="mailbox.letter_answered",
                                   channel=Channel.EMAIL).count() == 2


def test_staff_are_told_one_address_at_a_time(cluster, mailoutbox,
                                              django_capture_on_commit_callbacks):
    dispatchers = {cluster.user(body, Role.LETTER_DISPATCHER).email
                   for body in ("city", "education")}
    with time_machine.travel(MONDAY, tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education)
        with django_capture_on_commit_callbacks(execute=True):
            actions.return_letter(letter=letter, reason="不属本单位职责",
                                  actor=cluster.user("education", Role.LETTER_HANDLER))
    returned = [m for m in mailoutbox if "退回待重新分办" in m.subject]
    assert all(len(message.to) == 1 for message in returned)
    assert {message.to[0] for message in returned} == dispatchers
    assert not Delivery.objects.filter(kind="mailbox.letter_returned",
                                       channel=Channel.SITE).exists()
