"""通知模板 in the Wagtail admin (Settings): every kind of notification the platform sends, and
staff's wording of it per channel — edited with the syntax and variables checked, previewed
with sample values, reset to the default. System administrators only
(``notifications.manage_notification_templates``); everyone else gets 403."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import apply_rule_violation, forbidden

from .. import actions
from ..choices import Channel
from ..exceptions import TemplateRejected
from ..forms.templates import NotificationTemplateForm
from ..queries import kind_overview, may_manage_templates, template_for
from ..rendering import preview_message

__all__ = ["TemplateEditView", "TemplateListView", "TemplateResetView"]


class TemplatesAdminMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_templates(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class TemplateListView(TemplatesAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/admin/templates/list.html"
    page_title = gettext_lazy("通知模板")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=kind_overview(), **kwargs)


class KindChannelMixin(TemplatesAdminMixin):
    """The kind and channel named in the URL (404 for a kind that does not exist or is not
    sent on that channel)."""

    def dispatch(self, request, *args, **kwargs):
        if may_manage_templates(request.user):
            try:
                self.kind, self.template = template_for(kwargs["code"], kwargs["channel"])
            except LookupError:
                raise Http404 from None
            if kwargs["channel"] not in self.kind.sent_channels:
                raise Http404
            self.channel = kwargs["channel"]
        return super().dispatch(request, *args, **kwargs)


class TemplateEditView(KindChannelMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/admin/templates/edit.html"
    page_title = gettext_lazy("编辑通知模板")
    header_icon = "mail"
    http_method_names = ["get", "post"]

    def get_page_subtitle(self):
        return f"{self.kind.label} · {Channel(self.channel).label}"

    def make_form(self, data=None):
        if self.template is not None:
            initial = {"subject": self.template.subject, "body": self.template.body,
                       "is_active": self.template.is_active}
        else:
            initial = {"subject": self.kind.default_subject(self.channel),
                       "body": self.kind.default_body(self.channel), "is_active": True}
        return NotificationTemplateForm(data, initial=initial, kind=self.kind,
                                        channel=self.channel)

    def get_context_data(self, form=None, preview=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kind=self.kind, channel=self.channel, channel_label=Channel(self.channel).label,
            template=self.template, form=form or self.make_form(), preview=preview,
            default_subject=self.kind.default_subject(self.channel),
            default_body=self.kind.default_body(self.channel),
            variables=[("url", _("相关页面的链接")), *self.kind.variables.items()],
            is_sms=self.channel == Channel.SMS)
        return context

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        subject = form.cleaned_data.get("subject", "")
        body = form.cleaned_data["body"]
        if request.POST.get("action") == "preview":
            preview = preview_message(self.kind, self.channel, subject=subject, body=body)
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        try:
            actions.save_notification_template(
                kind=self.kind.code, channel=self.channel, subject=subject, body=body,
                is_active=form.cleaned_data["is_active"], actor=request.user)
        except TemplateRejected as violation:
            apply_rule_violation(form, violation)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("已保存“%(kind)s”的%(channel)s模板。") % {
            "kind": self.kind.label, "channel": Channel(self.channel).label})
        return redirect("notifications_templates")


class TemplateResetView(KindChannelMixin, TemplateView):
    """恢复默认 (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if actions.reset_notification_template(kind=self.kind.code, channel=self.channel,
                                               actor=request.user):
            messages.success(request, _("“%(kind)s”的%(channel)s模板已恢复默认内容。") % {
                "kind": self.kind.label, "channel": Channel(self.channel).label})
        return redirect("notifications_templates")
