"""What closing a citizen account (注销账号) does to their records in 网上办事.

个人信息保护法 第四十七条 requires personal information to be deleted once the account is
closed; the records themselves are the government's (办件 are archived with their number,
timeline, decision and rating), so they stay with the personal part anonymised: the applicant
and booker details lose name, ID number, phone, e-mail and address, answers of the kinds that
are personal identifiers are emptied, the links to the account are cut, and the citizen's
customisation (pins, followed themes, guide progress) is deleted. Upcoming bookings are
cancelled, so their places go to others.
"""

import hashlib

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import BookingStatus, FormFieldKind
from ..models import (
    ApplicantDetails,
    BookerDetails,
    Booking,
    BookingSlot,
    GuideProgress,
    ServiceApplication,
    ServiceInterest,
    ServicePin,
)
from ._common import _audit

__all__ = ["ANONYMISED_NAME", "PERSONAL_ANSWER_KINDS", "anonymise_citizen_records"]

ANONYMISED_NAME = "已注销用户"
PERSONAL_ANSWER_KINDS = (FormFieldKind.RESIDENT_ID, FormFieldKind.PHONE, FormFieldKind.EMAIL)


def _closed_digest(booking_pk: int) -> str:
    # The contact digest is an unsalted hash of the phone number: replaced by one that
    # identifies nobody (and stays unique per booking for the one-per-slot constraint).
    return hashlib.sha256(f"closed-account:{booking_pk}".encode()).hexdigest()


def _anonymise_applications(user) -> int:
    applications = list(ServiceApplication.objects.select_for_update(of=("self",))
                        .filter(user=user).prefetch_related("item__form_fields")
                        .order_by("pk"))
    for application in applications:
        personal = {field.name for field in application.item.form_fields.all()
                    if field.kind in PERSONAL_ANSWER_KINDS}
        answers = {name: ("" if name in personal else value)
                   for name, value in (application.answers or {}).items()}
        ServiceApplication.objects.filter(pk=application.pk).update(user=None, answers=answers)
    ApplicantDetails.objects.filter(application__in=[app.pk for app in applications]).update(
        name=ANONYMISED_NAME, resident_id="", phone="", email="", address="")
    return len(applications)


def _anonymise_bookings(user) -> tuple[int, int]:
    now = timezone.now()
    bookings = list(Booking.objects.filter(user=user).select_related("slot").order_by("pk"))
    cancelled = 0
    note = _("预约人已注销账号")
    for booking in bookings:
        if booking.status == BookingStatus.BOOKED and booking.slot.starts_at > now:
            # Slot first, then booking: the lock order of ``actions.bookings``.
            BookingSlot.objects.select_for_update().filter(pk=booking.slot_id).first()
            if Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
                    status=BookingStatus.CANCELLED, cancelled_at=now, result_note=note):
                BookingSlot.objects.filter(pk=booking.slot_id).update(
                    booked_count=F("booked_count") - 1)
                cancelled += 1
        Booking.objects.filter(pk=booking.pk).update(user=None,
                                                     contact_digest=_closed_digest(booking.pk))
    BookerDetails.objects.filter(booking__in=[booking.pk for booking in bookings]).update(
        name=ANONYMISED_NAME, phone="", email="")
    return len(bookings), cancelled


@transaction.atomic
def anonymise_citizen_records(*, user) -> int:
    """Anonymise ``user``'s applications and bookings and delete their customisation, inside
    the account-closing transaction (hook ``citizen_account_closing``). Returns how many
    records changed."""
    applications = _anonymise_applications(user)
    bookings, cancelled = _anonymise_bookings(user)
    pins, _rows = ServicePin.objects.filter(user=user).delete()
    interests, _rows = ServiceInterest.objects.filter(user=user).delete()
    progress, _rows = GuideProgress.objects.filter(user=user).delete()
    _audit("services.citizen_records.anonymised", actor=user, data={
        "applications": applications, "bookings": bookings, "cancelled_bookings": cancelled,
        "pins": pins, "interests": interests, "guide_progress": progress})
    return applications + bookings + pins + interests + progress
