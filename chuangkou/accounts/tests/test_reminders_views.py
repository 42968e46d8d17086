"""个性化提醒 pages: who may see them, adding with a message per field, changing, deleting by
POST, and another citizen's reminder numbers answering 404."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import ReminderSource, ReminderStatus
from ..models import Reminder
from .factories import make_citizen

pytestmark = pytest.mark.django_db

MARCH_2 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _on_march_2():
    with time_machine.travel(MARCH_2, tick=False):
        yield


@pytest.fixture
def citizen():
    return make_citizen(display_name="张伟")


def signed_in(account) -> Client:
    browser = Client()
    browser.force_login(account.user)
    return browser


def _reminder(account, **extra):
    values = {"title": "身份证有效期到期", "due_on": date(2026, 5, 1), "days_before": 30,
              "source": ReminderSource.DOCUMENT_EXPIRY, **extra}
    return actions.create_reminder(account=account, **values)


def test_anonymous_visitors_are_sent_to_sign_in_and_back():
    response = Client().get(reverse("accounts:reminders"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert "next=%2Fyonghu%2Freminders%2F" in response["Location"]


def test_staff_are_not_citizens(cluster):
    browser = Client()
    browser.force_login(cluster.user("city", Role.EDITOR))
    assert browser.get(reverse("accounts:reminders")).status_code == 403
    assert browser.get(reverse("accounts:reminder_add")).status_code == 403


def test_the_list_shows_upcoming_and_sent_reminders_escaped_and_private(citizen):
    _reminder(citizen, title="<b>驾驶证</b>换证")
    sent = _reminder(citizen, title="居住证签注", due_on=date(2026, 3, 10), days_before=2)
    Reminder.objects.filter(pk=sent.pk).update(status=ReminderStatus.SENT, sent_at=MARCH_2)
    response = signed_in(citizen).get(reverse("accounts:reminders"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;驾驶证&lt;/b&gt;换证" in page and "<b>驾驶证" not in page
    assert (page.index('id="upcoming-title"') < page.index("&lt;b&gt;驾驶证")
            < page.index('id="sent-title"') < page.index("居住证签注"))
    assert "no-store" in response["Cache-Control"]


def test_adding_a_reminder_redirects_to_the_list(citizen):
    response = signed_in(citizen).post(reverse("accounts:reminder_add"), {
        "source": "document_expiry", "title": "机动车驾驶证换证", "due_on": "2026-09-01",
        "days_before": "60", "note": "需提交身体条件证明"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:reminders")
    reminder = Reminder.objects.get(account=citizen)
    assert (reminder.remind_on, reminder.note) == (date(2026, 7, 3), "需提交身体条件证明")


def test_bad_input_gets_a_message_on_each_field(citizen):
    browser = signed_in(citizen)
    response = browser.post(reverse("accounts:reminder_add"), {
        "source": "document_expiry", "title": "", "due_on": "2026-13-01", "days_before": "x"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写提醒事项" in page and "到期日期格式不正确" in page and "提前天数应为整数" in page
    assert 'href="#id_title"' in page  # the error summary links to the field
    response = browser.post(reverse("accounts:reminder_add"), {
        "source": "manual", "title": "社保卡年审", "due_on": "2026-03-05", "days_before": "10"})
    assert response.status_code == 400
    assert "已经过去" in response.content.decode()
    assert not Reminder.objects.exists()


def test_changing_a_reminder_shows_its_values_and_saves_the_new_ones(citizen):
    reminder = _reminder(citizen)
    browser = signed_in(citizen)
    page = browser.get(reverse("accounts:reminder_edit", args=[reminder.pk])).content.decode()
    assert 'value="2026-05-01"' in page and 'value="30"' in page
    response = browser.post(reverse("accounts:reminder_edit", args=[reminder.pk]), {
        "source": "document_expiry", "title": "身份证有效期到期", "due_on": "2026-05-01",
        "days_before": "7"})
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.remind_on == date(2026, 4, 24)


def test_a_booking_reminder_is_not_offered_for_change(citizen):
    reminder = actions.schedule_reminder(account=citizen, title="政务服务中心预约",
                                         due_on=date(2026, 3, 5), remind_on=date(2026, 3, 4),
                                         source=ReminderSource.BOOKING, source_reference="YY9")
    browser = signed_in(citizen)
    page = browser.get(reverse("accounts:reminders")).content.decode()
    assert reverse("accounts:reminder_edit", args=[reminder.pk]) not in page
    response = browser.get(reverse("accounts:reminder_edit", args=[reminder.pk]))
    assert response.status_code == 302


def test_deleting_asks_first_and_deletes_on_post(citizen):
    reminder = _reminder(citizen)
    browser = signed_in(citizen)
    url = reverse("accounts:reminder_delete", args=[reminder.pk])
    assert "确认删除" in browser.get(url).content.decode()
    assert Reminder.objects.filter(pk=reminder.pk).exists()
    assert browser.post(url).status_code == 302
    assert not Reminder.objects.filter(pk=reminder.pk).exists()


@pytest.mark.parametrize("route", ["accounts:reminder_edit", "accounts:reminder_delete"])
def test_another_citizens_reminder_is_not_found(citizen, route):
    reminder = _reminder(citizen, title="张伟的身份证")
    intruder = signed_in(make_citizen(display_name="李娜"))
    url = reverse(route, args=[reminder.pk])
    get = intruder.get(url)
    post = intruder.post(url, {"source": "manual", "title": "改掉", "due_on": "2026-05-01",
                               "days_before": "1"})
    assert (get.status_code, post.status_code) == (404, 404)
    assert "张伟的身份证" not in get.content.decode()
    reminder.refresh_from_db()
    assert reminder.title == "张伟的身份证"
    assert "张伟的身份证" not in intruder.get(reverse("accounts:reminders")).content.decode()


def test_delete_without_csrf_token_is_refused(citizen):
    reminder = _reminder(citizen)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen.user)
    assert browser.post(reverse("accounts:reminder_delete", args=[reminder.pk])).status_code == 403
    assert Reminder.objects.filter(pk=reminder.pk).exists()
