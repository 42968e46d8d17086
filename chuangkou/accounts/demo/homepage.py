"""Demo reminders and subscriptions of the demo citizens (run after the demo citizens and the
portal exist). Idempotent: a second run changes nothing.

- 张伟: reminders "身份证有效期到期" and "机动车驾驶证换证"; a weekly e-mail digest of the
  portal's 政务动态 column and one of the topic 科技、教育;
- 李娜: a daily e-mail digest of 示例市教育局.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chuangkou.organizations.models import Body
from chuangkou.sitecluster.models import ColumnPage
from chuangkou.sitecluster.queries import portal_site, subtree

from ..actions import schedule_reminder, subscribe
from ..choices import ReminderSource, SubscriptionDelivery, SubscriptionTarget
from ..models import Subscription
from .citizens import demo_citizen

__all__ = ["load"]

PORTAL_NEWS_TITLE = "政务动态"
LINA_BODY_SLUG = "education"

# (reference, title, days until due, days before to remind, note)
ZHANGWEI_REMINDERS = (
    ("demo-id-card", "身份证有效期到期", 45, 30,
     "可在户籍所在地或居住地公安机关户籍窗口换领，需本人到场采集照片。"),
    ("demo-driving-licence", "机动车驾驶证换证", 90, 60,
     "有效期满前90日内可申请换证，需提交身体条件证明。"),
)


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _portal_news() -> ColumnPage | None:
    portal = portal_site()
    if portal is None:
        return None
    home = portal.home_page
    return (ColumnPage.objects.filter(subtree(home.path), depth__gt=home.depth,
                                      title=PORTAL_NEWS_TITLE)
            .live().order_by("depth", "path").first())


def _ensure_subscription(account, *, target: str, delivery: str, **what) -> bool:
    if Subscription.objects.filter(account=account, target=target, **what).exists():
        return False
    subscribe(account=account, target=target, delivery=delivery, **what)
    return True


def load(*, stdout=None) -> None:
    today = timezone.localdate()
    made = 0
    zhangwei = demo_citizen("zhangwei")
    if zhangwei is not None:
        for reference, title, due_in, before, note in ZHANGWEI_REMINDERS:
            due_on = today + timedelta(days=due_in)
            # The dates move with the day the demo is loaded; an existing one keeps its own.
            if not zhangwei.reminders.filter(source=ReminderSource.DOCUMENT_EXPIRY,
                                             source_reference=reference).exists():
                schedule_reminder(account=zhangwei, title=title, due_on=due_on,
                                  remind_on=due_on - timedelta(days=before),
                                  source=ReminderSource.DOCUMENT_EXPIRY,
                                  source_reference=reference, note=note)
                made += 1
        column = _portal_news()
        if column is not None:
            made += _ensure_subscription(zhangwei, target=SubscriptionTarget.COLUMN,
                                         delivery=SubscriptionDelivery.WEEKLY_EMAIL,
                                         column=column)
        made += _ensure_subscription(zhangwei, target=SubscriptionTarget.TOPIC,
                                     delivery=SubscriptionDelivery.WEEKLY_EMAIL,
                                     topic="science_education")
    lina = demo_citizen("lina")
    body = Body.objects.filter(slug=LINA_BODY_SLUG).first()
    if lina is not None and body is not None:
        made += _ensure_subscription(lina, target=SubscriptionTarget.BODY,
                                     delivery=SubscriptionDelivery.DAILY_EMAIL, body=body)
    _say(stdout, f"我的主页演示数据：新增提醒和订阅 {made} 项。")
