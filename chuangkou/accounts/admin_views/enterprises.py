"""法人账号审核 in the Wagtail admin: the account officer's list of registrations by state, one
registration with its registrant and members, the audited reveal of the legal representative,
and the decision (verify against the business licence, or reject with a reason)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import RevealPersonalDataView, apply_rule_violation, forbidden
from chuangkou.core.masking import mask_name

from .. import actions
from ..choices import EnterpriseStatus
from ..exceptions import AccountsRuleViolation
from ..forms.enterprises import EnterpriseRejectForm
from ..queries.enterprises import staff_enterprises
from ..queries.personal_data import may_verify_identities

__all__ = ["EnterpriseDecisionView", "EnterpriseListView", "EnterpriseView",
           "RevealEnterpriseView"]

PER_PAGE = 50


class EnterpriseStaffRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_verify_identities(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class EnterpriseMixin(EnterpriseStaffRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if may_verify_identities(request.user):
            self.enterprise = staff_enterprises(status=None).filter(pk=kwargs["pk"]).first()
            if self.enterprise is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class EnterpriseListView(EnterpriseStaffRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/enterprises/list.html"
    page_title = gettext_lazy("法人账号审核")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requested = self.request.GET.get("status", EnterpriseStatus.PENDING)
        status = requested if requested in EnterpriseStatus.values else EnterpriseStatus.PENDING
        page = Paginator(staff_enterprises(status=status), PER_PAGE).get_page(
            self.request.GET.get("p"))
        context.update(
            page=page, enterprises=list(page), status=status,
            tabs=[(label, f"?{urlencode({'status': value})}", value == status)
                  for value, label in EnterpriseStatus.choices],
            page_query=urlencode({"status": status}))
        return context


class EnterpriseView(EnterpriseMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/enterprises/detail.html"
    page_title = gettext_lazy("法人账号")
    header_icon = "group"

    def get_page_subtitle(self):
        return self.enterprise.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enterprise=self.enterprise,
            representative=mask_name(self.enterprise.legal_representative),
            memberships=list(self.enterprise.memberships.all()),
            pending=self.enterprise.status == EnterpriseStatus.PENDING,
            reject_form=kwargs.get("reject_form") or EnterpriseRejectForm(),
            errors=kwargs.get("errors", []))
        return context


class RevealEnterpriseView(EnterpriseMixin, RevealPersonalDataView):
    template_name = "accounts/admin/enterprises/reveal.html"
    page_title = gettext_lazy("法定代表人")

    def reveal(self):
        return actions.record_enterprise_representative_viewed(enterprise=self.enterprise,
                                                               actor=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "enterprise": self.enterprise,
                "back_url": reverse("accounts_enterprise", args=[self.enterprise.pk])}


class EnterpriseDecisionView(EnterpriseView):
    http_method_names = ["post"]

    def post(self, request, *args, decision: str, **kwargs):
        form = EnterpriseRejectForm(request.POST) if decision == "reject" else None
        try:
            if decision == "verify":
                actions.verify_enterprise(enterprise=self.enterprise, actor=request.user)
                messages.success(request, _("已核验通过，已通知注册人。"))
            elif form.is_valid():
                actions.reject_enterprise(enterprise=self.enterprise, actor=request.user,
                                          reason=form.cleaned_data["reason"])
                messages.success(request, _("已退回注册，已通知注册人。"))
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
        return redirect("accounts_enterprises")
