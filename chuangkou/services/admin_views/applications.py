"""Staff screens of applications (办件管理) in the Wagtail admin: the work lists by tab, the
application page with the hops, uploads, whole timeline and one form per possible action, the
audited reveal of the applicant's details, uploads, proxy hand-in (代办申请) and the home panel
"我的待办办件".

Who sees an application: ``queries.access.applications_visible_to``; anyone else gets 404 for
it. Handlers and supervisors get in; every other user gets 403 (三员分立: system
administrators and auditors never see applications).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import RevealPersonalDataView, apply_rule_violation, forbidden
from chuangkou.core.calendar import working_calendar
from chuangkou.core.masking import mask_name, mask_phone
from chuangkou.organizations.models import Body

from .. import actions, payments, queries
from ..choices import ApplicationEventKind, ApplicationStatus, DeliveryMethod
from ..exceptions import ServicesRuleViolation
from ..forms import applications as forms
from ..models import ApplicationUpload, ServiceItem
from ..queries.access import handled_bodies, may_handle_at, supervised_bodies

PER_PAGE = 30


class ApplicationStaffRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not queries.may_use_applications(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class ApplicationMixin(ApplicationStaffRequiredMixin):
    """A view of one application among those the user may see; 404 otherwise."""

    def dispatch(self, request, *args, **kwargs):
        if queries.may_use_applications(request.user):
            self.application = queries.application_for_staff(request.user, kwargs["number"])
            if self.application is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def scope_bodies(user):
    bodies = [*handled_bodies(user).values_list("pk", flat=True),
              *supervised_bodies(user).values_list("pk", flat=True)]
    return Body.objects.filter(pk__in=bodies).order_by("path")


# --------------------------------------------------------------------------- work lists


class ApplicationListView(ApplicationStaffRequiredMixin, WagtailAdminTemplateMixin,
                          TemplateView):
    """办件管理: the work lists by tab, filtered by item, body and status, searched by number."""

    template_name = "services/admin/applications/list.html"
    page_title = gettext_lazy("办件管理")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        calendar = working_calendar()
        tabs = queries.APPLICATION_WORKLISTS
        current = next((tab for tab in tabs if tab.slug == self.request.GET.get("tab")),
                       tabs[0])
        visible = queries.staff_applications(user)
        bodies = scope_bodies(user)
        items = ServiceItem.objects.filter(
            Q(implementing_body__in=bodies) | Q(pk__in=visible.values("item"))
        ).order_by("code").distinct()
        form = forms.ApplicationFilterForm(self.request.GET or None, items=items,
                                           bodies=Body.objects.filter(
                                               Q(pk__in=bodies.values("pk"))
                                               | Q(pk__in=visible.values("current_body")))
                                           .order_by("path"))
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        applications = queries.application_worklist(user, current.slug, today=today,
                                                     calendar=calendar)
        if data.get("q"):
            applications = applications.filter(number__icontains=data["q"].strip())
        if data.get("item"):
            applications = applications.filter(item=data["item"])
        if data.get("body"):
            applications = applications.filter(current_body=data["body"])
        if data.get("status"):
            applications = applications.filter(status=data["status"])
        page = Paginator(applications, PER_PAGE).get_page(self.request.GET.get("p"))
        params = self.request.GET.copy()
        params.pop("p", None)
        context.update(
            tabs=[(tab, f"?{urlencode({'tab': tab.slug})}", tab is current) for tab in tabs],
            current_tab=current, filter_form=form, page=page, today=today,
            applications=list(page), page_query=params.urlencode(),
            proxy_url=reverse("services_application_proxy")
            if handled_bodies(user).exists() else None)
        return context


# --------------------------------------------------------------------------- one application


class Facts:
    """What the page and the action gates need of one application, asked once."""

    def __init__(self, user, application):
        self.user, self.application = user, application

    @cached_property
    def handles_here(self) -> bool:
        return may_handle_at(self.user, self.application.current_body)

    @cached_property
    def at_implementing(self) -> bool:
        return self.application.current_body_id == self.application.item.implementing_body_id

    @cached_property
    def hops(self):
        return list(self.application.hops.all())

    @cached_property
    def can_pass_on(self) -> bool:
        return (self.application.status == ApplicationStatus.SUBMITTED
                and not self.at_implementing and bool(self.hops))

    @cached_property
    def done_steps(self) -> set[int]:
        return set(self.application.events.filter(
            kind=ApplicationEventKind.STEP_COMPLETED).values_list("step_id", flat=True))

    @cached_property
    def remaining_steps(self):
        return [step for step in self.application.item.steps.all()
                if step.pk not in self.done_steps]

    @cached_property
    def pending_payment(self):
        return queries.pending_payment(self.application)

    @cached_property
    def delivery_methods(self) -> list[str]:
        named = [value for value in (self.application.item.delivery_methods or [])
                 if value in DeliveryMethod.values]
        return named or list(DeliveryMethod.values)


@dataclass(frozen=True)
class ApplicationAction:
    title: str
    form_class: type
    applicable: Callable[[Facts], bool]
    perform: Callable[[Any, Facts, dict], Any]
    form_kwargs: Callable[[Facts], dict] | None = None
    button: str = gettext_lazy("提交")
    danger: bool = False


S = ApplicationStatus


def _at_implementing(*statuses):
    return lambda facts: (facts.handles_here and facts.at_implementing
                          and facts.application.status in statuses)


ACTIONS: dict[str, ApplicationAction] = {
    "pass_on": ApplicationAction(
        gettext_lazy("逐级转报"), forms.PassOnForm,
        lambda facts: facts.handles_here and facts.can_pass_on,
        lambda user, facts, data: actions.pass_on_application(
            application=facts.application, actor=user, note=data["note"]),
        button=gettext_lazy("转报")),
    "accept": ApplicationAction(
        gettext_lazy("受理"), forms.AcceptForm, _at_implementing(S.SUBMITTED),
        lambda user, facts, data: actions.accept_application(
            application=facts.application, actor=user, note=data["note"]),
        button=gettext_lazy("受理")),
    "refuse": ApplicationAction(
        gettext_lazy("不予受理"), forms.RefuseForm, _at_implementing(S.SUBMITTED),
        lambda user, facts, data: actions.refuse_application(
            application=facts.application, actor=user, reason=data["reason"]),
        button=gettext_lazy("不予受理"), danger=True),
    "request_supplement": ApplicationAction(
        gettext_lazy("一次性告知补正"), forms.SupplementRequestForm,
        _at_implementing(S.SUBMITTED, S.IN_PROGRESS),
        lambda user, facts, data: actions.request_supplement(
            application=facts.application, actor=user, notice=data["notice"]),
        button=gettext_lazy("告知补正")),
    "complete_step": ApplicationAction(
        gettext_lazy("办理环节"), forms.StepForm,
        lambda facts: _at_implementing(S.IN_PROGRESS)(facts) and bool(facts.remaining_steps),
        lambda user, facts, data: actions.complete_application_step(
            application=facts.application, actor=user, step=data["step"], note=data["note"]),
        form_kwargs=lambda facts: {"steps": facts.application.item.steps.filter(
            pk__in=[step.pk for step in facts.remaining_steps])},
        button=gettext_lazy("记录环节")),
    "decide": ApplicationAction(
        gettext_lazy("办结"), forms.DecideForm, _at_implementing(S.IN_PROGRESS),
        lambda user, facts, data: actions.decide_application(
            application=facts.application, actor=user, approve=data["approve"],
            note=data["note"]),
        button=gettext_lazy("办结")),
    "request_payment": ApplicationAction(
        gettext_lazy("缴费通知"), forms.PaymentRequestForm,
        lambda facts: (_at_implementing(S.APPROVED)(facts)
                       and facts.application.item.charges_fee
                       and facts.pending_payment is None),
        lambda user, facts, data: actions.request_payment(
            application=facts.application, actor=user, amount=data["amount"],
            provider=data["provider"]),
        form_kwargs=lambda facts: {"providers": payments.provider_choices()},
        button=gettext_lazy("发出缴费通知")),
    "confirm_payment": ApplicationAction(
        gettext_lazy("缴费确认"), forms.ConfirmPaymentForm,
        lambda facts: (facts.handles_here and facts.at_implementing
                       and facts.pending_payment is not None),
        lambda user, facts, data: actions.confirm_payment(
            payment=facts.pending_payment, actor=user, reference=data["reference"]),
        button=gettext_lazy("确认已缴费")),
    "deliver": ApplicationAction(
        gettext_lazy("结果送达"), forms.DeliverForm,
        lambda facts: (_at_implementing(S.APPROVED, S.DENIED)(facts)
                       and facts.pending_payment is None),
        lambda user, facts, data: actions.deliver_result(
            application=facts.application, actor=user, method=data["method"],
            note=data["note"]),
        form_kwargs=lambda facts: {"methods": facts.delivery_methods},
        button=gettext_lazy("送达")),
}


def build_form(spec: ApplicationAction, facts: Facts, data=None, *, auto_id="id_%s"):
    kwargs = spec.form_kwargs(facts) if spec.form_kwargs else {}
    return spec.form_class(data, auto_id=auto_id, **kwargs)


class ApplicationDetailView(ApplicationMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/applications/detail.html"
    page_title = gettext_lazy("办件")
    header_icon = "tasks"

    def get_page_subtitle(self):
        return self.application.number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        facts = Facts(self.request.user, application)
        action_forms = [
            {"name": name, "spec": spec,
             "form": build_form(spec, facts, auto_id=f"id_{name}_%s"),
             "url": reverse("services_application_action", args=[application.number, name])}
            for name, spec in ACTIONS.items() if spec.applicable(facts)]
        labels = {field.name: field.label for field in application.item.form_fields.all()}
        answers = [(labels.get(name, name), ", ".join(value) if isinstance(value, list)
                    else ("是" if value is True else "否" if value is False else value))
                   for name, value in (application.answers or {}).items()]
        details = getattr(application, "applicant", None)
        context.update(
            application=application, facts=facts, action_forms=action_forms,
            answers=answers, hops=facts.hops, uploads=list(application.uploads.all()),
            payments=list(application.payments.all()),
            events=queries.staff_application_timeline(application),
            applicant_name=mask_name(details.name) if details else "",
            applicant_phone=mask_phone(details.phone) if details else "",
            applicant_url=reverse("services_application_applicant", args=[application.number]),
            list_url=reverse("services_applications"))
        return context


class RevealApplicantView(ApplicationMixin, RevealPersonalDataView):
    """查看申请人信息 (POST only), each look audited."""

    template_name = "services/admin/applications/applicant.html"
    page_title = gettext_lazy("申请人信息")

    def get_page_subtitle(self):
        return self.application.number

    def reveal(self):
        return actions.record_applicant_details_viewed(application=self.application,
                                                       actor=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "application": self.application,
                "back_url": reverse("services_application_detail",
                                    args=[self.application.number])}


class UploadView(ApplicationMixin, View):
    def get(self, request, number, pk):
        upload = ApplicationUpload.objects.filter(application=self.application, pk=pk).first()
        if upload is None:
            raise Http404
        try:
            handle = upload.file.open("rb")
        except OSError as error:
            raise Http404 from error
        response = FileResponse(handle, as_attachment=True, filename=upload.original_name,
                                content_type=upload.content_type or "application/octet-stream")
        response["Cache-Control"] = "no-store, private"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ApplicationActionView(ApplicationMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "services/admin/applications/action.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.name = kwargs["action"]
        self.spec = ACTIONS.get(self.name)
        if self.spec is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def facts(self):
        return Facts(self.request.user, self.application)

    def get(self, request, *args, **kwargs):
        return self.gate() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.gate() or super().post(request, *args, **kwargs)

    def gate(self):
        if not self.facts.handles_here:
            return forbidden(self.request)
        if not self.spec.applicable(self.facts):
            messages.warning(self.request, _("办件当前状态（%(status)s）不能办理：%(action)s。") % {
                "status": self.application.get_status_display(), "action": self.spec.title})
            return redirect("services_application_detail", number=self.application.number)
        return None

    def get_page_title(self):
        return self.spec.title

    def get_page_subtitle(self):
        return self.application.number

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return build_form(self.spec, self.facts, data)

    def form_valid(self, form):
        try:
            self.spec.perform(self.request.user, self.facts, form.cleaned_data)
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        except PermissionDenied:
            return forbidden(self.request)
        messages.success(self.request, _("已办理：%(action)s。") % {"action": self.spec.title})
        return redirect("services_application_detail", number=self.application.number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "application": self.application, "spec": self.spec,
                "action_name": self.name,
                "cancel_url": reverse("services_application_detail",
                                      args=[self.application.number])}


# --------------------------------------------------------------------------- proxy hand-in


class ProxyRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not queries.proxy_bodies_of(request.user).exists():
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class ProxyItemsView(ProxyRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """代办申请: the items a handler can hand in on a citizen's behalf."""

    template_name = "services/admin/applications/proxy_items.html"
    page_title = gettext_lazy("代办申请")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "items": list(queries.proxy_items())}


class ProxyApplyView(ProxyRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The item's online form filled in for a citizen; the receipt with number and query code
    is printed for them."""

    template_name = "services/admin/applications/proxy_form.html"
    page_title = gettext_lazy("代办申请")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.item = (queries.proxy_items().prefetch_related("form_fields", "materials")
                     .filter(code=kwargs["code"]).first())
        if self.item is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.item.name

    def forms(self, data=None, files=None):
        bodies = queries.proxy_bodies_of(self.request.user)
        return (build_form_class(self.item)(data, files),
                forms.ProxyBodyForm(data, bodies=bodies, initial={"body": bodies.first()}))

    def get(self, request, *args, **kwargs):
        form, body_form = self.forms()
        return self.render_to_response(self.get_context_data(form=form, body_form=body_form))

    def post(self, request, *args, **kwargs):
        form, body_form = self.forms(request.POST, request.FILES)
        if form.is_valid() and body_form.is_valid():
            try:
                application, code = actions.submit_application(
                    item=self.item, applicant=form.applicant_input(), answers=form.answers(),
                    uploads=form.uploads(), form_token=form.cleaned_data["form_token"],
                    proxy_actor=request.user, proxy_body=body_form.cleaned_data["body"])
            except ServicesRuleViolation as violation:
                form.add_violation(violation.errors)
            except PermissionDenied:
                return forbidden(request)
            else:
                response = render(request, "services/admin/applications/proxy_receipt.html",
                                  {**self.get_context_data(), "application": application,
                                   "code": code,
                                   "detail_url": reverse("services_application_detail",
                                                         args=[application.number])})
                response["Cache-Control"] = "no-store, private"
                return response
        response = self.render_to_response(self.get_context_data(form=form,
                                                                 body_form=body_form))
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item,
                "back_url": reverse("services_application_proxy")}


def build_form_class(item):
    return forms.build_application_form(item)


# --------------------------------------------------------------------------- home panel


class MyApplicationsPanel(Component):
    """Admin home panel: 我的待办办件."""

    name = "services_my_applications"
    template_name = "services/admin/applications/home_panel.html"
    order = 150

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def get_context_data(self, parent_context):
        return {**self.counts, "list_url": reverse("services_applications")}
