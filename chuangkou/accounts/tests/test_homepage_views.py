"""我的主页: who may see it, the greeting with the identity level and how to raise it, every
registered section in order with status, number, deadline and the "需要您处理" marker, the
accounts' own sections (reminders, subscriptions, messages) showing only the citizen's own
things, and a number of queries that does not grow with them."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks

from chuangkou.disclosure.choices import Theme
from chuangkou.notifications.models import SiteMessage
from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import IdentityLevel, ReminderSource, ReminderStatus, SubscriptionDelivery
from ..homepage import HomepageItem, HomepageSection
from ..models import Reminder, Subscription
from .factories import make_citizen

pytestmark = pytest.mark.django_db

MARCH_2 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
THEMES = [Theme.CULTURE, Theme.FINANCE, Theme.TRADE, Theme.HEALTH_SPORTS, Theme.AGRICULTURE]


@pytest.fixture(autouse=True)
def _on_march_2():
    with time_machine.travel(MARCH_2, tick=False):
        yield


def signed_in(account) -> Client:
    browser = Client()
    browser.force_login(account.user)
    return browser


def _page(account) -> str:
    response = signed_in(account).get(reverse("accounts:homepage"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def _fill(account, count: int) -> None:
    """``count`` reminders, subscriptions and in-site messages of ``account``."""
    for number in range(count):
        actions.create_reminder(account=account, title=f"证件到期提醒{number}",
                                due_on=date(2026, 6, 1) + timedelta(days=number), days_before=10,
                                source=ReminderSource.DOCUMENT_EXPIRY)
        actions.subscribe(account=account, target="topic", topic=THEMES[number],
                          delivery=SubscriptionDelivery.WEEKLY_EMAIL)
        SiteMessage.objects.create(user=account.user, subject=f"您的申请已受理{number}",
                                   body="您提交的申请已受理。")


def test_anonymous_visitors_are_sent_to_sign_in(cluster):
    response = Client().get(reverse("accounts:homepage"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next=%2Fyonghu%2F"


def test_staff_are_not_citizens(cluster):
    browser = Client()
    browser.force_login(cluster.user("city", Role.ACCOUNT_OFFICER))
    assert browser.get(reverse("accounts:homepage")).status_code == 403


@pytest.mark.parametrize(("level", "link", "text"), [
    (IdentityLevel.UNVERIFIED, "accounts:security", "去验证手机或邮箱"),
    (IdentityLevel.VERIFIED_CONTACT, "accounts:identity", "去实名认证"),
    (IdentityLevel.REAL_NAME, None, "您已完成实名认证"),
])
def test_the_greeting_names_the_level_and_how_to_raise_it(cluster, level, link, text):
    page = _page(make_citizen(level=level, display_name="张伟"))
    assert "张伟，欢迎回来" in page
    assert f"身份等级：<strong>{IdentityLevel(level).label}</strong>" in page
    assert text in page
    if link:
        assert f'href="{reverse(link)}">{text}' in page


def test_every_registered_section_is_shown_in_order_with_its_details(cluster):
    def sections(*, user):
        return [
            HomepageSection(key="test.later", title="我的建言献策", order=30,
                            empty_text="您还没有提出过建议。"),
            HomepageSection(key="test.first", title="企业开办一件事", order=10, items=[
                HomepageItem(title="个体工商户设立登记 <补正>", url="/banshi/applications/BJ1/",
                             status="待补正", number="BJ2026000001",
                             next_deadline=date(2026, 3, 9), deadline_label="补正期限",
                             needs_action=True, action_label="请补正材料"),
            ]),
        ]

    with hooks.register_temporarily("citizen_homepage_sections", sections):
        page = _page(make_citizen())
    assert (page.index("<span>企业开办一件事</span>") < page.index("<span>我的建言献策</span>")
            < page.index("<span>我的提醒</span>"))
    assert "个体工商户设立登记 &lt;补正&gt;" in page
    assert "BJ2026000001" in page and "待补正" in page
    assert "<dt>补正期限</dt>" in page and 'datetime="2026-03-09"' in page
    assert "需要您处理</span> 请补正材料" in page
    assert "共有1项事项需要您处理" in page
    assert "您还没有提出过建议。" in page


def test_the_accounts_sections_show_the_citizens_own_things_only(cluster):
    citizen = make_citizen(display_name="张伟")
    _fill(citizen, 2)
    due = Reminder.objects.filter(account=citizen).first()
    Reminder.objects.filter(pk=due.pk).update(status=ReminderStatus.SENT, sent_at=MARCH_2)
    page = _page(citizen)
    assert "证件到期提醒0" in page and "即将到期，请及时办理" in page
    assert "文化、广电、新闻出版" in page and "每周邮件摘要" in page
    assert "我的消息（2条未读）" in page and "您的申请已受理1" in page
    other = make_citizen(display_name="李娜")
    page = _page(other)
    assert "证件到期提醒0" not in page and "您的申请已受理1" not in page
    assert "文化、广电、新闻出版" not in page
    assert "您还没有设置提醒" in page and "暂无消息" in page


def test_the_homepage_takes_the_same_queries_whatever_the_number_of_items(cluster):
    citizen = make_citizen()
    _fill(citizen, 1)
    browser = signed_in(citizen)
    browser.get(reverse("accounts:homepage"))
    with CaptureQueriesContext(connection) as one:
        browser.get(reverse("accounts:homepage"))
    for number in range(1, 5):
        actions.create_reminder(account=citizen, title=f"更多提醒{number}",
                                due_on=date(2026, 7, 1), days_before=5)
        actions.subscribe(account=citizen, target="topic", topic=THEMES[number],
                          delivery=SubscriptionDelivery.RSS)
        SiteMessage.objects.create(user=citizen.user, subject=f"更多消息{number}", body="正文")
    with CaptureQueriesContext(connection) as five:
        response = browser.get(reverse("accounts:homepage"))
    assert response.content.decode().count("更多提醒") == 4
    assert len(five) == len(one)


def test_the_demo_gives_zhangwei_and_lina_their_reminders_and_subscriptions_once(cluster,
                                                                                 monkeypatch):
    from ..demo import homepage as demo

    people = {"zhangwei": make_citizen(level=IdentityLevel.REAL_NAME, display_name="张伟"),
              "lina": make_citizen(display_name="李娜")}
    monkeypatch.setattr(demo, "demo_citizen", people.get)
    demo.load()
    demo.load()
    zhangwei, lina = people["zhangwei"], people["lina"]
    assert sorted(zhangwei.reminders.values_list("title", flat=True)) == [
        "机动车驾驶证换证", "身份证有效期到期"]
    assert {(s.target, s.column_id, s.topic, s.delivery) for s in zhangwei.subscriptions.all()} == {
        ("column", cluster.portal_news.pk, "", "weekly_email"),
        ("topic", None, "science_education", "weekly_email")}
    assert [(s.body_id, s.delivery) for s in lina.subscriptions.all()] == [
        (cluster.education.pk, "daily_email")]
    page = _page(zhangwei)
    assert "身份证有效期到期" in page and "科技、教育" in page


def _citizen_routes(account) -> list[tuple[str, str]]:
    reminder = actions.create_reminder(account=account, title="身份证有效期到期",
                                       due_on=date(2026, 5, 1), days_before=3)
    subscription = actions.subscribe(account=account, target="topic", topic=Theme.CULTURE,
                                     delivery=SubscriptionDelivery.RSS)
    return [
        ("get", reverse("accounts:homepage")),
        ("get", reverse("accounts:reminders")),
        ("get", reverse("accounts:reminder_add")),
        ("get", reverse("accounts:reminder_edit", args=[reminder.pk])),
        ("post", reverse("accounts:reminder_delete", args=[reminder.pk])),
        ("get", reverse("accounts:subscriptions")),
        ("get", reverse("accounts:subscription_add")),
        ("post", reverse("accounts:subscription_delivery", args=[subscription.pk])),
        ("post", reverse("accounts:subscription_delete", args=[subscription.pk])),
    ]


def test_every_citizen_page_sends_visitors_to_sign_in_and_refuses_every_staff_role(cluster):
    routes = _citizen_routes(make_citizen())
    anonymous = Client()
    for method, url in routes:
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign_in")), url
    for role in Role.values:
        staff = Client()
        staff.force_login(cluster.user("city", role))
        for method, url in routes:
            assert getattr(staff, method)(url).status_code == 403, (role, url)
    assert Reminder.objects.count() == 1 and Subscription.objects.count() == 1
