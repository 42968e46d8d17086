"""Reads of 订阅: a citizen's subscriptions, what each one follows, the content published under
it (for the private RSS feed and the e-mail digests) and the signed one-click unsubscribe
token.

What a subscription follows:

- a column (栏目): the live articles of the column and its sub-columns, and those adopted into
  them (信息报送), as the column's own public feed shows them;
- a body (机构): the live articles of the sites the body owns (not of sites nested in them,
  which have their own owner) and the live pages of the body's proactive disclosure records;
- a topic (主题分类): the live pages of proactive disclosure records with that theme.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import unescape

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

from chuangkou.organizations.models import Body
from chuangkou.sitecluster.models import ArticlePage, ClusterSite, ColumnPage
from chuangkou.sitecluster.queries import column_tree_articles, published, subtree

from ..choices import AccountStatus, SubscriptionDelivery, SubscriptionTarget
from ..models import CitizenAccount, Subscription
from ..subscription_sources import pages_of_body, pages_of_topic, topic_label

__all__ = [
    "FEED_ITEMS",
    "FeedItem",
    "feed_items",
    "site_names_for_pages",
    "subscribable_bodies",
    "subscribable_columns",
    "subscription_by_feed_token",
    "subscription_for_unsubscribe_token",
    "subscription_of",
    "subscriptions_of",
    "target_articles",
    "target_key",
    "target_label",
    "unsubscribe_token",
]

FEED_ITEMS = 50
SUMMARY_CHARS = 200
UNSUBSCRIBE_SALT = "chuangkou.accounts.subscriptions.unsubscribe"


@dataclass(frozen=True)
class FeedItem:
    """One published page as a subscription shows it."""

    pk: int
    title: str
    url: str
    published_at: datetime
    first_published_at: datetime | None
    summary: str
    guid: str


# --- The citizen's subscriptions -------------------------------------------------------------


def subscriptions_of(account: CitizenAccount) -> QuerySet[Subscription]:
    return (Subscription.objects.filter(account=account).select_related("column", "body")
            .order_by("-created_at", "-pk"))


def subscription_of(account: CitizenAccount, pk: int) -> Subscription | None:
    """One of ``account``'s subscriptions; None for anybody else's (the view answers 404)."""
    return subscriptions_of(account).filter(pk=pk).first()


def subscription_by_feed_token(token: str) -> Subscription | None:
    """The RSS subscription of an active account whose private feed token is ``token``."""
    if not token:
        return None
    return (Subscription.objects.select_related("column", "body", "account")
            .filter(feed_token=token, delivery=SubscriptionDelivery.RSS,
                    account__status=AccountStatus.ACTIVE).first())


def _token_check(subscription: Subscription) -> str:
    # Binds the link to this subscription row: a later one with the same number never matches.
    return hashlib.sha256(subscription.feed_token.encode()).hexdigest()[:16]


def unsubscribe_token(subscription: Subscription) -> str:
    """The signed token of the one-click unsubscribe link in every digest (no expiry: a link in
    an old e-mail keeps working)."""
    return signing.dumps([subscription.pk, _token_check(subscription)], salt=UNSUBSCRIBE_SALT)


def subscription_for_unsubscribe_token(token: str) -> tuple[bool, Subscription | None]:
    """``(valid, subscription)``: whether the token was signed by us, and the subscription it
    names if it still exists."""
    try:
        pk, check = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return False, None
    if not isinstance(pk, int) or not isinstance(check, str):
        return False, None
    subscription = (Subscription.objects.select_related("column", "body", "account")
                    .filter(pk=pk).first())
    if subscription is None or not hmac.compare_digest(_token_check(subscription), check):
        return True, None
    return True, subscription


# --- Labels ----------------------------------------------------------------------------------


def site_names_for_pages(pages: Iterable[Page]) -> dict[int, str]:
    """The name of the cluster site each page belongs to (its nearest site home), by page id,
    from one query over the sites."""
    homes = sorted(ClusterSite.objects.values_list("home_page__path", "name"),
                   key=lambda row: len(row[0]), reverse=True)
    names = {}
    for page in pages:
        names[page.pk] = next((name for path, name in homes if page.path.startswith(path)), "")
    return names


def target_label(subscription: Subscription, *, site_names: dict[int, str] | None = None) -> str:
    """What the subscription follows, as the citizen reads it ("示例市教育局 · 教育动态")."""
    if subscription.target == SubscriptionTarget.COLUMN and subscription.column is not None:
        site = (site_names or {}).get(subscription.column_id, "")
        return f"{site} · {subscription.column.title}" if site else subscription.column.title
    if subscription.target == SubscriptionTarget.BODY and subscription.body is not None:
        return subscription.body.name
    if subscription.target == SubscriptionTarget.TOPIC:
        return topic_label(subscription.topic)
    return ""


def target_key(subscription: Subscription) -> tuple[str, object]:
    """Subscriptions with the same key follow the same content."""
    if subscription.target == SubscriptionTarget.COLUMN:
        return (SubscriptionTarget.COLUMN, subscription.column_id)
    if subscription.target == SubscriptionTarget.BODY:
        return (SubscriptionTarget.BODY, subscription.body_id)
    return (SubscriptionTarget.TOPIC, subscription.topic)


# --- What may be subscribed to ---------------------------------------------------------------


def subscribable_columns() -> list[tuple[ColumnPage, str]]:
    """Every public column with the name of its site, in tree order."""
    columns = list(published(ColumnPage.objects.all()).only("pk", "title", "path", "depth")
                   .order_by("path"))
    names = site_names_for_pages(columns)
    return [(column, names.get(column.pk, "")) for column in columns]


def subscribable_bodies() -> QuerySet[Body]:
    """Every body in tree order (the city first, then its departments and districts)."""
    return Body.objects.only("pk", "name", "path", "depth").order_by("path")


# --- Content ---------------------------------------------------------------------------------


def _body_condition(body_id: int) -> Q:
    """Articles of the body's own sites (cut off where a nested site begins) or of its proactive
    disclosure records. Two small queries: the body's sites, and the sites nested in them."""
    condition = pages_of_body(body_id)
    homes = list(ClusterSite.objects.filter(owner_body_id=body_id)
                 .values_list("home_page__path", "home_page__depth"))
    if not homes:
        return condition
    nested_filter = Q()
    for path, depth in homes:
        nested_filter |= subtree(path, field="home_page__path") & Q(home_page__depth__gt=depth)
    nested = list(ClusterSite.objects.filter(nested_filter).values_list("home_page__path",
                                                                         flat=True))
    for path, _depth in homes:
        own = subtree(path)
        for nested_path in nested:
            if nested_path.startswith(path) and nested_path != path:
                own &= ~subtree(nested_path)
        condition |= own
    return condition


def target_articles(subscription: Subscription) -> QuerySet[ArticlePage]:
    """The public articles a subscription follows, newest first (not yet limited)."""
    if subscription.target == SubscriptionTarget.COLUMN:
        return column_tree_articles(subscription.column).defer(None)
    if subscription.target == SubscriptionTarget.BODY:
        pages = ArticlePage.objects.filter(_body_condition(subscription.body_id))
    else:
        pages = ArticlePage.objects.filter(pages_of_topic(subscription.topic))
    return published(pages).order_by("-publication_date", "-pk")


def _summary(article: ArticlePage) -> str:
    text = article.summary.strip() or unescape(strip_tags(article.body or ""))
    return Truncator(" ".join(text.split())).chars(SUMMARY_CHARS)


def _as_items(articles: Iterable[ArticlePage]) -> list[FeedItem]:
    items = []
    for article in articles:
        # No request: the canonical address on the article's own site's host.
        url = article.get_full_url()
        if url is None:
            continue
        items.append(FeedItem(
            pk=article.pk, title=article.title, url=url, published_at=article.publication_date,
            first_published_at=article.first_published_at, summary=_summary(article),
            guid=f"urn:uuid:{article.translation_key}"))
    return items


def feed_items(subscription: Subscription, *, since: datetime | None = None,
               until: datetime | None = None, limit: int = FEED_ITEMS) -> list[FeedItem]:
    """At most ``limit`` newest items of a subscription; with ``since``/``until``, only those
    first published after ``since`` and not after ``until`` (the digest's window: first
    publication, so a back-dated article published today is still news)."""
    articles = target_articles(subscription)
    if since is not None:
        articles = articles.filter(first_published_at__gt=since)
    if until is not None:
        articles = articles.filter(first_published_at__lte=until)
    return _as_items(articles[:limit])
