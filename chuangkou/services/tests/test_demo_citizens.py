"""The demo citizens' 网上办事: 张伟's applications (one waiting for his 补正, one to rate), his
booking, pins and themes, 李娜's application for her enterprise; idempotent; skipped without
the accounts demo."""

import io

import pytest

from chuangkou.accounts.demo import citizens as accounts_demo

from ..choices import ApplicationStatus
from ..demo.bookings import load_bookings_demo
from ..demo.catalogue import load_catalogue_demo
from ..demo.citizens import load_citizens_demo
from ..demo.people import ensure_bodies, ensure_service_accounts
from ..models import Booking, ServiceApplication, ServiceInterest, ServicePin

pytestmark = pytest.mark.django_db


def test_without_the_accounts_demo_the_part_is_skipped():
    out = io.StringIO()
    assert "尚未载入" in load_citizens_demo(stdout=out)
    assert not ServiceApplication.objects.exists()


def test_the_demo_citizens_get_their_services_and_a_second_run_adds_nothing():
    bodies, _created = ensure_bodies()
    ensure_service_accounts(bodies)
    load_catalogue_demo()
    load_bookings_demo()
    accounts_demo.load()
    out = io.StringIO()
    load_citizens_demo(stdout=out)
    assert "跳过" not in out.getvalue(), out.getvalue()
    zhangwei = accounts_demo.demo_citizen("zhangwei")
    lina = accounts_demo.demo_citizen("lina")
    statuses = sorted(ServiceApplication.objects.filter(user=zhangwei.user)
                      .values_list("status", flat=True))
    assert statuses == sorted([ApplicationStatus.SUPPLEMENT_REQUESTED,
                               ApplicationStatus.IN_PROGRESS, ApplicationStatus.DELIVERED])
    to_rate = ServiceApplication.objects.get(user=zhangwei.user,
                                             status=ApplicationStatus.DELIVERED)
    assert not hasattr(to_rate, "rating")
    assert Booking.objects.filter(user=zhangwei.user, status="booked").count() == 1
    assert ServicePin.objects.filter(user=zhangwei.user).count() == 3
    assert ServiceInterest.objects.filter(user=zhangwei.user).count() == 2
    [for_firm] = ServiceApplication.objects.filter(user=lina.user)
    assert for_firm.enterprise is not None
    assert for_firm.enterprise.memberships.filter(account=zhangwei).exists()
    counts = (ServiceApplication.objects.count(), Booking.objects.count(),
              ServicePin.objects.count())
    load_citizens_demo()
    assert (ServiceApplication.objects.count(), Booking.objects.count(),
            ServicePin.objects.count()) == counts
