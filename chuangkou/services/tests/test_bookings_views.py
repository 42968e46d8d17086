"""Public pages of 预约服务: list, resource, booking form, receipt, lookup, the booking page and
cancellation; field errors, other people's numbers, rate limits, escaping, query counts."""

import itertools
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.core.query_codes import query_code_digest
from chuangkou.organizations.choices import Role
from chuangkou.services import actions
from chuangkou.services.choices import BookableResourceKind, BookingStatus
from chuangkou.services.models import BookableResource, Booking

from .factories import make_slot

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


def client() -> Client:
    # A fresh address per client: rate-limit counters live in the shared cache.
    number = next(_addresses)
    suffix = uuid.uuid4().int % 250
    return Client(REMOTE_ADDR=f"10.{suffix}.{number // 250 % 250}.{number % 250 + 1}")


def form_data(**extra) -> dict:
    return {"name": "王秀英", "phone": "139 1234 5678", "email": "wang@example.com",
            "consent": "on", "form_token": uuid.uuid4().hex, **extra}


@pytest.fixture
def slot(cluster):
    return make_slot(body=cluster.district, capacity=2)


def book_through(browser: Client, slot, **extra):
    return browser.post(reverse("services:book", args=[slot.pk]), form_data(**extra))


# --- list and resource -----------------------------------------------------------------------


def test_list_shows_published_resources_with_places_left(cluster, slot):
    hidden = make_slot(body=cluster.district, name="未公开的课程")
    BookableResource.objects.filter(pk=hidden.resource_id).update(is_published=False)
    response = client().get(reverse("services:bookings"))
    page = response.content.decode()
    assert response.status_code == 200
    assert slot.resource.name in page and "未公开的课程" not in page
    assert reverse("services:booking_resource", args=[slot.resource_id]) in page
    assert "no-cache" in response["Cache-Control"]
    assert "my-bookings-title" not in page


def test_list_filters_by_kind_and_body(cluster, slot):
    make_slot(body=cluster.education, name="政务大厅预约", kind=BookableResourceKind.HALL_APPOINTMENT)
    browser = client()
    page = browser.get(reverse("services:bookings"), {"kind": "hall_appointment"}).content.decode()
    assert "政务大厅预约" in page and slot.resource.name not in page
    page = browser.get(reverse("services:bookings"), {"body": "dongcheng"}).content.decode()
    assert "政务大厅预约" not in page and slot.resource.name in page
    # An unknown filter value is ignored, not an error.
    assert browser.get(reverse("services:bookings"), {"kind": "<x>"}).status_code == 200


def test_signed_in_users_see_their_bookings_on_the_list(cluster, slot):
    citizen = cluster.user("education", Role.EDITOR)
    booking, _code = actions.book_slot(slot=slot, booker=actions.BookerInput(
        name="王秀英", phone="13912345678"), user=citizen)
    browser = client()
    browser.force_login(citizen)
    response = browser.get(reverse("services:bookings"))
    page = response.content.decode()
    assert "我的预约" in page and booking.number in page
    assert "no-store" in response["Cache-Control"]


def test_list_query_count_does_not_grow_with_resources(cluster, django_assert_max_num_queries):
    make_slot(body=cluster.district, name="课程一")

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client().get(reverse("services:bookings")).status_code == 200
        return len(captured)

    few = queries_for_list()
    for index in range(6):
        make_slot(body=cluster.education if index % 2 else cluster.district,
                  name=f"课程{index + 2}", starts_in_days=3 + index)
    assert queries_for_list() == few
    with django_assert_max_num_queries(few):
        client().get(reverse("services:bookings"))


def test_resource_page_lists_upcoming_slots_with_places_and_full_marks(cluster, slot):
    manager = cluster.user("dongcheng", Role.SERVICE_ITEM_MANAGER)
    full = actions.add_booking_slot(actor=manager, resource=slot.resource,
                                    starts_at=slot.ends_at + timedelta(days=1),
                                    ends_at=slot.ends_at + timedelta(days=1, hours=1), capacity=1)
    actions.book_slot(slot=full, booker=actions.BookerInput(name="李四", phone="13900000001"))
    response = client().get(reverse("services:booking_resource", args=[slot.resource_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("services:book", args=[slot.pk]) in page
    assert reverse("services:book", args=[full.pk]) not in page
    assert "已满" in page


def test_resource_page_query_count_does_not_grow_with_slots(cluster, slot):
    manager = cluster.user("dongcheng", Role.SERVICE_ITEM_MANAGER)
    url = reverse("services:booking_resource", args=[slot.resource_id])
    with CaptureQueriesContext(connection) as few:
        client().get(url)
    for day in range(1, 6):
        actions.add_booking_slot(actor=manager, resource=slot.resource,
                                 starts_at=slot.starts_at + timedelta(days=day),
                                 ends_at=slot.ends_at + timedelta(days=day), capacity=4)
    with CaptureQueriesContext(connection) as many:
        client().get(url)
    assert len(many) == len(few)


def test_unpublished_or_unknown_resources_are_404(slot):
    BookableResource.objects.filter(pk=slot.resource_id).update(is_published=False)
    browser = client()
    assert browser.get(reverse("services:booking_resource", args=[slot.resource_id])
                       ).status_code == 404
    assert browser.get(reverse("services:booking_resource", args=[999999])).status_code == 404
    assert browser.get(reverse("services:book", args=[slot.pk])).status_code == 404


# --- booking ---------------------------------------------------------------------------------


def test_booking_form_has_labels_consent_and_a_token(slot):
    response = client().get(reverse("services:book", args=[slot.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("姓名", "手机号码", "电子邮箱（选填）", "我同意"):
        assert label in page
    assert 'name="form_token"' in page and "no-store" in response["Cache-Control"]


def test_booking_shows_the_code_once_and_the_session_may_see_the_booking(slot):
    browser = client()
    response = book_through(browser, slot)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("services:booking_receipt", args=[booking.number])
    receipt = browser.get(response["Location"])
    page = receipt.content.decode()
    assert booking.number in page and "查询码只显示这一次" in page
    code = receipt.context["code"]
    assert query_code_digest(booking.number, code) == booking.query_code_digest
    again = browser.get(response["Location"]).content.decode()
    assert code not in again
    detail = browser.get(reverse("services:booking", args=[booking.number]))
    assert detail.status_code == 200 and slot.resource.place in detail.content.decode()


def test_the_same_form_sent_twice_books_once(slot):
    browser = client()
    data = form_data()
    browser.post(reverse("services:book", args=[slot.pk]), data)
    second = browser.post(reverse("services:book", args=[slot.pk]), data)
    assert second.status_code == 302 and Booking.objects.count() == 1
    slot.refresh_from_db()
    assert slot.booked_count == 1


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "请填写预约人姓名"),
    ("phone", "12345", "11位手机号码"),
    ("phone", "", "请填写手机号码"),
    ("email", "wang@", "电子邮箱格式不正确"),
    ("consent", "", "请勾选同意"),
])
def test_each_field_error_is_named_and_nothing_is_saved(slot, field, value, message):
    response = book_through(client(), slot, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "提交未成功" in response.content.decode()
    assert response.context["form"].errors[field]
    assert not Booking.objects.exists()


def test_a_slot_filled_while_the_form_was_open_answers_409_with_the_rule(slot):
    browser = client()
    page = browser.get(reverse("services:book", args=[slot.pk])).content.decode()
    assert 'name="form_token"' in page
    for index in (1, 2):
        actions.book_slot(slot=slot, booker=actions.BookerInput(name="甲",
                                                                phone=f"1390000000{index}"))
    response = book_through(browser, slot)
    assert response.status_code == 409
    assert "名额已满" in response.content.decode()
    page = browser.get(reverse("services:book", args=[slot.pk])).content.decode()
    assert "名额已满" in page and 'name="form_token"' not in page


def test_a_duplicate_phone_is_shown_on_the_phone_field(slot):
    book_through(client(), slot)
    response = book_through(client(), slot, phone="+8613912345678")
    assert response.status_code == 400
    assert "已预约这一时段" in str(response.context["form"].errors["phone"])


def test_resources_requiring_an_account_ask_anonymous_visitors_to_sign_in(slot):
    BookableResource.objects.filter(pk=slot.resource_id).update(requires_account=True)
    page = client().get(reverse("services:book", args=[slot.pk])).content.decode()
    assert "须登录后预约" in page and 'name="form_token"' not in page


def test_too_many_bookings_from_one_address_answer_429(slot, settings):
    settings.SERVICES_BOOKINGS_PER_HOUR_PER_ADDRESS = 1
    other = make_slot(body=slot.resource.body, starts_in_days=9)
    browser = client()
    assert book_through(browser, slot).status_code == 302
    response = book_through(browser, other, phone="13900000009")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Booking.objects.count() == 1


# --- lookup, booking page, cancelling --------------------------------------------------------


@pytest.fixture
def booked(slot):
    booking, code = actions.book_slot(slot=slot, booker=actions.BookerInput(
        name="王秀英", phone="13912345678"))
    return booking, code


def test_lookup_with_number_and_code_opens_the_booking(booked):
    booking, code = booked
    browser = client()
    response = browser.post(reverse("services:booking_query"),
                            {"number": booking.number.lower(), "code": code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("services:booking", args=[booking.number])
    assert browser.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("data, status", [({"number": "YY2026999999", "code": "ABCD2345"}, 400),
                                          ({"number": "", "code": ""}, 400)])
def test_wrong_lookups_are_refused_without_saying_which_part(booked, data, status):
    response = client().post(reverse("services:booking_query"), data)
    assert response.status_code == status


def test_a_wrong_code_for_a_real_number_says_the_same_as_a_wrong_number(booked):
    booking, _code = booked
    response = client().post(reverse("services:booking_query"),
                             {"number": booking.number, "code": "WRONG234"})
    assert response.status_code == 400
    assert "预约编号或查询码不正确" in response.content.decode()


def test_too_many_lookups_answer_429(booked, settings):
    settings.SERVICES_LOOKUPS_PER_HOUR_PER_ADDRESS = 2
    booking, code = booked
    browser = client()
    for _ in range(2):
        browser.post(reverse("services:booking_query"), {"number": booking.number, "code": "X"})
    response = browser.post(reverse("services:booking_query"),
                            {"number": booking.number, "code": code})
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_other_peoples_numbers_are_404(booked):
    booking, _code = booked
    browser = client()
    for name in ("booking", "booking_receipt"):
        assert browser.get(reverse(f"services:{name}", args=[booking.number])).status_code == 404
    assert browser.post(reverse("services:booking_cancel", args=[booking.number])
                        ).status_code == 404
    assert browser.get(reverse("services:booking", args=["YY2026999999"])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_another_account_may_not_see_a_users_booking(cluster, slot):
    owner = cluster.user("education", Role.EDITOR)
    booking, _code = actions.book_slot(slot=slot, booker=actions.BookerInput(
        name="王秀英", phone="13912345678"), user=owner)
    browser = client()
    browser.force_login(cluster.user("health", Role.EDITOR))
    assert browser.get(reverse("services:booking", args=[booking.number])).status_code == 404
    browser.force_login(owner)
    assert browser.get(reverse("services:booking", args=[booking.number])).status_code == 200


def grant(browser: Client, booking, code) -> None:
    browser.post(reverse("services:booking_query"), {"number": booking.number, "code": code})


def test_the_booker_cancels_from_the_booking_page(booked, slot):
    booking, code = booked
    browser = client()
    grant(browser, booking, code)
    page = browser.get(reverse("services:booking", args=[booking.number])).content.decode()
    assert reverse("services:booking_cancel", args=[booking.number]) in page
    response = browser.post(reverse("services:booking_cancel", args=[booking.number]),
                            {"reason": "<script>alert(1)</script>临时有事"})
    assert response.status_code == 302
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and slot.booked_count == 0
    page = browser.get(reverse("services:booking", args=[booking.number])).content.decode()
    assert "预约已取消" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_cancelling_after_the_cut_off_is_refused_on_the_page(booked, slot):
    booking, code = booked
    browser = client()
    with time_machine.travel(slot.starts_at - timedelta(minutes=30), tick=False):
        grant(browser, booking, code)
        page = browser.get(reverse("services:booking", args=[booking.number])).content.decode()
        assert "已过网上取消时限" in page
        response = browser.post(reverse("services:booking_cancel", args=[booking.number]), {})
    assert response.status_code == 400
    assert "不能在网上取消" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_get_on_cancel_goes_back_to_the_booking(booked):
    booking, code = booked
    browser = client()
    grant(browser, booking, code)
    response = browser.get(reverse("services:booking_cancel", args=[booking.number]))
    assert response.status_code == 302


def test_the_result_recorded_by_staff_is_shown_to_the_booker(cluster, booked, slot):
    booking, code = booked
    with time_machine.travel(slot.ends_at, tick=False):
        actions.record_booking_result(booking=booking,
                                      actor=cluster.user("dongcheng", Role.SERVICE_HANDLER),
                                      status=BookingStatus.ATTENDED, note="<b>已签到</b>")
    browser = client()
    grant(browser, booking, code)
    page = browser.get(reverse("services:booking", args=[booking.number])).content.decode()
    assert "已到场" in page and "&lt;b&gt;已签到&lt;/b&gt;" in page
    assert reverse("services:booking_cancel", args=[booking.number]) not in page
