"""Sending one delivery out of the platform: e-mail through Django's mail backend (SMTP in
production), SMS through the configured provider (``sms.py``). In-site messages never leave:
``actions.deliver`` writes them into the inbox together with their delivery's SENT mark."""

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
    raise ValueError(f"channel {delivery.channel!r} is not sent by a provider")
