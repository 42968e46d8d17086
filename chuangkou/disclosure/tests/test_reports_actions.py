"""Generating, publishing and exporting the annual report, and recording appeals."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from chuangkou.core.models import AuditEvent
from chuangkou.disclosure.actions import conclude_appeal, generate_annual_report, record_appeal
from chuangkou.disclosure.annual_report import xlsx_value
from chuangkou.disclosure.choices import AppealKind, AppealOutcome, ApplicationStatus, ResponseKind
from chuangkou.disclosure.exceptions import DisclosureRuleViolation
from chuangkou.disclosure.models import AnnualReportPage
from chuangkou.disclosure.tests.factories_reports import (
    ApplicationFactory,
    make_answered,
    make_report_column,
)
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db
FROZEN = "2026-01-20 10:00 +0800"
FROZEN_YEAR = 2026


@pytest.fixture
def report_column(cluster):
    return make_report_column(body=cluster.education, parent_page=cluster.education_site.home_page)


@pytest.fixture
def officer(cluster):
    return cluster.user("education", Role.DISCLOSURE_OFFICER)


@time_machine.travel(FROZEN)
def test_generating_creates_an_unpublished_draft_with_the_tables_and_an_audit_event(
        cluster, report_column, officer):
    make_answered(body=cluster.education, column="natural_person", kind=ResponseKind.DISCLOSED,
                  received_on=date(2025, 3, 1), closed_on=date(2025, 3, 10))
    page = generate_annual_report(body=cluster.education, year=2025, actor=officer)
    page.refresh_from_db()
    assert page.title == "示例市教育局2025年政府信息公开工作年度报告"
    assert not page.live and page.get_parent().pk == report_column.pk
    assert page.report_tables()["tables"][1]["blocks"][0]["rows"][0]["values"][0] == 1
    assert AuditEvent.objects.filter(action="disclosure.annual_report.generated",
                                     target_id=str(page.pk)).exists()


@time_machine.travel(FROZEN)
def test_regenerating_saves_a_new_draft_keeping_the_text_and_edited_figures(
        cluster, report_column, officer):
    page = generate_annual_report(body=cluster.education, year=2025, actor=officer)
    draft = page.get_latest_revision_as_object()
    draft.overview = "<p>2025年，示例市教育局认真贯彻落实政府信息公开条例。</p>"
    draft.licensing_decisions = 37
    draft.save_revision(user=officer)
    make_answered(body=cluster.education, column="natural_person", kind=ResponseKind.DISCLOSED,
                  received_on=date(2025, 3, 1), closed_on=date(2025, 3, 10))
    generate_annual_report(body=cluster.education, year=2025, actor=officer)
    refreshed = AnnualReportPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert "认真贯彻落实" in refreshed.overview and refreshed.licensing_decisions == 37
    assert refreshed.report_tables()["counts"]["applications"]["new"]["natural_person"] == 1
    assert AnnualReportPage.objects.filter(body=cluster.education, year=2025).count() == 1
    assert not AnnualReportPage.objects.get(pk=page.pk).live


@time_machine.travel(FROZEN)
def test_generating_for_a_body_without_a_report_column_or_for_a_future_year_is_refused(
        cluster, report_column, officer):
    with pytest.raises(DisclosureRuleViolation) as refused:
        generate_annual_report(body=cluster.health, year=2025, actor=officer)
    assert "年报" in refused.value.errors["body"][0]
    with pytest.raises(DisclosureRuleViolation) as refused:
        generate_annual_report(body=cluster.education, year=2027, actor=officer)
    assert "year" in refused.value.errors


@time_machine.travel(FROZEN)
def test_publishing_a_report_that_fails_the_cross_check_is_refused(cluster, report_column,
                                                                   officer):
    ApplicationFactory(body=cluster.education, received_on=date(2025, 6, 1),
                       closed_on=date(2025, 6, 20), status=ApplicationStatus.ANSWERED)
    page = generate_annual_report(body=cluster.education, year=2025, actor=officer)
    with pytest.raises(DisclosureRuleViolation) as refused:
        page.get_latest_revision().publish(user=cluster.user("education", Role.REVIEWER))
    assert "自然人" in refused.value.errors["tables"][0]
    assert not AnnualReportPage.objects.get(pk=page.pk).live


@time_machine.travel(FROZEN)
def test_a_consistent_report_publishes_and_renders_its_tables_and_due_date(
        cluster, report_column, officer, client):
    make_answered(body=cluster.education, column="commercial_enterprise",
                  kind=ResponseKind.PARTIALLY_DISCLOSED,
                  received_on=date(2025, 3, 1), closed_on=date(2025, 3, 10))
    page = generate_annual_report(body=cluster.education, year=2025, actor=officer)
    page.get_latest_revision().publish(user=cluster.user("education", Role.REVIEWER))
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                    "六、其他需要报告的事项"):
        assert heading in html
    assert html.index("一、总体情况") < html.index("五、存在的主要问题及改进情况")
    assert "2026年1月31日前" in html and "第四十九条" in html
    assert '<th scope="row"' in html and "<caption>" in html
    assert "xlsx/" in html


@time_machine.travel(FROZEN)
def test_the_xlsx_export_has_one_sheet_per_table_with_the_same_cells_as_the_page(
        cluster, report_column, officer, client):
    for kind in (ResponseKind.DISCLOSED, ResponseKind.REFUSED_THIRD_PARTY):
        make_answered(body=cluster.education, column="natural_person", kind=kind,
                      received_on=date(2025, 3, 1), closed_on=date(2025, 3, 10))
    page = generate_annual_report(body=cluster.education, year=2025, actor=officer)
    draft = page.get_latest_revision_as_object()
    draft.fee_income = "3.5"
    draft.save_revision(user=officer).publish(user=cluster.user("education", Role.REVIEWER))
    page = AnnualReportPage.objects.get(pk=page.pk)
    response = client.get(page.url + "xlsx/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "2025" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["表二", "表三", "表四"]
    for table, sheet in zip(page.report_tables()["tables"], workbook.worksheets, strict=True):
        by_label = {str(row[0].value).strip("\u3000"): [cell.value for cell in row[1:]]
                    for row in sheet.iter_rows(min_row=3) if row[0].value}
        for block in table["blocks"]:
            for row in block["rows"]:
                if row["values"] is not None:
                    expected = [xlsx_value(value) for value in row["values"]]
                    assert by_label[row["label"]][:len(expected)] == expected
    assert workbook["表二"]["A1"].value == page.title


@time_machine.travel(FROZEN)
def test_an_appeal_is_recorded_and_concluded_once_with_its_dates_checked(cluster, officer):
    appeal = record_appeal(body=cluster.education, kind=AppealKind.ADMINISTRATIVE_REVIEW,
                           filed_on=date(2025, 11, 3), case_number="（2025）示行复字第8号",
                           actor=officer)
    with pytest.raises(DisclosureRuleViolation) as refused:
        conclude_appeal(appeal=appeal, outcome=AppealOutcome.UPHELD,
                        concluded_on=date(2025, 10, 1), actor=officer)
    assert "concluded_on" in refused.value.errors
    conclude_appeal(appeal=appeal, outcome=AppealOutcome.UPHELD, concluded_on=date(2026, 1, 5),
                    actor=officer)
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.concluded_on) == (AppealOutcome.UPHELD, date(2026, 1, 5))
    with pytest.raises(DisclosureRuleViolation):
        conclude_appeal(appeal=appeal, outcome=AppealOutcome.CORRECTED,
                        concluded_on=date(2026, 1, 6), actor=officer)
    assert AuditEvent.objects.filter(action__startswith="disclosure.appeal.").count() == 2


@time_machine.travel(FROZEN)
def test_an_appeal_about_another_bodys_application_or_filed_in_the_future_is_refused(
        cluster, officer):
    foreign = ApplicationFactory(body=cluster.health)
    with pytest.raises(DisclosureRuleViolation) as refused:
        record_appeal(body=cluster.education, kind=AppealKind.LAWSUIT_DIRECT,
                      filed_on=date(2025, 5, 1), application=foreign, actor=officer)
    assert "application" in refused.value.errors
    with pytest.raises(DisclosureRuleViolation) as refused:
        record_appeal(body=cluster.education, kind=AppealKind.LAWSUIT_DIRECT,
                      filed_on=date(2026, 5, 1), actor=officer)
    assert "filed_on" in refused.value.errors


@time_machine.travel(FROZEN)
def test_the_demo_publishes_the_education_bureaus_2025_report_and_can_run_twice(
        cluster, report_column):
    from chuangkou.disclosure.demo.reports import load_reports_demo

    load_reports_demo()
    page = AnnualReportPage.objects.get(body=cluster.education, year=2025)
    revisions = page.revisions.count()
    load_reports_demo()
    assert page.revisions.count() == revisions
    page.refresh_from_db()
    assert page.live and "示例市教育局" in page.overview
    this_year = AnnualReportPage.objects.get(body=cluster.education, year=FROZEN_YEAR)
    assert not this_year.live and this_year.tables


@time_machine.travel(FROZEN)
def test_an_annual_report_cannot_be_copied_into_a_second_report_of_the_same_year(
        cluster, report_column, officer, client):
    page = generate_annual_report(body=cluster.education, year=2025, actor=officer)
    client.force_login(cluster.user("education", Role.SITE_ADMINISTRATOR))
    copy_url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    for response in (client.get(copy_url), client.post(copy_url, {
            "new_title": "副本", "new_slug": "copy", "new_parent_page": report_column.pk})):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_explore", args=[report_column.pk])
    assert AnnualReportPage.objects.filter(body=cluster.education).count() == 1
