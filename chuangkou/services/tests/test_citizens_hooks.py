"""网上办事 in the citizen's account: the homepage sections (我的办件, 我的预约, 待评价, 我的收藏,
为您推荐) with their statuses, deadlines and actions, in a constant number of queries; the
download of the citizen's data; what closing the account keeps and removes."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.homepage import close_citizen_records, export_citizen_data
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.core.audit import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.citizens import ANONYMISED_NAME
from ..choices import ApplicationStatus, BookingStatus, FormFieldKind, PaymentStatus
from ..hooks.citizens import services_homepage_sections
from ..models import (
    ApplicantDetails,
    Booking,
    BookingSlot,
    GuideProgress,
    Payment,
    ServiceApplication,
    ServiceInterest,
    ServicePin,
    ServiceRating,
)
from .citizens_support import make_booking, make_guide, theme
from .factories import make_application, make_item, make_slot
from .test_applications_support import add_field

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return make_citizen(level=IdentityLevel.REAL_NAME)


@pytest.fixture
def items(cluster):
    return [make_item(body=cluster.education, name=name) for name in
            ("义务教育阶段转学申请", "教师资格认定", "学生资助申请", "普通话水平测试报名")]


def sections_of(user):
    return {section.key: section for section in services_homepage_sections(user=user)}


def add_pending_fee(application):
    Payment.objects.create(application=application, amount=Decimal("20.00"), provider="offline",
                           status=PaymentStatus.PENDING, requested_at=timezone.now())


def rate(application):
    ServiceRating.objects.create(application=application, item=application.item,
                                 body=application.item.implementing_body, level=5, efficiency=5,
                                 guide_accuracy=5, convenience=5, usability=5,
                                 rated_at=timezone.now())


def test_my_applications_show_status_next_deadline_and_what_i_must_do(citizen, items):
    user = citizen.user
    submitted = make_application(item=items[0], user=user)
    supplement = make_application(item=items[1], user=user,
                                  status=ApplicationStatus.SUPPLEMENT_REQUESTED)
    fee = make_application(item=items[2], user=user, status=ApplicationStatus.APPROVED)
    add_pending_fee(fee)
    progress = make_application(item=items[3], user=user, status=ApplicationStatus.IN_PROGRESS)
    others = make_application(item=items[0], user=make_citizen().user)
    section = sections_of(user)["services.applications"]
    shown = {item.number: item for item in section.items}
    assert others.number not in shown
    assert shown[submitted.number].next_deadline == submitted.acceptance_due_on
    assert shown[submitted.number].deadline_label == "受理期限"
    assert shown[submitted.number].status == "待受理" and not shown[submitted.number].needs_action
    assert shown[progress.number].next_deadline == progress.due_on
    assert shown[progress.number].deadline_label == "办结期限"
    assert shown[supplement.number].needs_action
    assert shown[supplement.number].action_label == "补正材料"
    assert shown[supplement.number].next_deadline is None
    assert shown[fee.number].needs_action and shown[fee.number].action_label == "缴纳费用"
    assert shown[fee.number].url == reverse("services:application", args=[fee.number])
    # Open applications first: the decided one comes last.
    assert section.items[-1].number == fee.number
    assert section.more_url.startswith(reverse("services:mine"))


def test_ratings_to_give_are_my_decided_applications_not_yet_rated(citizen, items):
    user = citizen.user
    waiting = make_application(item=items[0], user=user, status=ApplicationStatus.DELIVERED)
    rated = make_application(item=items[1], user=user, status=ApplicationStatus.APPROVED)
    rate(rated)
    make_application(item=items[2], user=user)
    section = sections_of(user)["services.ratings"]
    assert [item.number for item in section.items] == [waiting.number]
    assert section.items[0].needs_action and section.items[0].url.endswith("#rating")


def test_upcoming_bookings_show_time_and_place_and_lead_to_cancelling(cluster, citizen):
    user = citizen.user
    soon = make_slot(body=cluster.district, starts_in_days=2)
    later = make_slot(body=cluster.district, starts_in_days=9, name="社区助老服务")
    past = make_slot(body=cluster.district, starts_in_days=-2)
    first = make_booking(soon, user=user)
    second = make_booking(later, user=user)
    make_booking(past, user=user)
    make_booking(soon, user=user, phone="13900000001", status=BookingStatus.CANCELLED)
    make_booking(later, phone="13900000002")
    section = sections_of(user)["services.bookings"]
    assert [item.number for item in section.items] == [first.number, second.number]
    shown = section.items[0]
    assert soon.resource.place in shown.title
    assert timezone.localtime(soon.starts_at).strftime("%H:%M") in shown.title
    assert shown.next_deadline == timezone.localdate(soon.starts_at)
    assert shown.url == reverse("services:booking", args=[first.number])


def test_pins_in_my_order_and_suggestions_from_guides_and_themes(cluster, citizen, items):
    user = citizen.user
    actions.pin_service(user=user, item=items[3])
    actions.pin_service(user=user, item=items[1])
    guide, question, yes = make_guide(cluster.education, items)
    actions.record_guide_progress(user=user, guide=guide, answers={question.pk: yes.pk})
    jiaoyu = theme("jiaoyu")
    themed = make_item(body=cluster.health, name="托育机构备案")
    themed.themes.add(jiaoyu)
    items[1].themes.add(jiaoyu)  # pinned: not suggested again
    actions.set_service_interests(user=user, themes=[jiaoyu])
    make_application(item=items[2], user=user)  # 入学登记 applied for already
    sections = sections_of(user)
    assert [item.title for item in sections["services.pins"].items] == [
        "普通话水平测试报名", "教师资格认定"]
    suggested = sections["services.suggestions"].items
    assert [item.title for item in suggested] == [
        "继续：小孩上学", "义务教育阶段转学申请", "托育机构备案"]
    assert suggested[0].url == (reverse("services:guide", args=[guide.slug])
                                + f"?q{question.pk}={yes.pk}")
    assert suggested[0].note == "还有1项未申请"
    assert suggested[1].note == "“小孩上学”的下一步"


def test_empty_sections_say_so_and_link_further(citizen):
    sections = sections_of(citizen.user)
    assert set(sections) == {"services.applications", "services.bookings", "services.ratings",
                             "services.pins", "services.suggestions"}
    for section in sections.values():
        assert section.items == [] and section.empty_text and section.more_url


def test_staff_have_no_citizen_homepage(cluster):
    assert services_homepage_sections(user=cluster.user("education", Role.SERVICE_HANDLER)) == []


def _fill(cluster, user, items, copies: int, *, key: str) -> None:
    for number in range(copies):
        make_application(item=items[number % 4], user=user)
        make_application(item=items[number % 4], user=user,
                         status=ApplicationStatus.SUPPLEMENT_REQUESTED)
        add_pending_fee(make_application(item=items[number % 4], user=user,
                                         status=ApplicationStatus.APPROVED))
        make_application(item=items[number % 4], user=user, status=ApplicationStatus.DELIVERED)
        make_booking(make_slot(body=cluster.district, starts_in_days=3 + number), user=user)
        actions.pin_service(user=user, item=make_item(body=cluster.health, name="居民健康档案查询"))
        guide, question, yes = make_guide(cluster.education, items, slug=f"guide-{key}-{number}")
        actions.record_guide_progress(user=user, guide=guide, answers={question.pk: yes.pk})
    actions.set_service_interests(user=user, themes=[theme("jiaoyu"), theme("shengyu")])


def test_homepage_sections_take_the_same_queries_for_one_or_many_records(cluster, items):
    one, many = make_citizen().user, make_citizen().user
    _fill(cluster, one, items, 1, key="one")
    _fill(cluster, many, items, 4, key="many")
    for item in items:
        item.themes.add(theme("jiaoyu"))
    with CaptureQueriesContext(connection) as few:
        sections = services_homepage_sections(user=one)
    with CaptureQueriesContext(connection) as more:
        more_sections = services_homepage_sections(user=many)
    assert len(more_sections[1].items) == 4 > len(sections[1].items)
    assert len(more.captured_queries) == len(few.captured_queries) <= 16


# --- Download and closing --------------------------------------------------------------------


def test_my_data_holds_my_applications_with_answers_bookings_ratings_and_customisation(
        cluster, citizen, items):
    user = citizen.user
    application = make_application(item=items[0], user=user, status=ApplicationStatus.DELIVERED)
    rate(application)
    make_application(item=items[1], user=make_citizen().user)
    make_booking(make_slot(body=cluster.district), user=user, email="li@example.com")
    actions.pin_service(user=user, item=items[2])
    actions.set_service_interests(user=user, themes=[theme("jiaoyu")])
    data = export_citizen_data(user=user)
    [exported] = data["网上办事：办件"]
    assert exported["办件编号"] == application.number and exported["状态"] == "结果已送达"
    assert exported["申请表内容"] == {"student_name": "李小明", "grade": "二年级"}
    assert exported["申请人信息"]["手机号码"] == "13912345678"
    assert [entry["手机号码"] for entry in
            (booking["预约人"] for booking in data["网上办事：预约"])] == ["13912345678"]
    assert data["网上办事：好差评"][0]["整体满意度"] == "非常满意"
    assert data["网上办事：我的收藏"] == [{"事项编码": items[2].code, "事项名称": items[2].name,
                                   "排序": 1}]
    assert data["网上办事：关注的主题"] == [{"主题": "教育科研", "类别": "个人办事"}]
    assert json.loads(json.dumps(data)) == data


def test_closing_anonymises_my_records_and_keeps_them(cluster, citizen, items):
    user = citizen.user
    add_field(items[0], "parent_phone", FormFieldKind.PHONE, is_required=False)
    application = make_application(item=items[0], user=user, status=ApplicationStatus.DELIVERED,
                                   answers={"student_name": "李小明", "grade": "二年级",
                                            "parent_phone": "13912345678"})
    rate(application)
    slot = make_slot(body=cluster.district, capacity=2)
    upcoming = make_booking(slot, user=user)
    actions.pin_service(user=user, item=items[1])
    actions.set_service_interests(user=user, themes=[theme("jiaoyu")])
    guide, question, yes = make_guide(cluster.education, items)
    actions.record_guide_progress(user=user, guide=guide, answers={question.pk: yes.pk})
    others = make_application(item=items[0], user=make_citizen().user)

    changed = close_citizen_records(user=user)

    assert changed >= 5
    application.refresh_from_db()
    assert application.user is None and application.status == ApplicationStatus.DELIVERED
    assert application.answers == {"student_name": "李小明", "grade": "二年级", "parent_phone": ""}
    details = ApplicantDetails.objects.get(application=application)
    assert (details.name, details.resident_id, details.phone, details.email, details.address) == (
        ANONYMISED_NAME, "", "", "", "")
    assert ServiceRating.objects.filter(application=application).exists()
    assert application.decided_on is not None and application.number.startswith("BJ")
    upcoming.refresh_from_db()
    assert upcoming.user is None and upcoming.status == BookingStatus.CANCELLED
    assert upcoming.booker.phone == "" and upcoming.booker.name == ANONYMISED_NAME
    assert BookingSlot.objects.get(pk=slot.pk).booked_count == 0
    assert not ServicePin.objects.filter(user=user).exists()
    assert not ServiceInterest.objects.filter(user=user).exists()
    assert not GuideProgress.objects.filter(user=user).exists()
    assert ApplicantDetails.objects.get(application=others).name == "李建华"
    assert AuditEvent.objects.filter(action="services.citizen_records.anonymised").exists()


def test_an_anonymised_application_still_shows_in_the_staff_admin(client, cluster, citizen, items):
    application = make_application(item=items[0], user=citizen.user)
    close_citizen_records(user=citizen.user)
    client.force_login(cluster.user("education", Role.SERVICE_HANDLER))
    listing = client.get(reverse("services_applications"), {"worklist": "all"})
    assert application.number in listing.content.decode()
    detail = client.get(reverse("services_application_detail", args=[application.number]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert application.number in body and "13912345678" not in body
    assert ServiceApplication.objects.get(pk=application.pk).applicant.name == ANONYMISED_NAME


def test_a_past_booking_is_anonymised_but_not_cancelled(cluster, citizen):
    slot = make_slot(body=cluster.district)
    booking = make_booking(slot, user=citizen.user)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.ATTENDED)
    BookingSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(days=1),
                                                  ends_at=timezone.now() - timedelta(hours=20))
    close_citizen_records(user=citizen.user)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED and booking.user is None
    assert booking.booker.name == ANONYMISED_NAME
