"""预约管理 admin screens: every route against every role of every body (the table written
out), the forms and their errors, the audited booker list, the CSV attendance list, the menu
and query counts.

The resource is a training course of the Dongcheng district (``dongcheng``) with one
upcoming slot and one booking. Its item managers keep it (resource, slots); its handlers see
the bookings, record results and cancel bookings; booking staff of other bodies get 404 for
its pages; everyone else signed in gets 403; anonymous visitors are sent to the login page.
"""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.services import actions
from chuangkou.services.choices import BookableResourceKind, BookingStatus
from chuangkou.services.models import BookableResource, Booking, BookingSlot

from .factories import make_item, make_slot
from .role_tables import everyone, who_id

pytestmark = pytest.mark.django_db

BODIES = ("city", "education", "health", "dongcheng")
MANAGER = Role.SERVICE_ITEM_MANAGER
HANDLER = Role.SERVICE_HANDLER
BOOKING_ROLES = {MANAGER, HANDLER}
KEEPER_ROUTES = {"resource_edit", "slot_add", "slot_cancel"}
WORKER_ROUTES = {"resource", "slot", "slot_export", "result", "booking_cancel"}


@pytest.fixture
def objects(cluster):
    slot = make_slot(body=cluster.district, capacity=3)
    booking, _code = actions.book_slot(slot=slot, booker=actions.BookerInput(
        name="王秀英", phone="13912345678", email="wang@example.com"))
    return {"slot": slot, "resource": slot.resource, "booking": booking}


def routes(objects):
    resource, slot, booking = objects["resource"], objects["slot"], objects["booking"]
    yield "list", reverse("services_bookings")
    yield "resource_add", reverse("services_booking_resource_add")
    yield "resource", reverse("services_booking_resource", args=[resource.pk])
    yield "resource_edit", reverse("services_booking_resource_edit", args=[resource.pk])
    yield "slot_add", reverse("services_booking_slot_add", args=[resource.pk])
    yield "slot", reverse("services_booking_slot", args=[slot.pk])
    yield "slot_cancel", reverse("services_booking_slot_cancel", args=[slot.pk])
    yield "slot_export", reverse("services_booking_slot_export", args=[slot.pk])
    yield "result", reverse("services_booking_result", args=[booking.pk])
    yield "booking_cancel", reverse("services_booking_cancel", args=[booking.pk])


def expected(who, route: str) -> int:
    if who is None:
        return 302  # to the admin login
    body, role = who
    if role not in BOOKING_ROLES:
        return 403  # supervisors, system administrators, auditors, editors, letter staff …
    if route == "list":
        return 200
    if route == "resource_add":
        return 200 if role == MANAGER else 403
    if body != "dongcheng":
        return 404  # booking staff of another body: the resource does not exist for them
    if route in KEEPER_ROUTES:
        return 200 if role == MANAGER else 403
    assert route in WORKER_ROUTES
    return 200


EVERYONE = everyone(BODIES, every_role_in=("city", "dongcheng"))


@pytest.mark.parametrize("who", EVERYONE, ids=who_id)
def test_every_route_answers_every_role_as_the_table_says(cluster, objects, who):
    client = Client()
    if who is not None:
        client.force_login(cluster.user(*who))
    wrong = []
    for name, url in routes(objects):
        response = client.get(url)
        if response.status_code != expected(who, name):
            wrong.append((name, response.status_code, expected(who, name)))
        if who is None:
            assert reverse("wagtailadmin_login") in response["Location"]
    assert not wrong, wrong


@pytest.mark.parametrize("who", [("education", MANAGER), ("education", HANDLER),
                                 ("dongcheng", Role.SERVICE_SUPERVISOR),
                                 ("city", Role.SERVICE_SUPERVISOR),
                                 ("dongcheng", Role.SYSTEM_ADMINISTRATOR),
                                 ("dongcheng", Role.AUDITOR)])
def test_staff_outside_the_body_never_see_the_bookers(cluster, objects, who):
    client = Client()
    client.force_login(cluster.user(*who))
    for _name, url in routes(objects):
        page = client.get(url).content.decode()
        assert "王秀英" not in page and "13912345678" not in page, url
    for url in (reverse("services_booking_result", args=[objects["booking"].pk]),
                reverse("services_booking_cancel", args=[objects["booking"].pk]),
                reverse("services_booking_slot_cancel", args=[objects["slot"].pk])):
        assert client.post(url, {"status": "attended", "reason": "不是本单位的"}).status_code in (
            403, 404)
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.BOOKED
    assert not BookingSlot.objects.filter(is_cancelled=True).exists()


def test_menu_shows_bookings_to_managers_and_handlers_only(cluster):
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from chuangkou.services.hooks.menu import services_menu

    def shown(who):
        client = Client()
        client.force_login(cluster.user(*who))
        request = client.get(reverse("wagtailadmin_home")).wsgi_request
        return {item.name for item in services_menu.menu_items_for_request(request)}

    assert "services-bookings" in shown(("dongcheng", MANAGER))
    assert "services-bookings" in shown(("education", HANDLER))
    for who in (("city", Role.SERVICE_SUPERVISOR), ("city", Role.SYSTEM_ADMINISTRATOR),
                ("city", Role.AUDITOR), ("city", Role.EDITOR)):
        assert "services-bookings" not in shown(who), who


# --- resources -------------------------------------------------------------------------------


def login(cluster, body="dongcheng", role=MANAGER) -> Client:
    client = Client()
    client.force_login(cluster.user(body, role))
    return client


def resource_post(cluster, **extra) -> dict:
    return {"name": "家政服务技能培训", "kind": BookableResourceKind.TRAINING_COURSE,
            "body": cluster.district.pk, "place": "东湖街道社区服务中心二楼",
            "description": "月嫂、育婴员技能培训", "cancel_hours_before": "24",
            "is_published": "on", **extra}


def test_manager_creates_a_published_resource(cluster):
    client = login(cluster)
    response = client.post(reverse("services_booking_resource_add"), resource_post(cluster))
    resource = BookableResource.objects.get(name="家政服务技能培训")
    assert response.status_code == 302
    assert response["Location"] == reverse("services_booking_resource", args=[resource.pk])
    assert resource.is_published and resource.cancel_hours_before == 24


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "请填写名称"), ("place", "", "请填写地点"), ("kind", "x", "请从列出的类型中选择"),
    ("cancel_hours_before", "-1", "不能小于"), ("cancel_hours_before", "abc", "请填写整数"),
])
def test_resource_form_errors_name_the_field(cluster, field, value, message):
    response = login(cluster).post(reverse("services_booking_resource_add"),
                                   resource_post(cluster, **{field: value}))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not BookableResource.objects.exists()


def test_manager_may_not_pick_another_bodys_item_or_body(cluster):
    foreign = make_item(body=cluster.education)
    client = login(cluster)
    response = client.post(reverse("services_booking_resource_add"),
                           resource_post(cluster, item=foreign.pk))
    assert response.status_code == 400 and "item" in response.context["form"].errors
    response = client.post(reverse("services_booking_resource_add"),
                           resource_post(cluster, body=cluster.education.pk))
    assert response.status_code == 400 and "body" in response.context["form"].errors
    assert not BookableResource.objects.exists()


def test_manager_links_an_item_of_their_own_body(cluster):
    own = make_item(body=cluster.district)
    response = login(cluster).post(reverse("services_booking_resource_add"),
                                   resource_post(cluster, item=own.pk,
                                                 kind=BookableResourceKind.HALL_APPOINTMENT))
    assert response.status_code == 302
    assert BookableResource.objects.get().item == own


def test_manager_unpublishes_a_resource_by_editing_it(cluster, objects):
    resource = objects["resource"]
    data = resource_post(cluster, name=resource.name)
    data.pop("is_published")
    response = login(cluster).post(
        reverse("services_booking_resource_edit", args=[resource.pk]), data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert not resource.is_published
    assert AuditEvent.objects.filter(action="services.bookable_resource.unpublished").exists()


def test_edit_form_starts_with_the_resources_values(cluster, objects):
    response = login(cluster).get(
        reverse("services_booking_resource_edit", args=[objects["resource"].pk]))
    assert response.context["form"].initial["name"] == objects["resource"].name


# --- slots -----------------------------------------------------------------------------------


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_manager_adds_a_slot_and_overlaps_are_refused(cluster, objects):
    resource, slot = objects["resource"], objects["slot"]
    client = login(cluster)
    url = reverse("services_booking_slot_add", args=[resource.pk])
    start = slot.starts_at + timedelta(days=1)
    response = client.post(url, {"starts_at": local(start),
                                 "ends_at": local(start + timedelta(hours=2)), "capacity": "20"})
    assert response.status_code == 302
    assert BookingSlot.objects.filter(resource=resource).count() == 2
    response = client.post(url, {"starts_at": local(start + timedelta(hours=1)),
                                 "ends_at": local(start + timedelta(hours=3)), "capacity": "20"})
    assert response.status_code == 400
    assert "时间重叠" in str(response.context["form"].errors["starts_at"])


@pytest.mark.parametrize("data, field", [
    ({"starts_at": "", "ends_at": "2030-01-01T10:00", "capacity": "5"}, "starts_at"),
    ({"starts_at": "明天", "ends_at": "2030-01-01T10:00", "capacity": "5"}, "starts_at"),
    ({"starts_at": "2030-01-01T09:00", "ends_at": "2030-01-01T08:00", "capacity": "5"}, "ends_at"),
    ({"starts_at": "2030-01-01T09:00", "ends_at": "2030-01-01T10:00", "capacity": "0"}, "capacity"),
    ({"starts_at": "2030-01-01T09:00", "ends_at": "2030-01-01T10:00", "capacity": "5000"},
     "capacity"),
    ({"starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T10:00", "capacity": "5"},
     "starts_at"),
])
def test_slot_form_errors_name_the_field(cluster, objects, data, field):
    response = login(cluster).post(
        reverse("services_booking_slot_add", args=[objects["resource"].pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert BookingSlot.objects.count() == 1


def test_manager_cancels_a_slot_with_a_reason(cluster, objects):
    client = login(cluster)
    url = reverse("services_booking_slot_cancel", args=[objects["slot"].pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "培训老师临时有事，改期另行通知"})
    assert response.status_code == 302
    objects["slot"].refresh_from_db()
    assert objects["slot"].is_cancelled
    assert Booking.objects.get().status == BookingStatus.CANCELLED


# --- bookings --------------------------------------------------------------------------------


def test_the_booker_list_shows_names_escaped_and_each_view_is_audited(cluster, objects):
    slot = objects["slot"]
    other, _code = actions.book_slot(slot=slot, booker=actions.BookerInput(
        name="<script>alert(1)</script>", phone="13900000002"))
    client = login(cluster, role=HANDLER)
    url = reverse("services_booking_slot", args=[slot.pk])
    page = client.get(url).content.decode()
    assert "王秀英" in page and "13912345678" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    client.get(url)
    events = AuditEvent.objects.filter(action="services.booking_slot.bookers_viewed")
    assert events.count() == 2
    assert set(events.first().data["bookings"]) == {objects["booking"].number, other.number}


def test_the_booker_list_query_count_does_not_grow_with_bookings(cluster, objects):
    slot = objects["slot"]
    BookingSlot.objects.filter(pk=slot.pk).update(capacity=50)
    client = login(cluster, role=HANDLER)
    url = reverse("services_booking_slot", args=[slot.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(8):
        actions.book_slot(slot=slot, booker=actions.BookerInput(
            name=f"居民{index}", phone=f"1390000{index:04d}"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_resource_list_query_count_does_not_grow_with_resources(cluster, objects):
    client = login(cluster)
    url = reverse("services_bookings")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(5):
        make_slot(body=cluster.district, name=f"课程{index}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 6
    assert len(many) == len(few)


def test_the_attendance_csv_is_audited_and_safe_from_formulas(cluster, objects):
    slot = objects["slot"]
    actions.book_slot(slot=slot, booker=actions.BookerInput(
        name="=HYPERLINK(\"http://evil\")", phone="13900000002"))
    response = login(cluster, role=HANDLER).get(
        reverse("services_booking_slot_export", args=[slot.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["预约编号", "姓名", "手机号码"]
    names = {row[1] for row in rows[1:]}
    assert names == {"王秀英", "'=HYPERLINK(\"http://evil\")"}
    assert AuditEvent.objects.filter(action="services.booking_slot.bookers_viewed",
                                     data__how="csv").exists()


def test_handler_records_attendance_after_the_slot_started(cluster, objects):
    booking, slot = objects["booking"], objects["slot"]
    url = reverse("services_booking_result", args=[booking.pk])
    response = login(cluster, role=HANDLER).post(url, {"status": "attended"})
    assert response.status_code == 400
    assert "开始后" in str(response.context["form"].errors["status"])
    with time_machine.travel(slot.starts_at + timedelta(minutes=15), tick=False):
        client = login(cluster, role=HANDLER)
        page = client.get(reverse("services_booking_slot", args=[slot.pk])).content.decode()
        assert url in page
        response = client.post(url, {"status": "no_show", "note": "电话未接通"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW and booking.result_note == "电话未接通"


@pytest.mark.parametrize("data, field", [({}, "status"), ({"status": "late"}, "status"),
                                         ({"status": "attended", "note": "长" * 301}, "note")])
def test_result_form_errors_name_the_field(cluster, objects, data, field):
    response = login(cluster, role=HANDLER).post(
        reverse("services_booking_result", args=[objects["booking"].pk]), data)
    assert response.status_code == 400 and field in response.context["form"].errors


def test_staff_cancel_a_booking_with_a_reason(cluster, objects):
    booking = objects["booking"]
    url = reverse("services_booking_cancel", args=[booking.pk])
    client = login(cluster, role=HANDLER)
    assert client.post(url, {"reason": "短"}).status_code == 400
    response = client.post(url, {"reason": "预约人来电告知不能到场"})
    assert response.status_code == 302
    booking.refresh_from_db()
    objects["slot"].refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and objects["slot"].booked_count == 0
