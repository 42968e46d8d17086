"""Admin registrations of the annual report (年报) part: screens, menu and the publication
screen that keeps a report failing its cross-check off the site."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import reports as views
from ..annual_report import cross_check
from ..exceptions import DisclosurePublicationRefused, DisclosureRuleViolation
from ..models import AnnualReportPage
from .menu import DISCLOSURE_MENU_HOOK


def refuse_failing_report(*, page: AnnualReportPage) -> None:
    """Refuse a report whose tables were never generated or fail the cross-check of table 三
    (国办公开办函〔2021〕30号: 一 + 二 = 三(七) + 四 in every column)."""
    if not page.tables:
        raise DisclosurePublicationRefused({"tables": [_("年报统计表尚未生成，请先“生成/更新年报”。")]})
    problems = cross_check(page.report_tables())
    if problems:
        raise DisclosurePublicationRefused({"tables": [
            _("年报表三勾稽关系不符，不能发布：%(problem)s请核对申请办理数据后重新生成年报。")
            % {"problem": problem.message} for problem in problems]})


@hooks.register("before_publish_revision")
def screen_annual_report(*, page, revision, user):
    """Every path that publishes a report (the last review step, the scheduler) passes here."""
    if isinstance(page, AnnualReportPage):
        refuse_failing_report(page=revision.as_object() if revision is not None else page)


@hooks.register("before_publish_page")
def refuse_failing_report_from_publish_button(request, page):
    if not isinstance(page.specific_deferred, AnnualReportPage):
        return None
    try:
        refuse_failing_report(page=page.specific.get_latest_revision_as_object())
    except DisclosureRuleViolation as violation:
        for message in violation.errors["tables"]:
            messages.error(request, message)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_copy_page")
def refuse_copying_annual_reports(request, page):
    """A body has one report per year (条例 第四十九条); a copy would be a second one."""
    if not isinstance(page.specific_deferred, AnnualReportPage):
        return None
    messages.error(request, _("年报每个机关每年只有一份，不能复制；其他年度的年报请在“年度报告”中生成。"))
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("disclosure/reports/", views.ReportIndexView.as_view(), name="disclosure_reports"),
        path("disclosure/appeals/", views.AppealIndexView.as_view(), name="disclosure_appeals"),
        path("disclosure/appeals/add/", views.AppealCreateView.as_view(),
             name="disclosure_appeal_add"),
        path("disclosure/appeals/<int:pk>/conclude/", views.AppealConcludeView.as_view(),
             name="disclosure_appeal_conclude"),
    ]


@hooks.register(DISCLOSURE_MENU_HOOK)
def register_reports_menu_item():
    return PermissionMenuItem(gettext_lazy("年度报告"), reverse("disclosure_reports"),
                              name="disclosure-reports", icon_name="doc-full", order=300,
                              shown_to=views.may_keep_reports)


@hooks.register(DISCLOSURE_MENU_HOOK)
def register_appeals_menu_item():
    return PermissionMenuItem(gettext_lazy("行政复议和诉讼"), reverse("disclosure_appeals"),
                              name="disclosure-appeals", icon_name="clipboard-list", order=310,
                              shown_to=views.may_keep_reports)

