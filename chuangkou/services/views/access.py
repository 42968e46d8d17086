"""Whose application or booking is this? The public side's one answer.

A citizen reaches their own record through the number and query code (which puts a grant in
their session) or through the signed-in account that made it; an application made for an
enterprise (法人) also through the account of any member of that enterprise. Any other request
gets 404, never 403, so a number's existence is not confirmed.
"""

from django.http import Http404, HttpRequest

from ..models import Booking, ServiceApplication
from ..queries.applications import may_see_as_enterprise_member

APPLICATION_GRANTS_KEY = "services_application_grants"
BOOKING_GRANTS_KEY = "services_booking_grants"
MAX_GRANTS = 50


def _grant(request: HttpRequest, key: str, number: str) -> None:
    grants = [value for value in request.session.get(key, []) if value != number]
    request.session[key] = [*grants, number][-MAX_GRANTS:]


def grant_application(request: HttpRequest, application: ServiceApplication) -> None:
    """Let this session see ``application`` (after a lookup with the right code, or after the
    session submitted it)."""
    _grant(request, APPLICATION_GRANTS_KEY, application.number)


def grant_booking(request: HttpRequest, booking: Booking) -> None:
    _grant(request, BOOKING_GRANTS_KEY, booking.number)


def _may_see(request: HttpRequest, key: str, record) -> bool:
    if record.number in request.session.get(key, []):
        return True
    user = request.user
    return bool(user.is_authenticated and record.user_id == user.pk)


def _may_see_application(request: HttpRequest, application: ServiceApplication) -> bool:
    # Every member of the enterprise an application was made for acts for it (法人).
    return (_may_see(request, APPLICATION_GRANTS_KEY, application)
            or may_see_as_enterprise_member(request.user, application))


def application_for_request(request: HttpRequest, number: str,
                            queryset=None) -> ServiceApplication:
    """The application ``number`` if this request may see it, else 404."""
    queryset = queryset if queryset is not None else ServiceApplication.objects.all()
    application = queryset.filter(number=number).first()
    if application is None or not _may_see_application(request, application):
        raise Http404
    return application


def booking_for_request(request: HttpRequest, number: str, queryset=None) -> Booking:
    """The booking ``number`` if this request may see it, else 404."""
    queryset = queryset if queryset is not None else Booking.objects.all()
    booking = queryset.filter(number=number).first()
    if booking is None or not _may_see(request, BOOKING_GRANTS_KEY, booking):
        raise Http404
    return booking
