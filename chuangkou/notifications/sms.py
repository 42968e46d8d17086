"""SMS behind one small interface. Production configures a provider class (a carrier's or a
cloud SMS gateway's) in ``NOTIFICATIONS_SMS_PROVIDER``; development and tests use the logging
provider, which keeps the messages in memory and logs them with the number masked."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from chuangkou.core.masking import mask_phone

__all__ = ["LoggingSmsProvider", "SentSms", "SmsProvider", "outbox", "sms_provider"]

logger = logging.getLogger("chuangkou.notifications.sms")


class SmsProvider:
    """Send ``text`` to ``mobile``; return the provider's message id. Raise on failure."""

    def send(self, *, mobile: str, text: str) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class SentSms:
    mobile: str
    text: str
    reference: str


# What the logging provider "sent" in this process (tests read it like mail.outbox).
outbox: list[SentSms] = []
_references = itertools.count(1)


class LoggingSmsProvider(SmsProvider):
    def send(self, *, mobile: str, text: str) -> str:
        reference = f"log-{next(_references)}"
        outbox.append(SentSms(mobile=mobile, text=text, reference=reference))
        logger.info("SMS %s to %s: %s", reference, mask_phone(mobile), text)
        return reference


@cache
def sms_provider() -> SmsProvider:
    return import_string(settings.NOTIFICATIONS_SMS_PROVIDER)()


@receiver(setting_changed)
def _forget_provider(*, setting, **kwargs):
    if setting == "NOTIFICATIONS_SMS_PROVIDER":
        sms_provider.cache_clear()
