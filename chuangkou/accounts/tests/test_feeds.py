"""The private RSS feed of a subscription: reached by its token without signing in, RSS 2.0,
newest items first and at most the limit, nothing for a wrong token, an e-mail subscription or
a closed account, and a number of queries that does not grow with the items."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from chuangkou.sitecluster.tests.factories import make_article

from .. import actions
from ..choices import AccountStatus, SubscriptionDelivery, SubscriptionTarget
from ..views import subscriptions as views
from .factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return make_citizen(display_name="张伟")


@pytest.fixture
def feed(cluster, citizen):
    return actions.subscribe(account=citizen, target=SubscriptionTarget.COLUMN,
                             column=cluster.district_news, delivery=SubscriptionDelivery.RSS)


def _url(subscription) -> str:
    return reverse("accounts:subscription_feed", args=[subscription.feed_token])


def _items(response) -> list:
    return etree.fromstring(response.content).findall("./channel/item")


def test_the_feed_is_rss_2_with_the_newest_items_and_no_sign_in(cluster, feed):
    make_article(column=cluster.district_news, title="东城区推进老旧小区改造 <二期>",
                 summary="今年计划改造老旧小区32个。")
    response = Client().get(_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "private" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    root = etree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.findtext("./channel/title") == "我的订阅：示例市东城区人民政府 · 东城动态"
    [item] = _items(response)
    # Readers treat the title as HTML: the plain text is escaped once more.
    assert item.findtext("title") == "东城区推进老旧小区改造 &lt;二期&gt;"
    assert item.findtext("description") == "今年计划改造老旧小区32个。"
    assert item.findtext("link").startswith("http://dongcheng.localhost/")
    assert item.find("guid").get("isPermaLink") == "false"


def test_the_feed_shows_at_most_the_limit(cluster, feed, monkeypatch):
    assert views.FEED_ITEMS == 50
    monkeypatch.setattr(views, "FEED_ITEMS", 2)
    for number in range(3):
        make_article(column=cluster.district_news, title=f"东城区政务动态第{number}期")
    assert len(_items(Client().get(_url(feed)))) == 2


def test_a_wrong_token_an_email_subscription_or_a_closed_account_finds_nothing(cluster, citizen,
                                                                               feed):
    browser = Client()
    assert browser.get(reverse("accounts:subscription_feed", args=["x" * 43])).status_code == 404
    mailed = actions.subscribe(account=citizen, target=SubscriptionTarget.COLUMN,
                               column=cluster.portal_news,
                               delivery=SubscriptionDelivery.WEEKLY_EMAIL)
    assert browser.get(_url(mailed)).status_code == 404
    type(citizen).objects.filter(pk=citizen.pk).update(status=AccountStatus.CLOSED,
                                                       closed_at=feed.created_at)
    assert browser.get(_url(feed)).status_code == 404


def test_the_feed_takes_the_same_queries_whatever_the_number_of_items(
        cluster, feed, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_article(column=cluster.district_news, title="东城区召开街道工作会议")
    browser = Client()
    browser.get(_url(feed))  # warms the site-root cache shared by every request
    with CaptureQueriesContext(connection) as few:
        assert len(_items(browser.get(_url(feed)))) == 1
    for number in range(6):
        make_article(column=cluster.district_news, title=f"东城区社区服务简讯第{number}期")
    with django_assert_max_num_queries(len(few)):
        assert len(_items(browser.get(_url(feed)))) == 7
