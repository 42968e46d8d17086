"""工作日历 in the admin (Settings): system administrators keep the overrides; every change goes
through the actions and is audited; everyone else is refused."""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import settings_menu

from chuangkou.core.actions import set_working_day_override
from chuangkou.core.models import AuditEvent, WorkingDayOverride
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

NOTICE = "国务院办公厅关于2027年部分节假日安排的通知"
DASHBOARD = reverse("wagtailadmin_home")


def override_form(**overrides):
    data = {"date": "2027-02-06", "is_working_day": "False", "name": "春节", "source": NOTICE}
    data.update(overrides)
    return data


def assert_refused(response):
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response.url.startswith((DASHBOARD, reverse("wagtailadmin_login")))


@pytest.fixture
def administrator(cluster, client):
    user = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.fixture
def spring_festival():
    return set_working_day_override(day=date(2027, 2, 6), is_working_day=False, name="春节",
                                    source=NOTICE)


def test_the_system_administrator_finds_the_working_calendar_in_the_settings_menu(
        cluster, administrator):
    request = RequestFactory().get(DASHBOARD)
    request.user = administrator
    names = {item.name for item in settings_menu.menu_items_for_request(request)}
    assert "working-calendar" in names
    request.user = cluster.user("education", Role.EDITOR)
    assert "working-calendar" not in {
        item.name for item in settings_menu.menu_items_for_request(request)}


def test_the_system_administrator_sees_the_overrides_in_date_order(client, administrator,
                                                                    spring_festival):
    set_working_day_override(day=date(2027, 1, 30), is_working_day=True, name="春节调休上班",
                             source=NOTICE)
    response = client.get(reverse("working_calendar:index"))
    assert response.status_code == 200
    assert [o.date for o in response.context["object_list"]] == [date(2027, 1, 30),
                                                                 date(2027, 2, 6)]
    html = response.content.decode()
    assert "春节调休上班" in html and "星期六" in html and NOTICE in html


def test_the_list_can_be_narrowed_to_one_year(client, administrator, spring_festival):
    set_working_day_override(day=date(2028, 1, 1), is_working_day=False, name="元旦",
                             source="国务院办公厅关于2028年部分节假日安排的通知")
    response = client.get(reverse("working_calendar:index"), {"year": "2028"})
    assert [o.name for o in response.context["object_list"]] == ["元旦"]


def test_creating_an_override_goes_through_the_action_and_is_audited(client, administrator):
    response = client.post(reverse("working_calendar:add"), override_form())
    assert response.status_code == 302, response.context and response.context["form"].errors
    override = WorkingDayOverride.objects.get(date=date(2027, 2, 6))
    assert (override.is_working_day, override.name, override.source) == (False, "春节", NOTICE)
    event = AuditEvent.objects.get(action="core.working_day.set", target_id=str(override.pk))
    assert event.actor == administrator and event.client_address == "127.0.0.1"
    assert event.data["before"] is None
    assert event.data["after"] == {"date": "2027-02-06", "is_working_day": False,
                                   "name": "春节", "source": NOTICE}


def test_a_makeup_working_day_is_created_as_a_working_day(client, administrator):
    response = client.post(reverse("working_calendar:add"),
                           override_form(date="2027-01-30", is_working_day="True",
                                         name="春节调休上班"))
    assert response.status_code == 302
    assert WorkingDayOverride.objects.get(date=date(2027, 1, 30)).is_working_day


def test_editing_an_override_changes_it_through_the_action_but_never_its_date(
        client, administrator, spring_festival):
    url = reverse("working_calendar:edit", args=[spring_festival.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    response = client.post(url, override_form(date="2027-03-01", is_working_day="True",
                                              name="春节调休上班"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    spring_festival.refresh_from_db()
    assert spring_festival.date == date(2027, 2, 6)
    assert (spring_festival.is_working_day, spring_festival.name) == (True, "春节调休上班")
    assert not WorkingDayOverride.objects.filter(date=date(2027, 3, 1)).exists()
    event = AuditEvent.objects.filter(action="core.working_day.set").latest("pk")
    assert event.actor == administrator
    assert event.data["before"]["is_working_day"] is False
    assert event.data["after"]["is_working_day"] is True


def test_saving_an_unchanged_override_writes_no_audit_record(client, administrator,
                                                             spring_festival):
    before = AuditEvent.objects.filter(action="core.working_day.set").count()
    response = client.post(reverse("working_calendar:edit", args=[spring_festival.pk]),
                           override_form())
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="core.working_day.set").count() == before


def test_deleting_an_override_goes_through_the_action_and_is_audited(client, administrator,
                                                                     spring_festival):
    url = reverse("working_calendar:delete", args=[spring_festival.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "删除后该日按法定日历或周一至周五计算" in response.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not WorkingDayOverride.objects.exists()
    event = AuditEvent.objects.get(action="core.working_day.removed")
    assert event.actor == administrator
    assert event.target_id == str(spring_festival.pk)
    assert event.data["before"]["name"] == "春节"


@pytest.mark.parametrize("bad_date", ["2027-02-30", "明年春节", ""])
def test_a_bad_date_is_a_field_error_not_a_server_error(client, administrator, bad_date):
    response = client.post(reverse("working_calendar:add"), override_form(date=bad_date))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["date"]
    assert not WorkingDayOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="core.working_day.set").exists()


def test_adding_a_day_that_already_has_an_override_is_refused_on_the_date_field(
        client, administrator, spring_festival):
    response = client.post(reverse("working_calendar:add"),
                           override_form(is_working_day="True", name="改写"))
    assert response.status_code == 200
    assert "该日期已有调整记录" in response.context["form"].errors["date"][0]
    spring_festival.refresh_from_db()
    assert spring_festival.name == "春节"


def test_a_missing_source_is_a_field_error(client, administrator):
    response = client.post(reverse("working_calendar:add"), override_form(source=" "))
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert not WorkingDayOverride.objects.exists()


@pytest.mark.parametrize("body, role", [
    ("education", Role.EDITOR),
    ("education", Role.SITE_ADMINISTRATOR),
    ("city", Role.REVIEWER),
    ("city", Role.AUDITOR),
    ("education", Role.DISCLOSURE_OFFICE_HEAD),
])
def test_other_roles_are_refused_every_working_calendar_screen(client, cluster, body, role,
                                                               spring_festival):
    client.force_login(cluster.user(body, role))
    for url in (reverse("working_calendar:index"), reverse("working_calendar:add"),
                reverse("working_calendar:edit", args=[spring_festival.pk]),
                reverse("working_calendar:delete", args=[spring_festival.pk])):
        response = client.get(url)
        assert_refused(response)
        assert NOTICE not in response.content.decode()
    assert_refused(client.post(reverse("working_calendar:add"),
                               override_form(date="2027-02-07")))
    assert_refused(client.post(reverse("working_calendar:edit", args=[spring_festival.pk]),
                               override_form(name="改写")))
    assert_refused(client.post(reverse("working_calendar:delete", args=[spring_festival.pk])))
    assert list(WorkingDayOverride.objects.values_list("date", "name")) == [
        (date(2027, 2, 6), "春节")]


def test_anonymous_visitors_are_sent_to_the_login_page(client, spring_festival):
    response = client.get(reverse("working_calendar:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
