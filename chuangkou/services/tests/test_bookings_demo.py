"""The 预约服务 demo: resources, working-day slots, bookings with one full slot; idempotent."""

import io

import pytest

from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import make_body, make_staff
from chuangkou.services.choices import BookableResourceKind
from chuangkou.services.demo.bookings import load_bookings_demo
from chuangkou.services.models import BookableResource, Booking, BookingSlot

from .factories import make_item

pytestmark = pytest.mark.django_db


def test_demo_builds_resources_slots_and_a_full_slot_and_runs_twice(cluster):
    street = make_body(parent=cluster.district, name="示例市东城区东湖街道办事处",
                       short_name="东湖街道", slug="dongcheng-donghu")
    make_staff(body=street, role=Role.SERVICE_ITEM_MANAGER, username="donghu-manager")
    cluster.user("city", Role.SERVICE_ITEM_MANAGER)  # the cluster makes staff on first use
    item = make_item(body=cluster.city, name="居民户口迁移")
    out = io.StringIO()
    load_bookings_demo(stdout=out)
    names = set(BookableResource.objects.values_list("name", flat=True))
    assert {"老年人智能手机使用培训", "计算机基础培训", "家政服务技能培训",
            "政务服务大厅综合窗口预约"} <= names
    assert "社区助老上门理发预约" not in names  # no community body: skipped with a message
    assert "dongcheng-donghu-binhu 不存在" in out.getvalue()
    hall = BookableResource.objects.get(kind=BookableResourceKind.HALL_APPOINTMENT)
    assert hall.item == item and hall.is_published
    assert BookingSlot.objects.filter(booked_count__gte=1).exists()
    assert BookingSlot.objects.filter(booked_count=3, capacity=3).count() == 1  # full
    counts = (BookableResource.objects.count(), BookingSlot.objects.count(),
              Booking.objects.count())
    assert counts[2] >= 6
    load_bookings_demo()
    assert (BookableResource.objects.count(), BookingSlot.objects.count(),
            Booking.objects.count()) == counts
