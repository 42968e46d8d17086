"""State changes of the annual report (政府信息公开工作年度报告) and of the appeals it counts."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.audit import record_event
from chuangkou.core.exceptions import full_clean_or_raise
from chuangkou.organizations.models import Body

from ..annual_report import build_tables, cross_check
from ..choices import AppealKind, AppealOutcome
from ..exceptions import DisclosureRuleViolation
from ..models import AnnualReportPage, ApplicationAppeal, DisclosureApplication
from ..queries.reports import annual_report_column_of

__all__ = [
    "conclude_appeal",
    "generate_annual_report",
    "record_appeal",
]

# The 2019 revision of the 条例 and the 2021 table format apply from the 2019 reports on.
FIRST_REPORT_YEAR = 2019


def report_title(*, body: Body, year: int) -> str:
    return f"{body.name}{year}年政府信息公开工作年度报告"


@transaction.atomic
def generate_annual_report(*, body: Body, year: int, actor=None) -> AnnualReportPage:
    """Create ``body``'s report on ``year`` from the live data, or refresh its tables in a new
    draft revision (edited text and figures are kept). Never publishes: publication goes
    through the review workflow (先审后发)."""
    today = timezone.localdate()
    if not FIRST_REPORT_YEAR <= year <= today.year:
        raise DisclosureRuleViolation({"year": [_(
            "报告年度应在%(first)d年至%(last)d年之间。") % {"first": FIRST_REPORT_YEAR,
                                                     "last": today.year}]})
    column = annual_report_column_of(body)
    if column is None:
        raise DisclosureRuleViolation({"body": [_(
            "该机构尚未建立政府信息公开平台或“政府信息公开年报”栏目，无法生成年报"
            "（条例第二十四条、第四十九条）。")]})
    existing = AnnualReportPage.objects.select_for_update().filter(body=body, year=year).first()
    generated_at = timezone.now()
    if existing is None:
        page = AnnualReportPage(
            title=report_title(body=body, year=year), slug=str(year), body=body, year=year,
            live=False, generated_at=generated_at,
            tables=build_tables(body=body, year=year),
        )
        column.add_child(instance=page)
        revision = page.save_revision(user=actor, log_action=True)
    else:
        page = existing.get_latest_revision_as_object()
        page.tables = build_tables(body=body, year=year, edited=page.edited_figures())
        page.generated_at = generated_at
        revision = page.save_revision(user=actor, log_action=True)
    problems = [problem.message for problem in cross_check(page.tables)]
    record_event("disclosure.annual_report.generated", actor=actor, target=page, data={
        "body_id": body.pk, "year": year, "created": existing is None,
        "revision_id": revision.pk, "cross_check_problems": problems,
    })
    return page


def _check_appeal_dates(*, filed_on: date, concluded_on: date | None = None) -> None:
    today = timezone.localdate()
    if filed_on > today:
        raise DisclosureRuleViolation({"filed_on": [_("立案日期不能晚于今天。")]})
    if concluded_on is not None:
        if concluded_on > today:
            raise DisclosureRuleViolation({"concluded_on": [_("审结日期不能晚于今天。")]})
        if concluded_on < filed_on:
            raise DisclosureRuleViolation({"concluded_on": [_("审结日期不能早于立案日期。")]})


@transaction.atomic
def record_appeal(*, body: Body, kind: str, filed_on: date, case_number: str = "",
                  application: DisclosureApplication | None = None,
                  actor=None) -> ApplicationAppeal:
    """Register an administrative review or lawsuit about ``body``'s disclosure work (counted in
    annual report table 四 of the year it was filed)."""
    if kind not in AppealKind.values:
        raise DisclosureRuleViolation({"kind": [_("请选择行政复议或行政诉讼的类型。")]})
    if application is not None and application.body_id != body.pk:
        raise DisclosureRuleViolation({"application": [_("相关申请须为本机关受理的申请。")]})
    _check_appeal_dates(filed_on=filed_on)
    appeal = ApplicationAppeal(body=body, kind=kind, filed_on=filed_on,
                               case_number=case_number.strip(), application=application)
    full_clean_or_raise(appeal, DisclosureRuleViolation)
    appeal.save()
    record_event("disclosure.appeal.recorded", actor=actor, target=appeal, data={
        "body_id": body.pk, "kind": kind, "filed_on": filed_on.isoformat()})
    return appeal


@transaction.atomic
def conclude_appeal(*, appeal: ApplicationAppeal, outcome: str, concluded_on: date,
                    actor=None) -> ApplicationAppeal:
    """Record the result of a case (结果维持、结果纠正、其他结果) and the day it concluded."""
    appeal = ApplicationAppeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.outcome != AppealOutcome.PENDING:
        raise DisclosureRuleViolation({"outcome": [_("该案件已审结，不能重复登记结果。")]})
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.PENDING:
        raise DisclosureRuleViolation({"outcome": [_("请选择审结结果：结果维持、结果纠正或其他结果。")]})
    _check_appeal_dates(filed_on=appeal.filed_on, concluded_on=concluded_on)
    appeal.outcome = outcome
    appeal.concluded_on = concluded_on
    full_clean_or_raise(appeal, DisclosureRuleViolation)
    appeal.save(update_fields=["outcome", "concluded_on"])
    record_event("disclosure.appeal.concluded", actor=actor, target=appeal, data={
        "outcome": outcome, "concluded_on": concluded_on.isoformat()})
    return appeal
