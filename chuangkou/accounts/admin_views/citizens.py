"""公众账号 in the Wagtail admin, for the account officer: the list (masked contacts, level,
status; an exact mobile number or e-mail address finds an account through the blind index), one
account's page (masked) and the audited reveal of its personal data.

Staff only read and decide here; they never edit a citizen's data.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import RevealPersonalDataView, forbidden

from .. import actions
from ..forms.profile import CitizenFilterForm
from ..queries.personal_data import (
    citizen_accounts_for_staff,
    citizen_for_staff,
    contact_lines,
    mask_id_number,
    masked_name,
    may_view_citizen_accounts,
    may_view_citizen_personal_data,
)

__all__ = ["CitizenDetailView", "CitizenListView", "RevealCitizenView"]

PER_PAGE = 50


class CitizenStaffRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_view_citizen_accounts(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class CitizenMixin(CitizenStaffRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if may_view_citizen_accounts(request.user):
            self.account = citizen_for_staff(kwargs["public_id"])
            if self.account is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def _row(account):
    data = getattr(account, "personal_data", None)
    return {"account": account, "contacts": contact_lines(data)}


class CitizenListView(CitizenStaffRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/citizens/list.html"
    page_title = gettext_lazy("公众账号")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CitizenFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        accounts = citizen_accounts_for_staff(level=filters.get("level", ""),
                                              status=filters.get("status", ""),
                                              contact=filters.get("contact", "").strip())
        page = Paginator(accounts, PER_PAGE).get_page(self.request.GET.get("p"))
        params = self.request.GET.copy()
        params.pop("p", None)
        context.update(filter_form=form, page=page, rows=[_row(account) for account in page],
                       page_query=params.urlencode())
        return context


class CitizenDetailView(CitizenMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/citizens/detail.html"
    page_title = gettext_lazy("公众账号")
    header_icon = "user"

    def get_page_subtitle(self):
        return str(self.account.public_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = getattr(self.account, "personal_data", None)
        confirmed = data is not None and data.real_name_verified_at is not None
        context.update(
            account=self.account, data=data, contacts=contact_lines(data),
            real_name=masked_name(data.real_name) if confirmed else "",
            id_number=mask_id_number(data.id_number) if confirmed else "",
            memberships=list(self.account.enterprise_memberships.all()),
            requests=list(self.account.real_name_requests.all()),
            may_reveal=may_view_citizen_personal_data(self.request.user) and data is not None,
            reveal_url=reverse("accounts_citizen_reveal", args=[self.account.public_id]))
        return context


class RevealCitizenView(CitizenMixin, RevealPersonalDataView):
    """查看完整个人信息 (POST only), each look audited."""

    template_name = "accounts/admin/citizens/reveal.html"
    page_title = gettext_lazy("个人信息")

    def get_page_subtitle(self):
        return str(self.account.public_id)

    def reveal(self):
        return actions.record_personal_data_viewed(account=self.account, actor=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "account": self.account,
                "back_url": reverse("accounts_citizen", args=[self.account.public_id])}
