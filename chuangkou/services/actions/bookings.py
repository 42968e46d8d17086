"""预约服务: bookable resources (training courses, community services, hall appointments),
their slots with a capacity, and citizens' bookings of a place in a slot.

No overbooking: every change of a slot's ``booked_count`` happens with the slot row locked
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs every transaction as ``BEGIN IMMEDIATE``,
one writer at a time), and the database refuses a count above the capacity as a second line
of defence. Locks are always taken slot first, then its bookings.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.accounts import actions as account_actions
from chuangkou.accounts import queries as account_queries
from chuangkou.accounts.choices import AccountStatus, ReminderSource
from chuangkou.accounts.models import Reminder
from chuangkou.core.query_codes import new_query_code, query_code_digest
from chuangkou.core.serials import next_serial
from chuangkou.notifications.actions import notify
from chuangkou.organizations.models import Body

from .. import rules
from ..choices import BookingStatus
from ..exceptions import BookingRefused, ServicesRuleViolation
from ..models import BookableResource, BookerDetails, Booking, BookingSlot, ServiceItem
from ..queries.access import may_handle_at, may_manage_body
from ._common import _audit, _notify_person, _user_or_none

__all__ = [
    "BOOKING_SERIAL_SCOPE",
    "BookerInput",
    "add_booking_slot",
    "book_slot",
    "booking_cancellable_until",
    "cancel_booking",
    "cancel_booking_slot",
    "may_keep_bookings",
    "may_work_on_bookings",
    "record_booking_result",
    "save_bookable_resource",
    "send_booking_reminders",
]

BOOKING_SERIAL_SCOPE = "service_booking"
MAX_SLOT_CAPACITY = 1000
REASON_MIN_CHARS = 4
RESULT_NOTE_MAX_CHARS = Booking._meta.get_field("result_note").max_length
RESOURCE_FIELDS = ("name", "kind", "body", "item", "place", "description", "requires_account",
                   "cancel_hours_before", "is_published")
MOBILE = re.compile(r"1[3-9]\d{9}")
RESULT_STATUSES = (BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
REMINDER_TITLE_LENGTH = Reminder._meta.get_field("title").max_length
REMINDER_NOTE_LENGTH = Reminder._meta.get_field("note").max_length


@dataclass(frozen=True, kw_only=True)
class BookerInput:
    """预约人信息 as entered: kept apart from the booking (``BookerDetails``), never published."""

    name: str
    phone: str
    email: str = ""


# --- Pure helpers ---------------------------------------------------------------------------


def normalise_mobile(phone: str) -> str:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86/0086 prefix dropped),
    or "" when it is not one."""
    digits = re.sub(r"[\s\-()]", "", phone or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
            break
    return digits if MOBILE.fullmatch(digits) else ""


def contact_digest(phone: str) -> str:
    """SHA-256 of the normalised mobile number: one live booking per phone per slot is a
    database constraint on this digest, without keeping the number on the booking itself."""
    return hashlib.sha256(normalise_mobile(phone).encode()).hexdigest()


def booking_cancellable_until(slot: BookingSlot) -> datetime:
    """The last moment the booker may cancel: ``cancel_hours_before`` hours before the start."""
    return slot.starts_at - timedelta(hours=slot.resource.cancel_hours_before)


def booking_reminder_day(starts_on: date, *, today: date) -> date:
    """The day before the slot, or today when the slot is tomorrow or today already."""
    return max(starts_on - timedelta(days=1), min(today, starts_on))


def _booking_context(booking: Booking, slot: BookingSlot) -> dict:
    return {"resource": slot.resource.name, "place": slot.resource.place,
            "start": timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M"),
            "number": booking.number}


def _tell_booker(booking: Booking, slot: BookingSlot, kind: str, *, email: str = "",
                 **context) -> None:
    _notify_person(kind=kind, user=booking.user, email=email,
                   url=reverse("services:booking", args=[booking.number]),
                   context={**_booking_context(booking, slot), **context})


def _schedule_booking_reminder(booking: Booking, slot: BookingSlot) -> None:
    """个性化提醒: a citizen's booking goes into their reminders, for the day before."""
    account = account_queries.citizen_account_of(booking.user)
    if account is None:
        return
    starts_on = timezone.localdate(slot.starts_at)
    context = _booking_context(booking, slot)
    # Cut to the reminder's lengths: a long resource name or place must not refuse a booking.
    account_actions.schedule_reminder(
        account=account, title=(_("预约：%(resource)s") % context)[:REMINDER_TITLE_LENGTH],
        due_on=starts_on, remind_on=booking_reminder_day(starts_on, today=timezone.localdate()),
        source=ReminderSource.BOOKING, source_reference=booking.number,
        url=reverse("services:booking", args=[booking.number]),
        note=(_("%(start)s，%(place)s") % context)[:REMINDER_NOTE_LENGTH])


def _cancel_booking_reminder(booking: Booking) -> None:
    account = account_queries.citizen_account_of(booking.user) if booking.user_id else None
    if account is not None:
        account_actions.cancel_reminders_for_source(
            account=account, source=ReminderSource.BOOKING, source_reference=booking.number)


def _clean_line(value: str) -> str:
    return " ".join((value or "").split())


def _reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_CHARS:
        raise ServicesRuleViolation({field: [
            _("请填写理由，至少%(n)d个字。") % {"n": REASON_MIN_CHARS}]})
    return reason


# --- Who may act -----------------------------------------------------------------------------


def may_keep_bookings(user, body: Body) -> bool:
    """Item managers of ``body`` keep its bookable resources and slots (预约资源管理)."""
    return bool(getattr(user, "is_authenticated", False)
                and user.has_perm("services.manage_bookings") and may_manage_body(user, body))


def may_work_on_bookings(user, body: Body) -> bool:
    """Managers and handlers of ``body`` see its bookings, record attendance and cancel them."""
    return may_keep_bookings(user, body) or may_handle_at(user, body)


def _require_keeper(actor, body: Body) -> None:
    if not may_keep_bookings(actor, body):
        raise PermissionDenied(_("只有该单位的事项管理员可以管理预约资源。"))


def _require_worker(actor, body: Body) -> None:
    if not may_work_on_bookings(actor, body):
        raise PermissionDenied(_("只有该单位的事项管理员或办件人员可以办理预约。"))


def _locked_slot(slot: BookingSlot) -> BookingSlot:
    # of=("self",): the resource row is read, not locked (staff may edit it meanwhile).
    return (BookingSlot.objects.select_for_update(of=("self",))
            .select_related("resource", "resource__body").get(pk=slot.pk))


# --- Resources and slots ---------------------------------------------------------------------


@transaction.atomic
def save_bookable_resource(*, actor, resource: BookableResource | None = None,
                           **fields) -> BookableResource:
    """Create or change a bookable resource; publish or withdraw it with ``is_published``.

    Only managers of the body (before and after the change) may; an item, if linked, must be
    one of the same body's items.
    """
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    creating = resource is None
    if creating:
        resource = BookableResource()
        before = {}
    else:
        resource = BookableResource.objects.select_for_update().get(pk=resource.pk)
        _require_keeper(actor, resource.body)
        before = {name: getattr(resource, name if name not in ("body", "item") else f"{name}_id")
                  for name in RESOURCE_FIELDS}
    errors: dict[str, list[str]] = {}
    body = fields.get("body", resource.body if not creating else None)
    if not isinstance(body, Body):
        errors["body"] = [_("请选择提供单位。")]
    else:
        _require_keeper(actor, body)
    item = fields.get("item", None if creating else resource.item)
    if item is not None and not isinstance(item, ServiceItem):
        errors["item"] = [_("请选择一个事项。")]
    elif item is not None and isinstance(body, Body) and item.implementing_body_id != body.pk:
        errors["item"] = [_("对应事项须是提供单位自己的事项（%(body)s）。") % {"body": body.name}]
    for name, value in fields.items():
        if name in ("body", "item"):
            continue
        if isinstance(value, str) and name != "description":
            value = _clean_line(value)
        setattr(resource, name, value)
    if isinstance(body, Body):
        resource.body = body
    if "item" not in errors:
        resource.item = item
    try:
        resource.full_clean(exclude=[name for name in ("body", "item") if name in errors])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ServicesRuleViolation(errors)
    resource.save()
    after = {name: getattr(resource, name if name not in ("body", "item") else f"{name}_id")
             for name in RESOURCE_FIELDS}
    changed = sorted(name for name in RESOURCE_FIELDS if before.get(name) != after[name])
    _audit("services.bookable_resource.created" if creating
           else "services.bookable_resource.changed", actor=actor, target=resource,
           data={"body": resource.body.slug, "changed": changed,
                 "is_published": resource.is_published})
    if not creating and "is_published" in changed:
        _audit("services.bookable_resource.published" if resource.is_published
               else "services.bookable_resource.unpublished", actor=actor, target=resource)
    return resource


@transaction.atomic
def add_booking_slot(*, actor, resource: BookableResource, starts_at: datetime,
                     ends_at: datetime, capacity: int) -> BookingSlot:
    """A new slot: in the future, ending after it starts, 1 to 1000 places, overlapping no
    other live slot of the same resource."""
    # The resource row is the lock that keeps two managers from adding overlapping slots.
    resource = BookableResource.objects.select_for_update().select_related("body").get(
        pk=resource.pk)
    _require_keeper(actor, resource.body)
    errors: dict[str, list[str]] = {}
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("请填写开始时间。")]
    elif starts_at <= timezone.now():
        errors["starts_at"] = [_("开始时间必须晚于现在。")]
    if not isinstance(ends_at, datetime):
        errors["ends_at"] = [_("请填写结束时间。")]
    elif isinstance(starts_at, datetime) and ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间必须晚于开始时间。")]
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not (
            1 <= capacity <= MAX_SLOT_CAPACITY):
        errors["capacity"] = [_("名额须为1至%(max)d之间的整数。") % {"max": MAX_SLOT_CAPACITY}]
    if "starts_at" not in errors and "ends_at" not in errors:
        overlapping = (BookingSlot.objects.filter(resource=resource, is_cancelled=False,
                                                  starts_at__lt=ends_at, ends_at__gt=starts_at)
                       .order_by("starts_at").first())
        if overlapping is not None:
            local = timezone.localtime(overlapping.starts_at)
            errors["starts_at"] = [_("与同一资源已有的时段（%(start)s）时间重叠。") % {
                "start": local.strftime("%Y-%m-%d %H:%M")}]
    if errors:
        raise ServicesRuleViolation(errors)
    slot = BookingSlot.objects.create(resource=resource, starts_at=starts_at, ends_at=ends_at,
                                      capacity=capacity)
    _audit("services.booking_slot.added", actor=actor, target=slot, data={
        "resource": resource.pk, "starts_at": starts_at, "ends_at": ends_at,
        "capacity": capacity})
    return slot


@transaction.atomic
def cancel_booking_slot(*, actor, slot: BookingSlot, reason: str) -> BookingSlot:
    """Cancel a slot that has not started: every live booking in it is cancelled, its
    reminder with it, and the bookers are told (through their account, or at the e-mail
    address they gave) after commit."""
    slot = _locked_slot(slot)
    _require_keeper(actor, slot.resource.body)
    reason = _reason(reason)
    if slot.is_cancelled:
        raise ServicesRuleViolation({"slot": [_("该时段已取消。")]})
    now = timezone.now()
    if slot.starts_at <= now:
        raise ServicesRuleViolation({"slot": [_("已开始的时段不能取消。")]})
    live = list(Booking.objects.select_for_update(of=("self",)).select_related("booker", "user")
                .filter(slot=slot, status=BookingStatus.BOOKED))
    Booking.objects.filter(pk__in=[booking.pk for booking in live]).update(
        status=BookingStatus.CANCELLED, cancelled_at=now,
        result_note=(_("时段已取消：%(reason)s") % {"reason": reason})[:RESULT_NOTE_MAX_CHARS])
    BookingSlot.objects.filter(pk=slot.pk).update(is_cancelled=True, booked_count=0)
    slot.refresh_from_db()
    _audit("services.booking_slot.cancelled", actor=actor, target=slot, data={
        "reason": reason, "bookings": [booking.number for booking in live]})
    for booking in live:
        _cancel_booking_reminder(booking)
        _tell_booker(booking, slot, "services.booking_cancelled",
                     email=getattr(getattr(booking, "booker", None), "email", ""),
                     reason=_("时段已取消：%(reason)s") % {"reason": reason})
    return slot


# --- Bookings --------------------------------------------------------------------------------


def _clean_booker(booker: BookerInput) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    name = _clean_line(booker.name)
    if not name:
        errors["name"] = [_("请填写预约人姓名。")]
    elif len(name) > BookerDetails._meta.get_field("name").max_length:
        errors["name"] = [_("姓名不能超过60个字。")]
    phone = normalise_mobile(booker.phone)
    if not phone:
        errors["phone"] = [_("请填写11位手机号码，例如 13912345678。")]
    email = (booker.email or "").strip()
    if email:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors["email"] = [_("电子邮箱格式不正确，例如 wang@example.cn。")]
    if errors:
        raise BookingRefused(errors)
    return name, phone, email.lower()


def _earlier_booking(form_token: str | None) -> Booking | None:
    if not form_token:
        return None
    return Booking.objects.filter(form_token=form_token).first()


def _slot_refusal(slot: BookingSlot, *, user, now: datetime) -> str | None:
    resource = slot.resource
    if not resource.is_published:
        return _("该预约项目已停止预约。")
    if slot.is_cancelled:
        return _("该时段已取消，请选择其他时段。")
    if slot.starts_at <= now:
        return _("该时段已开始，不能再预约。")
    if resource.requires_account and user is None:
        return _("该项目须登录后预约，请先登录。")
    if slot.booked_count >= slot.capacity:
        return _("该时段名额已满，请选择其他时段。")
    return None


@transaction.atomic
def book_slot(*, slot: BookingSlot, booker: BookerInput, user=None,
              form_token: str | None = None) -> tuple[Booking, str | None]:
    """Book one place in ``slot``: returns the booking and its query code (shown once); the
    same form token sent again returns the first booking and no code.

    Refused (``BookingRefused``, nothing saved) when the resource is not published, the slot
    is cancelled, started or full ("该时段名额已满"), the resource requires an account and there
    is no user, or this mobile number already holds a place in the slot.
    """
    form_token = (form_token or "").strip()[:64] or None
    if earlier := _earlier_booking(form_token):
        return earlier, None
    user = _user_or_none(user)
    name, phone, email = _clean_booker(booker)
    digest = contact_digest(phone)
    slot = _locked_slot(slot)
    # Re-read under the lock: a parallel request with the same token may have committed while
    # this one waited for the slot.
    if earlier := _earlier_booking(form_token):
        return earlier, None
    now = timezone.now()
    if refusal := _slot_refusal(slot, user=user, now=now):
        raise BookingRefused({"slot": [refusal]})
    if Booking.objects.filter(slot=slot, contact_digest=digest,
                              status=BookingStatus.BOOKED).exists():
        raise BookingRefused({"phone": [_("该手机号码已预约这一时段，不能重复预约。")]})
    code = new_query_code()
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            updated = BookingSlot.objects.filter(
                pk=slot.pk, booked_count__lt=F("capacity")).update(
                booked_count=F("booked_count") + 1)
            if not updated:
                raise BookingRefused({"slot": [_("该时段名额已满，请选择其他时段。")]})
            # The serial is taken last: the counter row stays locked until commit.
            sequence = next_serial(scope=BOOKING_SERIAL_SCOPE, year=today.year)
            number = rules.booking_number(today.year, sequence)
            booking = Booking.objects.create(
                number=number, year=today.year, sequence=sequence,
                query_code_digest=query_code_digest(number, code), form_token=form_token,
                slot=slot, user=user, contact_digest=digest, status=BookingStatus.BOOKED,
                booked_at=now)
    except IntegrityError as error:
        # The database checks are the second line of defence behind the lock: a count above
        # the capacity or a second live booking of the phone rolls the savepoint back.
        if earlier := _earlier_booking(form_token):
            return earlier, None
        message = str(error).lower()
        if "one_per_contact" in message or "contact_digest" in message:
            raise BookingRefused({"phone": [
                _("该手机号码已预约这一时段，不能重复预约。")]}) from error
        raise BookingRefused({"slot": [_("该时段名额已满，请选择其他时段。")]}) from error
    BookerDetails.objects.create(booking=booking, name=name, phone=phone, email=email)
    slot.refresh_from_db(fields=["booked_count"])
    _audit("services.booking.booked", actor=user, target=booking, data={
        "slot": slot.pk, "resource": slot.resource_id, "booked_count": slot.booked_count})
    _schedule_booking_reminder(booking, slot)
    _tell_booker(booking, slot, "services.booking_confirmed", email=email)
    return booking, code


def _locked_booking(booking: Booking) -> tuple[Booking, BookingSlot]:
    slot_id = Booking.objects.filter(pk=booking.pk).values_list("slot_id", flat=True).get()
    slot = _locked_slot(BookingSlot(pk=slot_id))
    booking = (Booking.objects.select_for_update(of=("self",)).select_related("booker")
               .get(pk=booking.pk))
    return booking, slot


@transaction.atomic
def cancel_booking(*, booking: Booking, user=None, actor=None, reason: str = "") -> Booking:
    """Cancel a live booking and free its place.

    By the booker (``actor`` None; the view has checked the session grant or account) up to
    ``cancel_hours_before`` hours before the slot starts; by a manager or handler of the body
    (``actor``) at any time, with a reason.
    """
    booking, slot = _locked_booking(booking)
    if actor is not None:
        _require_worker(actor, slot.resource.body)
        reason = _reason(reason)
    if booking.status != BookingStatus.BOOKED:
        raise ServicesRuleViolation({"booking": [
            _("该预约当前状态为“%(status)s”，不能取消。") % {
                "status": booking.get_status_display()}]})
    now = timezone.now()
    if actor is None:
        until = booking_cancellable_until(slot)
        if now >= until:
            raise ServicesRuleViolation({"booking": [
                _("开始前%(hours)d小时内不能在网上取消（截止 %(until)s），请联系提供单位。") % {
                    "hours": slot.resource.cancel_hours_before,
                    "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")}]})
        reason = (reason or "").strip()
    note = (_("工作人员取消：%(reason)s") if actor is not None else _("预约人取消%(reason)s")) % {
        "reason": reason if actor is not None else (f"：{reason}" if reason else "")}
    Booking.objects.filter(pk=booking.pk).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, result_note=note[:RESULT_NOTE_MAX_CHARS])
    BookingSlot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") - 1)
    booking.refresh_from_db()
    _audit("services.booking.cancelled", actor=actor or _user_or_none(user), target=booking,
           data={"by": "staff" if actor is not None else "booker", "reason": reason,
                 "slot": slot.pk})
    _cancel_booking_reminder(booking)
    if actor is not None:
        _tell_booker(booking, slot, "services.booking_cancelled",
                     email=getattr(getattr(booking, "booker", None), "email", ""),
                     reason=_("工作人员取消：%(reason)s") % {"reason": reason})
    return booking


@transaction.atomic
def record_booking_result(*, booking: Booking, actor, status: str, note: str = "") -> Booking:
    """预约结果: attended (已到场) or no-show (未到场), by staff of the body once the slot has
    started; a result recorded by mistake may be corrected."""
    booking, slot = _locked_booking(booking)
    _require_worker(actor, slot.resource.body)
    errors: dict[str, list[str]] = {}
    if status not in RESULT_STATUSES:
        errors["status"] = [_("请选择“已到场”或“未到场”。")]
    note = _clean_line(note)
    if len(note) > RESULT_NOTE_MAX_CHARS:
        errors["note"] = [_("说明不能超过%(n)d个字。") % {"n": RESULT_NOTE_MAX_CHARS}]
    if errors:
        raise ServicesRuleViolation(errors)
    if booking.status not in (BookingStatus.BOOKED, *RESULT_STATUSES):
        raise ServicesRuleViolation({"status": [
            _("该预约当前状态为“%(status)s”，不能登记到场结果。") % {
                "status": booking.get_status_display()}]})
    if slot.is_cancelled:
        raise ServicesRuleViolation({"status": [_("该时段已取消，不能登记到场结果。")]})
    if timezone.now() < slot.starts_at:
        raise ServicesRuleViolation({"status": [_("时段开始后才能登记到场结果。")]})
    previous = booking.status
    booking.status = status
    booking.result_note = note
    booking.save(update_fields=["status", "result_note"])
    _audit("services.booking.result_recorded", actor=actor, target=booking, data={
        "status": status, "previous": previous, "note": note})
    return booking



@transaction.atomic
def send_booking_reminders(*, today: date | None = None) -> int:
    """预约提醒: the day before a slot, bookers without a citizen account who gave an e-mail
    address are reminded (a citizen's reminder comes from their account's reminders). Run
    every hour; each booking is reminded once (the delivery's dedupe key), however often."""
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    start = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    bookings = (Booking.objects.filter(status=BookingStatus.BOOKED, slot__is_cancelled=False,
                                       slot__starts_at__gte=start,
                                       slot__starts_at__lt=start + timedelta(days=1))
                .exclude(booker__email="")
                .exclude(user__citizen_account__status=AccountStatus.ACTIVE)
                .select_related("slot__resource", "booker").order_by("pk"))
    sent = 0
    for booking in bookings:
        deliveries = notify(
            kind="services.booking_reminder", email=booking.booker.email,
            url=account_queries.absolute_url(reverse("services:booking", args=[booking.number])),
            context={name: str(value) for name, value in
                     _booking_context(booking, booking.slot).items()},
            dedupe_key=f"booking-reminder:{booking.number}")
        sent += bool(deliveries)
    if sent:
        _audit("services.booking.reminders_sent", data={
            "day": (today + timedelta(days=1)).isoformat(), "count": sent})
    return sent
