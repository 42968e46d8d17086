"""The accounts' own sections of 我的主页 (my reminders, my subscriptions, my messages) and the
periodic tasks of reminders and digests."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..actions.reminders import is_editable_by_citizen
from ..choices import ReminderStatus
from ..homepage import HomepageItem, HomepageSection
from ..models import Reminder
from ..queries import citizen_account_of
from ..queries.subscriptions import site_names_for_pages, subscriptions_of, target_label

SHOWN_PER_SECTION = 5
REMINDERS_ORDER = 60
SUBSCRIPTIONS_ORDER = 80
MESSAGES_ORDER = 90


def _reminder_item(reminder: Reminder, *, today) -> HomepageItem:
    url = (reverse("accounts:reminder_edit", args=[reminder.pk])
           if is_editable_by_citizen(reminder)
           else reminder.url or reverse("accounts:reminders"))
    # Its day has come and the thing is not yet past: the citizen has something to do.
    due_soon = reminder.status == ReminderStatus.SENT and reminder.due_on >= today
    return HomepageItem(
        title=reminder.title, url=url, status=reminder.get_status_display(),
        next_deadline=reminder.due_on, deadline_label=_("到期日期"),
        needs_action=due_soon, action_label=_("即将到期，请及时办理") if due_soon else "",
        updated_at=reminder.sent_at or reminder.created_at)


def reminders_section(account) -> HomepageSection:
    today = timezone.localdate()
    reminders = list(
        Reminder.objects.filter(account=account, due_on__gte=today,
                                status__in=[ReminderStatus.SCHEDULED, ReminderStatus.SENT])
        .order_by("due_on", "pk")[:SHOWN_PER_SECTION])
    return HomepageSection(
        key="accounts.reminders", title=_("我的提醒"), order=REMINDERS_ORDER,
        items=[_reminder_item(reminder, today=today) for reminder in reminders],
        more_url=reverse("accounts:reminders"),
        empty_text=_("您还没有设置提醒。可以为身份证、驾驶证等证件的到期日期设置提醒。"))


def subscriptions_section(account) -> HomepageSection:
    subscriptions = list(subscriptions_of(account)[:SHOWN_PER_SECTION])
    names = site_names_for_pages([item.column for item in subscriptions if item.column])
    items = [HomepageItem(title=target_label(subscription, site_names=names),
                          url=reverse("accounts:subscriptions"),
                          status=subscription.get_delivery_display(),
                          updated_at=subscription.last_sent_at or subscription.created_at)
             for subscription in subscriptions]
    return HomepageSection(
        key="accounts.subscriptions", title=_("我的订阅"), order=SUBSCRIPTIONS_ORDER,
        items=items, more_url=reverse("accounts:subscriptions"),
        empty_text=_("您还没有订阅。可以订阅栏目、机构或主题，通过邮件摘要或 RSS 获取最新信息。"))


def messages_section(user) -> HomepageSection:
    from chuangkou.notifications.queries import recent_messages, unread_message_count

    messages = recent_messages(user, limit=SHOWN_PER_SECTION)
    unread = unread_message_count(user)
    inbox = reverse("notifications:inbox")
    items = [HomepageItem(title=message.subject,
                          url=reverse("notifications:message", args=[message.pk]),
                          status=_("已读") if message.read_at else _("未读"),
                          updated_at=message.created_at)
             for message in messages]
    title = (_("我的消息（%(count)d条未读）") % {"count": unread}) if unread else _("我的消息")
    return HomepageSection(key="accounts.messages", title=title, order=MESSAGES_ORDER,
                           items=items, more_url=inbox, empty_text=_("暂无消息。"))


@hooks.register("citizen_homepage_sections")
def accounts_homepage_sections(*, user) -> list[HomepageSection]:
    account = citizen_account_of(user)
    if account is None:
        return []
    return [reminders_section(account), subscriptions_section(account), messages_section(user)]


@hooks.register("periodic_tasks")
def accounts_periodic_tasks():
    from chuangkou.core.periodic import PeriodicTask

    from ..tasks import (
        send_daily_subscription_digests,
        send_due_reminders,
        send_weekly_subscription_digests,
    )

    # Reminders are idempotent per day, so an hourly run only makes a new reminder go out
    # sooner; digests go out once a day and once a week.
    return [
        PeriodicTask("accounts.send_due_reminders", timedelta(hours=1), send_due_reminders),
        PeriodicTask("accounts.send_daily_subscription_digests", timedelta(days=1),
                     send_daily_subscription_digests),
        PeriodicTask("accounts.send_weekly_subscription_digests", timedelta(days=7),
                     send_weekly_subscription_digests),
    ]
