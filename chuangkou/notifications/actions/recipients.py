"""What the notifications domain holds about a person, when their account closes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import DeliveryStatus
from ..models import Delivery, SiteMessage
from ._common import _audit

__all__ = ["CLOSED_ACCOUNT_PLACEHOLDER", "forget_recipient"]

CLOSED_ACCOUNT_PLACEHOLDER = "（账号已注销，内容已清除）"


@transaction.atomic
def forget_recipient(*, user) -> int:
    """On closing a citizen's account (个人信息保护法 第四十七条): delete their inbox, give up what
    was still to be sent to them, and strip addresses and wording from their delivery records,
    keeping what was sent when on which channel. Returns how many records changed."""
    messages, _per_model = SiteMessage.objects.filter(user=user).delete()
    # The address column is encrypted; the empty string is stored as itself, so one UPDATE
    # clears it.
    wiped = Delivery.objects.filter(user=user).exclude(body=CLOSED_ACCOUNT_PLACEHOLDER).update(
        address="", masked_address="", body=CLOSED_ACCOUNT_PLACEHOLDER, last_error="")
    pending = Delivery.objects.filter(
        user=user, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED])
    abandoned = pending.update(status=DeliveryStatus.ABANDONED, next_attempt_at=None,
                               last_error=_("账号已注销"))
    if messages or abandoned or wiped:
        _audit("notifications.recipient_forgotten", target=user,
               data={"messages_deleted": messages, "deliveries_abandoned": abandoned,
                     "deliveries_wiped": wiped})
    return messages + wiped
