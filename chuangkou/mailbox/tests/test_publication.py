"""Publication of answered letters (信件公开) with personal data masked (个人信息保护法
第二十五条): only with the writer's consent, masked copies only, staff can mask more, never less."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import LetterEventKind
from chuangkou.mailbox.exceptions import MailboxRuleViolation
from chuangkou.mailbox.models import Letter, LetterEvent
from chuangkou.mailbox.queries import published_letters
from chuangkou.mailbox.tests.factories import answer_letter, make_letter
from chuangkou.organizations.actions import update_body
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

REVIEWER, SUPERVISOR = Role.LETTER_REVIEWER, Role.LETTER_SUPERVISOR
CONTENT = (
    "我叫王小明，住在示例市东城区和平路12号3幢502室，电话13912345678。小区门口的早餐店店主"
    "张三丰先生每天把车浙A12345停在人行道上，行人只能走机动车道，请有关部门管一管。"
)
REPLY = ("王小明您好：经核查，张三丰先生的车辆已被责令挪走，城管部门将每日巡查和平路12号周边。"
         "如有问题请拨打0571-87654321。")


def answered(cluster, *, may_publish=True, content=CONTENT, reply=REPLY, title="和平路人行道被占用"):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education, title=title,
                             content=content, may_publish=may_publish, writer_name="王小明",
                             phone="13912345678", address="示例市东城区和平路12号3幢502室")
        return answer_letter(letter, cluster, text=reply)


def test_publishing_stores_masked_copies_of_the_letter_and_the_approved_reply(cluster):
    letter = answered(cluster)
    reviewer = cluster.user("education", REVIEWER)
    with time_machine.travel("2026-03-06 09:00 +0800", tick=False):
        published = actions.publish_letter(letter=letter, actor=reviewer)
    assert published.is_published and published.published_by == reviewer
    assert published.published_at is not None
    for text in (published.published_content, published.published_reply):
        for secret in ("王小明", "13912345678", "12号3幢502", "张三丰", "浙A12345", "87654321"):
            assert secret not in text, (secret, text)
    assert "我叫王**" in published.published_content
    assert "和平路**号*幢***室" in published.published_content
    assert "张**先生" in published.published_content and "浙A*****" in published.published_content
    assert published.published_reply.startswith("王**您好")
    assert "城管部门将每日巡查" in published.published_reply
    assert published.published_title == "和平路人行道被占用"
    # The originals are kept as they were.
    stored = Letter.objects.get(pk=letter.pk)
    assert stored.content == CONTENT
    assert LetterEvent.objects.get(letter=letter, kind=LetterEventKind.PUBLISHED).visible_to_writer
    assert AuditEvent.objects.filter(action="mailbox.letter.published",
                                     target_id=str(letter.pk)).exists()
    assert list(published_letters()) == [stored]


def test_a_bodys_published_phone_stays_in_the_reply_while_other_landlines_are_masked(cluster):
    update_body(body=cluster.education, phone="0571-87654321")
    letter = answered(cluster, reply="请拨打招生办电话0571-87654321咨询；您留下的0571-86001234已记录。")
    published = actions.publish_letter(letter=letter, actor=cluster.user("education", REVIEWER))
    assert "0571-87654321" in published.published_reply
    assert "86001234" not in published.published_reply


def test_a_public_number_that_is_also_the_writers_is_masked(cluster):
    update_body(body=cluster.education, phone="0571-87654321")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education, phone="0571-87654321",
                             writer_name="王小明")
        letter = answer_letter(letter, cluster, text="已回电0571-87654321告知办理结果。")
    published = actions.publish_letter(letter=letter, actor=cluster.user("education", REVIEWER))
    assert "87654321" not in published.published_reply


def test_staff_edits_can_mask_more_but_never_unmask(cluster):
    letter = answered(cluster)
    published = actions.publish_letter(
        letter=letter, actor=cluster.user("education", REVIEWER),
        title="***路人行道被占用",
        content="王小明反映：早餐店店主张三丰每天把车停在人行道上，电话13912345678，请***管一管。",
        reply="经核查，张三丰的车辆已被责令挪走。")
    assert published.published_title == "***路人行道被占用"
    # The name, the neighbour's name (found in the original before 先生) and the phone are
    # masked in the edit even without their context.
    assert published.published_content == (
        "王**反映：早餐店店主张**每天把车停在人行道上，电话***********，请***管一管。")
    assert published.published_reply == "经核查，张**的车辆已被责令挪走。"
    event = AuditEvent.objects.get(action="mailbox.letter.published")
    assert event.data["edited"] == ["content", "reply", "title"]


@pytest.mark.parametrize(("field", "kwargs"), [
    ("title", {"title": "   "}),
    ("title", {"title": "长" * 101}),
    ("content", {"content": ""}),
    ("reply", {"reply": "字" * 5001}),
])
def test_staff_edits_are_validated_by_field(cluster, field, kwargs):
    letter = answered(cluster)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.publish_letter(letter=letter, actor=cluster.user("education", REVIEWER), **kwargs)
    assert field in error.value.errors
    assert not Letter.objects.get(pk=letter.pk).is_published


def test_a_letter_without_the_writers_consent_is_never_published(cluster):
    letter = answered(cluster, may_publish=False)
    with pytest.raises(MailboxRuleViolation):
        actions.publish_letter(letter=letter, actor=cluster.user("education", REVIEWER))
    assert not Letter.objects.get(pk=letter.pk).is_published


def test_an_unanswered_letter_is_not_published(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation):
        actions.publish_letter(letter=letter, actor=cluster.user("education", REVIEWER))


@pytest.mark.parametrize(("body", "role"), [
    ("education", Role.LETTER_HANDLER), ("health", REVIEWER), ("city", REVIEWER),
    ("dongcheng", SUPERVISOR), ("city", Role.LETTER_DISPATCHER),
])
def test_only_the_answering_bodys_reviewer_or_a_supervisor_in_scope_publishes(
        cluster, body, role):
    letter = answered(cluster)
    with pytest.raises(PermissionDenied):
        actions.publish_letter(letter=letter, actor=cluster.user(body, role))


@pytest.mark.parametrize("body", ["education", "city"])
def test_a_supervisor_in_scope_publishes(cluster, body):
    letter = answered(cluster)
    assert actions.publish_letter(letter=letter, actor=cluster.user(body, SUPERVISOR)).is_published


def test_publishing_again_replaces_the_copy(cluster):
    letter = answered(cluster)
    reviewer = cluster.user("education", REVIEWER)
    actions.publish_letter(letter=letter, actor=reviewer)
    again = actions.publish_letter(letter=letter, actor=reviewer, content="内容已隐去。")
    assert again.published_content == "内容已隐去。"
    audits = AuditEvent.objects.filter(action="mailbox.letter.published").order_by("pk")
    assert [event.data["republished"] for event in audits] == [False, True]


def test_unpublishing_needs_a_reason_and_discards_the_copy(cluster):
    letter = answered(cluster)
    reviewer = cluster.user("education", REVIEWER)
    with pytest.raises(MailboxRuleViolation):  # not published yet
        actions.unpublish_letter(letter=letter, actor=reviewer, reason="写信人要求撤下")
    actions.publish_letter(letter=letter, actor=reviewer)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.unpublish_letter(letter=letter, actor=reviewer, reason="撤下")
    assert "reason" in error.value.errors
    with pytest.raises(PermissionDenied):
        actions.unpublish_letter(letter=letter, actor=cluster.user("health", REVIEWER),
                                 reason="写信人要求撤下")
    unpublished = actions.unpublish_letter(letter=letter, actor=reviewer, reason="写信人要求撤下")
    assert not unpublished.is_published and unpublished.published_at is None
    assert unpublished.published_content == unpublished.published_reply == ""
    assert list(published_letters()) == []
    event = LetterEvent.objects.get(letter=letter, kind=LetterEventKind.UNPUBLISHED)
    assert event.internal_note == "写信人要求撤下"
