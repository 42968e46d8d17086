"""The public side (外网受理、外网反馈): the form, the receipt, the lookup, my applications and
the attachments, with every field error named and personal data masked."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.disclosure import actions
from chuangkou.disclosure.choices import ApplicantKind, ResponseKind
from chuangkou.disclosure.models import DisclosureApplication
from chuangkou.organizations.choices import Role

from .factories_applications import form_data, make_application, make_online_application

APPLY = "/zwgk/ysqgk/education/apply/"
LOOKUP = "/zwgk/ysqgk/query/"


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    """Rate-limit counters live in the default cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def test_landing_lists_the_bodies_to_apply_to(client, cluster):
    response = client.get(reverse("disclosure:application_landing"))
    assert response.status_code == 200
    assert APPLY in response.content.decode()


def test_submitting_the_form_shows_the_number_and_code_once_without_caching(client, cluster):
    response = client.post(APPLY, form_data(), follow=True)
    page = response.content.decode()
    application = DisclosureApplication.objects.get()
    assert application.number in page and "查询码" in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "张明华" not in page
    again = client.get(reverse("disclosure:application_receipt", args=[application.number]))
    assert "只显示这一次" not in again.content.decode()


def test_the_same_form_token_twice_creates_one_application(client, cluster):
    data = form_data(form_token="same-token-123")
    client.post(APPLY, data)
    client.post(APPLY, data)
    assert DisclosureApplication.objects.count() == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("identity_document_number", "330102198503120018", "校验位"),
    ("identity_document_number", "330102198502300011", "出生日期"),
    ("phone", "1234", "手机号码"),
    ("postcode", "31000", "邮政编码"),
    ("organisation_kind", "", "组织类型"),
    ("information_description", "", "必需"),
])
def test_every_invalid_field_gets_its_own_message(client, cluster, field, value, message):
    overrides = {field: value}
    if field == "organisation_kind":
        overrides["applicant_kind"] = ApplicantKind.LEGAL_PERSON
    response = client.post(APPLY, form_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert not DisclosureApplication.objects.exists()


def test_the_form_is_rate_limited_per_address(client, cluster):
    for _ in range(10):
        client.post(APPLY, form_data(phone="bad"))
    assert client.post(APPLY, form_data()).status_code == 429


def test_lookup_with_number_and_code_shows_status_and_timeline_masked(client, cluster):
    application, code = make_online_application(cluster)
    response = client.post(LOOKUP, {"number": application.number, "code": code})
    page = response.content.decode()
    assert response.status_code == 200
    assert "待确认收到" in page and "提交申请" in page
    assert "张**" in page and "张明华" not in page and "13812345678" not in page
    assert "no-store" in response["Cache-Control"]


def test_lookup_with_a_wrong_code_is_refused_and_rate_limited(client, cluster):
    application, _code = make_online_application(cluster)
    response = client.post(LOOKUP, {"number": application.number, "code": "AAAAAAAA"})
    assert response.status_code == 400 and "不正确" in response.content.decode()
    for _ in range(30):
        client.post(LOOKUP, {"number": application.number, "code": "AAAAAAAA"})
    assert client.post(LOOKUP, {"number": application.number, "code": "AAAAAAAA"}).status_code == 429


def test_the_applicant_never_sees_internal_notes(client, cluster):
    officer = cluster.user("education", Role.DISCLOSURE_OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application, code = make_online_application(cluster)
        actions.confirm_application_receipt(application=application, actor=officer)
        actions.start_consultation(application=application, actor=officer,
                                   third_party="某某机密第三方公司")
    page = client.post(LOOKUP, {"number": application.number, "code": code}).content.decode()
    assert "征求第三方意见" in page and "某某机密第三方公司" not in page


def test_lookup_of_a_transferred_application_shows_the_new_number(client, cluster):
    officer = cluster.user("education", Role.DISCLOSURE_OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application, code = make_online_application(cluster)
        new = actions.transfer_application(application=application, actor=officer,
                                           target_body=cluster.health)
    page = client.post(LOOKUP, {"number": application.number, "code": code}).content.decode()
    assert new.number in page and "已转办" in page and cluster.health.name in page


def answered_with_attachment(cluster):
    officer = cluster.user("education", Role.DISCLOSURE_OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application, code = make_online_application(cluster)
        actions.confirm_application_receipt(application=application, actor=officer)
        response = actions.answer_application(
            application=application, actor=officer, kind=ResponseKind.DISCLOSED,
            letter_text="经审查，予以公开。",
            attachments=[SimpleUploadedFile("plan.pdf", b"%PDF-1.7 plan")])
    return application, code, response.attachments.get()


def test_attachments_are_served_only_to_the_applicant_and_the_body_staff(client, cluster):
    application, code, item = answered_with_attachment(cluster)
    url = reverse("disclosure:application_attachment", args=[item.pk])
    assert client.get(url).status_code == 404
    client.post(LOOKUP, {"number": application.number, "code": code})
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    for user, expected in [(cluster.user("education", Role.DISCLOSURE_OFFICER), 200),
                           (cluster.user("health", Role.DISCLOSURE_OFFICER), 404),
                           (cluster.user("city", Role.SYSTEM_ADMINISTRATOR), 404),
                           (cluster.user("city", Role.AUDITOR), 404)]:
        staff = Client()
        staff.force_login(user)
        assert staff.get(url).status_code == expected, user


def test_signed_in_applicants_see_their_own_applications(client, cluster):
    citizen, other = make_citizen().user, make_citizen().user
    client.force_login(citizen)
    client.post(APPLY, form_data())
    application = DisclosureApplication.objects.get()
    assert application.user == citizen
    page = client.get(reverse("disclosure:my_applications")).content.decode()
    assert application.number in page
    detail = reverse("disclosure:my_application", args=[application.number])
    assert client.get(detail).status_code == 200
    client.force_login(other)
    assert application.number not in client.get(
        reverse("disclosure:my_applications")).content.decode()
    assert client.get(detail).status_code == 404


def test_my_applications_needs_sign_in(client, cluster):
    assert client.get(reverse("disclosure:my_applications")).status_code == 302


def test_staff_entered_application_has_a_receipt_date_not_in_the_future(cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
    assert application.received_on == date(2026, 3, 2)
