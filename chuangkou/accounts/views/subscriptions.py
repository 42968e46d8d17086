"""订阅 pages: the citizen's subscriptions, subscribing (also from a column's "订阅本栏目"
button), changing how one is received, deleting one; the private RSS feed, reached by its
unguessable token without signing in; and the one-click unsubscribe link of the digests (a
signed token; GET asks, POST unsubscribes).

Another citizen's subscription number is a 404, as are wrong feed and unsubscribe tokens;
addresses that keep trying wrong tokens are slowed down (429)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangkou.core.admin_views import apply_rule_violation
from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit, is_over_limit

from ..actions.subscriptions import (
    change_subscription_delivery,
    subscribe,
    unsubscribe,
    unsubscribe_by_token,
)
from ..choices import SubscriptionDelivery, SubscriptionTarget
from ..decorators import citizen_required
from ..exceptions import AccountsRuleViolation
from ..forms.subscriptions import DeliveryForm, SubscriptionForm
from ..models import Subscription
from ..queries.subscriptions import (
    FEED_ITEMS,
    feed_items,
    site_names_for_pages,
    subscription_by_feed_token,
    subscription_for_unsubscribe_token,
    subscription_of,
    subscriptions_of,
    target_label,
)
from .homepage import page_context, private

__all__ = ["subscription_add", "subscription_delete", "subscription_delivery",
           "subscription_feed", "subscriptions", "unsubscribe_link"]

SECTION = "subscriptions"
# Wrong feed or unsubscribe tokens one address may try in an hour (the tokens are 256-bit and
# signed: this only keeps a scanner from costing database time).
BAD_TOKENS_PER_HOUR = 60
RSS_LANGUAGE = "zh-cn"


def _context(request, **extra) -> dict:
    return page_context(request, mine_section=SECTION, **extra)


def _bad_token_key(request: HttpRequest) -> str:
    return f"accounts-subscription-token-rate:{client_address_from(request) or 'unknown'}"


def _bad_token_limit() -> int:
    return getattr(settings, "ACCOUNTS_BAD_FEED_TOKENS_PER_HOUR", BAD_TOKENS_PER_HOUR)


def _too_many_bad_tokens(request: HttpRequest) -> bool:
    return is_over_limit(_bad_token_key(request), _bad_token_limit())


def _bad_token(request: HttpRequest) -> Http404:
    count_hit(_bad_token_key(request), window_seconds=3600)
    return Http404()


def _slowed_down(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_("请求过于频繁，请一小时后再试。"), status=429,
                            content_type="text/plain; charset=utf-8")
    return private(response)


def _own(request: HttpRequest, pk: int) -> Subscription:
    subscription = subscription_of(request.citizen, pk)
    if subscription is None:
        raise Http404
    return subscription


@require_GET
@citizen_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    account = request.citizen
    rows = list(subscriptions_of(account))
    names = site_names_for_pages([row.column for row in rows if row.column])
    entries = [{
        "subscription": row,
        "label": target_label(row, site_names=names),
        "feed_url": (request.build_absolute_uri(reverse("accounts:subscription_feed",
                                                        args=[row.feed_token]))
                     if row.delivery == SubscriptionDelivery.RSS else ""),
        "delivery_form": DeliveryForm(prefix=f"s{row.pk}", initial={"delivery": row.delivery}),
    } for row in rows]
    personal = getattr(account, "personal_data", None)
    has_email = bool(personal and personal.email and personal.email_verified_at)
    return private(render(request, "accounts/subscriptions/list.html", _context(
        request, entries=entries, has_email=has_email,
        uses_email=any(row.delivery != SubscriptionDelivery.RSS for row in rows))))


def _prefill(request: HttpRequest) -> dict:
    """What a link or the "订阅本栏目" button asks to subscribe to (``?column=<id>``,
    ``?body=<id>``, ``?topic=<code>``); the form checks it like anything typed."""
    for target, name in ((SubscriptionTarget.COLUMN, "column"), (SubscriptionTarget.BODY, "body"),
                         (SubscriptionTarget.TOPIC, "topic")):
        value = request.GET.get(name, "")
        if value:
            return {"target": target, name: value}
    return {}


@require_http_methods(["GET", "POST"])
@citizen_required
def subscription_add(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            try:
                made = subscribe(account=request.citizen, **form.subscription_fields())
            except AccountsRuleViolation as error:
                apply_rule_violation(form, error)
            else:
                messages.success(request, _("已订阅“%(label)s”，接收方式：%(delivery)s。")
                                 % {"label": target_label(made),
                                    "delivery": made.get_delivery_display()})
                return redirect("accounts:subscriptions")
        status = 400
    else:
        form = SubscriptionForm(initial=_prefill(request))
        status = 200
    return private(render(request, "accounts/subscriptions/form.html",
                          _context(request, form=form), status=status))


@require_POST
@citizen_required
def subscription_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _own(request, pk)
    form = DeliveryForm(request.POST, prefix=f"s{subscription.pk}")
    if form.is_valid():
        try:
            change_subscription_delivery(account=request.citizen, subscription=subscription,
                                         delivery=form.cleaned_data["delivery"])
        except Subscription.DoesNotExist:
            raise Http404 from None
        except AccountsRuleViolation as error:
            for message_list in error.errors.values():
                for message in message_list:
                    messages.error(request, message)
        else:
            messages.success(request, _("已更改“%(label)s”的接收方式。")
                             % {"label": target_label(subscription)})
    else:
        messages.error(request, _("请选择接收方式：每日邮件摘要、每周邮件摘要或 RSS 订阅。"))
    return redirect("accounts:subscriptions")


@require_http_methods(["GET", "POST"])
@citizen_required
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (works without JavaScript); POST deletes."""
    subscription = _own(request, pk)
    label = target_label(subscription)
    if request.method == "POST":
        try:
            unsubscribe(account=request.citizen, subscription=subscription)
        except Subscription.DoesNotExist:
            raise Http404 from None
        messages.success(request, _("已退订“%(label)s”。") % {"label": label})
        return redirect("accounts:subscriptions")
    return private(render(request, "accounts/subscriptions/delete.html",
                          _context(request, subscription=subscription, label=label)))


@require_GET
def subscription_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private RSS 2.0 feed of one subscription: its newest public items (at most 50)."""
    if _too_many_bad_tokens(request):
        return _slowed_down(request)
    subscription = subscription_by_feed_token(token)
    if subscription is None:
        raise _bad_token(request)
    label = target_label(subscription, site_names=site_names_for_pages(
        [subscription.column] if subscription.column else []))
    feed_url = request.build_absolute_uri()
    feed = Rss201rev2Feed(
        title=_("我的订阅：%(label)s") % {"label": label},
        link=request.build_absolute_uri(reverse("accounts:subscriptions")),
        description=_("您在%(site)s订阅的“%(label)s”最新发布的信息。")
        % {"site": settings.WAGTAIL_SITE_NAME, "label": label},
        language=RSS_LANGUAGE, feed_url=feed_url, ttl="60")
    # Links are canonical (the article's own site's host), whichever host the feed was read on.
    for item in feed_items(subscription, limit=FEED_ITEMS):
        published_at = timezone.localtime(item.published_at).replace(microsecond=0)
        # Readers treat RSS titles and descriptions as HTML: the plain text is escaped once
        # more so "<" reads as "<".
        feed.add_item(title=escape(item.title), link=item.url,
                      description=escape(item.summary) or None, unique_id=item.guid,
                      unique_id_is_permalink=False, pubdate=published_at)
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
    # The address is the secret: never indexed, never kept by a shared cache.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response


@require_http_methods(["GET", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """退订 from a digest e-mail: no sign-in, the signed token names the subscription. A link
    whose subscription is already gone says so; a forged one is a 404."""
    if _too_many_bad_tokens(request):
        return _slowed_down(request)
    valid, subscription = subscription_for_unsubscribe_token(token)
    if not valid:
        raise _bad_token(request)
    if subscription is None:
        return private(render(request, "accounts/subscriptions/unsubscribed.html",
                              page_context(request, label="", already=True)))
    label = target_label(subscription, site_names=site_names_for_pages(
        [subscription.column] if subscription.column else []))
    if request.method == "POST":
        unsubscribe_by_token(subscription=subscription)
        return private(render(request, "accounts/subscriptions/unsubscribed.html",
                              page_context(request, label=label, already=False)))
    return private(render(request, "accounts/subscriptions/unsubscribe.html",
                          page_context(request, label=label, subscription=subscription)))
