"""The inbox reads other pages use (我的主页 shows the unread count and the latest messages)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from chuangkou.notifications.models import SiteMessage
from chuangkou.notifications.queries import message_of, recent_messages, unread_message_count

from .support import make_user

pytestmark = pytest.mark.django_db


def make_messages(user, count, *, read=False):
    now = timezone.now()
    messages = [SiteMessage.objects.create(user=user, subject=f"第{index + 1}条办件进展",
                                           body="已受理。", read_at=now if read else None)
                for index in range(count)]
    for age, message in enumerate(reversed(messages)):
        SiteMessage.objects.filter(pk=message.pk).update(created_at=now - timedelta(hours=age))
    return messages


def test_the_unread_count_is_mine_only():
    me, neighbour = make_user(), make_user()
    make_messages(me, 3)
    make_messages(me, 2, read=True)
    make_messages(neighbour, 4)
    assert unread_message_count(me) == 3


def test_visitors_and_no_one_have_no_messages():
    assert unread_message_count(AnonymousUser()) == 0 and unread_message_count(None) == 0
    assert recent_messages(AnonymousUser()) == []


def test_recent_messages_are_the_newest_read_or_not(django_assert_num_queries):
    me = make_user()
    messages = make_messages(me, 7)
    SiteMessage.objects.filter(pk=messages[-1].pk).update(read_at=timezone.now())
    with django_assert_num_queries(1):
        recent = recent_messages(me, limit=3)
    assert [message.subject for message in recent] == ["第7条办件进展", "第6条办件进展",
                                                       "第5条办件进展"]
    assert len(recent_messages(me)) == 5


def test_a_message_is_found_only_for_its_recipient():
    me, neighbour = make_user(), make_user()
    [mine] = make_messages(me, 1)
    assert message_of(me, mine.pk) == mine
    assert message_of(neighbour, mine.pk) is None
