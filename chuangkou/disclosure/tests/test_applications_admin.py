"""Staff screens (专网办理): only the body's disclosure officers and office head get in."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.disclosure.admin_views.applications import ACTIONS
from chuangkou.disclosure.choices import ApplicationStatus
from chuangkou.disclosure.models import DisclosureApplication
from chuangkou.organizations.choices import Role

from .factories_applications import applicant_input, make_application, make_online_application

OFFICER, HEAD = Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD


def routes(application):
    pk = application.pk
    yield "get", reverse("disclosure_application_detail", args=[pk])
    yield "post", reverse("disclosure_application_reveal", args=[pk])
    for name in ACTIONS:
        yield "get", reverse("disclosure_application_action", args=[pk, name])


@pytest.fixture
def application(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        return make_application(cluster, received_on=date(2026, 3, 2),
                                applicant=applicant_input(name="李秀英"))


@pytest.mark.parametrize("who", [
    None, ("health", OFFICER), ("health", HEAD), ("city", Role.SYSTEM_ADMINISTRATOR),
    ("city", Role.AUDITOR), ("education", Role.EDITOR), ("education", Role.SITE_ADMINISTRATOR),
])
def test_nobody_but_the_bodys_disclosure_staff_reaches_any_staff_route(cluster, application, who):
    client = Client()
    if who:
        client.force_login(cluster.user(*who))
    own_body_staff = who in (("health", OFFICER), ("health", HEAD))
    for url in (reverse("disclosure_applications"), reverse("disclosure_application_add")):
        response = client.get(url)
        # Another body's disclosure staff have their own list, without this application.
        assert response.status_code in ((200,) if own_body_staff else (302, 403)), url
        assert application.number not in response.content.decode()
    for method, url in routes(application):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        assert "李秀英" not in response.content.decode()
        assert application.information_title not in response.content.decode()


@pytest.mark.parametrize("role", [OFFICER, HEAD])
def test_the_bodys_disclosure_staff_see_list_detail_and_forms(cluster, application, role):
    client = Client()
    client.force_login(cluster.user("education", role))
    listing = client.get(reverse("disclosure_applications"))
    assert application.number in listing.content.decode()
    detail = client.get(reverse("disclosure_application_detail", args=[application.pk]))
    page = detail.content.decode()
    assert "李**" in page and "李秀英" not in page
    for name, spec in ACTIONS.items():
        expected = (302, 403) if spec.head_only and role == OFFICER else (200,)
        url = reverse("disclosure_application_action", args=[application.pk, name])
        assert client.get(url).status_code in expected, name


def test_revealing_the_applicant_shows_the_data_and_writes_an_audit_event(cluster, application):
    client = Client()
    client.force_login(cluster.user("education", OFFICER))
    response = client.post(reverse("disclosure_application_reveal", args=[application.pk]))
    assert "李秀英" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="disclosure.applicant.viewed").count() == 1


def test_a_refused_action_shows_the_rule_on_the_field(cluster, application):
    client = Client()
    client.force_login(cluster.user("education", OFFICER))
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        response = client.post(
            reverse("disclosure_application_action", args=[application.pk, "correction"]),
            {"notice": "请补正"})
    assert response.status_code == 200
    assert "第三十条" in response.content.decode()


def test_staff_confirm_an_online_application_through_the_form(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application, _code = make_online_application(cluster)
        client = Client()
        client.force_login(cluster.user("education", OFFICER))
        response = client.post(
            reverse("disclosure_application_action", args=[application.pk, "confirm"]),
            {"on": "2026-03-02"})
    assert response.status_code == 302
    assert DisclosureApplication.objects.get().status == ApplicationStatus.PROCESSING


def test_staff_entry_refuses_a_future_receipt_date_on_the_field(cluster):
    from .factories_applications import form_data

    client = Client()
    client.force_login(cluster.user("education", OFFICER))
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        data = form_data(body=cluster.education.pk, channel="fax", received_on="2026-03-03")
        response = client.post(reverse("disclosure_application_add"), data)
        assert "不能晚于今天" in str(response.context["form"].errors["received_on"])
        data["received_on"] = "2026-03-02"
        assert client.post(reverse("disclosure_application_add"), data).status_code == 302
    assert DisclosureApplication.objects.get().channel == "fax"


def test_the_list_uses_a_constant_number_of_queries(cluster, django_assert_max_num_queries):
    client = Client()
    client.force_login(cluster.user("education", OFFICER))
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        make_application(cluster, received_on=date(2026, 3, 2))
        client.get(reverse("disclosure_applications"))
        with django_assert_max_num_queries(36) as few:
            client.get(reverse("disclosure_applications"))
        for _ in range(8):
            make_application(cluster, received_on=date(2026, 3, 2))
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("disclosure_applications"))
    assert response.content.decode().count("YSQ2026-EDUCATION-") == 9
