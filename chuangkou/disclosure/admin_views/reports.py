"""Admin screens of the annual report (年报) and of the appeals it counts (行政复议、行政诉讼).

Only the disclosure staff (政务公开工作人员, 政务公开办负责人) of a body see and change its
reports and appeals; every view checks the role itself, state changes are POST and go through
the actions.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import apply_rule_violation
from chuangkou.organizations.choices import Role
from chuangkou.organizations.queries import bodies_of

from ..actions.reports import conclude_appeal, generate_annual_report, record_appeal
from ..annual_report import EDITED_FIGURES, cross_check, tables_from_counts
from ..exceptions import DisclosureRuleViolation
from ..forms.reports import AppealForm, ConcludeAppealForm, GenerateReportForm
from ..models import AnnualReportPage, ApplicationAppeal
from ..queries.reports import annual_reports_of_bodies, appeals_of_bodies
from ..report_rules import report_due

REPORT_ROLES = (Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD)


def report_bodies_of(user):
    """The bodies whose reports and appeals ``user`` keeps."""
    if not getattr(user, "is_active", False):
        return bodies_of(None)
    return bodies_of(user, roles=REPORT_ROLES)


def may_keep_reports(user) -> bool:
    return report_bodies_of(user).exists()


def draft_tables(report: AnnualReportPage) -> dict | None:
    """The tables of the report's latest revision, read from the revision's content."""
    content = report.latest_revision.content if report.latest_revision_id else {}
    if not content.get("tables"):
        return report.report_tables()
    return tables_from_counts(content["tables"]["counts"], edited={
        name: content.get(name) for name in EDITED_FIGURES})


def report_status(report: AnnualReportPage) -> str:
    if not report.live:
        return _("草稿")
    if report.has_unpublished_changes:
        return _("已发布（有未发布的修改）")
    return _("已发布")


class DisclosureStaffMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied
        self.bodies = report_bodies_of(request.user)
        if not self.bodies.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReportIndexView(DisclosureStaffMixin, WagtailAdminTemplateMixin, FormView):
    """年报: the reports of the user's bodies with their due date (条例 第四十九条), state and
    cross-check, and the form that generates or refreshes one."""

    template_name = "disclosure/reports/index.html"
    form_class = GenerateReportForm
    page_title = gettext_lazy("政府信息公开工作年度报告")
    header_icon = "doc-full"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bodies": self.bodies}

    def form_valid(self, form):
        body, year = form.cleaned_data["body"], form.cleaned_data["year"]
        try:
            page = generate_annual_report(body=body, year=year, actor=self.request.user)
        except DisclosureRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已生成“%(title)s”的草稿版本，请经审核流程发布。")
                         % {"title": page.title})
        return redirect("disclosure_reports")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for report in annual_reports_of_bodies(self.bodies):
            tables = draft_tables(report)
            rows.append({
                "report": report,
                "status": report_status(report),
                "due": report_due(body_kind=report.body.kind, year=report.year),
                "problems": cross_check(tables) if tables else None,
                "edit_url": reverse("wagtailadmin_pages:edit", args=[report.pk]),
            })
        context["rows"] = rows
        return context


class AppealIndexView(DisclosureStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    """行政复议和行政诉讼: the cases about the user's bodies, newest first."""

    template_name = "disclosure/reports/appeals.html"
    page_title = gettext_lazy("政府信息公开行政复议、行政诉讼")
    header_icon = "clipboard-list"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "appeals": list(appeals_of_bodies(self.bodies))}


class AppealCreateView(DisclosureStaffMixin, WagtailAdminTemplateMixin, FormView):
    """登记案件: a new administrative review or lawsuit."""

    template_name = "disclosure/reports/appeal_form.html"
    form_class = AppealForm
    page_title = gettext_lazy("登记行政复议或行政诉讼")
    header_icon = "plus"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bodies": self.bodies}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            record_appeal(body=data["body"], kind=data["kind"], filed_on=data["filed_on"],
                          case_number=data["case_number"], application=data["application"],
                          actor=self.request.user)
        except DisclosureRuleViolation as violation:
            apply_rule_violation(form, violation, field_aliases={
                "application": "application_number"})
            return self.form_invalid(form)
        messages.success(self.request, _("已登记案件。"))
        return redirect("disclosure_appeals")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": reverse("disclosure_appeals")}


class AppealConcludeView(DisclosureStaffMixin, WagtailAdminTemplateMixin, FormView):
    """登记审结结果 of one case."""

    template_name = "disclosure/reports/appeal_conclude.html"
    form_class = ConcludeAppealForm
    page_title = gettext_lazy("登记审结结果")
    header_icon = "tick"

    def get_appeal(self) -> ApplicationAppeal:
        if not hasattr(self, "appeal"):
            self.appeal = get_object_or_404(appeals_of_bodies(self.bodies), pk=self.kwargs["pk"])
        return self.appeal

    def get(self, request, *args, **kwargs):
        self.get_appeal()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_appeal()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            conclude_appeal(appeal=self.appeal, outcome=form.cleaned_data["outcome"],
                            concluded_on=form.cleaned_data["concluded_on"],
                            actor=self.request.user)
        except DisclosureRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记审结结果。"))
        return redirect("disclosure_appeals")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "appeal": self.appeal,
                "cancel_url": reverse("disclosure_appeals")}
