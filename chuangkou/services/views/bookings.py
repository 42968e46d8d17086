"""Public side of 预约服务: the list of bookable resources (with "我的预约" for signed-in
users), a resource's slots, the booking form, the receipt with the query code shown once, the
lookup by number and code, the booking page with its result and the booker's cancellation.

Whose booking this is comes from ``views.access`` (session grant or the account that made
it); any other request gets 404. Pages with a form or personal data are never stored."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import queries
from ..actions.bookings import book_slot, booking_cancellable_until, cancel_booking
from ..choices import BookableResourceKind, BookingStatus
from ..exceptions import ServicesRuleViolation
from ..forms.bookings import (
    BookingCancelForm,
    BookingForm,
    BookingListFilterForm,
    BookingQueryForm,
)
from ..models import Booking, BookingSlot
from .access import booking_for_request, grant_booking
from .common import count, over_limit, private, public_context, uncached

__all__ = ["book", "booking", "booking_cancel", "booking_query", "booking_receipt",
           "bookings", "resource"]

BOOKINGS_PER_HOUR_PER_ADDRESS = 10
LOOKUPS_PER_HOUR_PER_ADDRESS = 30
MY_BOOKINGS_SHOWN = 20
RECEIPT_SESSION_KEY = "services_booking_receipt"
CANCELLED_SESSION_KEY = "services_booking_cancelled"
SECTION = "bookings"


def _context(**extra) -> dict:
    return public_context(services_section=SECTION, **extra)


def _apply_refusal(form, error: ServicesRuleViolation) -> None:
    for field, messages in error.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _slot_state(slot: BookingSlot, *, now) -> str:
    """open, full, started or cancelled: what the citizen is told about a slot."""
    if slot.is_cancelled:
        return "cancelled"
    if slot.starts_at <= now:
        return "started"
    if slot.booked_count >= slot.capacity:
        return "full"
    return "open"


def _booking_queryset():
    return queries.bookings_with_slot().select_related("booker")


@require_GET
def bookings(request: HttpRequest) -> HttpResponse:
    """预约服务: published resources by kind and body, each with its next slot and places left;
    a signed-in citizen's own bookings above them (我的预约)."""
    bodies = list(queries.booking_bodies())
    form = BookingListFilterForm(request.GET or None, bodies=bodies)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    body = next((item for item in bodies if item.slug == data.get("body")), None)
    resources = list(queries.published_resources(kind=data.get("kind") or None, body=body))
    groups = [(kind, label, [resource for resource in resources if resource.kind == kind])
              for kind, label in BookableResourceKind.choices]
    mine = None
    if request.user.is_authenticated:
        mine = list(queries.bookings_of_user(request.user)[:MY_BOOKINGS_SHOWN])
    response = render(request, "services/public/booking_list.html", _context(
        filter_form=form, groups=[group for group in groups if group[2]],
        resource_count=len(resources), my_bookings=mine))
    # A signed-in user's own bookings are personal data; the listing alone is public.
    return private(response) if mine is not None else uncached(response)


@require_GET
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    """One resource with its upcoming slots: date, time, places left, 已满 or 预约."""
    found = queries.published_resource(pk)
    if found is None:
        raise Http404
    now = timezone.now()
    slots = [(slot, _slot_state(slot, now=now)) for slot in queries.upcoming_slots(found)]
    return uncached(render(request, "services/public/booking_resource.html", _context(
        resource=found, slots=slots)))


def _booking_limit() -> int:
    return getattr(settings, "SERVICES_BOOKINGS_PER_HOUR_PER_ADDRESS",
                   BOOKINGS_PER_HOUR_PER_ADDRESS)


def _lookup_limit() -> int:
    return getattr(settings, "SERVICES_LOOKUPS_PER_HOUR_PER_ADDRESS",
                   LOOKUPS_PER_HOUR_PER_ADDRESS)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """预约 one place in a slot: name, mobile number, an optional e-mail and consent."""
    slot = queries.slot_for_public(pk)
    if slot is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    status = 200
    if request.method == "POST":
        form = BookingForm(request.POST)
        if over_limit(request, "bookings", "SERVICES_BOOKINGS_PER_HOUR_PER_ADDRESS",
                      BOOKINGS_PER_HOUR_PER_ADDRESS):
            form.add_error(None, _("提交过于频繁：同一网络地址每小时最多预约%(count)d次，"
                                   "请一小时后再试。") % {"count": _booking_limit()})
            status = 429
        elif form.is_valid():
            try:
                made, code = book_slot(slot=slot, booker=form.booker_input(), user=user,
                                       form_token=form.cleaned_data["form_token"])
            except ServicesRuleViolation as error:
                _apply_refusal(form, error)
                status = 409 if "slot" in error.errors else 400
            else:
                if code is not None:
                    count(request, "bookings")
                    request.session[RECEIPT_SESSION_KEY] = {"number": made.number, "code": code}
                # The same form sent again (a reload, a double click): the session holding the
                # token made the booking; it sees the receipt again, without the code.
                grant_booking(request, made)
                return redirect("services:booking_receipt", number=made.number)
        else:
            status = 400
        slot.refresh_from_db()
    else:
        form = BookingForm()
    state = _slot_state(slot, now=timezone.now())
    needs_account = slot.resource.requires_account and user is None
    return private(render(request, "services/public/booking_form.html", _context(
        slot=slot, resource=slot.resource, form=form, state=state,
        needs_account=needs_account), status=status))


@require_GET
def booking_receipt(request: HttpRequest, number: str) -> HttpResponse:
    """回执: the number and, this once, the query code; only for the session that booked."""
    found = booking_for_request(request, number, queryset=_booking_queryset())
    shown = request.session.get(RECEIPT_SESSION_KEY) or {}
    code = None
    if shown.get("number") == found.number:
        code = shown["code"]
        del request.session[RECEIPT_SESSION_KEY]
    return private(render(request, "services/public/booking_receipt.html", _context(
        booking=found, slot=found.slot, resource=found.slot.resource, code=code)))


@require_http_methods(["GET", "POST"])
def booking_query(request: HttpRequest) -> HttpResponse:
    """预约查询: one message for every wrong pair, so it tells nobody which part was wrong;
    every attempt counts against the address's hourly limit."""
    form = BookingQueryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if count(request, "booking-lookups") > _lookup_limit():
            form.add_error(None, _("查询过于频繁：同一网络地址每小时最多查询%(count)d次，"
                                   "请一小时后再试。") % {"count": _lookup_limit()})
            status = 429
        elif form.is_valid():
            found = queries.booking_by_number_and_code(form.cleaned_data["number"],
                                                       form.cleaned_data["code"])
            if found is not None:
                grant_booking(request, found)
                return redirect("services:booking", number=found.number)
            form.add_error(None, _("预约编号或查询码不正确，请核对后重新输入。"))
            status = 400
        else:
            status = 400
    return private(render(request, "services/public/booking_query.html", _context(form=form),
                          status=status))


def _booking_page(request: HttpRequest, found: Booking, *, cancel_form=None,
                  status: int = 200) -> HttpResponse:
    now = timezone.now()
    until = booking_cancellable_until(found.slot)
    cancellable = found.status == BookingStatus.BOOKED and now < until
    cancelled_now = request.session.pop(CANCELLED_SESSION_KEY, None) == found.number
    return private(render(request, "services/public/booking_detail.html", _context(
        booking=found, slot=found.slot, resource=found.slot.resource,
        cancellable=cancellable, cancellable_until=until,
        # A refused cancellation keeps its form (and its errors) even when the page no longer
        # offers to cancel.
        cancel_form=cancel_form if cancel_form is not None else (
            BookingCancelForm() if cancellable else None),
        cancelled_now=cancelled_now,
        shows_result=found.status in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW)),
        status=status))


@require_GET
def booking(request: HttpRequest, number: str) -> HttpResponse:
    """The booker's page: status, slot, place, the result when recorded, cancellation."""
    return _booking_page(request, booking_for_request(request, number,
                                                      queryset=_booking_queryset()))


@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, number: str) -> HttpResponse:
    """取消预约 (POST); a GET goes back to the booking page, where the form is."""
    found = booking_for_request(request, number, queryset=_booking_queryset())
    if request.method == "GET":
        return redirect("services:booking", number=found.number)
    form = BookingCancelForm(request.POST)
    if form.is_valid():
        try:
            cancel_booking(booking=found, user=request.user,
                           reason=form.cleaned_data["reason"])
        except ServicesRuleViolation as error:
            _apply_refusal(form, error)
        else:
            request.session[CANCELLED_SESSION_KEY] = found.number
            return redirect("services:booking", number=found.number)
    found = booking_for_request(request, number, queryset=_booking_queryset())
    return _booking_page(request, found, cancel_form=form, status=400)
