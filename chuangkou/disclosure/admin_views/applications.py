"""Staff screens of 依申请公开 (专网办理) in the Wagtail admin: the list with deadlines, the
detail with the whole timeline, the staff entry of paper, fax and in-person applications, and
one form per action. Only the body's 政务公开工作人员 and 政务公开办负责人 get in: the
applicant's personal data is not for system administrators or auditors."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import apply_rule_violation
from chuangkou.core.exceptions import RuleViolation
from chuangkou.organizations.models import Body

from .. import actions
from ..choices import ApplicationStatus
from ..forms import applications as forms_module
from ..queries import applications as queries


def may_use_applications(user) -> bool:
    return queries.bodies_handled_by(user).exists()


class HandlerRequiredMixin:
    """Staff of a body they handle applications for; anyone else gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not may_use_applications(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ApplicationMixin(HandlerRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.application = queries.application_for_staff(request.user, self.kwargs["pk"])
            if self.application is None or not self.may_act(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def may_act(self, user) -> bool:
        return True


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("全部")), *ApplicationStatus.choices])
    body = forms.ModelChoiceField(label=gettext_lazy("受理机关"), required=False,
                                  queryset=Body.objects.none())
    overdue = forms.BooleanField(label=gettext_lazy("只看已超期"), required=False)
    due_soon = forms.BooleanField(label=gettext_lazy("只看即将到期"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = queries.bodies_handled_by(user)


class ApplicationListView(HandlerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """依申请公开 list: number, received, due, working days left, status, handler."""

    template_name = "disclosure/applications/admin/list.html"
    page_title = gettext_lazy("依申请公开")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = FilterForm(self.request.GET or None, user=self.request.user)
        filters: dict[str, Any] = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {"status": data["status"], "overdue": data["overdue"],
                       "due_soon": data["due_soon"],
                       "body_id": data["body"].pk if data["body"] else None}
        context.update(filter_form=form,
                       rows=queries.staff_application_rows(self.request.user, **filters),
                       add_url=reverse("disclosure_application_add"))
        return context


class ApplicationAddView(HandlerRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """登记申请: applications received in person, by post or by fax."""

    template_name = "disclosure/applications/admin/form.html"
    page_title = gettext_lazy("登记依申请公开申请")
    header_icon = "plus"

    def get_form(self, form_class=None):
        return forms_module.StaffApplicationForm(
            **self.get_form_kwargs(), bodies=queries.bodies_handled_by(self.request.user))

    def form_valid(self, form):
        try:
            application, code = actions.enter_staff_application(
                body=form.cleaned_data["body"], applicant=form.applicant(),
                request=form.information_request(), channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"], actor=self.request.user)
        except RuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记申请 %(number)s。") % {"number": application.number})
        # The query code is shown to staff once, to hand to the applicant with the receipt.
        messages.info(self.request, _("请告知申请人查询码：%(code)s（只显示一次）。") % {"code": code})
        return redirect("disclosure_application_detail", pk=application.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "cancel_url": reverse("disclosure_applications")}


class ApplicationDetailView(ApplicationMixin, WagtailAdminTemplateMixin, TemplateView):
    """申请详情: facts, deadlines, the whole timeline, masked applicant data, the actions."""

    template_name = "disclosure/applications/admin/detail.html"
    page_title = gettext_lazy("依申请公开申请")
    header_icon = "doc-full"

    def get_page_subtitle(self):
        return self.application.number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        details = application.applicant
        from chuangkou.core.calendar import working_calendar

        context.update(
            application=application,
            events=queries.timeline_of(application, for_applicant=False),
            response=getattr(application, "response", None) if application.closed_on else None,
            days_left=queries.working_days_left(application.due_on, today=timezone.localdate(),
                                                calendar=working_calendar())
            if application.status == ApplicationStatus.PROCESSING else None,
            masked={"name": queries.mask_name(details.name),
                    "document": queries.mask_document_number(details.identity_document_number),
                    "phone": queries.mask_phone(details.phone)},
            details_kind=details.get_identity_document_kind_display(),
            action_links=[
                (spec.title, reverse("disclosure_application_action",
                                     args=[application.pk, name]))
                for name, spec in ACTIONS.items() if spec.shown(self.request.user, application)],
            reveal_url=reverse("disclosure_application_reveal", args=[application.pk]),
            transferred_to=queries.transfer_chain(application)[1:2],
        )
        return context


class RevealApplicantView(ApplicationMixin, WagtailAdminTemplateMixin, TemplateView):
    """查看完整信息 (POST only): the unmasked applicant data, each look audited."""

    template_name = "disclosure/applications/admin/applicant.html"
    page_title = gettext_lazy("申请人完整信息")
    header_icon = "user"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        details = actions.record_applicant_details_viewed(application=self.application,
                                                          actor=request.user)
        response = self.render_to_response(self.get_context_data(details=details))
        response["Cache-Control"] = "no-store, private"
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "application": self.application,
                "back_url": reverse("disclosure_application_detail", args=[self.application.pk])}


@dataclass(frozen=True)
class ActionSpec:
    title: str
    form_class: type
    statuses: tuple[str, ...]
    perform: Any  # (view, application, cleaned_data) -> None
    head_only: bool = False
    form_kwargs: Any = None  # (view, application) -> dict

    def shown(self, user, application) -> bool:
        if application.status not in self.statuses:
            return False
        return not self.head_only or queries.may_approve_extension(user, application.body)


def _answer(view, application, data):
    letter = data["letter_text"] or queries.response_letter_draft(application, kind=data["kind"])
    actions.answer_application(application=application, actor=view.request.user,
                               kind=data["kind"], letter_text=letter,
                               attachments=data["attachments"])


def _handlers(view, application):
    from django.contrib.auth import get_user_model

    from chuangkou.organizations.models import Membership

    return {"handlers": get_user_model().objects.filter(pk__in=Membership.objects.filter(
        body=application.body, role__in=queries.HANDLING_ROLES).values("user_id"))}


P = ApplicationStatus
ACTIONS: dict[str, ActionSpec] = {
    "confirm": ActionSpec(
        gettext_lazy("确认收到"), forms_module.ConfirmReceiptForm, (P.AWAITING_CONFIRMATION,),
        lambda view, app, data: actions.confirm_application_receipt(
            application=app, actor=view.request.user, received_on=data["on"])),
    "assign": ActionSpec(
        gettext_lazy("分派承办人"), forms_module.AssignHandlerForm,
        (P.AWAITING_CONFIRMATION, P.PROCESSING, P.AWAITING_CORRECTION, P.CONSULTING,
         P.AWAITING_FEE),
        lambda view, app, data: actions.assign_handler(
            application=app, actor=view.request.user, handler=data["handler"]),
        form_kwargs=_handlers),
    "correction": ActionSpec(
        gettext_lazy("告知补正"), forms_module.CorrectionRequestForm, (P.PROCESSING,),
        lambda view, app, data: actions.request_correction(
            application=app, actor=view.request.user, notice=data["notice"])),
    "correction_received": ActionSpec(
        gettext_lazy("收到补正"), forms_module.CorrectionReceivedForm, (P.AWAITING_CORRECTION,),
        lambda view, app, data: actions.receive_correction(
            application=app, actor=view.request.user, received_on=data["on"],
            information_description=data["information_description"], note=data["note"])),
    "consultation_start": ActionSpec(
        gettext_lazy("征求第三方意见"), forms_module.ConsultationStartForm, (P.PROCESSING,),
        lambda view, app, data: actions.start_consultation(
            application=app, actor=view.request.user, third_party=data["third_party"],
            on=data["on"])),
    "consultation_end": ActionSpec(
        gettext_lazy("第三方意见答复"), forms_module.ConsultationEndForm, (P.CONSULTING,),
        lambda view, app, data: actions.end_consultation(
            application=app, actor=view.request.user, opinion=data["opinion"], on=data["on"])),
    "extension_request": ActionSpec(
        gettext_lazy("申请延期"), forms_module.ExtensionRequestForm, (P.PROCESSING,),
        lambda view, app, data: actions.request_extension(
            application=app, actor=view.request.user, working_days=data["working_days"],
            reason=data["reason"])),
    "extension_decide": ActionSpec(
        gettext_lazy("审批延期"), forms_module.ExtensionDecisionForm, (P.PROCESSING,),
        lambda view, app, data: actions.decide_extension(
            application=app, actor=view.request.user, approve=data["approve"],
            note=data["note"]),
        head_only=True),
    "fee_notice": ActionSpec(
        gettext_lazy("发出收费通知"), forms_module.FeeNoticeForm, (P.PROCESSING,),
        lambda view, app, data: actions.issue_fee_notice(
            application=app, actor=view.request.user, on=data["on"])),
    "fee_paid": ActionSpec(
        gettext_lazy("登记缴费"), forms_module.FeePaidForm, (P.AWAITING_FEE,),
        lambda view, app, data: actions.record_fee_payment(
            application=app, actor=view.request.user, paid_on=data["paid_on"])),
    "answer": ActionSpec(gettext_lazy("作出答复"), forms_module.AnswerForm, (P.PROCESSING,),
                         _answer),
    "transfer": ActionSpec(
        gettext_lazy("转办"), forms_module.TransferForm, (P.AWAITING_CONFIRMATION, P.PROCESSING),
        lambda view, app, data: actions.transfer_application(
            application=app, actor=view.request.user, target_body=data["target_body"],
            note=data["note"]),
        form_kwargs=lambda view, app: {"exclude_body": app.body}),
}


class ApplicationActionView(ApplicationMixin, WagtailAdminTemplateMixin, FormView):
    """One action on an application: its form, the action, field errors on refusal."""

    template_name = "disclosure/applications/admin/form.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.spec = ACTIONS.get(kwargs["action"])
        if self.spec is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def may_act(self, user) -> bool:
        return not self.spec.head_only or queries.may_approve_extension(
            user, self.application.body)

    def get_page_title(self):
        return self.spec.title

    def get_page_subtitle(self):
        return self.application.number

    def get_form(self, form_class=None):
        extra = self.spec.form_kwargs(self, self.application) if self.spec.form_kwargs else {}
        form = self.spec.form_class(**self.get_form_kwargs(), **extra)
        if self.kwargs["action"] == "answer" and not form.is_bound:
            form.initial["letter_text"] = queries.response_letter_draft(
                self.application, kind=self.request.GET.get("kind") or "disclosed")
        return form

    def form_valid(self, form):
        try:
            self.spec.perform(self, self.application, form.cleaned_data)
        except RuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已办理：%(action)s。") % {"action": self.spec.title})
        return redirect("disclosure_application_detail", pk=self.application.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "application": self.application,
                "multipart": self.kwargs["action"] == "answer",
                "cancel_url": reverse("disclosure_application_detail",
                                      args=[self.application.pk])}

