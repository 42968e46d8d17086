"""Staff screens of 预约服务 in the Wagtail admin (预约管理): the resources of the user's bodies,
a resource's slots, a slot's bookings with the bookers' names and phones (each page view
audited), attendance results, cancellations and the CSV attendance list.

Item managers (事项管理员) of a body keep its resources and slots; they and the body's
handlers (办件人员) see its bookings, record attended / no-show and cancel bookings. Anyone
else signed in to the admin gets 403; a resource or slot of another body answers 404.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import apply_rule_violation, forbidden
from chuangkou.core.audit_export import safe_cell

from .. import queries
from ..actions import _common
from ..actions.bookings import (
    add_booking_slot,
    cancel_booking,
    cancel_booking_slot,
    may_keep_bookings,
    may_work_on_bookings,
    record_booking_result,
    save_bookable_resource,
)
from ..choices import BookingStatus
from ..exceptions import ServicesRuleViolation
from ..forms.bookings import (
    BookingResultForm,
    ResourceForm,
    SlotCancelForm,
    SlotForm,
    StaffBookingCancelForm,
)
from ..models import BookableResource, Booking
from ..queries.access import items_managed_by, managed_bodies

__all__ = [
    "BookingCancelView",
    "BookingResultView",
    "ResourceCreateView",
    "ResourceEditView",
    "ResourceListView",
    "ResourceSlotsView",
    "SlotAddView",
    "SlotBookingsView",
    "SlotCancelView",
    "SlotExportView",
    "may_use_bookings_admin",
]

RESOURCE_INITIAL = ("name", "kind", "body", "item", "place", "description", "requires_account",
                    "cancel_hours_before", "is_published")


def may_use_bookings_admin(user) -> bool:
    """预约管理 is for item managers and handlers of at least one body."""
    return bool(getattr(user, "is_authenticated", False)
                and queries.staff_booking_bodies(user).exists())


class BookingStaffMixin:
    """Booking staff only; anyone else signed in gets 403."""

    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not may_use_bookings_admin(request.user):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)


class ResourceMixin(BookingStaffMixin):
    """A view of one resource of the user's bodies (404 otherwise)."""

    keepers_only = False

    def dispatch(self, request, *args, **kwargs):
        if may_use_bookings_admin(request.user):
            self.resource = queries.resource_for_staff(request.user, kwargs["pk"])
            if self.resource is None:
                raise Http404
            if self.keepers_only and not may_keep_bookings(request.user, self.resource.body):
                return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class SlotMixin(BookingStaffMixin):
    keepers_only = False

    def dispatch(self, request, *args, **kwargs):
        if may_use_bookings_admin(request.user):
            self.slot = queries.slot_for_staff(request.user, kwargs["pk"])
            if self.slot is None:
                raise Http404
            if self.keepers_only and not may_keep_bookings(request.user,
                                                           self.slot.resource.body):
                return forbidden(request)
            if not may_work_on_bookings(request.user, self.slot.resource.body):
                return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class BookingMixin(BookingStaffMixin):
    def dispatch(self, request, *args, **kwargs):
        if may_use_bookings_admin(request.user):
            self.booking = (Booking.objects.select_related("slot", "slot__resource",
                                                           "slot__resource__body", "booker")
                            .filter(pk=kwargs["pk"], slot__resource__body__in=(
                                queries.staff_booking_bodies(request.user))).first())
            if self.booking is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


# --------------------------------------------------------------------------- resources


class ResourceListView(BookingStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    """预约管理: the resources of the user's bodies with their upcoming slots and bookings."""

    template_name = "services/admin/bookings/resource_list.html"
    page_title = gettext_lazy("预约管理")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        resources = list(queries.resources_for_staff(user))
        keeps = set(managed_bodies(user).values_list("pk", flat=True)) if user.has_perm(
            "services.manage_bookings") else set()
        context.update(rows=[(resource, resource.body_id in keeps) for resource in resources],
                       may_add=bool(keeps))
        return context


class ResourceFormMixin:
    template_name = "services/admin/bookings/resource_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs.update(bodies=managed_bodies(user).order_by("path"),
                      items=items_managed_by(user).select_related("implementing_body")
                      .order_by("code"))
        return kwargs

    def save(self, form, resource=None) -> BookableResource:
        return save_bookable_resource(actor=self.request.user, resource=resource,
                                      **form.resource_fields())

    def form_valid(self, form):
        try:
            resource = self.save(form, getattr(self, "resource", None))
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation, model=BookableResource)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存预约资源“%(name)s”。") % {"name": resource.name})
        return redirect("services_booking_resource", pk=resource.pk)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ResourceCreateView(BookingStaffMixin, ResourceFormMixin, WagtailAdminTemplateMixin,
                         FormView):
    form_class = ResourceForm
    page_title = gettext_lazy("新增预约资源")

    def dispatch(self, request, *args, **kwargs):
        if may_use_bookings_admin(request.user) and not (
                request.user.has_perm("services.manage_bookings")
                and managed_bodies(request.user).exists()):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class ResourceEditView(ResourceMixin, ResourceFormMixin, WagtailAdminTemplateMixin, FormView):
    form_class = ResourceForm
    page_title = gettext_lazy("编辑预约资源")
    keepers_only = True

    def get_page_subtitle(self):
        return self.resource.name

    def get_initial(self):
        return {name: getattr(self.resource, name) for name in RESOURCE_INITIAL}

    def get_context_data(self, **kwargs):
        return super().get_context_data(resource=self.resource, **kwargs)


class ResourceSlotsView(ResourceMixin, WagtailAdminTemplateMixin, TemplateView):
    """A resource and every slot of it, with places booked and attendance."""

    template_name = "services/admin/bookings/resource_detail.html"
    page_title = gettext_lazy("预约资源")

    def get_page_subtitle(self):
        return self.resource.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(resource=self.resource,
                       slots=list(queries.slots_of_resource_for_staff(self.resource)),
                       may_keep=may_keep_bookings(self.request.user, self.resource.body),
                       now=now)
        return context


# --------------------------------------------------------------------------- slots


class SlotAddView(ResourceMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "services/admin/bookings/form.html"
    form_class = SlotForm
    page_title = gettext_lazy("新增预约时段")
    keepers_only = True

    def get_page_subtitle(self):
        return self.resource.name

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            add_booking_slot(actor=self.request.user, resource=self.resource,
                             starts_at=data["starts_at"], ends_at=data["ends_at"],
                             capacity=data["capacity"])
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已新增预约时段。"))
        return redirect("services_booking_resource", pk=self.resource.pk)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cancel_url=reverse("services_booking_resource", args=[self.resource.pk]),
            submit_label=_("新增时段"), **kwargs)


class SlotCancelView(SlotMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "services/admin/bookings/form.html"
    form_class = SlotCancelForm
    page_title = gettext_lazy("取消预约时段")
    keepers_only = True

    def get_page_subtitle(self):
        return str(self.slot)

    def form_valid(self, form):
        try:
            cancel_booking_slot(actor=self.request.user, slot=self.slot,
                                reason=form.cleaned_data["reason"])
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("时段已取消，已预约的群众会收到通知。"))
        return redirect("services_booking_resource", pk=self.slot.resource_id)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cancel_url=reverse("services_booking_slot", args=[self.slot.pk]),
            submit_label=_("取消时段"), danger=True, slot=self.slot, **kwargs)


def _audit_booker_view(user, slot, bookings, *, how: str) -> None:
    # Staff looking at bookers' names and phones is itself recorded: one event per page view
    # or export, naming the bookings shown.
    _common._audit("services.booking_slot.bookers_viewed", actor=user, target=slot,
                   data={"how": how, "bookings": [booking.number for booking in bookings]})


class SlotBookingsView(SlotMixin, WagtailAdminTemplateMixin, TemplateView):
    """A slot's bookings with the bookers' names and phones (audited) and the result forms."""

    template_name = "services/admin/bookings/slot_detail.html"
    page_title = gettext_lazy("预约名单")

    def get_page_subtitle(self):
        return str(self.slot)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slot, user = self.slot, self.request.user
        bookings = list(queries.bookings_of_slot(slot))
        _audit_booker_view(user, slot, bookings, how="page")
        started = slot.starts_at <= timezone.now()
        context.update(
            slot=slot, resource=slot.resource, bookings=bookings,
            may_keep=may_keep_bookings(user, slot.resource.body),
            may_record=started and not slot.is_cancelled, started=started,
            live=BookingStatus.BOOKED,
            result_statuses=(BookingStatus.BOOKED, BookingStatus.ATTENDED,
                             BookingStatus.NO_SHOW))
        return context


class SlotExportView(SlotMixin, View):
    """签到表: the slot's attendance list as CSV (UTF-8 with BOM for spreadsheets); citizen text
    that would start a formula is written as text."""

    def get(self, request, *args, **kwargs):
        slot = self.slot
        bookings = list(queries.bookings_of_slot(slot))
        _audit_booker_view(request.user, slot, bookings, how="csv")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime(slot.starts_at).strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="booking-slot-{slot.pk}-{stamp}.csv"')
        response["Cache-Control"] = "no-store"
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("预约编号"), _("姓名"), _("手机号码"), _("电子邮箱"), _("状态"),
                         _("预约时间"), _("结果说明"), _("签到")])
        for booking in bookings:
            booker = getattr(booking, "booker", None)
            writer.writerow([safe_cell(value) for value in (
                booking.number, booker.name if booker else "", booker.phone if booker else "",
                booker.email if booker else "", str(booking.get_status_display()),
                timezone.localtime(booking.booked_at).strftime("%Y-%m-%d %H:%M"),
                booking.result_note, "")])
        return response


# --------------------------------------------------------------------------- bookings


class BookingActionMixin(BookingMixin):
    template_name = "services/admin/bookings/form.html"

    def get_page_subtitle(self):
        return self.booking.number

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def done(self):
        return redirect("services_booking_slot", pk=self.booking.slot_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cancel_url=reverse("services_booking_slot", args=[self.booking.slot_id]),
            booking=self.booking, **kwargs)


class BookingResultView(BookingActionMixin, WagtailAdminTemplateMixin, FormView):
    form_class = BookingResultForm
    page_title = gettext_lazy("登记到场结果")

    def get_initial(self):
        if self.booking.status in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
            return {"status": self.booking.status, "note": self.booking.result_note}
        return {}

    def form_valid(self, form):
        try:
            record_booking_result(booking=self.booking, actor=self.request.user,
                                  status=form.cleaned_data["status"],
                                  note=form.cleaned_data["note"])
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记 %(number)s 的到场结果。") % {
            "number": self.booking.number})
        return self.done()

    def get_context_data(self, **kwargs):
        return super().get_context_data(submit_label=_("登记"), **kwargs)


class BookingCancelView(BookingActionMixin, WagtailAdminTemplateMixin, FormView):
    form_class = StaffBookingCancelForm
    page_title = gettext_lazy("取消预约")

    def form_valid(self, form):
        try:
            cancel_booking(booking=self.booking, actor=self.request.user,
                           reason=form.cleaned_data["reason"])
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已取消预约 %(number)s。") % {
            "number": self.booking.number})
        return self.done()

    def get_context_data(self, **kwargs):
        return super().get_context_data(submit_label=_("取消预约"), danger=True, **kwargs)
