"""Queueing notifications and sending them (发送记录).

``notify`` renders and records one delivery per channel and, once the caller's transaction has
committed, enqueues the send as a background task: a rolled-back submission sends nothing. The
send claims its delivery with a conditional update (queued/failed → sending), so a task run
twice, or by two workers, sends once. A failed send is retried with back-off by
``retry_due_deliveries`` (a periodic task) until ``NOTIFICATIONS_MAX_ATTEMPTS``.

Deliveries are not audited one by one: the delivery record is itself the record of what was
sent to whom. Failures, give-ups and staff's re-sends are audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.masking import mask_email, mask_phone

from ..choices import Channel, DeliveryStatus
from ..exceptions import DeliveryNotRetryable
from ..kinds import get_kind
from ..models import Delivery, NotificationTemplate, SiteMessage
from ..recipients import recipient_for
from ..rendering import render_message
from ._common import _audit

__all__ = [
    "ABANDONED_PLACEHOLDER",
    "SENSITIVE_PLACEHOLDER",
    "deliver",
    "mask_address",
    "notify",
    "retry_delay",
    "retry_delivery",
    "retry_due_deliveries",
]

logger = logging.getLogger("chuangkou.notifications")

SENSITIVE_PLACEHOLDER = "（内容含验证码，发送后已清除）"
ABANDONED_PLACEHOLDER = "（内容含验证码，未能发送，已清除）"

# A task that has not run this long after it was queued is taken to be lost and is queued
# again; a duplicate is harmless (the claim lets one run send).
DEFAULT_REQUEUE_AFTER_SECONDS = 3600
# A worker that took a delivery and has not finished this long after died mid-send.
DEFAULT_SENDING_TIMEOUT_SECONDS = 900
RETRY_BATCH = 500


def mask_address(channel: str, address: str) -> str:
    """What staff and logs see of an address: 139****5678, z***@example.cn."""
    if channel == Channel.SMS:
        return mask_phone(address)
    if channel == Channel.EMAIL:
        return mask_email(address)
    return ""


def _targets(*, kind, user, email: str, mobile: str,
             channels: Iterable[str] | None) -> list[tuple[str, str]]:
    """``(channel, address)`` pairs to send to: explicit addresses win; a user is reached at
    the addresses and channels their account gives (unless the kind is mandatory). A closed
    account receives nothing, mandatory or not."""
    wanted = tuple(channels) if channels is not None else kind.channels
    wanted = tuple(channel for channel in wanted if channel in kind.channels)
    recipient = recipient_for(user) if user is not None else None
    if recipient is not None and not recipient.is_reachable:
        return []
    allowed = wanted if (kind.mandatory or recipient is None) else tuple(
        channel for channel in wanted if channel in recipient.channels)
    email = email or (recipient.email if recipient else "")
    mobile = mobile or (recipient.mobile if recipient else "")
    targets = []
    if Channel.EMAIL in allowed and email:
        targets.append((Channel.EMAIL, email))
    if Channel.SMS in allowed and mobile:
        targets.append((Channel.SMS, mobile))
    if Channel.SITE in allowed and user is not None and not kind.sensitive:
        targets.append((Channel.SITE, ""))
    return targets


@transaction.atomic
def notify(*, kind: str, context: dict, user=None, email: str = "", mobile: str = "",
           channels: Iterable[str] | None = None, url: str = "",
           dedupe_key: str = "") -> list[Delivery]:
    """Queue the notification ``kind`` to a user (their addresses and preferences) and/or to
    explicit addresses. Returns the deliveries recorded; with a ``dedupe_key`` a repeat of the
    same kind, channel and key records nothing more."""
    definition = get_kind(kind)
    targets = _targets(kind=definition, user=user, email=email, mobile=mobile,
                       channels=channels)
    if not targets:
        return []
    templates = {template.channel: template
                 for template in NotificationTemplate.objects.filter(kind=kind, is_active=True)}
    deliveries = []
    for channel, address in targets:
        subject, body = render_message(definition, channel, {**context, "url": url},
                                       templates.get(channel))
        fields = dict(kind=kind, channel=channel, user=user, address=address,
                      masked_address=mask_address(channel, address), subject=subject, body=body,
                      url=url, is_sensitive=definition.sensitive, dedupe_key=dedupe_key)
        if dedupe_key:
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(**fields)
            except IntegrityError:
                continue
        else:
            delivery = Delivery.objects.create(**fields)
        deliveries.append(delivery)
        # robust: a queue that cannot be reached must not turn a saved submission into an
        # error page; the delivery stays queued and retry_due_deliveries queues it again.
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk), robust=True)
    return deliveries


def _enqueue(delivery_id: int) -> None:
    from ..tasks import deliver_notification

    deliver_notification.enqueue(delivery_id)


def retry_delay(attempts: int) -> timedelta:
    """Back-off before attempt ``attempts + 1``: base × 2^(attempts − 1), at most a day."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 24 * 3600))


def _claim(delivery_id: int, now: datetime) -> bool:
    claimable = Delivery.objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED])
    claimable = claimable.exclude(next_attempt_at__gt=now)
    return claimable.update(status=DeliveryStatus.SENDING, claimed_at=now) == 1


def _safe_error(error: BaseException, delivery: Delivery) -> str:
    """The error as staff may read it: a provider's message may quote the address."""
    text = f"{type(error).__name__}: {error}"
    if delivery.address:
        text = text.replace(delivery.address, delivery.masked_address or "***")
    return text[:500]


def deliver(*, delivery_id: int) -> str:
    """Send one delivery if it is still to be sent; returns its status afterwards.

    Deliberately not one transaction: the claim commits before the provider is called, so any
    other worker sees the delivery taken, and a provider that hangs holds no lock."""
    from ..channels import send_on_channel

    now = timezone.now()
    if not _claim(delivery_id, now):
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or ""
    delivery = Delivery.objects.get(pk=delivery_id)
    attempts = delivery.attempts + 1
    if delivery.channel == Channel.SITE:
        return _deliver_to_inbox(delivery, attempts)
    try:
        reference = send_on_channel(delivery)
    except Exception as error:  # any provider failure is recorded and retried
        return _record_failure(delivery, attempts, _safe_error(error, delivery))
    update = dict(status=DeliveryStatus.SENT, attempts=attempts, sent_at=timezone.now(),
                  provider_reference=(reference or "")[:100], next_attempt_at=None,
                  last_error="")
    if delivery.is_sensitive:
        update["body"] = SENSITIVE_PLACEHOLDER
    Delivery.objects.filter(pk=delivery_id).update(**update)
    return DeliveryStatus.SENT


@transaction.atomic
def _deliver_to_inbox(delivery: Delivery, attempts: int) -> str:
    """The in-site message and the delivery's SENT mark commit together: exactly once."""
    if delivery.user_id is None:
        return _record_failure(delivery, attempts, _("接收账号已不存在。"), give_up=True)
    message, _created = SiteMessage.objects.get_or_create(
        delivery=delivery, defaults=dict(user_id=delivery.user_id,
                                         subject=delivery.subject or delivery.body[:60],
                                         body=delivery.body, url=delivery.url))
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, attempts=attempts, sent_at=timezone.now(),
        provider_reference=f"site-{message.pk}", next_attempt_at=None, last_error="")
    return DeliveryStatus.SENT


def _record_failure(delivery: Delivery, attempts: int, error: str, *,
                    give_up: bool = False) -> str:
    exhausted = give_up or attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    status = DeliveryStatus.ABANDONED if exhausted else DeliveryStatus.FAILED
    update = dict(status=status, attempts=attempts, last_error=error,
                  next_attempt_at=None if exhausted else timezone.now() + retry_delay(attempts))
    if exhausted and delivery.is_sensitive:
        update["body"] = ABANDONED_PLACEHOLDER
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(**update)
        _audit("notifications.delivery_failed", target=delivery,
               data={"kind": delivery.kind, "channel": delivery.channel, "attempts": attempts,
                     "abandoned": exhausted, "error": error})
    logger.warning("delivery %s (%s, %s) failed, attempt %s%s: %s", delivery.pk, delivery.kind,
                   delivery.channel, attempts, ", given up" if exhausted else "", error)
    return status


@transaction.atomic
def retry_due_deliveries(*, now: datetime | None = None) -> int:
    """The retry sweep (every few minutes): queue again the failed deliveries whose back-off has
    passed, and the queued ones whose task was lost; settle sends a dead worker left half-done.
    Returns how many deliveries it queued."""
    now = now or timezone.now()
    requeue_after = timedelta(seconds=getattr(
        settings, "NOTIFICATIONS_REQUEUE_AFTER_SECONDS", DEFAULT_REQUEUE_AFTER_SECONDS))
    sending_timeout = timedelta(seconds=getattr(
        settings, "NOTIFICATIONS_SENDING_TIMEOUT_SECONDS", DEFAULT_SENDING_TIMEOUT_SECONDS))
    interrupted = _settle_interrupted_sends(claimed_before=now - sending_timeout, now=now)
    due = list(Delivery.objects.filter(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:RETRY_BATCH])
    lost = list(Delivery.objects.filter(status=DeliveryStatus.QUEUED,
                                        queued_at__lte=now - requeue_after)
                .order_by("queued_at").values_list("pk", flat=True)[:RETRY_BATCH])
    retried = Delivery.objects.filter(pk__in=due, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.QUEUED, next_attempt_at=None, queued_at=now)
    requeued = Delivery.objects.filter(pk__in=lost, status=DeliveryStatus.QUEUED).update(
        queued_at=now)
    for pk in [*due, *lost]:
        transaction.on_commit(lambda pk=pk: _enqueue(pk), robust=True)
    if retried or requeued or interrupted:
        _audit("notifications.retries_queued",
               data={"retried": retried, "requeued": requeued, "interrupted": interrupted})
    return retried + requeued


def _settle_interrupted_sends(*, claimed_before: datetime, now: datetime) -> int:
    """Sends a worker took and never finished. An in-site message is written together with its
    SENT mark, so one without its message was not delivered and is retried. An e-mail or SMS
    may or may not have left: it is given up rather than risk sending it twice, and staff can
    send it again from the delivery records."""
    stale = Delivery.objects.filter(status=DeliveryStatus.SENDING,
                                    claimed_at__lt=claimed_before)
    settled = 0
    for delivery in stale[:RETRY_BATCH]:
        if delivery.channel == Channel.SITE:
            settled += Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING) \
                .update(status=DeliveryStatus.FAILED, next_attempt_at=now,
                        last_error=_("发送进程中断，将重试。"))
            continue
        update = dict(status=DeliveryStatus.ABANDONED, next_attempt_at=None,
                      last_error=_("发送结果未知：发送进程在发送途中中断。为避免重复发送，未自动重试。"))
        if delivery.is_sensitive:
            update["body"] = ABANDONED_PLACEHOLDER
        changed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING) \
            .update(**update)
        if changed:
            _audit("notifications.delivery_interrupted", target=delivery,
                   data={"kind": delivery.kind, "channel": delivery.channel})
        settled += changed
    return settled


@transaction.atomic
def retry_delivery(*, delivery: Delivery, actor) -> Delivery:
    """重新发送: staff put a failed or given-up delivery back on the queue. It gets one more
    attempt (a given-up one is given up again if that fails)."""
    delivery = Delivery.objects.select_related("user").get(pk=delivery.pk)
    if delivery.status not in (DeliveryStatus.FAILED, DeliveryStatus.ABANDONED):
        raise DeliveryNotRetryable({"__all__": [
            _("只能重新发送“发送失败”或“已放弃”的记录，该记录当前为“%(status)s”。")
            % {"status": delivery.get_status_display()}]})
    if delivery.is_sensitive:
        raise DeliveryNotRetryable({"__all__": [
            _("验证码类通知发送失败后内容已清除，不能重新发送；请提示用户重新获取验证码。")]})
    if delivery.channel != Channel.SITE and not delivery.address:
        raise DeliveryNotRetryable({"__all__": [_("接收地址已清除（账号已注销），不能重新发送。")]})
    if delivery.user is not None:
        recipient = recipient_for(delivery.user)
        if recipient is not None and not recipient.is_reachable:
            raise DeliveryNotRetryable({"__all__": [_("接收账号已注销，不能重新发送。")]})
    previous = delivery.status
    changed = Delivery.objects.filter(pk=delivery.pk, status=previous).update(
        status=DeliveryStatus.QUEUED, next_attempt_at=None, queued_at=timezone.now())
    if not changed:
        raise DeliveryNotRetryable({"__all__": [_("该记录的状态刚刚发生变化，请刷新后再试。")]})
    _audit("notifications.delivery_retried", actor=actor, target=delivery,
           data={"kind": delivery.kind, "channel": delivery.channel, "previous_status": previous,
                 "attempts": delivery.attempts})
    transaction.on_commit(lambda: _enqueue(delivery.pk), robust=True)
    delivery.refresh_from_db()
    return delivery
