"""实名认证审核 in the Wagtail admin: the account officer's queue of pending requests (masked),
one request with the audited reveal of the name and number, and the decision."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import RevealPersonalDataView, apply_rule_violation, forbidden

from .. import actions
from ..choices import RealNameRequestStatus
from ..exceptions import AccountsRuleViolation
from ..forms.identity import RealNameRejectForm
from ..models import RealNameRequest
from ..queries.personal_data import (
    mask_id_number,
    masked_name,
    may_verify_identities,
    pending_real_name_requests,
)

__all__ = ["RealNameDecisionView", "RealNameRequestListView", "RealNameRequestView",
           "RevealRealNameRequestView", "VerificationQueuePanel"]

PER_PAGE = 50


class IdentityStaffRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_verify_identities(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class RealNameRequestMixin(IdentityStaffRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if may_verify_identities(request.user):
            self.real_name_request = (RealNameRequest.objects.select_related("account", "decided_by")
                                      .filter(pk=kwargs["pk"]).first())
            if self.real_name_request is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class RealNameRequestListView(IdentityStaffRequiredMixin, WagtailAdminTemplateMixin,
                              TemplateView):
    template_name = "accounts/admin/identity/list.html"
    page_title = gettext_lazy("实名认证审核")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(pending_real_name_requests(), PER_PAGE).get_page(
            self.request.GET.get("p"))
        context.update(page=page, rows=[
            {"request": item, "name": masked_name(item.real_name),
             "id_number": mask_id_number(item.id_number)} for item in page])
        return context


class RealNameRequestView(RealNameRequestMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/identity/detail.html"
    page_title = gettext_lazy("实名认证申请")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.real_name_request
        context.update(
            item=item, name=masked_name(item.real_name),
            id_number=mask_id_number(item.id_number),
            pending=item.status == RealNameRequestStatus.PENDING,
            reject_form=kwargs.get("reject_form") or RealNameRejectForm(),
            errors=kwargs.get("errors", []))
        return context


class RevealRealNameRequestView(RealNameRequestMixin, RevealPersonalDataView):
    template_name = "accounts/admin/identity/reveal.html"
    page_title = gettext_lazy("实名认证信息")

    def reveal(self):
        return actions.record_real_name_request_viewed(request=self.real_name_request,
                                                       actor=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.real_name_request,
                "back_url": reverse("accounts_real_name_request",
                                    args=[self.real_name_request.pk])}


class RealNameDecisionView(RealNameRequestView):
    """核验通过 / 不通过 (POST). A refusal (already decided, number confirmed on another
    account, no reason) comes back on the request's page."""

    http_method_names = ["post"]

    def post(self, request, *args, decision: str, **kwargs):
        item = self.real_name_request
        form = RealNameRejectForm(request.POST) if decision == "reject" else None
        try:
            if decision == "approve":
                actions.approve_real_name_request(request=item, actor=request.user)
                messages.success(request, _("已核验通过，已通知申请人。"))
            elif form.is_valid():
                actions.reject_real_name_request(request=item, actor=request.user,
                                                 reason=form.cleaned_data["reason"])
                messages.success(request, _("已退回申请，已通知申请人。"))
            else:
                return self.render_to_response(self.get_context_data(reject_form=form),
                                               status=400)
        except AccountsRuleViolation as violation:
            errors = []
            if form is not None:
                apply_rule_violation(form, violation)
            else:
                errors = [message for messages_ in violation.errors.values()
                          for message in messages_]
            return self.render_to_response(self.get_context_data(
                reject_form=form, errors=errors), status=400)
        return redirect("accounts_real_name_requests")


class VerificationQueuePanel(Component):
    """Admin home panel of the account officer: 待核验 real-name requests and enterprises."""

    name = "accounts_verification_queue"
    template_name = "accounts/admin/home_panel.html"
    order = 160

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def get_context_data(self, parent_context):
        return {**self.counts, "real_name_url": reverse("accounts_real_name_requests"),
                "enterprises_url": reverse("accounts_enterprises")}
