"""订阅: a citizen follows a column, a body or a topic, by a daily or weekly e-mail digest or a
private RSS feed; the digest run; one-click unsubscribing from a digest's link.

The digest run sends one e-mail per citizen, combining every subscription of theirs that is due
and has something new. Each citizen's subscriptions are locked and checked again before their
e-mail is queued, and the e-mail carries a dedupe key per citizen and period, so two runs at
once send it once.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from chuangkou.organizations.models import Body
from chuangkou.sitecluster.models import ColumnPage
from chuangkou.sitecluster.queries import published

from ..choices import AccountStatus, SubscriptionDelivery, SubscriptionTarget
from ..exceptions import AccountClosed, AccountsRuleViolation
from ..models import CitizenAccount, Subscription
from ..queries.homepage import absolute_url, public_root_url
from ..queries.subscriptions import (
    feed_items,
    site_names_for_pages,
    target_key,
    target_label,
    unsubscribe_token,
)
from ..subscription_sources import topic_choices
from ._common import audit

__all__ = [
    "DIGEST_FREQUENCIES",
    "DIGEST_ITEMS_PER_SUBSCRIPTION",
    "MAX_SUBSCRIPTIONS",
    "change_subscription_delivery",
    "send_subscription_digests",
    "subscribe",
    "unsubscribe",
    "unsubscribe_by_token",
]

logger = logging.getLogger("chuangkou.accounts.subscriptions")

# frequency → (delivery, period). A run started a little early (the scheduler's tick, a busy
# worker) must not skip a day, so "a day since the last digest" allows an hour of slack.
DIGEST_FREQUENCIES = {
    "daily": (SubscriptionDelivery.DAILY_EMAIL, timedelta(days=1)),
    "weekly": (SubscriptionDelivery.WEEKLY_EMAIL, timedelta(days=7)),
}
DIGEST_SLACK = timedelta(hours=1)
DIGEST_ITEMS_PER_SUBSCRIPTION = 20
# Items read per followed target and run; a subscription shows at most the newest 20 of them.
DIGEST_ITEMS_PER_TARGET = 200
# Enough for every column a citizen could care about; a bound on what one account can make.
MAX_SUBSCRIPTIONS = 100


def _require_active(account: CitizenAccount) -> None:
    if account.status != AccountStatus.ACTIVE:
        raise AccountClosed({"__all__": [_("该账号已注销，不能再订阅。")]})


def _check_delivery(delivery: str) -> None:
    if delivery not in SubscriptionDelivery.values:
        raise AccountsRuleViolation({"delivery": [_("请选择接收方式：每日邮件摘要、每周邮件摘要或 RSS 订阅。")]})


def _checked_target(*, target: str, column, body, topic: str) -> dict:
    if target == SubscriptionTarget.COLUMN:
        if not isinstance(column, Page) or not published(
                ColumnPage.objects.filter(pk=column.pk)).exists():
            raise AccountsRuleViolation({"column": [_("请选择一个已发布的栏目。")]})
        return {"column": column, "body": None, "topic": ""}
    if target == SubscriptionTarget.BODY:
        if not isinstance(body, Body) or not Body.objects.filter(pk=body.pk).exists():
            raise AccountsRuleViolation({"body": [_("请选择一个机构。")]})
        return {"column": None, "body": body, "topic": ""}
    if target == SubscriptionTarget.TOPIC:
        if topic not in dict(topic_choices()):
            raise AccountsRuleViolation({"topic": [_("请从列表中选择一个主题分类。")]})
        return {"column": None, "body": None, "topic": topic}
    raise AccountsRuleViolation({"target": [_("请选择订阅栏目、机构或主题。")]})


_DUPLICATE_MESSAGES = {
    SubscriptionTarget.COLUMN: ("column", gettext_lazy("您已订阅过该栏目，可在“我的订阅”中更改接收方式。")),
    SubscriptionTarget.BODY: ("body", gettext_lazy("您已订阅过该机构，可在“我的订阅”中更改接收方式。")),
    SubscriptionTarget.TOPIC: ("topic", gettext_lazy("您已订阅过该主题，可在“我的订阅”中更改接收方式。")),
}


@transaction.atomic
def subscribe(*, account: CitizenAccount, target: str, delivery: str, column: Page | None = None,
              body: Body | None = None, topic: str = "") -> Subscription:
    """Follow a live column, a body or a topic (主题分类) by ``delivery``. A second subscription
    to the same thing is refused on the field that names it."""
    _require_active(account)
    _check_delivery(delivery)
    fields = _checked_target(target=target, column=column, body=body, topic=topic)
    if Subscription.objects.filter(account=account).count() >= MAX_SUBSCRIPTIONS:
        raise AccountsRuleViolation({"__all__": [
            _("每个账号最多订阅%(count)d项，请先退订不再需要的订阅。") % {"count": MAX_SUBSCRIPTIONS}]})
    duplicate = Subscription.objects.filter(account=account, target=target, **{
        name: value for name, value in fields.items() if value not in (None, "")})
    field, message = _DUPLICATE_MESSAGES[target]
    if duplicate.exists():
        raise AccountsRuleViolation({field: [message]})
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                account=account, target=target, delivery=delivery,
                feed_token=secrets.token_urlsafe(32), **fields)
    except IntegrityError:
        # The same subscription made at the same moment (a double click).
        raise AccountsRuleViolation({field: [message]}) from None
    audit("subscription.created", actor=account.user, target=subscription,
          data={"target": target, "delivery": delivery})
    return subscription


def _own_locked(account: CitizenAccount, subscription: Subscription) -> Subscription:
    locked = (Subscription.objects.select_for_update()
              .filter(pk=subscription.pk, account=account).first())
    if locked is None:
        raise Subscription.DoesNotExist
    return locked


@transaction.atomic
def change_subscription_delivery(*, account: CitizenAccount, subscription: Subscription,
                                 delivery: str) -> Subscription:
    """Receive a subscription another way. Switching to an e-mail digest starts its period
    now, so the first digest does not repeat what the feed already showed."""
    _require_active(account)
    _check_delivery(delivery)
    subscription = _own_locked(account, subscription)
    if subscription.delivery == delivery:
        return subscription
    previous = subscription.delivery
    subscription.delivery = delivery
    if delivery != SubscriptionDelivery.RSS:
        subscription.last_sent_at = timezone.now()
    subscription.save(update_fields=["delivery", "last_sent_at"])
    audit("subscription.delivery_changed", actor=account.user, target=subscription,
          data={"from": previous, "to": delivery})
    return subscription


@transaction.atomic
def unsubscribe(*, account: CitizenAccount, subscription: Subscription) -> None:
    """Stop one of the citizen's subscriptions (its feed address stops working with it)."""
    subscription = _own_locked(account, subscription)
    audit("subscription.deleted", actor=account.user, target=subscription,
          data={"target": subscription.target, "delivery": subscription.delivery,
                "via": "account"})
    subscription.delete()


@transaction.atomic
def unsubscribe_by_token(*, subscription: Subscription) -> None:
    """退订 from a digest's one-click link (no sign-in: the signed token is the proof)."""
    subscription = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
    if subscription is None:
        return
    audit("subscription.deleted", actor=None, target=subscription,
          data={"target": subscription.target, "delivery": subscription.delivery,
                "via": "unsubscribe_link"})
    subscription.delete()


# --- Digests ---------------------------------------------------------------------------------


def _period_key(frequency: str, now: datetime) -> str:
    local = timezone.localdate(now)
    if frequency == "weekly":
        year, week, _weekday = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.isoformat()


def _due(delivery: str, period: timedelta, now: datetime) -> Q:
    cutoff = now - period + DIGEST_SLACK
    return Q(delivery=delivery, account__status=AccountStatus.ACTIVE) & (
        Q(last_sent_at__lte=cutoff) | Q(last_sent_at__isnull=True, created_at__lte=cutoff))


def _since(subscription: Subscription) -> datetime:
    return subscription.last_sent_at or subscription.created_at


def _send_digest(*, account_id: int, subscription_ids: list[int], frequency: str,
                 now: datetime, items_by_target: dict, root: str) -> bool:
    from chuangkou.notifications.actions import notify

    delivery, period = DIGEST_FREQUENCIES[frequency]
    with transaction.atomic():
        # Locked and checked again: a run at the same moment may have sent them already.
        subscriptions = list(
            Subscription.objects.select_for_update(of=("self",))
            .select_related("account", "account__user", "column", "body")
            .filter(_due(delivery, period, now), pk__in=subscription_ids, account_id=account_id)
            .order_by("created_at", "pk"))
        site_names = site_names_for_pages(
            [subscription.column for subscription in subscriptions if subscription.column])
        sections = []
        for subscription in subscriptions:
            since = _since(subscription)
            new = [item for item in items_by_target.get(target_key(subscription), [])
                   if item.first_published_at is not None and since < item.first_published_at
                   <= now]
            if not new:
                continue
            sections.append({
                "subscription": subscription,
                "title": target_label(subscription, site_names=site_names),
                "items": [{"title": item.title, "url": item.url,
                           "published_on": timezone.localdate(item.published_at).isoformat()}
                          for item in new[:DIGEST_ITEMS_PER_SUBSCRIPTION]],
                "count": len(new),
                "more": max(len(new) - DIGEST_ITEMS_PER_SUBSCRIPTION, 0),
                "unsubscribe_url": absolute_url(reverse(
                    "accounts:unsubscribe", args=[unsubscribe_token(subscription)]), root=root),
            })
        if not sections:
            return False
        account = subscriptions[0].account
        manage_url = absolute_url(reverse("accounts:subscriptions"), root=root)
        notify(kind="accounts.subscription_digest", user=account.user, channels=["email"],
               url=manage_url, dedupe_key=f"digest-{account.pk}-{frequency}-"
                                         f"{_period_key(frequency, now)}",
               context={"display_name": account.display_name,
                        "frequency": str(delivery.label),
                        "item_count": sum(section["count"] for section in sections),
                        "sections": [{key: value for key, value in section.items()
                                      if key != "subscription"} for section in sections],
                        "manage_url": manage_url})
        Subscription.objects.filter(
            pk__in=[section["subscription"].pk for section in sections]).update(last_sent_at=now)
        audit("subscription.digest_sent", actor=None, target=account,
              data={"frequency": frequency, "subscriptions": len(sections),
                    "items": sum(section["count"] for section in sections)})
    return True


def send_subscription_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Send the daily or weekly e-mail digests that are due; returns how many e-mails.

    A subscription is due when its last digest went out a period ago (a day, a week), or, never
    sent, when it was made a period ago. Its digest lists what was first published since then;
    a citizen with nothing new gets nothing, and their subscriptions stay due until there is.
    Content is read once per followed column, body or topic, whoever follows it; each citizen's
    e-mail is then composed and queued in a transaction of their own.
    """
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    now = now or timezone.now()
    delivery, period = DIGEST_FREQUENCIES[frequency]
    due = list(Subscription.objects.filter(_due(delivery, period, now))
               .select_related("column").order_by("account_id", "pk"))
    if not due:
        return 0
    earliest: dict[tuple, datetime] = {}
    sample: dict[tuple, Subscription] = {}
    by_account: dict[int, list[int]] = defaultdict(list)
    for subscription in due:
        key = target_key(subscription)
        since = _since(subscription)
        earliest[key] = min(earliest.get(key, since), since)
        sample.setdefault(key, subscription)
        by_account[subscription.account_id].append(subscription.pk)
    items_by_target = {
        key: feed_items(sample[key], since=earliest[key], until=now,
                        limit=DIGEST_ITEMS_PER_TARGET)
        for key in earliest
    }
    root = public_root_url()
    sent = 0
    for account_id, subscription_ids in by_account.items():
        try:
            sent += _send_digest(account_id=account_id, subscription_ids=subscription_ids,
                                 frequency=frequency, now=now, items_by_target=items_by_target,
                                 root=root)
        except Exception:  # one citizen's failure must not stop everybody else's digest
            logger.exception("digest for account %s could not be sent", account_id)
    return sent
