"""Reads of 预约服务: the public list of resources with their upcoming slots and places left,
a resource's upcoming slots, a booker's own bookings, the lookup by number and query code,
and the staff lists (resources of the user's bodies, a slot's bookings with the bookers).

Every list fetches what its page shows up front: counts are annotated, related rows joined."""

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.utils import timezone

from chuangkou.core.query_codes import query_code_matches
from chuangkou.organizations.models import Body

from ..choices import BookingStatus
from ..models import BookableResource, Booking, BookingSlot
from .access import handled_bodies, managed_bodies

__all__ = [
    "booking_bodies",
    "booking_by_number_and_code",
    "bookings_of_slot",
    "bookings_of_user",
    "bookings_with_slot",
    "published_resource",
    "published_resources",
    "resource_for_staff",
    "resources_for_staff",
    "slot_for_public",
    "slot_for_staff",
    "slots_of_resource_for_staff",
    "staff_booking_bodies",
    "upcoming_slots",
]


def _upcoming(prefix: str = "", *, now=None) -> Q:
    now = now or timezone.now()
    return Q(**{f"{prefix}is_cancelled": False, f"{prefix}starts_at__gt": now})


def published_resources(*, kind: str | None = None, body: Body | None = None,
                        now=None) -> QuerySet[BookableResource]:
    """Published resources with, annotated, their upcoming slots (``upcoming_slots``), the
    places left in them (``places_left``) and the next start (``next_starts_at``)."""
    upcoming = _upcoming("slots__", now=now)
    resources = (BookableResource.objects.filter(is_published=True)
                 .select_related("body", "item")
                 .annotate(upcoming_slots=Count("slots", filter=upcoming),
                           places_left=Sum(F("slots__capacity") - F("slots__booked_count"),
                                           filter=upcoming),
                           next_starts_at=Min("slots__starts_at", filter=upcoming))
                 .order_by("kind", "body__path", "name", "pk"))
    if kind:
        resources = resources.filter(kind=kind)
    if body is not None:
        resources = resources.filter(body=body)
    return resources


def booking_bodies() -> QuerySet[Body]:
    """Bodies with at least one published resource (the list page's filter)."""
    return (Body.objects.filter(bookable_resources__is_published=True).distinct()
            .order_by("path"))


def published_resource(pk: int) -> BookableResource | None:
    return (BookableResource.objects.select_related("body", "item")
            .filter(pk=pk, is_published=True).first())


def upcoming_slots(resource: BookableResource, *, now=None) -> QuerySet[BookingSlot]:
    return (BookingSlot.objects.filter(_upcoming(now=now), resource=resource)
            .order_by("starts_at", "pk"))


def slot_for_public(pk: int) -> BookingSlot | None:
    """A slot of a published resource (cancelled or past slots included: the page says so)."""
    return (BookingSlot.objects.select_related("resource", "resource__body")
            .filter(pk=pk, resource__is_published=True).first())


def bookings_with_slot() -> QuerySet[Booking]:
    return Booking.objects.select_related("slot", "slot__resource", "slot__resource__body")


def bookings_of_user(user) -> QuerySet[Booking]:
    """我的预约: the signed-in user's bookings, the latest first."""
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    return bookings_with_slot().filter(user=user).order_by("-booked_at", "-pk")


def booking_by_number_and_code(number: str, code: str) -> Booking | None:
    """The booking if ``code`` is its query code; None for any wrong pair."""
    number = "".join((number or "").split()).upper()
    booking = Booking.objects.filter(number=number).first() if number else None
    if booking is None or not query_code_matches(booking.query_code_digest, number=number,
                                                 code=code):
        return None
    return booking


# --- Staff -----------------------------------------------------------------------------------


def staff_booking_bodies(user) -> QuerySet[Body]:
    """The bodies whose bookings ``user`` works on: where they manage items or handle."""
    ids = {*managed_bodies(user).values_list("pk", flat=True),
           *handled_bodies(user).values_list("pk", flat=True)}
    return Body.objects.filter(pk__in=ids).order_by("path")


def resources_for_staff(user, *, now=None) -> QuerySet[BookableResource]:
    """Resources of the user's bodies with counts of upcoming slots and live bookings."""
    upcoming = _upcoming("slots__", now=now)
    return (BookableResource.objects.filter(body__in=staff_booking_bodies(user))
            .select_related("body", "item")
            .annotate(upcoming_slots=Count("slots", filter=upcoming),
                      booked=Sum("slots__booked_count", filter=upcoming))
            .order_by("body__path", "name", "pk"))


def resource_for_staff(user, pk: int) -> BookableResource | None:
    return (BookableResource.objects.select_related("body", "item")
            .filter(pk=pk, body__in=staff_booking_bodies(user)).first())


def slots_of_resource_for_staff(resource: BookableResource) -> QuerySet[BookingSlot]:
    """Every slot of the resource, the latest first, with its attendance counts."""
    return (BookingSlot.objects.filter(resource=resource)
            .annotate(attended=Count("bookings",
                                     filter=Q(bookings__status=BookingStatus.ATTENDED)),
                      no_show=Count("bookings", filter=Q(bookings__status=BookingStatus.NO_SHOW)))
            .order_by("-starts_at", "-pk"))


def slot_for_staff(user, pk: int) -> BookingSlot | None:
    return (BookingSlot.objects.select_related("resource", "resource__body")
            .filter(pk=pk, resource__body__in=staff_booking_bodies(user)).first())


def bookings_of_slot(slot: BookingSlot) -> QuerySet[Booking]:
    """A slot's bookings with the bookers' details, in the order they were made."""
    return (Booking.objects.filter(slot=slot).select_related("booker", "user")
            .order_by("booked_at", "pk"))

