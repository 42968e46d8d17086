"""Admin screens of the annual report and appeals: who may see and use them."""

from datetime import date

import pytest
import time_machine

from chuangkou.disclosure.choices import AppealKind, AppealOutcome
from chuangkou.disclosure.models import AnnualReportPage, ApplicationAppeal
from chuangkou.disclosure.tests.factories_reports import make_appeal, make_report_column
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db
FROZEN = "2026-01-20 10:00 +0800"
CASE_NUMBER = "（2025）示行复字第77号"


@pytest.fixture
def setting(cluster):
    make_report_column(body=cluster.education, parent_page=cluster.education_site.home_page)
    appeal = make_appeal(body=cluster.education, filed_on=date(2025, 9, 1))
    ApplicationAppeal.objects.filter(pk=appeal.pk).update(case_number=CASE_NUMBER)
    return appeal


def routes(appeal):
    return [
        ("get", "/admin/disclosure/reports/", None),
        ("post", "/admin/disclosure/reports/", "report"),
        ("get", "/admin/disclosure/appeals/", None),
        ("get", "/admin/disclosure/appeals/add/", None),
        ("post", "/admin/disclosure/appeals/add/", "appeal"),
        ("get", f"/admin/disclosure/appeals/{appeal.pk}/conclude/", None),
        ("post", f"/admin/disclosure/appeals/{appeal.pk}/conclude/", "conclude"),
    ]


def payload(kind, cluster):
    return {
        "report": {"body": cluster.education.pk, "year": 2025},
        "appeal": {"body": cluster.education.pk, "kind": AppealKind.LAWSUIT_DIRECT,
                   "filed_on": "2025-10-10", "case_number": "（2025）示行初字第3号"},
        "conclude": {"outcome": AppealOutcome.CORRECTED, "concluded_on": "2025-12-01"},
    }.get(kind)


def request(client, method, url, data):
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("role", [Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD])
@time_machine.travel(FROZEN)
def test_the_bodys_disclosure_staff_may_use_every_screen(client, cluster, setting, role):
    client.force_login(cluster.user("education", role))
    for method, url, kind in routes(setting):
        response = request(client, method, url, payload(kind, cluster))
        assert response.status_code in (200, 302), (method, url, response.status_code)
        if method == "get":
            assert response.status_code == 200
    assert AnnualReportPage.objects.filter(body=cluster.education, year=2025).exists()
    setting.refresh_from_db()
    assert setting.outcome == AppealOutcome.CORRECTED
    assert ApplicationAppeal.objects.filter(kind=AppealKind.LAWSUIT_DIRECT).count() == 1


@pytest.mark.parametrize("role", [Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD])
@time_machine.travel(FROZEN)
def test_another_bodys_disclosure_staff_can_neither_see_nor_change_this_bodys_work(
        client, cluster, setting, role):
    client.force_login(cluster.user("health", role))
    for method, url, kind in routes(setting):
        response = request(client, method, url, payload(kind, cluster))
        assert response.status_code in (200, 404), (role, method, url, response.status_code)
        assert CASE_NUMBER not in response.content.decode()
        if method == "post" and response.status_code == 200:
            assert "body" in response.context["form"].errors
    assert not AnnualReportPage.objects.exists()
    setting.refresh_from_db()
    assert setting.outcome == AppealOutcome.PENDING
    assert ApplicationAppeal.objects.count() == 1


@pytest.mark.parametrize("who", [
    ("education", Role.SYSTEM_ADMINISTRATOR), ("education", Role.AUDITOR),
    ("city", Role.SYSTEM_ADMINISTRATOR), ("city", Role.AUDITOR),
    ("education", Role.EDITOR), ("education", Role.REVIEWER),
])
@time_machine.travel(FROZEN)
def test_staff_without_a_disclosure_role_are_refused_every_screen(
        client, cluster, setting, who):
    client.force_login(cluster.user(*who))
    for method, url, kind in routes(setting):
        response = request(client, method, url, payload(kind, cluster))
        # Wagtail answers a refusal inside the admin with a redirect to the dashboard.
        refused = response.status_code == 403 or (
            response.status_code == 302 and response["Location"] == "/admin/")
        assert refused, (who, method, url, response.status_code)
        assert CASE_NUMBER not in response.content.decode()
    assert not AnnualReportPage.objects.exists()
    setting.refresh_from_db()
    assert setting.outcome == AppealOutcome.PENDING
    assert ApplicationAppeal.objects.count() == 1


@time_machine.travel(FROZEN)
def test_anonymous_visitors_are_sent_to_the_login_page(client, cluster, setting):
    for method, url, kind in routes(setting):
        response = request(client, method, url, payload(kind, cluster))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not AnnualReportPage.objects.exists()


@time_machine.travel(FROZEN)
def test_the_appeal_list_lists_only_the_users_bodies_and_shows_the_due_date(
        client, cluster, setting):
    make_appeal(body=cluster.health, filed_on=date(2025, 9, 2))
    ApplicationAppeal.objects.filter(body=cluster.health).update(case_number="（2025）卫复字第1号")
    client.force_login(cluster.user("education", Role.DISCLOSURE_OFFICER))
    html = client.get("/admin/disclosure/appeals/").content.decode()
    assert CASE_NUMBER in html and "卫复字" not in html
    client.post("/admin/disclosure/reports/", {"body": cluster.education.pk, "year": 2025})
    html = client.get("/admin/disclosure/reports/").content.decode()
    assert "2026-01-31" in html and "相符" in html


@time_machine.travel(FROZEN)
def test_invalid_input_comes_back_as_field_errors(client, cluster, setting):
    client.force_login(cluster.user("education", Role.DISCLOSURE_OFFICER))
    response = client.post("/admin/disclosure/reports/", {"body": cluster.health.pk,
                                                          "year": 2027})
    assert response.status_code == 200
    form = response.context["form"]
    assert "body" in form.errors and "year" in form.errors
    response = client.post(f"/admin/disclosure/appeals/{setting.pk}/conclude/",
                           {"outcome": AppealOutcome.UPHELD, "concluded_on": "2025-08-01"})
    assert "concluded_on" in response.context["form"].errors


def test_the_report_list_uses_a_constant_number_of_queries(
        client, cluster, setting, django_assert_max_num_queries):
    from chuangkou.disclosure.actions import generate_annual_report

    officer = cluster.user("education", Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    generate_annual_report(body=cluster.education, year=2024, actor=officer)
    with django_assert_max_num_queries(40) as first:
        client.get("/admin/disclosure/reports/")
    for year in (2021, 2022, 2023, 2025):
        generate_annual_report(body=cluster.education, year=year, actor=officer)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/admin/disclosure/reports/")
