"""订阅 pages: who may see them, subscribing through the form (a message per field), the
"订阅本栏目" button, changing how a subscription is received, deleting one, another citizen's
numbers answering 404, and the one-click unsubscribe link's bad tokens."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from chuangkou.disclosure.choices import Theme
from chuangkou.organizations.choices import Role
from chuangkou.sitecluster.models import ColumnPage

from .. import actions
from ..choices import SubscriptionDelivery, SubscriptionTarget
from ..models import Subscription
from .factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return make_citizen(email="lina@example.cn", display_name="李娜")


def signed_in(account) -> Client:
    browser = Client()
    browser.force_login(account.user)
    return browser


def _topic(account, topic=Theme.CULTURE, delivery=SubscriptionDelivery.WEEKLY_EMAIL):
    return actions.subscribe(account=account, target=SubscriptionTarget.TOPIC, topic=topic,
                             delivery=delivery)


@pytest.mark.parametrize("route", ["accounts:subscriptions", "accounts:subscription_add"])
def test_anonymous_visitors_sign_in_and_staff_are_refused(cluster, route):
    response = Client().get(reverse(route))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    browser = Client()
    browser.force_login(cluster.user("education", Role.EDITOR))
    assert browser.get(reverse(route)).status_code == 403


def test_the_list_shows_each_subscription_and_the_feed_address_only_for_rss(cluster, citizen):
    rss = actions.subscribe(account=citizen, target=SubscriptionTarget.COLUMN,
                            column=cluster.education_news, delivery=SubscriptionDelivery.RSS)
    mailed = _topic(citizen)
    response = signed_in(citizen).get(reverse("accounts:subscriptions"))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "示例市教育局 · 教育动态" in page and "文化、广电、新闻出版" in page
    assert reverse("accounts:subscription_feed", args=[rss.feed_token]) in page
    assert mailed.feed_token not in page


def test_the_list_warns_when_email_digests_cannot_be_delivered(cluster):
    mobile_only = make_citizen(mobile="13912340011")
    _topic(mobile_only)
    page = signed_in(mobile_only).get(reverse("accounts:subscriptions")).content.decode()
    assert "邮件摘要无法送达" in page


def test_subscribing_through_the_form(cluster, citizen):
    browser = signed_in(citizen)
    page = browser.get(reverse("accounts:subscription_add")).content.decode()
    assert "政务动态" in page and "示例市教育局" in page and "科技、教育" in page
    response = browser.post(reverse("accounts:subscription_add"), {
        "target": "body", "body": str(cluster.health.pk), "delivery": "daily_email"})
    assert response.status_code == 302
    made = Subscription.objects.get(account=citizen)
    assert (made.target, made.body_id, made.delivery) == ("body", cluster.health.pk,
                                                          "daily_email")


def test_the_form_names_the_missing_choice_and_a_duplicate_on_its_field(cluster, citizen):
    browser = signed_in(citizen)
    response = browser.post(reverse("accounts:subscription_add"),
                            {"target": "column", "column": "", "delivery": "rss"})
    assert response.status_code == 400
    assert "请选择要订阅的栏目" in response.content.decode()
    response = browser.post(reverse("accounts:subscription_add"),
                            {"target": "topic", "topic": "nonsense", "delivery": "sometimes"})
    page = response.content.decode()
    assert "所选主题不存在" in page and "请选择每日邮件摘要、每周邮件摘要或 RSS 订阅" in page
    _topic(citizen, topic=Theme.FINANCE)
    response = browser.post(reverse("accounts:subscription_add"),
                            {"target": "topic", "topic": "finance", "delivery": "rss"})
    assert response.status_code == 400
    assert "您已订阅过该主题" in response.content.decode()
    assert Subscription.objects.filter(account=citizen).count() == 1


def _button(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("accounts/includes/subscribe_button.html",
                            {"column": ColumnPage.objects.get(title="政务动态")}, request=request)


def test_the_subscribe_button_subscribes_a_signed_in_citizen(cluster, citizen):
    html = _button(citizen.user)
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert f'action="/yonghu/subscriptions/add/?column={cluster.portal_news.pk}"' in html
    data = {"target": "column", "column": str(cluster.portal_news.pk), "delivery": "weekly_email"}
    response = signed_in(citizen).post(
        f"{reverse('accounts:subscription_add')}?column={cluster.portal_news.pk}", data)
    assert response.status_code == 302
    assert Subscription.objects.get(account=citizen).column_id == cluster.portal_news.pk


def test_the_subscribe_button_of_a_visitor_is_a_cacheable_link_to_the_filled_form(
        cluster, citizen):
    html = _button(AnonymousUser())
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    url = f"{reverse('accounts:subscription_add')}?column={cluster.portal_news.pk}"
    assert f'href="{url}"' in html
    response = Client().get(url)
    assert response.status_code == 302 and "next=%2Fyonghu%2Fsubscriptions%2Fadd%2F%3Fcolumn%3D" \
        in response["Location"]
    page = signed_in(citizen).get(url).content.decode()
    assert f'<option value="{cluster.portal_news.pk}" selected>' in page
    assert not Subscription.objects.exists()


def test_changing_how_a_subscription_is_received(citizen):
    subscription = _topic(citizen)
    browser = signed_in(citizen)
    response = browser.post(reverse("accounts:subscription_delivery", args=[subscription.pk]),
                            {f"s{subscription.pk}-delivery": "rss"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.delivery == SubscriptionDelivery.RSS
    assert browser.get(reverse("accounts:subscription_delivery",
                               args=[subscription.pk])).status_code == 405


def test_deleting_asks_first_and_deletes_on_post(citizen):
    subscription = _topic(citizen)
    browser = signed_in(citizen)
    url = reverse("accounts:subscription_delete", args=[subscription.pk])
    assert "确认退订" in browser.get(url).content.decode()
    assert browser.post(url).status_code == 302
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("route", ["accounts:subscription_delete",
                                   "accounts:subscription_delivery"])
def test_another_citizens_subscription_is_not_found(citizen, route):
    subscription = _topic(citizen)
    intruder = signed_in(make_citizen(display_name="王芳"))
    url = reverse(route, args=[subscription.pk])
    assert intruder.post(url, {f"s{subscription.pk}-delivery": "rss"}).status_code == 404
    if route == "accounts:subscription_delete":
        assert intruder.get(url).status_code == 404
    subscription.refresh_from_db()
    assert subscription.delivery == SubscriptionDelivery.WEEKLY_EMAIL
    assert "文化、广电" not in intruder.get(reverse("accounts:subscriptions")).content.decode()


def test_a_forged_unsubscribe_link_is_not_found_and_repeated_tries_are_slowed(settings,
                                                                              citizen):
    settings.ACCOUNTS_BAD_FEED_TOKENS_PER_HOUR = 2
    subscription = _topic(citizen)
    browser = Client(REMOTE_ADDR="10.77.0.1")
    url = reverse("accounts:unsubscribe", args=[f"{subscription.pk}:forged:token"])
    assert browser.get(url).status_code == 404
    assert browser.post(url).status_code == 404
    assert browser.get(url).status_code == 429
    assert Subscription.objects.filter(pk=subscription.pk).exists()
