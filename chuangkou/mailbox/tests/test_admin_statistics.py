"""信件统计 in the admin: tables per body, kind and month, the audited XLSX export and the
"超过3个月未答复" list, each limited to the bodies at or below the user's."""

import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from .factories import answer_letter, make_letter

pytestmark = pytest.mark.django_db

SUPERVISOR, DISPATCHER = Role.LETTER_SUPERVISOR, Role.LETTER_DISPATCHER


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def letters(cluster):
    """March 2026: two letters to the education bureau (one answered the next day), one to the
    health commission."""
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        answered = make_letter(cluster=cluster, addressed_body=cluster.education,
                               title="教育局已答复的来信")
        open_one = make_letter(cluster=cluster, addressed_body=cluster.education,
                               title="教育局未答复的来信")
        health = make_letter(cluster=cluster, addressed_body=cluster.health,
                             title="卫健委未答复的来信")
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        answer_letter(answered, cluster)
    return answered, open_one, health


def statistics_page(client, **params):
    params.setdefault("year", "2026")
    return client.get(reverse("mailbox_statistics"), params)


def test_city_supervisor_sees_every_body_with_counts_and_rates(cluster, letters):
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        response = statistics_page(client_for(cluster.user("city", SUPERVISOR)))
    tables = response.context["tables"]
    by_body = {row.label: row for row in tables[0]["rows"]}
    education = by_body["示例市教育局"]
    assert (education.received, education.answered, education.answered_on_time) == (2, 1, 1)
    assert str(education.reply_rate) == "50.0"
    assert education.overdue_now == 1  # due 9 March, still open on 20 March
    assert by_body["示例市卫生健康委员会"].received == 1
    assert tables[0]["total"].received == 3
    assert {row.month: row.received for row in tables[2]["rows"]}[3] == 3
    page = response.content.decode()
    assert "50.0%" in page and "按单位" in page and "按类型" in page and "按月份" in page


def test_education_supervisor_sees_only_education(cluster, letters):
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        client = client_for(cluster.user("education", SUPERVISOR))
        response = statistics_page(client)
        assert response.context["tables"][0]["total"].received == 2
        assert "示例市卫生健康委员会" not in response.content.decode()
        refused = statistics_page(client, body=cluster.health.pk)
    assert refused.status_code == 200
    assert "body" in refused.context["filter_form"].errors
    assert "tables" not in refused.context


def test_filter_by_body_and_kind(cluster, letters):
    from chuangkou.mailbox.models import LetterKind

    client = client_for(cluster.user("city", DISPATCHER))
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        response = statistics_page(client, body=cluster.health.pk)
        assert response.context["tables"][0]["total"].received == 1
        tousu = LetterKind.objects.get(code="tousu")
        response = statistics_page(client, kind=tousu.pk)
    assert response.context["tables"][0]["total"].received == 0


def test_export_is_an_xlsx_workbook_and_audited(cluster, letters):
    from openpyxl import load_workbook

    client = client_for(cluster.user("city", SUPERVISOR))
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        assert client.get(reverse("mailbox_statistics_export")).status_code == 405
        response = client.post(reverse("mailbox_statistics_export"),
                               {"year": "2026", "body": cluster.education.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert "按单位" in workbook.sheetnames
    event = AuditEvent.objects.get(action="mailbox.statistics.exported")
    assert event.actor_label == "city-letter_supervisor"
    assert event.data["year"] == 2026 and event.data["body"] == "education"


def test_export_with_a_bad_year_is_400_and_not_audited(cluster):
    response = client_for(cluster.user("city", SUPERVISOR)).post(
        reverse("mailbox_statistics_export"), {"year": "abc"})
    assert response.status_code == 400
    assert "年度" in response.content.decode()
    assert not AuditEvent.objects.filter(action="mailbox.statistics.exported").exists()


def test_letters_unanswered_for_over_three_months_are_listed(cluster, letters):
    answered, open_one, health = letters
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        page = statistics_page(client_for(cluster.user("city", SUPERVISOR))).content.decode()
        education_page = statistics_page(
            client_for(cluster.user("education", SUPERVISOR))).content.decode()
    section = page.split("超过3个月未答复的来信", 1)[1]
    assert open_one.number in section and health.number in section
    assert answered.number not in section
    education_section = education_page.split("超过3个月未答复的来信", 1)[1]
    assert open_one.number in education_section and health.number not in education_section


def test_handlers_and_other_staff_get_403(cluster):
    for who in (("education", Role.LETTER_HANDLER), ("education", Role.LETTER_REVIEWER),
                ("city", Role.SYSTEM_ADMINISTRATOR), ("city", Role.AUDITOR)):
        client = client_for(cluster.user(*who))
        assert client.get(reverse("mailbox_statistics")).status_code == 403, who
        assert client.post(reverse("mailbox_statistics_export"),
                           {"year": "2026"}).status_code == 403, who


def test_statistics_page_uses_a_constant_number_of_queries(cluster,
                                                          django_assert_max_num_queries):
    client = client_for(cluster.user("city", SUPERVISOR))
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        make_letter(cluster=cluster, addressed_body=cluster.education)
        client = client_for(cluster.user("city", SUPERVISOR))
        statistics_page(client)
        with django_assert_max_num_queries(60) as few:
            statistics_page(client)
        for body in (cluster.health, cluster.district, cluster.education):
            make_letter(cluster=cluster, addressed_body=body)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = statistics_page(client)
    assert response.context["tables"][0]["total"].received == 4
