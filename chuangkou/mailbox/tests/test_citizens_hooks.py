"""What the mailbox gives citizen accounts: 我的来信 on 我的主页 (status, deadline, the rating to
give), the letters in the download of their data, anonymising on account closing, and the
pages that only the writing citizen reaches (another citizen's numbers and URLs give 404)."""

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chuangkou.accounts.homepage import (
    close_citizen_records,
    export_citizen_data,
    gather_homepage_sections,
)
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.core.models import AuditEvent
from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import LetterEventKind, LetterStatus
from chuangkou.mailbox.hooks.citizens import anonymise_letters, letters_export, letters_section
from chuangkou.mailbox.models import Letter, LetterEvent, LetterRating, WriterDetails
from chuangkou.organizations.choices import Role

from .factories import answer_letter, make_letter
from .public_helpers import clear_rate_limits

MONDAY = "2026-03-02 10:00 +0800"  # 咨询: 5 working days → due Monday 9 March
PDF = b"%PDF-1.7 demo"


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


def citizen_letter(cluster, citizen, *, answered=False, assign=True, **kwargs) -> Letter:
    with time_machine.travel(MONDAY, tick=False):
        letter = make_letter(cluster=cluster, user=citizen.user,
                             assign_to=cluster.education if assign else None, **kwargs)
        if answered:
            letter = answer_letter(letter, cluster)
    return letter


def fresh(user):
    """The user as a new request loads it (nothing cached on the instance)."""
    return get_user_model().objects.get(pk=user.pk)


def section_of(user):
    return next(section for section in gather_homepage_sections(user=user)
                if section.key == "mailbox.letters")


# --- 我的主页 ------------------------------------------------------------------------------------


def test_my_letters_show_status_reply_deadline_and_the_rating_to_give_first(cluster):
    citizen = make_citizen()
    running = citizen_letter(cluster, citizen, title="和平路路灯不亮")
    answered = citizen_letter(cluster, citizen, answered=True, title="学区划分咨询")
    section = section_of(citizen.user)
    assert section.title == "我的来信" and section.more_url == reverse("mailbox:mine")
    first, second = section.items
    assert first.number == answered.number and first.needs_action
    assert first.action_label == "请评价答复" and first.next_deadline is None
    assert first.url == reverse("mailbox:letter", args=[answered.number])
    assert second.number == running.number and not second.needs_action
    assert str(second.status) == "办理中" and str(second.deadline_label) == "答复期限"
    assert second.next_deadline.isoformat() == "2026-03-09"


def test_a_rated_letter_no_longer_asks_for_action(cluster):
    citizen = make_citizen()
    letter = citizen_letter(cluster, citizen, answered=True)
    actions.rate_letter(letter=letter, level=5)
    (item,) = section_of(citizen.user).items
    assert not item.needs_action and item.action_label == ""


def test_another_citizen_s_letters_and_letters_without_an_account_never_show(cluster):
    citizen, other = make_citizen(), make_citizen()
    citizen_letter(cluster, other, title="别人的来信")
    make_letter(cluster=cluster, title="未登录写的信")
    assert section_of(citizen.user).items == []
    assert str(section_of(citizen.user).empty_text).startswith("您还没有")


def test_staff_and_visitors_get_no_letters_section(cluster):
    assert letters_section(user=cluster.user("education", Role.LETTER_HANDLER)) == []
    assert letters_section(user=AnonymousUser()) == []


def test_the_section_costs_the_same_queries_for_one_letter_or_many(
        cluster, django_assert_num_queries):
    citizen = make_citizen()
    citizen_letter(cluster, citizen, answered=True)
    user = fresh(citizen.user)
    with django_assert_num_queries(2):  # the account, the letters with their ratings
        letters_section(user=user)
    for _ in range(4):
        citizen_letter(cluster, citizen, assign=False)
    citizen_letter(cluster, citizen, answered=True)
    user = fresh(citizen.user)
    with django_assert_num_queries(2):
        (section,) = letters_section(user=user)
    assert len(section.items) == 5


# --- Download of my data -------------------------------------------------------------------------


def test_export_holds_my_words_details_reply_and_visible_steps_but_no_staff_notes(cluster):
    citizen = make_citizen()
    letter = citizen_letter(cluster, citizen, answered=True, writer_name="李红",
                            email="li.hong@example.com")
    actions.rate_letter(letter=letter, level=4, comment="答复及时")
    LetterEvent.objects.create(letter=letter, kind=LetterEventKind.URGED,
                               occurred_at=letter.submitted_at, visible_to_writer=False,
                               internal_note="内部督办意见：请加快办理")
    citizen_letter(cluster, make_citizen(), title="别人的来信")
    (exported,) = export_citizen_data(user=citizen.user)["来信"]
    assert exported["信件编号"] == letter.number and exported["标题"] == letter.title
    assert exported["内容"] == letter.content
    assert exported["写信人信息"]["姓名"] == "李红"
    assert exported["写信人信息"]["电子邮箱"] == "li.hong@example.com"
    assert exported["答复"][0]["答复单位"] == cluster.education.name
    assert "临时停车点" in exported["答复"][0]["答复内容"]
    assert exported["评价"]["评价意见"] == "答复及时"
    assert "答复" in [step["事项"] for step in exported["办理过程"]]
    assert "内部督办意见" not in str(exported)


def test_export_reads_a_constant_number_of_queries(cluster, django_assert_max_num_queries):
    citizen = make_citizen()
    for _ in range(3):
        citizen_letter(cluster, citizen, answered=True)
    with django_assert_max_num_queries(5):
        data = letters_export(user=citizen.user)
    assert len(data["来信"]) == 3


# --- Closing the account -------------------------------------------------------------------------


def test_closing_removes_the_writer_s_details_and_keeps_the_letter_reply_and_publication(
        cluster, django_capture_on_commit_callbacks):
    citizen = make_citizen()
    letter = citizen_letter(cluster, citizen, answered=True, writer_name="王建国",
                            phone="13905710123", email="wang@example.com",
                            address="示例市东城区解放路88号")
    actions.publish_letter(letter=letter,
                           actor=cluster.user("education", Role.LETTER_REVIEWER))
    untouched = citizen_letter(cluster, make_citizen(), writer_name="赵丽")
    assert close_citizen_records(user=citizen.user) >= 1  # every app's closer runs

    letter = Letter.objects.select_related("writer").get(pk=letter.pk)
    assert letter.user is None and letter.status == LetterStatus.ANSWERED
    assert letter.is_published and letter.published_reply
    assert (letter.writer.name, letter.writer.phone, letter.writer.email,
            letter.writer.address) == ("已注销用户", "", "", "")
    assert letter.replies.filter(status="approved").exists()
    assert letter.events.filter(kind=LetterEventKind.ANSWERED).exists()
    assert not letter.events.filter(actor=citizen.user).exists()
    assert WriterDetails.objects.get(letter=untouched).name == "赵丽"
    assert AuditEvent.objects.filter(action="mailbox.writer.anonymised",
                                     target_id=str(letter.pk)).exists()
    assert anonymise_letters(user=citizen.user) == 0  # nothing left to anonymise


# --- Only the writing citizen reaches their letters -------------------------------------------


def test_my_letters_page_sends_visitors_to_sign_in_and_refuses_staff(client, cluster):
    response = client.get(reverse("mailbox:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    client.force_login(cluster.user("education", Role.LETTER_HANDLER))
    assert client.get(reverse("mailbox:mine")).status_code == 403


def test_my_letters_page_lists_only_my_letters(client, cluster):
    citizen, other = make_citizen(), make_citizen()
    mine = citizen_letter(cluster, citizen, title="我写的来信")
    theirs = citizen_letter(cluster, other, title="别人写的来信")
    client.force_login(citizen.user)
    page = client.get(reverse("mailbox:mine")).content.decode()
    assert mine.number in page and "我写的来信" in page
    assert theirs.number not in page and "别人写的来信" not in page


def test_another_citizen_trying_my_numbers_and_urls_gets_404(client, cluster):
    citizen, other = make_citizen(), make_citizen()
    with time_machine.travel(MONDAY, tick=False):
        letter = make_letter(cluster=cluster, user=citizen.user, assign_to=cluster.education,
                             attachments=[SimpleUploadedFile("现场.pdf", PDF)])
        letter = answer_letter(letter, cluster)
    attachment = letter.attachments.get()
    urls = [reverse("mailbox:letter", args=[letter.number]),
            reverse("mailbox:receipt", args=[letter.number]),
            reverse("mailbox:attachment", args=[letter.number, attachment.pk])]
    client.force_login(other.user)
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("mailbox:rate", args=[letter.number]), {"level": "1"})
    assert response.status_code == 404
    assert not LetterRating.objects.filter(letter=letter).exists()
    owner = Client()
    owner.force_login(citizen.user)
    for url in urls:
        assert owner.get(url).status_code == 200, url


def test_my_letters_page_costs_the_same_queries_for_one_letter_or_many(
        client, cluster, django_assert_max_num_queries):
    citizen = make_citizen()
    citizen_letter(cluster, citizen, answered=True)
    client.force_login(citizen.user)
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("mailbox:mine"))
    for _ in range(3):
        citizen_letter(cluster, citizen, answered=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("mailbox:mine")).content.decode()
    assert page.count("请评价答复") == 4
