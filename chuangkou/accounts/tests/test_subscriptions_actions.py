"""订阅 actions and reads: subscribing to a live column, a body or a topic (each refusal on its
field), changing how, unsubscribing (also by the signed link), and what each subscription
follows."""

from datetime import date

import pytest
from django.core import signing

from chuangkou.core.models import AuditEvent
from chuangkou.disclosure.choices import DisclosureAttribute, Theme
from chuangkou.disclosure.tests.factories_catalogue import make_document
from chuangkou.organizations.actions import grant_page_to_body
from chuangkou.sitecluster.tests.factories import make_article, make_column

from .. import actions
from ..choices import AccountStatus, SubscriptionDelivery, SubscriptionTarget
from ..exceptions import AccountClosed, AccountsRuleViolation
from ..models import Subscription
from ..queries import (
    feed_items,
    subscription_by_feed_token,
    subscription_for_unsubscribe_token,
    target_label,
    unsubscribe_token,
)
from .factories import make_citizen

pytestmark = pytest.mark.django_db

WEEKLY = SubscriptionDelivery.WEEKLY_EMAIL


@pytest.fixture
def citizen():
    return make_citizen(email="lina@example.cn", mobile="13912340002", display_name="李娜")


def _refusal(**kwargs) -> dict:
    with pytest.raises(AccountsRuleViolation) as caught:
        actions.subscribe(**kwargs)
    return caught.value.errors


def test_subscribing_to_a_live_column_gives_a_private_feed_token(cluster, citizen):
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.COLUMN,
                             column=cluster.portal_news, delivery=SubscriptionDelivery.RSS)
    assert made.column_id == cluster.portal_news.pk
    assert len(made.feed_token) >= 40
    assert subscription_by_feed_token(made.feed_token) == made
    assert target_label(made) == "政务动态"  # without the site names at hand
    event = AuditEvent.objects.get(action="accounts.subscription.created")
    assert event.data == {"target": "column", "delivery": "rss"}


def test_a_column_that_is_not_published_cannot_be_subscribed(cluster, citizen):
    draft = make_column(parent=cluster.portal.home_page, title="筹备中的栏目", slug="draft")
    draft.unpublish()
    errors = _refusal(account=citizen, target=SubscriptionTarget.COLUMN, column=draft,
                      delivery=WEEKLY)
    assert errors == {"column": ["请选择一个已发布的栏目。"]}
    errors = _refusal(account=citizen, target=SubscriptionTarget.COLUMN,
                      column=cluster.education_article, delivery=WEEKLY)
    assert "column" in errors


def test_subscribing_twice_to_the_same_thing_is_refused_on_its_field(cluster, citizen):
    actions.subscribe(account=citizen, target=SubscriptionTarget.BODY, body=cluster.education,
                      delivery=WEEKLY)
    errors = _refusal(account=citizen, target=SubscriptionTarget.BODY, body=cluster.education,
                      delivery=SubscriptionDelivery.DAILY_EMAIL)
    assert "您已订阅过该机构" in errors["body"][0]
    actions.subscribe(account=citizen, target=SubscriptionTarget.TOPIC,
                      topic=Theme.SCIENCE_EDUCATION, delivery=WEEKLY)
    errors = _refusal(account=citizen, target=SubscriptionTarget.TOPIC,
                      topic=Theme.SCIENCE_EDUCATION, delivery=WEEKLY)
    assert "您已订阅过该主题" in errors["topic"][0]
    assert Subscription.objects.count() == 2


def test_an_unknown_topic_delivery_or_target_is_refused_on_its_field(citizen):
    assert "topic" in _refusal(account=citizen, target=SubscriptionTarget.TOPIC,
                               topic="<script>", delivery=WEEKLY)
    assert "delivery" in _refusal(account=citizen, target=SubscriptionTarget.TOPIC,
                                  topic=Theme.CULTURE, delivery="hourly")
    assert "target" in _refusal(account=citizen, target="everything", delivery=WEEKLY)
    assert not Subscription.objects.exists()


def test_a_closed_account_cannot_subscribe(citizen):
    citizen.status = AccountStatus.CLOSED
    with pytest.raises(AccountClosed):
        actions.subscribe(account=citizen, target=SubscriptionTarget.TOPIC, topic=Theme.CULTURE,
                          delivery=WEEKLY)


def test_changing_to_an_email_digest_starts_its_period_now(citizen):
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.TOPIC,
                             topic=Theme.HEALTH_SPORTS, delivery=SubscriptionDelivery.RSS)
    assert made.last_sent_at is None
    changed = actions.change_subscription_delivery(account=citizen, subscription=made,
                                                   delivery=SubscriptionDelivery.DAILY_EMAIL)
    assert changed.delivery == SubscriptionDelivery.DAILY_EMAIL
    assert changed.last_sent_at is not None
    assert subscription_by_feed_token(made.feed_token) is None  # the feed is for RSS only


def test_nobody_changes_or_removes_another_citizens_subscription(citizen):
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.TOPIC,
                             topic=Theme.CULTURE, delivery=WEEKLY)
    other = make_citizen()
    with pytest.raises(Subscription.DoesNotExist):
        actions.change_subscription_delivery(account=other, subscription=made,
                                             delivery=SubscriptionDelivery.RSS)
    with pytest.raises(Subscription.DoesNotExist):
        actions.unsubscribe(account=other, subscription=made)
    actions.unsubscribe(account=citizen, subscription=made)
    assert not Subscription.objects.exists()


def test_the_unsubscribe_token_names_its_subscription_and_nothing_else(citizen):
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.TOPIC,
                             topic=Theme.CULTURE, delivery=WEEKLY)
    token = unsubscribe_token(made)
    assert subscription_for_unsubscribe_token(token) == (True, made)
    assert subscription_for_unsubscribe_token(token[:-2] + "xx") == (False, None)
    forged = signing.dumps([made.pk, "0" * 16], salt="chuangkou.accounts.subscriptions.unsubscribe")
    assert subscription_for_unsubscribe_token(forged) == (True, None)
    other_salt = signing.dumps([made.pk, "0" * 16])
    assert subscription_for_unsubscribe_token(other_salt) == (False, None)
    actions.unsubscribe_by_token(subscription=made)
    assert subscription_for_unsubscribe_token(token) == (True, None)
    assert AuditEvent.objects.get(action="accounts.subscription.deleted").data["via"] == \
        "unsubscribe_link"


# --- What a subscription follows ------------------------------------------------------------------


def _titles(subscription) -> list[str]:
    return [item.title for item in feed_items(subscription)]


def test_a_column_subscription_follows_the_column_and_its_subcolumns(cluster, citizen):
    sub = make_column(parent=cluster.portal_news, title="部门动态", slug="bumen")
    make_article(column=cluster.portal_news, title="示例市召开全市安全生产工作会议")
    make_article(column=sub, title="市教育局召开新学期工作部署会")
    make_article(column=cluster.education_news, title="别的栏目里的文章")
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.COLUMN,
                             column=cluster.portal_news, delivery=WEEKLY)
    assert sorted(_titles(made)) == ["市教育局召开新学期工作部署会", "示例市召开全市安全生产工作会议"]


def test_a_body_subscription_follows_its_own_sites_and_its_disclosure_records(cluster, citizen):
    make_article(column=cluster.portal_news, title="门户上的市政府文章")
    # The portal's column carries the education bureau's documents too (it manages them).
    grant_page_to_body(body=cluster.education, page=cluster.portal_news)
    make_document(column=cluster.portal_news, body=cluster.education,
                  title="示例市教育局关于2026年义务教育招生入学工作的通知")
    make_document(column=cluster.portal_news, body=cluster.education, title="依申请公开的文件",
                  attribute=DisclosureAttribute.ON_REQUEST, withheld_reason="涉及第三方合法权益。")
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.BODY,
                             body=cluster.education, delivery=WEEKLY)
    assert sorted(_titles(made)) == ["示例市教育局关于2026年义务教育招生入学工作的通知",
                                     "示例市教育局部署秋季开学工作"]


def test_the_city_subscription_stops_where_a_nested_site_of_another_body_begins(cluster, citizen):
    make_article(column=cluster.portal_news, title="门户上的市政府文章")
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.BODY, body=cluster.city,
                             delivery=WEEKLY)
    titles = _titles(made)
    assert "门户上的市政府文章" in titles
    assert "示例市教育局部署秋季开学工作" not in titles
    assert "示例市卫健委发布健康提示" not in titles


def test_a_topic_subscription_follows_live_proactive_records_of_that_theme(cluster, citizen):
    make_document(column=cluster.education_news, body=cluster.education,
                  title="示例市中小学科技创新大赛获奖名单公示", theme=Theme.SCIENCE_EDUCATION)
    make_document(column=cluster.health_news, body=cluster.health, title="卫生主题的文件",
                  theme=Theme.HEALTH_SPORTS)
    unpublished = make_document(column=cluster.education_news, body=cluster.education,
                                title="尚未发布的科技文件", theme=Theme.SCIENCE_EDUCATION)
    unpublished.page.specific.unpublish()
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.TOPIC,
                             topic=Theme.SCIENCE_EDUCATION, delivery=WEEKLY)
    assert _titles(made) == ["示例市中小学科技创新大赛获奖名单公示"]
    assert target_label(made) == "科技、教育"


def test_feed_items_are_newest_first_and_at_most_the_limit(cluster, citizen):
    for day in (3, 1, 2):
        make_article(column=cluster.district_news, title=f"东城区3月{day}日工作动态",
                     publication_date=cluster.education_article.publication_date.replace(
                         year=2026, month=3, day=day))
    made = actions.subscribe(account=citizen, target=SubscriptionTarget.COLUMN,
                             column=cluster.district_news, delivery=SubscriptionDelivery.RSS)
    items = feed_items(made, limit=2)
    assert [item.title for item in items] == ["东城区3月3日工作动态", "东城区3月2日工作动态"]
    assert items[0].url.startswith("http://dongcheng.localhost")
    assert items[0].published_at.date() == date(2026, 3, 3)
