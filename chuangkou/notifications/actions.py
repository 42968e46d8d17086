"""Every state change of the notifications domain: queueing notifications and sending them.

``notify`` renders and records one delivery per channel and, once the caller's transaction has
committed, enqueues the send as a background task: a rolled-back submission sends nothing. The
send claims its delivery with a conditional update (queued/failed → sending), so a task run
twice, or by two workers, sends once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core.audit import record_event
from chuangkou.core.masking import mask_phone

from .choices import Channel, DeliveryStatus
from .kinds import get_kind
from .models import Delivery, NotificationTemplate, SiteMessage
from .recipients import recipient_for
from .rendering import render_message

__all__ = ["SENSITIVE_PLACEHOLDER", "deliver", "notify", "retry_delay"]

SENSITIVE_PLACEHOLDER = "（内容含验证码，发送后已清除）"


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return (local[:1] + "***@" + domain) if domain else "***"


def _targets(*, kind, user, email: str, mobile: str,
             channels: Iterable[str] | None) -> list[tuple[str, str]]:
    """``(channel, address)`` pairs to send to: explicit addresses win; a user is reached at
    the addresses and channels their account gives (unless the kind is mandatory)."""
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


def notify(*, kind: str, context: dict, user=None, email: str = "", mobile: str = "",
           channels: Iterable[str] | None = None, url: str = "",
           dedupe_key: str = "") -> list[Delivery]:
    """Queue the notification ``kind`` to a user (their addresses and preferences) and/or to
    explicit addresses. Returns the deliveries recorded; with a ``dedupe_key`` a repeat of the
    same kind, channel and key records nothing more."""
    definition = get_kind(kind)
    templates = {template.channel: template
                 for template in NotificationTemplate.objects.filter(kind=kind, is_active=True)}
    deliveries = []
    for channel, address in _targets(kind=definition, user=user, email=email, mobile=mobile,
                                     channels=channels):
        subject, body = render_message(definition, channel, {**context, "url": url},
                                       templates.get(channel))
        masked = (_mask_email(address) if channel == Channel.EMAIL
                  else mask_phone(address) if channel == Channel.SMS else "")
        fields = dict(kind=kind, channel=channel, user=user if user is not None else None,
                      address=address, masked_address=masked, subject=subject, body=body,
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
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return deliveries


def _enqueue(delivery_id: int) -> None:
    from .tasks import deliver_notification

    deliver_notification.enqueue(delivery_id)


def retry_delay(attempts: int) -> timedelta:
    """Back-off before attempt ``attempts + 1``: base × 2^(attempts − 1), at most a day."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 24 * 3600))


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    claimable = Delivery.objects.filter(pk=delivery_id).filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED])
    claimable = claimable.exclude(next_attempt_at__gt=now)
    return claimable.update(status=DeliveryStatus.SENDING) == 1


def deliver(*, delivery_id: int) -> str:
    """Send one delivery if it is still to be sent; returns its status afterwards."""
    from .channels import send_on_channel

    if not _claim(delivery_id):
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or ""
    delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
    attempts = delivery.attempts + 1
    try:
        reference = send_on_channel(delivery)
    except Exception as error:  # any provider failure is recorded and retried
        exhausted = attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        status = DeliveryStatus.ABANDONED if exhausted else DeliveryStatus.FAILED
        Delivery.objects.filter(pk=delivery_id).update(
            status=status, attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:500],
            next_attempt_at=None if exhausted else timezone.now() + retry_delay(attempts))
        record_event("notifications.delivery_failed", target=delivery,
                     data={"kind": delivery.kind, "channel": delivery.channel,
                           "attempts": attempts, "abandoned": exhausted})
        return status
    with transaction.atomic():
        update = dict(status=DeliveryStatus.SENT, attempts=attempts, sent_at=timezone.now(),
                      provider_reference=(reference or "")[:100], next_attempt_at=None,
                      last_error="")
        if delivery.is_sensitive:
            update["body"] = SENSITIVE_PLACEHOLDER
        Delivery.objects.filter(pk=delivery_id).update(**update)
    return DeliveryStatus.SENT


def create_site_message(*, delivery: Delivery) -> SiteMessage:
    return SiteMessage.objects.create(user=delivery.user, delivery=delivery,
                                      subject=delivery.subject or delivery.body[:60],
                                      body=delivery.body, url=delivery.url)
