"""What 网上办事 tells people, through the notifications interface: a citizen through their
account (their addresses and channels), an applicant or booker without one at the e-mail
address they gave, staff by e-mail; queued on commit, so a rolled-back change sends nothing.
Bookings of a citizen become reminders the day before."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from chuangkou.accounts.choices import ReminderSource, ReminderStatus
from chuangkou.accounts.models import Reminder
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.notifications import sms
from chuangkou.notifications.actions import SENSITIVE_PLACEHOLDER
from chuangkou.notifications.choices import Channel
from chuangkou.notifications.models import Delivery, SiteMessage
from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.bookings import booking_reminder_day
from ..choices import ApplicationStatus
from ..notification_kinds import APPLICATION_KINDS, BOOKING_KINDS, RATING_KINDS, STAFF_KINDS
from .factories import make_application, make_item, make_slot
from .test_applications_support import applicant, submit
from .test_ratings_actions import levels

pytestmark = pytest.mark.django_db

CITIZEN_EMAIL = "zhang.wei@example.cn"
CITIZEN_MOBILE = "13800138000"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def citizen():
    return make_citizen(email=CITIZEN_EMAIL, mobile=CITIZEN_MOBILE)


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education)


@pytest.fixture
def handler(cluster):
    return cluster.user("education", Role.SERVICE_HANDLER)


def kinds_sent(user=None, **filters):
    queryset = Delivery.objects.filter(**filters)
    if user is not None:
        queryset = queryset.filter(user=user)
    return sorted({delivery.kind for delivery in queryset})


def test_every_kind_is_declared_with_its_variables():
    for kind in (*APPLICATION_KINDS, *BOOKING_KINDS, *RATING_KINDS, *STAFF_KINDS):
        assert kind.code.startswith("services.") and kind.subject and kind.body
    assert all(kind.channels == (Channel.EMAIL,) for kind in STAFF_KINDS)


def test_without_an_account_the_query_code_goes_once_by_e_mail_and_is_wiped(
        item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _application, code = submit(item)
    [message] = mail.outbox
    assert message.to == ["li.jianhua@example.com"] and code in message.body
    delivery = Delivery.objects.get(kind="services.application_submitted_with_code")
    assert delivery.body == SENSITIVE_PLACEHOLDER and code not in delivery.body
    assert not SiteMessage.objects.exists() and not sms.outbox


def test_a_citizen_hears_through_their_account_on_every_channel(
        item, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application, code = submit(item, user=citizen.user,
                                   applicant=applicant(email="typed.in@example.com"))
    assert [message.to for message in mail.outbox] == [[CITIZEN_EMAIL]]
    assert code not in mail.outbox[0].body and application.number in mail.outbox[0].subject
    assert [text.mobile for text in sms.outbox] == [CITIZEN_MOBILE]
    message = SiteMessage.objects.get(user=citizen.user)
    assert application.number in message.subject
    assert message.url.endswith(f"/banshi/applications/{application.number}/")


def test_a_citizen_who_turned_sms_off_gets_no_sms(item, django_capture_on_commit_callbacks):
    quiet = make_citizen(email=CITIZEN_EMAIL, mobile=CITIZEN_MOBILE, notify_by_sms=False)
    with django_capture_on_commit_callbacks(execute=True):
        submit(item, user=quiet.user)
    assert not sms.outbox and len(mail.outbox) == 1


def test_a_rolled_back_submission_sends_nothing(item, citizen,
                                                django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        submit(item, user=citizen.user)
        raise RuntimeError("the request failed after the submission")
    assert not mail.outbox and not sms.outbox and not Delivery.objects.exists()


def test_each_status_change_tells_the_applicant(item, citizen, handler,
                                                django_capture_on_commit_callbacks):
    user = citizen.user
    item.charges_fee = True
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        application, _code = submit(item, user=user)
        actions.request_supplement(application=application, actor=handler,
                                   notice="请补充户口簿复印件。")
    application = make_application(item=item, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_application(application=application, actor=handler)
        actions.decide_application(application=application, actor=handler, approve=True,
                                   note="符合条件。")
        payment = actions.request_payment(application=application, actor=handler, amount=20)
        actions.confirm_payment(payment=payment, actor=handler, reference="FS0001")
        actions.deliver_result(application=application, actor=handler, method="online")
    refused = make_application(item=item, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        actions.refuse_application(application=refused, actor=handler,
                                   reason="不属于本机关职权范围。")
    assert kinds_sent(user, channel=Channel.SITE) == [
        "services.application_accepted", "services.application_decided",
        "services.application_refused", "services.application_submitted",
        "services.fee_requested", "services.result_delivered",
        "services.supplement_requested"]
    notice = SiteMessage.objects.get(delivery__kind="services.supplement_requested")
    assert "户口簿复印件" in notice.body
    assert "20.00" in SiteMessage.objects.get(delivery__kind="services.fee_requested").body


def test_an_applicant_without_an_account_hears_at_the_address_they_gave(
        item, handler, django_capture_on_commit_callbacks):
    application = make_application(item=item)
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_application(application=application, actor=handler)
    [message] = mail.outbox
    assert message.to == ["li.jianhua@example.com"]
    assert application.number in message.subject and "承诺办结期限" in message.body
    assert not SiteMessage.objects.exists()


# --- Ratings and staff -----------------------------------------------------------------------


def test_a_dissatisfied_rating_and_an_appeal_go_to_staff_by_e_mail(
        cluster, item, handler, django_capture_on_commit_callbacks):
    application = make_application(item=item, status=ApplicationStatus.DELIVERED)
    supervisor = cluster.user("city", Role.SERVICE_SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        rating = actions.rate_application(application=application, rating=levels(1))
    assert kinds_sent(channel=Channel.EMAIL) == ["services.rating_dissatisfied"]
    assert supervisor.email in {address for message in mail.outbox for address in message.to}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = actions.submit_rating_appeal(rating=rating, actor=handler,
                                              reason="申请人误将他人办件当作本办件评价。")
    assert supervisor.email in {address for message in mail.outbox for address in message.to}
    assert application.number in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_rating_appeal(appeal=appeal, actor=supervisor, uphold=True,
                                     note="经核实属误评，撤除。")
    assert [message.to for message in mail.outbox] == [[handler.email]]
    assert "申诉成立" in mail.outbox[0].body
    assert not SiteMessage.objects.exists()


def test_the_rater_hears_how_their_complaint_was_rectified(
        cluster, item, citizen, handler, django_capture_on_commit_callbacks):
    application = make_application(item=item, user=citizen.user,
                                   status=ApplicationStatus.DELIVERED)
    rating = actions.rate_application(application=application, rating=levels(2))
    case = rating.rectification
    supervisor = cluster.user("education", Role.SERVICE_SUPERVISOR)
    for kind in ("follow_up", "rectification"):
        actions.record_rectification_entry(case=case, actor=supervisor, kind=kind,
                                           note="已电话回访申请人并改进窗口服务流程。")
    with django_capture_on_commit_callbacks(execute=True):
        actions.close_rectification_case(case=case, actor=supervisor,
                                         conclusion="已对窗口人员进行培训，缩短等候时间。")
    message = SiteMessage.objects.get(user=citizen.user)
    assert "缩短等候时间" in message.body and application.number in message.subject


# --- Bookings --------------------------------------------------------------------------------


def test_a_citizens_booking_is_confirmed_through_the_account_and_reminded_the_day_before(
        cluster, citizen, django_capture_on_commit_callbacks):
    slot = make_slot(body=cluster.district, starts_in_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        booking, _code = actions.book_slot(slot=slot, user=citizen.user, booker=actions.BookerInput(
            name="张伟", phone="13900001111", email="typed.in@example.com"))
    assert [message.to for message in mail.outbox] == [[CITIZEN_EMAIL]]
    assert SiteMessage.objects.get(user=citizen.user).url.endswith(
        f"/banshi/bookings/{booking.number}/")
    reminder = Reminder.objects.get(account=citizen, source=ReminderSource.BOOKING)
    starts_on = timezone.localdate(slot.starts_at)
    assert reminder.source_reference == booking.number
    assert (reminder.due_on, reminder.remind_on) == (starts_on, starts_on - timedelta(days=1))
    assert slot.resource.place in reminder.note
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_booking(booking=booking, user=citizen.user)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.CANCELLED


def test_staff_cancelling_a_slot_tells_citizens_and_cancels_their_reminders(
        cluster, citizen, django_capture_on_commit_callbacks):
    slot = make_slot(body=cluster.district, starts_in_days=5)
    actions.book_slot(slot=slot, user=citizen.user,
                      booker=actions.BookerInput(name="张伟", phone="13900001111"))
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_booking_slot(actor=cluster.user("dongcheng", Role.SERVICE_ITEM_MANAGER),
                                    slot=slot, reason="培训老师临时有事")
    message = SiteMessage.objects.get(delivery__kind="services.booking_cancelled")
    assert message.user == citizen.user and "培训老师临时有事" in message.body
    assert Reminder.objects.get(account=citizen).status == ReminderStatus.CANCELLED


def test_anonymous_bookers_get_no_reminder(cluster):
    slot = make_slot(body=cluster.district, starts_in_days=5)
    actions.book_slot(slot=slot, booker=actions.BookerInput(name="王秀英", phone="13912345678"))
    assert not Reminder.objects.exists()


def test_the_reminder_day_is_the_day_before_or_today_when_that_has_passed(cluster, citizen):
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        today = timezone.localdate()
        assert booking_reminder_day(today + timedelta(days=5), today=today) == today + timedelta(4)
        assert booking_reminder_day(today + timedelta(days=1), today=today) == today
        assert booking_reminder_day(today, today=today) == today
        slot = make_slot(body=cluster.district, starts_in_days=1)
        actions.book_slot(slot=slot, user=citizen.user,
                          booker=actions.BookerInput(name="张伟", phone="13900001111"))
        assert Reminder.objects.get(account=citizen).remind_on == today


def test_bookers_without_an_account_are_reminded_by_e_mail_once_the_day_before(
        cluster, citizen, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        tomorrow = make_slot(body=cluster.district, starts_in_days=1)
        later = make_slot(body=cluster.district, starts_in_days=3, name="社区助老服务")
        for slot in (tomorrow, later):
            actions.book_slot(slot=slot, booker=actions.BookerInput(
                name="王秀英", phone="13912345678", email="wang@example.com"))
        actions.book_slot(slot=tomorrow, booker=actions.BookerInput(name="李强",
                                                                    phone="13912345679"))
        actions.book_slot(slot=tomorrow, user=citizen.user, booker=actions.BookerInput(
            name="张伟", phone="13900001111", email="typed.in@example.com"))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert actions.send_booking_reminders() == 1
            assert actions.send_booking_reminders() == 0
    [message] = mail.outbox
    assert message.to == ["wang@example.com"] and tomorrow.resource.place in message.body


def test_the_booking_reminders_run_every_hour():
    from chuangkou.core.periodic import registered_periodic_tasks

    task = next(task for task in registered_periodic_tasks()
                if task.name == "services.booking_reminders")
    assert task.every == timedelta(hours=1)


def test_a_long_resource_name_and_place_still_make_a_reminder(cluster, citizen):
    slot = make_slot(body=cluster.district, starts_in_days=4, name="社" * 100)
    slot.resource.place = "东" * 200
    slot.resource.save()
    actions.book_slot(slot=slot, user=citizen.user,
                      booker=actions.BookerInput(name="张伟", phone="13900001111"))
    reminder = Reminder.objects.get(account=citizen)
    assert len(reminder.title) == 100 and len(reminder.note) == 200
