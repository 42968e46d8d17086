"""个性化提醒 actions: the citizen's own reminders (dates checked against today, a message per
field), reminders other apps schedule (idempotent per source reference), cancelling them, and
the daily run that sends each due reminder once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from chuangkou.core.models import AuditEvent
from chuangkou.notifications import sms
from chuangkou.notifications.models import Delivery, SiteMessage

from .. import actions
from ..choices import AccountStatus, ReminderSource, ReminderStatus
from ..exceptions import AccountClosed, AccountsRuleViolation
from ..models import Reminder
from .factories import make_citizen

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH_2 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def citizen():
    return make_citizen(mobile="13912340001", email="zhangwei@example.cn",
                        display_name="张伟")


@pytest.fixture(autouse=True)
def _on_march_2():
    with time_machine.travel(MARCH_2, tick=False):
        yield


def _refusal(call, **kwargs) -> dict:
    with pytest.raises(AccountsRuleViolation) as caught:
        call(**kwargs)
    return caught.value.errors


# --- The citizen's own reminders ---------------------------------------------------------------


def test_a_reminder_is_due_the_given_days_before_the_due_date(citizen):
    reminder = actions.create_reminder(account=citizen, title="  身份证有效期到期 ",
                                       due_on=date(2026, 5, 1), days_before=30,
                                       source=ReminderSource.DOCUMENT_EXPIRY)
    assert reminder.title == "身份证有效期到期"
    assert reminder.remind_on == date(2026, 4, 1)
    assert reminder.status == ReminderStatus.SCHEDULED
    assert AuditEvent.objects.filter(action="accounts.reminder.created").count() == 1


def test_a_reminder_without_a_title_or_with_a_long_one_is_refused_on_the_title(citizen):
    errors = _refusal(actions.create_reminder, account=citizen, title="  ",
                      due_on=date(2026, 5, 1), days_before=3)
    assert "请填写提醒事项" in errors["title"][0]
    errors = _refusal(actions.create_reminder, account=citizen, title="证" * 101,
                      due_on=date(2026, 5, 1), days_before=3)
    assert "不能超过100个字" in errors["title"][0]
    assert not Reminder.objects.exists()


def test_a_due_date_in_the_past_is_refused_on_the_due_date(citizen):
    errors = _refusal(actions.create_reminder, account=citizen, title="驾驶证换证",
                      due_on=date(2026, 3, 1), days_before=0)
    assert errors == {"due_on": ["到期日期不能早于今天（2026-03-02）。"]}


def test_a_reminder_day_already_past_is_refused_naming_how_many_days_are_left(citizen):
    errors = _refusal(actions.create_reminder, account=citizen, title="驾驶证换证",
                      due_on=date(2026, 3, 12), days_before=30)
    assert "提醒日期（2026-02-10）已经过去" in errors["days_before"][0]
    assert "最多提前10天" in errors["days_before"][0]


def test_a_reminder_for_today_is_accepted(citizen):
    reminder = actions.create_reminder(account=citizen, title="社会保障卡年度认证",
                                       due_on=date(2026, 3, 9), days_before=7)
    assert reminder.remind_on == date(2026, 3, 2)


def test_days_before_outside_zero_to_a_year_is_refused(citizen):
    errors = _refusal(actions.create_reminder, account=citizen, title="护照有效期到期",
                      due_on=date(2027, 6, 1), days_before=400)
    assert errors == {"days_before": ["提前提醒的天数应在0至365之间。"]}


def test_a_closed_account_sets_no_reminder(citizen):
    citizen.status = AccountStatus.CLOSED
    citizen.closed_at = MARCH_2
    with pytest.raises(AccountClosed):
        actions.create_reminder(account=citizen, title="身份证有效期到期",
                                due_on=date(2026, 5, 1), days_before=3)


def test_changing_the_dates_of_a_sent_reminder_schedules_it_again(citizen):
    reminder = actions.create_reminder(account=citizen, title="机动车驾驶证换证",
                                       due_on=date(2026, 3, 10), days_before=8)
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT, sent_at=MARCH_2)
    changed = actions.update_reminder(account=citizen, reminder=reminder, title="机动车驾驶证换证",
                                      due_on=date(2026, 6, 10), days_before=30, note="带好体检证明")
    assert (changed.status, changed.sent_at) == (ReminderStatus.SCHEDULED, None)
    assert changed.remind_on == date(2026, 5, 11)
    assert changed.note == "带好体检证明"


def test_a_booking_reminder_cannot_be_changed_by_the_citizen(citizen):
    reminder = actions.schedule_reminder(account=citizen, title="政务服务中心预约",
                                         due_on=date(2026, 3, 5), remind_on=date(2026, 3, 4),
                                         source=ReminderSource.BOOKING,
                                         source_reference="YY2026000001")
    errors = _refusal(actions.update_reminder, account=citizen, reminder=reminder,
                      title="改掉", due_on=date(2026, 4, 1), days_before=1)
    assert "不能修改" in errors["__all__"][0]
    reminder.refresh_from_db()
    assert reminder.title == "政务服务中心预约"


def test_nobody_changes_or_deletes_another_citizens_reminder(citizen):
    reminder = actions.create_reminder(account=citizen, title="身份证有效期到期",
                                       due_on=date(2026, 5, 1), days_before=3)
    other = make_citizen()
    with pytest.raises(Reminder.DoesNotExist):
        actions.update_reminder(account=other, reminder=reminder, title="别人的",
                                due_on=date(2026, 5, 1), days_before=3)
    with pytest.raises(Reminder.DoesNotExist):
        actions.delete_reminder(account=other, reminder=reminder)
    actions.delete_reminder(account=citizen, reminder=reminder)
    assert not Reminder.objects.exists()


# --- Reminders other apps schedule ---------------------------------------------------------------


def test_scheduling_the_same_source_reference_twice_updates_one_reminder(citizen):
    first = actions.schedule_reminder(account=citizen, title="婚姻登记预约",
                                      due_on=date(2026, 3, 20), remind_on=date(2026, 3, 19),
                                      source=ReminderSource.BOOKING, source_reference="YY1")
    second = actions.schedule_reminder(account=citizen, title="婚姻登记预约（改期）",
                                       due_on=date(2026, 3, 27), remind_on=date(2026, 3, 26),
                                       source=ReminderSource.BOOKING, source_reference="YY1",
                                       url="/banshi/bookings/YY1/")
    assert second.pk == first.pk
    assert Reminder.objects.count() == 1
    second.refresh_from_db()
    assert (second.title, second.due_on, second.url) == ("婚姻登记预约（改期）", date(2026, 3, 27),
                                                         "/banshi/bookings/YY1/")


def test_scheduling_a_sent_reminder_again_unchanged_leaves_it_sent(citizen):
    reminder = actions.schedule_reminder(account=citizen, title="婚姻登记预约",
                                         due_on=date(2026, 3, 20), remind_on=date(2026, 3, 19),
                                         source=ReminderSource.BOOKING, source_reference="YY2")
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT, sent_at=MARCH_2)
    again = actions.schedule_reminder(account=citizen, title="婚姻登记预约",
                                      due_on=date(2026, 3, 20), remind_on=date(2026, 3, 19),
                                      source=ReminderSource.BOOKING, source_reference="YY2")
    assert again.status == ReminderStatus.SENT
    moved = actions.schedule_reminder(account=citizen, title="婚姻登记预约",
                                      due_on=date(2026, 3, 25), remind_on=date(2026, 3, 24),
                                      source=ReminderSource.BOOKING, source_reference="YY2")
    assert moved.status == ReminderStatus.SCHEDULED and moved.sent_at is None


def test_a_reminder_day_already_past_is_moved_to_today(citizen):
    reminder = actions.schedule_reminder(account=citizen, title="出入境证件办理预约",
                                         due_on=date(2026, 3, 2), remind_on=date(2026, 3, 1),
                                         source=ReminderSource.BOOKING, source_reference="YY3")
    assert reminder.remind_on == date(2026, 3, 2)


def test_scheduling_a_reminder_after_its_due_date_is_refused(citizen):
    errors = _refusal(actions.schedule_reminder, account=citizen, title="预约",
                      due_on=date(2026, 3, 3), remind_on=date(2026, 3, 4))
    assert errors == {"remind_on": ["提醒日期不能晚于到期日期。"]}


def test_cancelling_a_source_cancels_only_its_scheduled_reminders(citizen):
    kept = actions.schedule_reminder(account=citizen, title="另一预约", due_on=date(2026, 3, 9),
                                     remind_on=date(2026, 3, 8), source=ReminderSource.BOOKING,
                                     source_reference="YY5")
    actions.schedule_reminder(account=citizen, title="取消的预约", due_on=date(2026, 3, 9),
                              remind_on=date(2026, 3, 8), source=ReminderSource.BOOKING,
                              source_reference="YY4")
    assert actions.cancel_reminders_for_source(account=citizen, source=ReminderSource.BOOKING,
                                               source_reference="YY4") == 1
    assert actions.cancel_reminders_for_source(account=citizen, source=ReminderSource.BOOKING,
                                               source_reference="YY4") == 0
    kept.refresh_from_db()
    assert kept.status == ReminderStatus.SCHEDULED
    assert Reminder.objects.filter(status=ReminderStatus.CANCELLED).count() == 1


# --- Sending ---------------------------------------------------------------------------------------


def test_a_due_reminder_is_sent_once_by_mail_sms_and_inbox(citizen,
                                                           django_capture_on_commit_callbacks):
    sms.outbox.clear()
    due = actions.create_reminder(account=citizen, title="身份证有效期到期",
                                  due_on=date(2026, 3, 20), days_before=10)
    later = actions.create_reminder(account=citizen, title="机动车驾驶证换证",
                                    due_on=date(2026, 6, 20), days_before=30)
    with time_machine.travel(datetime(2026, 3, 10, 8, 0, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert actions.send_due_reminders() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert actions.send_due_reminders() == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == ReminderStatus.SENT and due.sent_at is not None
    assert later.status == ReminderStatus.SCHEDULED
    assert len(mail.outbox) == 1
    assert "身份证有效期到期" in mail.outbox[0].subject
    assert "2026-03-20" in mail.outbox[0].body and "还有10天" in mail.outbox[0].body
    assert "/yonghu/reminders/" in mail.outbox[0].body
    assert [text.mobile for text in sms.outbox] == ["13912340001"]
    assert SiteMessage.objects.filter(user=citizen.user).count() == 1
    assert Delivery.objects.filter(kind="accounts.reminder_due").count() == 3


def test_reminders_of_a_closed_account_are_not_sent(citizen, django_capture_on_commit_callbacks):
    actions.create_reminder(account=citizen, title="身份证有效期到期", due_on=date(2026, 3, 20),
                            days_before=18)
    type(citizen).objects.filter(pk=citizen.pk).update(status=AccountStatus.CLOSED,
                                                       closed_at=MARCH_2)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_due_reminders() == 0
    assert not Delivery.objects.exists()


def test_a_reminder_sent_is_recorded_in_the_audit(citizen, django_capture_on_commit_callbacks):
    actions.create_reminder(account=citizen, title="居住证签注", due_on=date(2026, 3, 2),
                            days_before=0)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_due_reminders(today=date(2026, 3, 2))
    event = AuditEvent.objects.get(action="accounts.reminder.sent")
    assert event.data["due_on"] == "2026-03-02"


def test_the_periodic_task_sends_due_reminders(citizen, django_capture_on_commit_callbacks):
    from ..tasks import send_due_reminders

    actions.create_reminder(account=citizen, title="机动车年检", due_on=date(2026, 3, 2),
                            days_before=0)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders.enqueue()
    assert result.return_value == 1
    assert Reminder.objects.get().status == ReminderStatus.SENT


def test_reminders_and_digests_are_registered_as_periodic_tasks():
    from datetime import timedelta

    from chuangkou.core.periodic import registered_periodic_tasks

    from .. import tasks

    names = ("accounts.send_due_reminders", "accounts.send_daily_subscription_digests",
             "accounts.send_weekly_subscription_digests")
    mine = {entry.name: entry for entry in registered_periodic_tasks() if entry.name in names}
    assert {name: (entry.every, entry.task) for name, entry in mine.items()} == {
        "accounts.send_due_reminders": (timedelta(hours=1), tasks.send_due_reminders),
        "accounts.send_daily_subscription_digests": (
            timedelta(days=1), tasks.send_daily_subscription_digests),
        "accounts.send_weekly_subscription_digests": (
            timedelta(days=7), tasks.send_weekly_subscription_digests),
    }
