"""E-mail digests of subscriptions: due after a day or a week, listing what was first published
since the last one, one e-mail per citizen, nothing when nothing is new, each ending with
one-click unsubscribe links that work without signing in."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from chuangkou.disclosure.choices import Theme
from chuangkou.disclosure.tests.factories_catalogue import make_document
from chuangkou.sitecluster.tests.factories import make_article

from .. import actions
from ..choices import AccountStatus, SubscriptionDelivery
from ..models import Subscription
from .factories import make_citizen

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=SHANGHAI)
DAILY = SubscriptionDelivery.DAILY_EMAIL
WEEKLY = SubscriptionDelivery.WEEKLY_EMAIL


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def citizen():
    return make_citizen(email="zhangwei@example.cn", mobile="13912340003", display_name="张伟")


def _subscribe(account, *, delivery=DAILY, **what):
    target = next(iter(what))
    with at(MONDAY):
        return actions.subscribe(account=account, target=target, delivery=delivery, **what)


def _publish(column, title, *, when):
    with at(when):
        return make_article(column=column, title=title)


def _run(frequency, when, capture) -> int:
    with at(when), capture(execute=True):
        return actions.send_subscription_digests(frequency=frequency)


def test_a_daily_digest_lists_what_was_published_since_and_is_sent_once(
        cluster, citizen, django_capture_on_commit_callbacks):
    subscription = _subscribe(citizen, column=cluster.portal_news)
    _publish(cluster.portal_news, "示例市召开全市优化营商环境大会", when=MONDAY + timedelta(hours=3))
    tuesday = MONDAY + timedelta(days=1, minutes=5)
    assert _run("daily", tuesday, django_capture_on_commit_callbacks) == 1
    assert _run("daily", tuesday + timedelta(hours=2), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhangwei@example.cn"]
    assert "1条更新" in message.subject
    assert "【示例市人民政府门户网站 · 政务动态】共1条" in message.body
    assert "示例市召开全市优化营商环境大会（2026-03-02）" in message.body
    assert message.body.rstrip().splitlines()[-1].startswith("· 退订“示例市人民政府门户网站 · 政务动态”：http")
    subscription.refresh_from_db()
    assert subscription.last_sent_at == tuesday


def test_nothing_new_sends_nothing_and_keeps_the_window_open(cluster, citizen,
                                                              django_capture_on_commit_callbacks):
    subscription = _subscribe(citizen, column=cluster.portal_news)
    assert _run("daily", MONDAY + timedelta(days=1), django_capture_on_commit_callbacks) == 0
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None
    _publish(cluster.portal_news, "示例市发布春季防汛工作提示", when=MONDAY + timedelta(days=1, hours=2))
    assert _run("daily", MONDAY + timedelta(days=2), django_capture_on_commit_callbacks) == 1
    assert "示例市发布春季防汛工作提示" in mail.outbox[0].body


def test_a_subscription_made_less_than_a_period_ago_is_not_yet_due(
        cluster, citizen, django_capture_on_commit_callbacks):
    _subscribe(citizen, column=cluster.portal_news, delivery=WEEKLY)
    _publish(cluster.portal_news, "示例市政府常务会议研究部署重点工作", when=MONDAY + timedelta(hours=1))
    assert _run("weekly", MONDAY + timedelta(days=3), django_capture_on_commit_callbacks) == 0
    assert _run("daily", MONDAY + timedelta(days=3), django_capture_on_commit_callbacks) == 0
    assert _run("weekly", MONDAY + timedelta(days=7), django_capture_on_commit_callbacks) == 1
    assert "每周邮件摘要" in mail.outbox[0].subject


def test_one_email_combines_every_due_subscription_of_a_citizen(
        cluster, citizen, django_capture_on_commit_callbacks):
    _subscribe(citizen, column=cluster.portal_news)
    _subscribe(citizen, topic=Theme.SCIENCE_EDUCATION)
    _subscribe(citizen, body=cluster.health)
    with at(MONDAY + timedelta(hours=2)):
        make_article(column=cluster.portal_news, title="示例市召开全市教育大会")
        make_document(column=cluster.education_news, body=cluster.education,
                      title="示例市教育局关于做好2026年中小学科技节工作的通知",
                      theme=Theme.SCIENCE_EDUCATION)
    other = make_citizen(email="lina@example.cn", display_name="李娜")
    _subscribe(other, column=cluster.portal_news)
    assert _run("daily", MONDAY + timedelta(days=1), django_capture_on_commit_callbacks) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    body = by_address["zhangwei@example.cn"].body
    assert "【示例市人民政府门户网站 · 政务动态】" in body and "【科技、教育】" in body
    assert "【示例市卫生健康委员会】" not in body  # nothing new there
    assert len(re.findall(r"/yonghu/subscriptions/unsubscribe/", body)) == 2
    assert "【科技、教育】" not in by_address["lina@example.cn"].body


def test_older_items_already_sent_are_not_sent_again(cluster, citizen,
                                                     django_capture_on_commit_callbacks):
    _subscribe(citizen, column=cluster.portal_news)
    _publish(cluster.portal_news, "第一天的动态", when=MONDAY + timedelta(hours=1))
    _run("daily", MONDAY + timedelta(days=1), django_capture_on_commit_callbacks)
    _publish(cluster.portal_news, "第二天的动态", when=MONDAY + timedelta(days=1, hours=1))
    _run("daily", MONDAY + timedelta(days=2), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "第二天的动态" in mail.outbox[1].body and "第一天的动态" not in mail.outbox[1].body


def test_closed_accounts_and_citizens_without_a_verified_email_get_no_digest(
        cluster, django_capture_on_commit_callbacks):
    closed = make_citizen(email="closed@example.cn")
    mobile_only = make_citizen(mobile="13912340009")
    for account in (closed, mobile_only):
        _subscribe(account, column=cluster.portal_news)
    type(closed).objects.filter(pk=closed.pk).update(status=AccountStatus.CLOSED,
                                                     closed_at=MONDAY)
    _publish(cluster.portal_news, "示例市开展消防安全检查", when=MONDAY + timedelta(hours=1))
    _run("daily", MONDAY + timedelta(days=1), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_unsubscribe_link_of_a_digest_works_without_signing_in(
        cluster, citizen, django_capture_on_commit_callbacks):
    subscription = _subscribe(citizen, column=cluster.portal_news)
    _publish(cluster.portal_news, "示例市发布城市更新行动方案", when=MONDAY + timedelta(hours=1))
    _run("daily", MONDAY + timedelta(days=1), django_capture_on_commit_callbacks)
    path = re.search(r"https?://[^/\s]+(/yonghu/subscriptions/unsubscribe/\S+/)",
                     mail.outbox[0].body).group(1)
    browser = Client()
    confirm = browser.get(path)
    assert confirm.status_code == 200 and "确认退订" in confirm.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    done = browser.post(path)
    assert done.status_code == 200 and "您已退订“示例市人民政府门户网站 · 政务动态”" in done.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert "已经退订" in browser.get(path).content.decode()


def test_a_digest_lists_twenty_items_per_subscription_and_counts_the_rest(
        cluster, citizen, django_capture_on_commit_callbacks, monkeypatch):
    from ..actions import subscriptions as subscription_actions

    assert subscription_actions.DIGEST_ITEMS_PER_SUBSCRIPTION == 20
    monkeypatch.setattr(subscription_actions, "DIGEST_ITEMS_PER_SUBSCRIPTION", 2)
    _subscribe(citizen, column=cluster.district_news)
    with at(MONDAY + timedelta(hours=1)):
        for number in range(1, 5):
            make_article(column=cluster.district_news, title=f"东城区街道工作简报第{number}期")
    _run("daily", MONDAY + timedelta(days=1), django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert "共4条" in body and "另有2条" in body
    assert body.count("东城区街道工作简报") == 2


def test_the_daily_digest_task_sends_the_digests(cluster, citizen,
                                                 django_capture_on_commit_callbacks):
    from ..tasks import send_daily_subscription_digests, send_subscription_digests

    _subscribe(citizen, column=cluster.portal_news)
    _publish(cluster.portal_news, "示例市启动全民健身月活动", when=MONDAY + timedelta(hours=1))
    with at(MONDAY + timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        assert send_daily_subscription_digests.enqueue().return_value == 1
        assert send_subscription_digests.enqueue("daily").return_value == 0
    assert len(mail.outbox) == 1


def test_an_unknown_frequency_is_a_programming_error():
    with pytest.raises(ValueError):
        actions.send_subscription_digests(frequency="hourly")
