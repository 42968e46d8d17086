"""政民互动 settings in the Wagtail admin (permission ``mailbox.manage_mailbox``: dispatchers and
system administrators): letter kinds (list, create, edit; deactivated, never deleted), time
limits per body and kind, routing rules (with a "test a text" box) and Open311 API keys (the
key is shown once when created; revoke).

Plain form views: each change goes through ``mailbox.actions``; a ``MailboxRuleViolation``
comes back on the form's fields, a ``PermissionDenied`` as 403.
"""

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

from .. import actions, queries
from ..actions.configuration import LETTER_KIND_FIELDS, ROUTING_RULE_FIELDS
from ..exceptions import MailboxRuleViolation
from ..forms import admin as admin_forms
from ..models import LetterKind, Open311ApiKey, RoutingRule

SECTIONS = (
    ("mailbox_kinds", gettext_lazy("信件类型")),
    ("mailbox_time_limits", gettext_lazy("办理时限")),
    ("mailbox_routing_rules", gettext_lazy("分办规则")),
    ("mailbox_api_keys", gettext_lazy("接口密钥")),
)


def may_manage_mailbox(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.has_perm("mailbox.manage_mailbox"))


class ManagerRequiredMixin:
    """Mailbox managers only; anyone else signed in to the admin gets 403."""

    section: str = ""
    template_name = "mailbox/admin/settings/form.html"
    header_icon = "cog"

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_mailbox(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = [(reverse(name), title, name == self.section)
                               for name, title in SECTIONS]
        return context


class ActionForm(ManagerRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """A settings form whose ``perform(data)`` calls an action; rule violations land on the
    fields, a refusal is a 403."""

    success_message = gettext_lazy("已保存。")
    field_aliases: dict[str, str] = {}

    def perform(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except MailboxRuleViolation as violation:
            apply_rule_violation(form, violation, field_aliases=self.field_aliases)
            return self.form_invalid(form)
        except PermissionDenied:
            return forbidden(self.request)
        messages.success(self.request, str(self.success_message))
        return redirect(self.section)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": reverse(self.section)}


# --------------------------------------------------------------------------- letter kinds


class KindListView(ManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "mailbox/admin/settings/kinds.html"
    page_title = gettext_lazy("信件类型")
    section = "mailbox_kinds"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "kinds": queries.letter_kinds()}


class KindCreateView(ActionForm):
    page_title = gettext_lazy("新增信件类型")
    section = "mailbox_kinds"
    form_class = admin_forms.LetterKindForm
    success_message = gettext_lazy("已新增信件类型。")

    def perform(self, data):
        actions.save_letter_kind(actor=self.request.user, **data)


class KindEditView(ActionForm):
    page_title = gettext_lazy("修改信件类型")
    section = "mailbox_kinds"
    form_class = admin_forms.LetterKindForm

    def dispatch(self, request, *args, **kwargs):
        self.kind = LetterKind.objects.filter(pk=kwargs["pk"]).first()
        if self.kind is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.kind.name

    def get_initial(self):
        return {name: getattr(self.kind, name) for name in LETTER_KIND_FIELDS}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # The code is the Open311 service code: fixed once created.
        form.fields["code"].disabled = True
        form.fields["code"].help_text = _("代码创建后不能修改（移动端接口以它作为服务代码）。")
        return form

    def perform(self, data):
        values = {name: value for name, value in data.items() if name != "code"}
        actions.save_letter_kind(actor=self.request.user, kind=self.kind, **values)


# --------------------------------------------------------------------------- time limits


class TimeLimitListView(ActionForm):
    """办理时限: the limits bodies set for themselves, and the form to set or clear one."""

    template_name = "mailbox/admin/settings/time_limits.html"
    page_title = gettext_lazy("办理时限")
    section = "mailbox_time_limits"
    form_class = admin_forms.ReplyTimeLimitForm

    def perform(self, data):
        actions.set_reply_time_limit(actor=self.request.user, body=data["body"],
                                     kind=data["kind"],
                                     reply_working_days=data["reply_working_days"])
        self.success_message = (_("已设置办理时限。") if data["reply_working_days"]
                                else _("已取消该单位的办理时限，改用信件类型的默认时限。"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "limits": queries.reply_time_limits(),
                "kinds": queries.letter_kinds()}


# --------------------------------------------------------------------------- routing rules


class RoutingRuleListView(ManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """分办规则 in the order they are tried, and 试一试: which rule a text would match."""

    template_name = "mailbox/admin/settings/routing_rules.html"
    page_title = gettext_lazy("分办规则")
    section = "mailbox_routing_rules"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        test_form = admin_forms.RoutingTestForm(self.request.GET if "text" in self.request.GET
                                                else None)
        test_result = None
        if test_form.is_bound and test_form.is_valid():
            data = test_form.cleaned_data
            rule = queries.matching_routing_rule(
                kind=data["kind"], addressed_body=data["addressed_body"], title=data["text"],
                content=data["text"])
            test_result = {"rule": rule,
                           "body": rule.target_body if rule else data["addressed_body"]}
        context.update(rules=queries.routing_rules(), test_form=test_form,
                       test_result=test_result)
        return context


class RoutingRuleMixin:
    def dispatch(self, request, *args, **kwargs):
        self.rule = RoutingRule.objects.filter(pk=kwargs["pk"]).first()
        if self.rule is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.rule.name


class RoutingRuleCreateView(ActionForm):
    page_title = gettext_lazy("新增分办规则")
    section = "mailbox_routing_rules"
    form_class = admin_forms.RoutingRuleForm
    success_message = gettext_lazy("已新增分办规则。")

    def perform(self, data):
        actions.save_routing_rule(actor=self.request.user, **data)


class RoutingRuleEditView(RoutingRuleMixin, ActionForm):
    page_title = gettext_lazy("修改分办规则")
    section = "mailbox_routing_rules"
    form_class = admin_forms.RoutingRuleForm

    def get_initial(self):
        return {name: getattr(self.rule, name) for name in ROUTING_RULE_FIELDS}

    def perform(self, data):
        actions.save_routing_rule(actor=self.request.user, rule=self.rule, **data)


class RoutingRuleDeleteView(RoutingRuleMixin, ActionForm):
    page_title = gettext_lazy("删除分办规则")
    section = "mailbox_routing_rules"
    form_class = admin_forms.ConfirmForm
    template_name = "mailbox/admin/settings/confirm.html"
    success_message = gettext_lazy("已删除分办规则。")

    def perform(self, data):
        actions.delete_routing_rule(actor=self.request.user, rule=self.rule)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "danger": True, "question": _(
            "确定删除分办规则“%(name)s”吗？已按它分办的来信不受影响。") % {"name": self.rule.name},
            "button": _("删除")}


# --------------------------------------------------------------------------- Open311 keys


class ApiKeyListView(ActionForm):
    """Open311 接入密钥: the clients, and the form that creates a key and shows it once."""

    template_name = "mailbox/admin/settings/api_keys.html"
    page_title = gettext_lazy("Open311 接入密钥")
    section = "mailbox_api_keys"
    form_class = admin_forms.ApiKeyForm

    def form_valid(self, form):
        try:
            key, plaintext = actions.create_open311_api_key(name=form.cleaned_data["name"],
                                                           actor=self.request.user)
        except MailboxRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        except PermissionDenied:
            return forbidden(self.request)
        # Shown once, in this response only: never stored, never put in a message or a URL.
        response = self.render_to_response(self.get_context_data(
            form=self.get_form_class()(), created=key, plaintext=plaintext))
        response["Cache-Control"] = "no-store, private"
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "keys": queries.open311_api_keys()}


class ApiKeyRevokeView(ActionForm):
    page_title = gettext_lazy("停用接入密钥")
    section = "mailbox_api_keys"
    form_class = admin_forms.ConfirmForm
    template_name = "mailbox/admin/settings/confirm.html"
    success_message = gettext_lazy("已停用接入密钥。")

    def dispatch(self, request, *args, **kwargs):
        self.key = Open311ApiKey.objects.filter(pk=kwargs["pk"]).first()
        if self.key is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.key.name

    def perform(self, data):
        actions.revoke_open311_api_key(key=self.key, actor=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "danger": True, "question": _(
            "确定停用“%(name)s”的接入密钥（%(prefix)s…）吗？停用后该接入方提交的请求将被拒绝。") % {
            "name": self.key.name, "prefix": self.key.key_prefix}, "button": _("停用")}
