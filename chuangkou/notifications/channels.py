"""Sending one delivery on its channel: e-mail through Django's mail backend, SMS through the
configured provider, in-site messages into the citizen's inbox."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from .choices import Channel
from .models import Delivery
from .sms import sms_provider

__all__ = ["send_on_channel"]


def send_on_channel(delivery: Delivery) -> str:
    """Send ``delivery``; returns a provider reference (may be empty). Raises on failure."""
    if delivery.channel == Channel.EMAIL:
        message = EmailMessage(subject=delivery.subject, body=delivery.body,
                               from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.address],
                               headers={"X-Chuangkou-Delivery": str(delivery.pk)})
        message.send(fail_silently=False)
        return ""
    if delivery.channel == Channel.SMS:
        return sms_provider().send(mobile=delivery.address,
                                   text=settings.NOTIFICATIONS_SMS_SIGNATURE + delivery.body)
    if delivery.channel == Channel.SITE:
        from .actions import create_site_message

        return f"site-{create_site_message(delivery=delivery).pk}"
    raise ValueError(f"unknown channel {delivery.channel!r}")
