"""信息报送 in the admin: offering an article to another site's column, the inbox of
submissions to decide, the body's own submissions and the adoption report.

Every view checks its permission itself (the menu only hides what a user cannot use); state
changes are POST only and go through the actions.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import PermissionRequiredMixin, apply_rule_violation
from chuangkou.core.exceptions import RuleViolation
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body
from chuangkou.organizations.permissions import MODEL_PERMISSIONS
from chuangkou.organizations.queries import bodies_of, has_cluster_role

from . import queries
from .actions import adopt_submission, decline_submission, submit_article_to_column
from .admin_forms import AdoptionReportForm, DeclineSubmissionForm, SubmitArticleForm
from .models import ArticlePage, ArticleSubmission

SUBMIT_PERMISSION = "sitecluster.add_articlesubmission"
DECIDE_PERMISSION = "sitecluster.change_articlesubmission"
REPORT_PERMISSION = "sitecluster.view_articlesubmission"
PER_PAGE = 30

# The roles whose members submit on behalf of their body, read from the role table so that the
# body's own list follows any change to who may submit.
SUBMITTING_ROLES = tuple(role for role, permissions in MODEL_PERMISSIONS.items()
                         if SUBMIT_PERMISSION in permissions)


def may_submit(user, page) -> bool:
    """True if ``user`` may offer ``page`` (a live article they may edit) to another site."""
    return (
        user.has_perm(SUBMIT_PERMISSION)
        and page.live
        and issubclass(page.specific_class or type(page), ArticlePage)
        and page.permissions_for_user(user).can_edit()
    )


def may_decide_submissions(user) -> bool:
    return user.has_perm(DECIDE_PERMISSION)


def may_see_own_submissions(user) -> bool:
    return user.has_perm(SUBMIT_PERMISSION) or user.has_perm(REPORT_PERMISSION)


def may_see_adoption_report(user) -> bool:
    return user.has_perm(REPORT_PERMISSION)


def submitting_bodies(user):
    """The bodies whose submissions ``user`` follows; system administrators follow all."""
    if user.is_superuser or has_cluster_role(user, Role.SYSTEM_ADMINISTRATOR):
        return Body.objects.all()
    return bodies_of(user, roles=SUBMITTING_ROLES)


class SubmitArticleView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """报送到门户: choose a column of another site for a live article."""

    template_name = "sitecluster/admin/submit_article.html"
    form_class = SubmitArticleForm
    page_title = gettext_lazy("报送到门户")
    header_icon = "upload"

    def has_permission(self, user):
        self.article = get_object_or_404(ArticlePage, pk=self.kwargs["page_id"])
        return may_submit(user, self.article)

    def get_page_subtitle(self):
        return self.article.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": queries.site_for_page(self.article)}

    def form_valid(self, form):
        try:
            submit_article_to_column(article=self.article,
                                     target_column=form.cleaned_data["target_column"],
                                     actor=self.request.user)
        except RuleViolation as violation:
            apply_rule_violation(form, violation, field_aliases={"article": "__all__"})
            return self.form_invalid(form)
        messages.success(self.request, _("已将“%(title)s”报送到“%(column)s”，等待采用。") % {
            "title": self.article.title, "column": form.cleaned_data["target_column"].title})
        return redirect("sitecluster_own_submissions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["article"] = self.article
        context["cancel_url"] = reverse("wagtailadmin_explore", args=[self.article.get_parent().pk])
        return context


class SubmissionListView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    def get_submissions(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.get_submissions(), PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(page_obj=page, submissions=page.object_list)
        return context


class SubmissionInboxView(SubmissionListView):
    """待采用的报送: pending submissions to columns the user may edit."""

    template_name = "sitecluster/admin/submission_inbox.html"
    page_title = gettext_lazy("待采用的报送")
    header_icon = "tasks"

    def has_permission(self, user):
        return may_decide_submissions(user)

    def get_submissions(self):
        return queries.submissions_for_review(self.request.user)


class OwnSubmissionsView(SubmissionListView):
    """本单位报送: what the user's bodies submitted and what became of it."""

    template_name = "sitecluster/admin/own_submissions.html"
    page_title = gettext_lazy("本单位报送")
    header_icon = "upload"

    def has_permission(self, user):
        return may_see_own_submissions(user)

    def get_submissions(self):
        return queries.submissions_by_bodies(submitting_bodies(self.request.user))


class DecisionMixin(PermissionRequiredMixin):
    """Loads the submission and refuses unless the user may edit its target column."""

    def has_permission(self, user):
        if not may_decide_submissions(user):
            return False
        self.submission = get_object_or_404(
            ArticleSubmission.objects.select_related("article", "target_column",
                                                     "submitting_body"),
            pk=self.kwargs["pk"],
        )
        return self.submission.target_column.permissions_for_user(user).can_edit()


class AdoptSubmissionView(DecisionMixin, View):
    """采用 (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            adopt_submission(submission=self.submission, actor=request.user)
        except RuleViolation as violation:
            for message_list in violation.errors.values():
                for message in message_list:
                    messages.error(request, message)
        else:
            messages.success(request, _("已采用“%(title)s”。") % {
                "title": self.submission.article.title})
        return redirect("sitecluster_submission_inbox")


class DeclineSubmissionView(DecisionMixin, WagtailAdminTemplateMixin, FormView):
    """不采用, with the reason the submitting body will read."""

    template_name = "sitecluster/admin/decline_submission.html"
    form_class = DeclineSubmissionForm
    page_title = gettext_lazy("不采用报送")
    header_icon = "cross"

    def form_valid(self, form):
        try:
            decline_submission(submission=self.submission, reason=form.cleaned_data["reason"],
                               actor=self.request.user)
        except RuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已不采用“%(title)s”。") % {
            "title": self.submission.article.title})
        return redirect("sitecluster_submission_inbox")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "submission": self.submission}


class AdoptionReportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """信息报送采用情况: submissions and adoptions per body and month."""

    template_name = "sitecluster/admin/adoption_report.html"
    page_title = gettext_lazy("报送采用情况")
    header_icon = "table"

    def has_permission(self, user):
        return may_see_adoption_report(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET.copy()
        data.setdefault("year", str(timezone.localdate().year))
        form = AdoptionReportForm(data)
        rows = []
        if form.is_valid():
            rows = queries.adoption_counts(year=form.cleaned_data["year"],
                                           month=form.cleaned_data["month"])
        context.update(form=form, rows=rows)
        return context
