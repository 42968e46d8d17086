"""Admin screens of the content checks beyond the rule lists: importing a lexicon file, a
page's findings (检查结果) with a manual re-check, and the override (放行) of a blocking finding
by a confidentiality reviewer.

Every view checks its permission itself; state changes are POST only and go through actions.
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from chuangkou.core.admin_views import PermissionRequiredMixin, apply_rule_violation
from chuangkou.core.exceptions import RuleViolation

from . import queries
from .actions import import_lexicon, may_override_findings, override_finding, run_content_checks
from .admin_forms import LexiconImportForm, OverrideFindingForm
from .choices import CheckTrigger
from .models import ContentFinding

IMPORT_PERMISSION = "publishing.add_lexiconentry"


def may_see_findings(user, page) -> bool:
    """Whoever may edit the page, and its confidentiality reviewers, see its findings."""
    return page.permissions_for_user(user).can_edit() or may_override_findings(user, page)


def may_run_checks(user, page) -> bool:
    return page.permissions_for_user(user).can_edit()


class LexiconImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """导入词库: upload a UTF-8 text or XLSX file; every bad line is listed, nothing is
    imported unless the whole file is valid."""

    template_name = "publishing/admin/lexicon_import.html"
    form_class = LexiconImportForm
    page_title = gettext_lazy("导入词库")
    header_icon = "upload"

    def has_permission(self, user):
        return user.has_perm(IMPORT_PERMISSION)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = import_lexicon(data["file"], actor=self.request.user,
                                    default_category=data["default_category"],
                                    default_severity=data["default_severity"])
        except RuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _(
            "导入完成：新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条，"
            "合并重复 %(merged)d 行。") % {
            "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "merged": result.merged_duplicates})
        return redirect("lexicon_entries:index")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "cancel_url": reverse("lexicon_entries:index")}


class PageFindingsMixin(PermissionRequiredMixin):
    def has_permission(self, user):
        self.page = get_object_or_404(Page, pk=self.kwargs["page_id"]).specific_deferred
        return self.page_permission(user, self.page)

    def page_permission(self, user, page):
        return may_see_findings(user, page)


class PageFindingsView(PageFindingsMixin, WagtailAdminTemplateMixin, TemplateView):
    """检查结果: the latest content-check run of a page and its findings."""

    template_name = "publishing/admin/page_findings.html"
    page_title = gettext_lazy("内容检查结果")
    header_icon = "warning"

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = queries.latest_run_for(self.page)
        user = self.request.user
        context.update(
            subject=self.page, run=run,
            findings=list(queries.findings_of(run)) if run else [],
            may_override=may_override_findings(user, self.page),
            may_run=may_run_checks(user, self.page),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context


class RunChecksView(PageFindingsMixin, View):
    """重新检查 (POST only): check the page's latest revision now."""

    http_method_names = ["post"]

    def page_permission(self, user, page):
        return may_run_checks(user, page)

    def post(self, request, page_id):
        run = run_content_checks(page=self.page, trigger=CheckTrigger.MANUAL, actor=request.user)
        messages.success(request, _("检查完成：阻断 %(b)d 项，警告 %(w)d 项，提示 %(n)d 项。") % {
            "b": run.blocking_count, "w": run.warning_count, "n": run.notice_count})
        return redirect("publishing_page_findings", page_id=self.page.pk)


class OverrideFindingView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """放行: a confidentiality reviewer releases one blocking finding with a written reason."""

    template_name = "publishing/admin/override_finding.html"
    form_class = OverrideFindingForm
    page_title = gettext_lazy("放行检查问题")
    header_icon = "tick"

    def has_permission(self, user):
        self.finding = get_object_or_404(
            ContentFinding.objects.select_related("run__page"), pk=self.kwargs["pk"])
        return may_override_findings(user, self.finding.run.page)

    def form_valid(self, form):
        try:
            override_finding(finding=self.finding, actor=self.request.user,
                             reason=form.cleaned_data["reason"])
        except RuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已放行：%(finding)s") % {"finding": self.finding})
        return redirect("publishing_page_findings", page_id=self.finding.run.page_id)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "finding": self.finding,
                "cancel_url": reverse("publishing_page_findings",
                                      args=[self.finding.run.page_id])}
