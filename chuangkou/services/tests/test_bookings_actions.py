"""预约服务 actions: resources, slots, booking, cancelling and attendance results, each rule."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core.models import AuditEvent
from chuangkou.core.query_codes import query_code_matches
from chuangkou.organizations.choices import Role
from chuangkou.services import actions
from chuangkou.services.actions.bookings import contact_digest, normalise_mobile
from chuangkou.services.choices import BookableResourceKind, BookingStatus
from chuangkou.services.exceptions import BookingRefused, ServicesRuleViolation
from chuangkou.services.models import BookableResource, BookerDetails, Booking, BookingSlot

from .factories import make_item, make_slot

pytestmark = pytest.mark.django_db

BOOKER = actions.BookerInput(name="王秀英", phone="13912345678", email="wang@example.com")


def booker(phone: str = "13912345678", **extra) -> actions.BookerInput:
    return actions.BookerInput(**{"name": "王秀英", "phone": phone, **extra})


@pytest.fixture
def manager(cluster):
    return cluster.user("dongcheng", Role.SERVICE_ITEM_MANAGER)


@pytest.fixture
def handler(cluster):
    return cluster.user("dongcheng", Role.SERVICE_HANDLER)


@pytest.fixture
def slot(cluster):
    return make_slot(body=cluster.district, capacity=2)


def resource_fields(cluster, **extra):
    return {"name": "计算机基础培训", "kind": BookableResourceKind.TRAINING_COURSE,
            "body": cluster.district, "place": "东湖街道社区服务中心", "description": "每周二上午",
            **extra}


def errors_of(excinfo) -> dict:
    return excinfo.value.errors


# --- pure helpers --------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("13912345678", "13912345678"), ("139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"), ("+86 139 1234 5678", "13912345678"),
    ("008613912345678", "13912345678"), ("12912345678", ""), ("1391234567", ""),
    ("0571-87654321", ""), ("", ""),
])
def test_mobile_numbers_are_normalised_or_rejected(raw, expected):
    assert normalise_mobile(raw) == expected


def test_contact_digest_is_the_same_for_every_spelling_of_a_number():
    assert contact_digest("139 1234 5678") == contact_digest("+8613912345678")
    assert len(contact_digest("13912345678")) == 64


# --- resources -------------------------------------------------------------------------------


def test_manager_creates_a_resource_and_it_is_audited(cluster, manager):
    resource = actions.save_bookable_resource(actor=manager, **resource_fields(cluster))
    assert resource.pk and resource.body == cluster.district and not resource.is_published
    assert AuditEvent.objects.filter(action="services.bookable_resource.created",
                                     target_id=str(resource.pk)).exists()


def test_manager_publishes_and_unpublishes_a_resource_through_save(cluster, manager):
    resource = actions.save_bookable_resource(actor=manager, **resource_fields(cluster))
    actions.save_bookable_resource(actor=manager, resource=resource, is_published=True)
    resource.refresh_from_db()
    assert resource.is_published
    actions.save_bookable_resource(actor=manager, resource=resource, is_published=False)
    resource.refresh_from_db()
    assert not resource.is_published
    assert AuditEvent.objects.filter(action="services.bookable_resource.published").count() == 1
    assert AuditEvent.objects.filter(
        action="services.bookable_resource.unpublished").count() == 1


@pytest.mark.parametrize("who", [("education", Role.SERVICE_ITEM_MANAGER),
                                 ("dongcheng", Role.SERVICE_HANDLER),
                                 ("dongcheng", Role.SERVICE_SUPERVISOR),
                                 ("dongcheng", Role.SYSTEM_ADMINISTRATOR)])
def test_only_managers_of_the_body_may_create_a_resource(cluster, who):
    with pytest.raises(PermissionDenied):
        actions.save_bookable_resource(actor=cluster.user(*who), **resource_fields(cluster))
    assert not BookableResource.objects.exists()


def test_manager_of_another_body_may_not_edit_a_resource(cluster, slot):
    with pytest.raises(PermissionDenied):
        actions.save_bookable_resource(actor=cluster.user("education", Role.SERVICE_ITEM_MANAGER),
                                       resource=slot.resource, name="改名")


def test_manager_may_not_move_a_resource_to_a_body_they_do_not_manage(cluster, manager, slot):
    with pytest.raises(PermissionDenied):
        actions.save_bookable_resource(actor=manager, resource=slot.resource,
                                       body=cluster.education)


def test_linked_item_must_belong_to_the_same_body(cluster, manager):
    item = make_item(body=cluster.education)
    with pytest.raises(ServicesRuleViolation) as excinfo:
        actions.save_bookable_resource(actor=manager, **resource_fields(cluster, item=item))
    assert "提供单位自己的事项" in errors_of(excinfo)["item"][0]
    own = make_item(body=cluster.district)
    resource = actions.save_bookable_resource(actor=manager,
                                              **resource_fields(cluster, item=own))
    assert resource.item == own


@pytest.mark.parametrize("field, value", [("name", ""), ("place", ""), ("kind", "unknown"),
                                          ("name", "长" * 101)])
def test_resource_fields_are_validated_by_name(cluster, manager, field, value):
    with pytest.raises(ServicesRuleViolation) as excinfo:
        actions.save_bookable_resource(actor=manager, **resource_fields(cluster, **{field: value}))
    assert field in errors_of(excinfo)
    assert not BookableResource.objects.exists()


def test_unknown_resource_fields_are_a_programming_error(cluster, manager):
    with pytest.raises(TypeError):
        actions.save_bookable_resource(actor=manager, colour="red", **resource_fields(cluster))


# --- slots -----------------------------------------------------------------------------------


def future(hours: int) -> timezone.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)


def test_manager_adds_a_slot(manager, slot):
    added = actions.add_booking_slot(actor=manager, resource=slot.resource,
                                     starts_at=future(24 * 20), ends_at=future(24 * 20 + 2),
                                     capacity=30)
    assert added.capacity == 30 and added.booked_count == 0
    assert AuditEvent.objects.filter(action="services.booking_slot.added").exists()


@pytest.mark.parametrize("start, end, capacity, field", [
    (-2, 1, 10, "starts_at"),  # starts in the past
    (30, 30, 10, "ends_at"),  # ends when it starts
    (30, 29, 10, "ends_at"),
    (30, 32, 0, "capacity"),
    (30, 32, 1001, "capacity"),
])
def test_slot_rules_name_their_field(manager, slot, start, end, capacity, field):
    with pytest.raises(ServicesRuleViolation) as excinfo:
        actions.add_booking_slot(actor=manager, resource=slot.resource, starts_at=future(start),
                                 ends_at=future(end), capacity=capacity)
    assert field in errors_of(excinfo)
    assert BookingSlot.objects.count() == 1


def test_a_slot_may_not_overlap_another_of_the_same_resource(manager, slot):
    with pytest.raises(ServicesRuleViolation) as excinfo:
        actions.add_booking_slot(actor=manager, resource=slot.resource,
                                 starts_at=slot.starts_at + timedelta(hours=1),
                                 ends_at=slot.ends_at + timedelta(hours=1), capacity=5)
    assert "时间重叠" in errors_of(excinfo)["starts_at"][0]
    # Back to back is fine.
    actions.add_booking_slot(actor=manager, resource=slot.resource, starts_at=slot.ends_at,
                             ends_at=slot.ends_at + timedelta(hours=1), capacity=5)


def test_a_cancelled_slot_does_not_block_a_new_one_at_the_same_time(manager, slot):
    actions.cancel_booking_slot(actor=manager, slot=slot, reason="培训老师临时有事")
    actions.add_booking_slot(actor=manager, resource=slot.resource, starts_at=slot.starts_at,
                             ends_at=slot.ends_at, capacity=5)


def test_handlers_may_not_add_slots(handler, slot):
    with pytest.raises(PermissionDenied):
        actions.add_booking_slot(actor=handler, resource=slot.resource,
                                 starts_at=future(24 * 20), ends_at=future(24 * 20 + 2),
                                 capacity=3)


# --- booking ---------------------------------------------------------------------------------


def test_booking_a_slot_takes_a_place_and_gives_a_number_and_code(
        slot, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking, code = actions.book_slot(slot=slot, booker=BOOKER, form_token="t1")
    slot.refresh_from_db()
    assert slot.booked_count == 1
    year = timezone.localdate().year
    assert booking.number == f"YY{year}000001" and booking.sequence == 1
    assert booking.status == BookingStatus.BOOKED
    assert query_code_matches(booking.query_code_digest, number=booking.number, code=code)
    details = BookerDetails.objects.get(booking=booking)
    assert (details.name, details.phone, details.email) == ("王秀英", "13912345678",
                                                            "wang@example.com")
    assert booking.contact_digest == contact_digest("13912345678")
    assert "13912345678" not in booking.contact_digest
    assert AuditEvent.objects.filter(action="services.booking.booked",
                                     target_id=str(booking.pk)).exists()
    assert len(mailoutbox) == 1 and booking.number in mailoutbox[0].subject


def test_the_same_form_token_returns_the_first_booking_without_a_code(slot):
    first, code = actions.book_slot(slot=slot, booker=BOOKER, form_token="same")
    again, no_code = actions.book_slot(slot=slot, booker=BOOKER, form_token="same")
    assert again.pk == first.pk and code and no_code is None
    slot.refresh_from_db()
    assert slot.booked_count == 1 and Booking.objects.count() == 1


def test_a_full_slot_is_refused_with_the_rule_named(slot):
    actions.book_slot(slot=slot, booker=booker("13900000001"))
    actions.book_slot(slot=slot, booker=booker("13900000002"))
    with pytest.raises(BookingRefused) as excinfo:
        actions.book_slot(slot=slot, booker=booker("13900000003"))
    assert "名额已满" in errors_of(excinfo)["slot"][0]
    slot.refresh_from_db()
    assert slot.booked_count == 2 and Booking.objects.count() == 2


def test_a_refused_booking_leaves_no_gap_in_the_numbers(slot):
    actions.book_slot(slot=slot, booker=booker("13900000001"))
    actions.book_slot(slot=slot, booker=booker("13900000002"))
    with pytest.raises(BookingRefused):
        actions.book_slot(slot=slot, booker=booker("13900000003"))
    other = make_slot(body=slot.resource.body, starts_in_days=9)
    booking, _code = actions.book_slot(slot=other, booker=booker("13900000003"))
    assert booking.sequence == 3


def test_the_same_phone_may_hold_one_live_booking_per_slot(slot):
    actions.book_slot(slot=slot, booker=booker("13912345678"))
    with pytest.raises(BookingRefused) as excinfo:
        actions.book_slot(slot=slot, booker=booker("+86 139-1234-5678"))
    assert "已预约这一时段" in errors_of(excinfo)["phone"][0]


def test_after_cancelling_the_same_phone_may_book_again(slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    actions.cancel_booking(booking=booking)
    again, _code = actions.book_slot(slot=slot, booker=BOOKER)
    assert again.pk != booking.pk
    slot.refresh_from_db()
    assert slot.booked_count == 1


def test_a_cancelled_slot_is_refused(manager, slot):
    actions.cancel_booking_slot(actor=manager, slot=slot, reason="场地临时维修")
    with pytest.raises(BookingRefused) as excinfo:
        actions.book_slot(slot=slot, booker=BOOKER)
    assert "已取消" in errors_of(excinfo)["slot"][0]


def test_a_started_slot_is_refused(slot):
    with (time_machine.travel(slot.starts_at + timedelta(minutes=1), tick=False),
          pytest.raises(BookingRefused) as excinfo):
        actions.book_slot(slot=slot, booker=BOOKER)
    assert "已开始" in errors_of(excinfo)["slot"][0]


def test_an_unpublished_resource_is_refused(slot):
    BookableResource.objects.filter(pk=slot.resource_id).update(is_published=False)
    with pytest.raises(BookingRefused) as excinfo:
        actions.book_slot(slot=slot, booker=BOOKER)
    assert "停止预约" in errors_of(excinfo)["slot"][0]


def test_a_resource_requiring_an_account_refuses_anonymous_bookers(cluster, slot):
    BookableResource.objects.filter(pk=slot.resource_id).update(requires_account=True)
    with pytest.raises(BookingRefused) as excinfo:
        actions.book_slot(slot=slot, booker=BOOKER)
    assert "须登录" in errors_of(excinfo)["slot"][0]
    citizen = cluster.user("education", Role.EDITOR)  # any signed-in account
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER, user=citizen)
    assert booking.user == citizen


@pytest.mark.parametrize("entered, field", [
    ({"name": ""}, "name"), ({"name": "名" * 61}, "name"), ({"phone": "12345"}, "phone"),
    ({"phone": "0571-87654321"}, "phone"), ({"email": "not-an-address"}, "email"),
])
def test_booker_details_are_validated_by_field(slot, entered, field):
    with pytest.raises(BookingRefused) as excinfo:
        actions.book_slot(slot=slot, booker=actions.BookerInput(
            **{"name": "王秀英", "phone": "13912345678", **entered}))
    assert field in errors_of(excinfo)
    assert not Booking.objects.exists()


def test_the_database_refuses_more_bookings_than_places(slot):
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingSlot.objects.filter(pk=slot.pk).update(booked_count=slot.capacity + 1)


# --- cancelling ------------------------------------------------------------------------------


def test_the_booker_cancels_before_the_cut_off_and_frees_the_place(slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    cut_off = slot.starts_at - timedelta(hours=slot.resource.cancel_hours_before)
    with time_machine.travel(cut_off - timedelta(minutes=1), tick=False):
        cancelled = actions.cancel_booking(booking=booking, reason="临时有事")
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancelled_at
    assert "临时有事" in cancelled.result_note
    slot.refresh_from_db()
    assert slot.booked_count == 0
    assert AuditEvent.objects.filter(action="services.booking.cancelled").exists()


def test_the_booker_may_not_cancel_after_the_cut_off(slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    cut_off = slot.starts_at - timedelta(hours=slot.resource.cancel_hours_before)
    with time_machine.travel(cut_off, tick=False), pytest.raises(ServicesRuleViolation) as excinfo:
        actions.cancel_booking(booking=booking)
    assert "不能在网上取消" in errors_of(excinfo)["booking"][0]
    slot.refresh_from_db()
    assert slot.booked_count == 1


def test_staff_of_the_body_cancel_at_any_time_with_a_reason(
        handler, slot, mailoutbox, django_capture_on_commit_callbacks):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    with pytest.raises(ServicesRuleViolation) as excinfo:
        actions.cancel_booking(booking=booking, actor=handler)
    assert "reason" in errors_of(excinfo)
    with (time_machine.travel(slot.starts_at - timedelta(minutes=5), tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        cancelled = actions.cancel_booking(booking=booking, actor=handler,
                                           reason="预约人电话告知不能到场")
    assert cancelled.status == BookingStatus.CANCELLED
    assert len(mailoutbox) == 1


def test_staff_of_another_body_may_not_cancel(cluster, slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    with pytest.raises(PermissionDenied):
        actions.cancel_booking(booking=booking, actor=cluster.user(
            "education", Role.SERVICE_HANDLER), reason="不是本单位的预约")


def test_a_cancelled_booking_may_not_be_cancelled_again(slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    actions.cancel_booking(booking=booking)
    with pytest.raises(ServicesRuleViolation):
        actions.cancel_booking(booking=booking)
    slot.refresh_from_db()
    assert slot.booked_count == 0


def test_cancelling_a_slot_cancels_its_bookings_and_tells_bookers_with_email(
        manager, slot, mailoutbox, django_capture_on_commit_callbacks):
    with_email, _code = actions.book_slot(slot=slot, booker=BOOKER)
    without, _code = actions.book_slot(slot=slot, booker=booker("13900000002"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = actions.cancel_booking_slot(actor=manager, slot=slot,
                                                reason="培训老师临时有事")
    assert cancelled.is_cancelled and cancelled.booked_count == 0
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["wang@example.com"]
    assert "培训老师临时有事" in mailoutbox[0].body
    event = AuditEvent.objects.get(action="services.booking_slot.cancelled")
    assert set(event.data["bookings"]) == {with_email.number, without.number}


def test_cancelling_a_slot_needs_a_reason(manager, slot):
    with pytest.raises(ServicesRuleViolation) as excinfo:
        actions.cancel_booking_slot(actor=manager, slot=slot, reason=" ")
    assert "reason" in errors_of(excinfo)


def test_a_started_slot_may_not_be_cancelled(manager, slot):
    with (time_machine.travel(slot.starts_at, tick=False),
          pytest.raises(ServicesRuleViolation) as excinfo):
        actions.cancel_booking_slot(actor=manager, slot=slot, reason="场地临时维修")
    assert "已开始" in errors_of(excinfo)["slot"][0]


def test_a_slot_may_not_be_cancelled_twice(manager, slot):
    actions.cancel_booking_slot(actor=manager, slot=slot, reason="场地临时维修")
    with pytest.raises(ServicesRuleViolation):
        actions.cancel_booking_slot(actor=manager, slot=slot, reason="场地临时维修")


def test_handlers_may_not_cancel_slots(handler, slot):
    with pytest.raises(PermissionDenied):
        actions.cancel_booking_slot(actor=handler, slot=slot, reason="场地临时维修")


# --- results ---------------------------------------------------------------------------------


def test_results_are_recorded_only_after_the_slot_started(handler, slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    with pytest.raises(ServicesRuleViolation) as excinfo:
        actions.record_booking_result(booking=booking, actor=handler,
                                      status=BookingStatus.ATTENDED)
    assert "开始后" in errors_of(excinfo)["status"][0]
    with time_machine.travel(slot.starts_at + timedelta(minutes=10), tick=False):
        recorded = actions.record_booking_result(booking=booking, actor=handler,
                                                 status=BookingStatus.ATTENDED, note="准时到场")
    assert recorded.status == BookingStatus.ATTENDED and recorded.result_note == "准时到场"
    assert AuditEvent.objects.filter(action="services.booking.result_recorded").exists()


def test_managers_record_no_shows_and_may_correct_a_result(manager, slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    with time_machine.travel(slot.ends_at, tick=False):
        actions.record_booking_result(booking=booking, actor=manager,
                                      status=BookingStatus.ATTENDED)
        corrected = actions.record_booking_result(booking=booking, actor=manager,
                                                  status=BookingStatus.NO_SHOW, note="登记有误")
    assert corrected.status == BookingStatus.NO_SHOW


@pytest.mark.parametrize("status", [BookingStatus.BOOKED, BookingStatus.CANCELLED, "late"])
def test_only_attended_or_no_show_may_be_recorded(handler, slot, status):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    with (time_machine.travel(slot.ends_at, tick=False),
          pytest.raises(ServicesRuleViolation) as excinfo):
        actions.record_booking_result(booking=booking, actor=handler, status=status)
    assert "status" in errors_of(excinfo)


def test_a_cancelled_booking_gets_no_result(handler, slot):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    actions.cancel_booking(booking=booking)
    with time_machine.travel(slot.ends_at, tick=False), pytest.raises(ServicesRuleViolation):
        actions.record_booking_result(booking=booking, actor=handler,
                                      status=BookingStatus.ATTENDED)


@pytest.mark.parametrize("who", [("education", Role.SERVICE_HANDLER),
                                 ("education", Role.SERVICE_ITEM_MANAGER),
                                 ("dongcheng", Role.SERVICE_SUPERVISOR),
                                 ("dongcheng", Role.SYSTEM_ADMINISTRATOR),
                                 ("dongcheng", Role.AUDITOR)])
def test_only_staff_of_the_body_record_results(cluster, slot, who):
    booking, _code = actions.book_slot(slot=slot, booker=BOOKER)
    with time_machine.travel(slot.ends_at, tick=False), pytest.raises(PermissionDenied):
        actions.record_booking_result(booking=booking, actor=cluster.user(*who),
                                      status=BookingStatus.ATTENDED)
