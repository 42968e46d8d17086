"""The writer's rating (满意度评价, five levels) and the follow-up of dissatisfied ones (回访)."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import FollowUpStatus, LetterEventKind, SatisfactionLevel
from chuangkou.mailbox.exceptions import MailboxRuleViolation
from chuangkou.mailbox.models import FollowUp, LetterEvent, LetterRating
from chuangkou.mailbox.tests.factories import answer_letter, make_letter
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

SUPERVISOR = Role.LETTER_SUPERVISOR


def answered(cluster, **kwargs):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        return answer_letter(make_letter(cluster=cluster, assign_to=cluster.education, **kwargs),
                             cluster)


def test_the_writer_rates_an_answered_letter_with_a_comment(cluster):
    letter = answered(cluster)
    rating = actions.rate_letter(letter=letter, level=SatisfactionLevel.SATISFIED,
                                 comment="答复及时，问题已解决。")
    assert rating.level == 4 and rating.comment == "答复及时，问题已解决。"
    assert not rating.is_dissatisfied
    assert not FollowUp.objects.filter(letter=letter).exists()
    event = LetterEvent.objects.get(letter=letter, kind=LetterEventKind.RATED)
    assert event.visible_to_writer and event.actor is None and "满意" in event.public_note


def test_a_letter_is_rated_once(cluster):
    letter = answered(cluster)
    actions.rate_letter(letter=letter, level=5)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.rate_letter(letter=letter, level=1, comment="改个评价")
    assert "level" in error.value.errors
    assert LetterRating.objects.get(letter=letter).level == 5


def test_only_answered_letters_are_rated(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education)
    with pytest.raises(MailboxRuleViolation):
        actions.rate_letter(letter=letter, level=5)
    assert not LetterRating.objects.exists()


@pytest.mark.parametrize("level", [0, 6, -1, "很好", None, True])
def test_the_level_is_one_to_five(cluster, level):
    letter = answered(cluster)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.rate_letter(letter=letter, level=level)
    assert "level" in error.value.errors


def test_a_level_given_as_text_is_accepted(cluster):
    assert actions.rate_letter(letter=answered(cluster), level="3").level == 3


def test_the_comment_is_at_most_500_characters(cluster):
    letter = answered(cluster)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.rate_letter(letter=letter, level=3, comment="字" * 501)
    assert "comment" in error.value.errors
    assert actions.rate_letter(letter=letter, level=3, comment="字" * 500).comment == "字" * 500


@pytest.mark.parametrize("level", [1, 2])
def test_a_dissatisfied_rating_opens_a_follow_up_for_the_supervisors(
        cluster, level, mailoutbox, django_capture_on_commit_callbacks):
    supervisors = {slug: cluster.user(slug, SUPERVISOR)
                   for slug in ("city", "education", "health", "dongcheng")}
    letter = answered(cluster)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rating = actions.rate_letter(letter=letter, level=level, comment="问题没有解决")
    assert rating.is_dissatisfied
    follow_up = FollowUp.objects.get(letter=letter)
    assert follow_up.status == FollowUpStatus.OPEN
    # One e-mail to each supervisor in scope (city, education), none to health or 东城区.
    assert sorted(message.to for message in mailoutbox) == sorted(
        [[supervisors["city"].email], [supervisors["education"].email]])


def test_the_rating_audit_carries_no_personal_data(cluster):
    letter = answered(cluster, writer_name="赵敏")
    actions.rate_letter(letter=letter, level=2, comment="我是赵敏，电话13900001111，没有解决")
    event = AuditEvent.objects.get(action="mailbox.letter.rated")
    assert event.actor is None
    assert event.data == {"level": 2, "has_comment": True, "follow_up": True}
    assert "赵敏" not in str(event.data) and "13900001111" not in str(event.data)


def test_a_supervisor_in_scope_closes_the_follow_up_with_a_conclusion(cluster):
    letter = answered(cluster)
    actions.rate_letter(letter=letter, level=1)
    follow_up = FollowUp.objects.get(letter=letter)
    supervisor = cluster.user("city", SUPERVISOR)
    with pytest.raises(MailboxRuleViolation) as error:
        actions.close_follow_up(follow_up=follow_up, actor=supervisor, conclusion="好的")
    assert "conclusion" in error.value.errors
    closed = actions.close_follow_up(follow_up=follow_up, actor=supervisor,
                                     conclusion="已回访写信人，停车点已增设，写信人表示认可。")
    assert closed.status == FollowUpStatus.CLOSED and closed.closed_by == supervisor
    assert closed.closed_at is not None
    event = LetterEvent.objects.get(letter=letter, kind=LetterEventKind.FOLLOW_UP_CLOSED)
    assert event.internal_note.startswith("已回访写信人")
    with pytest.raises(MailboxRuleViolation):
        actions.close_follow_up(follow_up=follow_up, actor=supervisor, conclusion="再办结一次")


@pytest.mark.parametrize(("body", "role"), [
    ("education", Role.LETTER_HANDLER), ("education", Role.LETTER_REVIEWER),
    ("dongcheng", SUPERVISOR), ("health", SUPERVISOR),
])
def test_only_a_supervisor_in_scope_closes_a_follow_up(cluster, body, role):
    letter = answered(cluster)
    actions.rate_letter(letter=letter, level=2)
    with pytest.raises(PermissionDenied):
        actions.close_follow_up(follow_up=FollowUp.objects.get(letter=letter),
                                actor=cluster.user(body, role), conclusion="已回访写信人。")
