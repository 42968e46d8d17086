"""Delivery records (发送记录) as staff see them: never the encrypted address."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Delivery

__all__ = ["STAFF_DELIVERY_FIELDS", "deliveries_for_staff", "delivery_for_staff"]

# Everything but the address (personal data, encrypted): staff see ``masked_address``.
STAFF_DELIVERY_FIELDS = (
    "id", "kind", "channel", "user_id", "masked_address", "subject", "body", "url",
    "is_sensitive", "status", "attempts", "next_attempt_at", "last_error",
    "provider_reference", "dedupe_key", "created_at", "queued_at", "claimed_at", "sent_at",
)


def deliveries_for_staff() -> QuerySet[Delivery]:
    """Every delivery record, newest first, without the encrypted address."""
    return Delivery.objects.only(*STAFF_DELIVERY_FIELDS).order_by("-created_at", "-pk")


def delivery_for_staff(pk) -> Delivery | None:
    return deliveries_for_staff().filter(pk=pk).first()
