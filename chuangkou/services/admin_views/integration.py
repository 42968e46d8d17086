"""业务系统对接 in the Wagtail admin (system administrators only, 三员分立: they keep keys and
webhooks but never see applications): the systems, registering one (its API key and webhook
secret are shown once, in that response only), editing it, issuing a new key or webhook
secret, and its recent webhook deliveries with 立即重试 for failed ones.

Plain form views: each change goes through ``services.actions``; a ``ServicesRuleViolation``
comes back on the form's fields, a ``PermissionDenied`` as 403.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import apply_rule_violation, forbidden
from chuangkou.organizations.models import Body

from .. import actions
from ..choices import WebhookDeliveryStatus
from ..exceptions import ServicesRuleViolation
from ..models import BackOfficeSystem, WebhookDelivery
from ..webhooks import back_office_systems, recent_deliveries

__all__ = ["may_manage_back_office_systems"]


def may_manage_back_office_systems(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.has_perm("services.manage_back_office_systems"))


MAX_ID = 2**63 - 1  # larger ids cannot exist and overflow SQLite's integers


def _no_store(response):
    response["Cache-Control"] = "no-store, private"
    return response


# --------------------------------------------------------------------------- forms


class SystemForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("系统名称"), max_length=100, error_messages={
        "required": gettext_lazy("请填写系统名称。"),
        "max_length": gettext_lazy("系统名称不能超过100个字。")})
    webhook_url = forms.CharField(
        label=gettext_lazy("回调地址"), max_length=200, required=False,
        help_text=gettext_lazy("办件有变化时向此地址推送签名的通知（https）；留空则不推送，"
                               "业务系统只通过接口拉取。"),
        error_messages={"max_length": gettext_lazy("回调地址不能超过200个字符。")})


class RegisterSystemForm(SystemForm):
    body = forms.ModelChoiceField(
        label=gettext_lazy("所属单位"), queryset=Body.objects.order_by("path"),
        help_text=gettext_lazy("业务系统只能读取和办理本单位的办件。"),
        error_messages={"required": gettext_lazy("请选择所属单位。"),
                        "invalid_choice": gettext_lazy("请选择列表中的单位。")})
    field_order = ["name", "body", "webhook_url"]


class EditSystemForm(SystemForm):
    is_active = forms.BooleanField(
        label=gettext_lazy("启用"), required=False,
        help_text=gettext_lazy("停用后接口密钥立即失效，也不再推送回调。"))


class ConfirmForm(forms.Form):
    """Only the CSRF token: the POST itself is the confirmation."""


# --------------------------------------------------------------------------- views


class AdministratorRequiredMixin:
    template_name = "services/admin/integration/form.html"
    header_icon = "link"

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_back_office_systems(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class SystemMixin(AdministratorRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_back_office_systems(request.user):
            return forbidden(request)
        self.system = (BackOfficeSystem.objects.select_related("body")
                       .filter(pk=kwargs["pk"]).first() if kwargs["pk"] <= MAX_ID else None)
        if self.system is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.system.name

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "system": self.system,
                "cancel_url": reverse("services_backoffice_systems")}


class SystemListView(AdministratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/integration/list.html"
    page_title = gettext_lazy("业务系统对接")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "systems": back_office_systems()}


class SystemRegisterView(AdministratorRequiredMixin, WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("登记业务系统")
    form_class = RegisterSystemForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            system, key = actions.register_back_office_system(
                actor=self.request.user, name=data["name"], body=data["body"],
                webhook_url=data["webhook_url"])
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        except PermissionDenied:
            return forbidden(self.request)
        # Shown once, in this response only: never stored in plain, never in a message or URL.
        self.template_name = "services/admin/integration/secrets.html"
        return _no_store(self.render_to_response(self.get_context_data(
            form=form, shown_system=system, api_key=key,
            webhook_secret=system.webhook_secret)))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "cancel_url": reverse("services_backoffice_systems")}


class SystemEditView(SystemMixin, WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("修改业务系统")
    form_class = EditSystemForm

    def get_initial(self):
        return {"name": self.system.name, "webhook_url": self.system.webhook_url,
                "is_active": self.system.is_active}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            actions.update_back_office_system(
                actor=self.request.user, system=self.system, name=data["name"],
                webhook_url=data["webhook_url"], is_active=data["is_active"])
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        except PermissionDenied:
            return forbidden(self.request)
        messages.success(self.request, _("已保存。"))
        return redirect("services_backoffice_systems")


class RotateView(SystemMixin, WagtailAdminTemplateMixin, FormView):
    """A confirmation page; the POST issues the new key or secret and shows it once."""

    template_name = "services/admin/integration/confirm.html"
    form_class = ConfirmForm
    what = ""

    def rotate(self) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            value = self.rotate()
        except PermissionDenied:
            return forbidden(self.request)
        self.system.refresh_from_db()
        context = self.get_context_data(shown_system=self.system, **{self.what: value})
        self.template_name = "services/admin/integration/secrets.html"
        return _no_store(self.render_to_response(context))


class RotateKeyView(RotateView):
    page_title = gettext_lazy("更换接口密钥")
    what = "api_key"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "button": _("更换密钥"), "question": _(
            "确定为“%(name)s”生成新的接口密钥吗？旧密钥（%(prefix)s…）将立即失效，"
            "业务系统须改用新密钥。") % {"name": self.system.name,
                                  "prefix": "ck_" + self.system.key_prefix}}

    def rotate(self) -> str:
        return actions.rotate_back_office_key(actor=self.request.user, system=self.system)


class RotateSecretView(RotateView):
    page_title = gettext_lazy("重新生成回调密钥")
    what = "webhook_secret"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "button": _("重新生成"), "question": _(
            "确定为“%(name)s”重新生成回调签名密钥吗？此后推送的回调用新密钥签名，"
            "接收方须同时更换。") % {"name": self.system.name}}

    def rotate(self) -> str:
        return actions.rotate_webhook_secret(actor=self.request.user, system=self.system)


class DeliveryListView(SystemMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/integration/deliveries.html"
    page_title = gettext_lazy("回调记录")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "deliveries": recent_deliveries(self.system),
                "failed": WebhookDeliveryStatus.FAILED}


class DeliveryRetryView(AdministratorRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """立即重试 (POST from the deliveries list)."""

    http_method_names = ["post"]
    form_class = ConfirmForm

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_back_office_systems(request.user):
            return forbidden(request)
        self.delivery = (WebhookDelivery.objects.select_related("system")
                         .filter(pk=kwargs["pk"]).first() if kwargs["pk"] <= MAX_ID else None)
        if self.delivery is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        back = redirect("services_backoffice_deliveries", pk=self.delivery.system_id)
        try:
            actions.retry_webhook_delivery(actor=self.request.user, delivery=self.delivery)
        except ServicesRuleViolation as violation:
            for message_list in violation.errors.values():
                for message in message_list:
                    messages.error(self.request, message)
            return back
        except PermissionDenied:
            return forbidden(self.request)
        messages.success(self.request, _("已重新排队，正在发送。"))
        return back
