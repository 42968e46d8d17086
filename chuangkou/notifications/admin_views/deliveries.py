"""发送记录 in the Wagtail admin (Settings): every notification sent or being sent, filtered by
kind, channel, status and date, with the masked address only (never the encrypted one) and the
body of a one-time-code message already wiped; "重新发送" for failed and given-up ones.

Viewing needs ``notifications.view_delivery``, re-sending ``notifications.retry_delivery`` (both
held by the system administrator role); everyone else gets 403.
"""

import django_filters
from django import forms
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput

from chuangkou.core.admin_views import (
    ActionViewSetMixin,
    ReadOnlyPermissionPolicy,
    forbidden,
)

from .. import actions
from ..choices import Channel, DeliveryStatus
from ..exceptions import DeliveryNotRetryable
from ..kinds import all_kinds, get_kind
from ..models import Delivery
from ..queries import (
    deliveries_for_staff,
    delivery_for_staff,
    may_retry_deliveries,
)

__all__ = ["DeliveryViewSet", "delivery_permission_policy"]

RETRYABLE = (DeliveryStatus.FAILED, DeliveryStatus.ABANDONED)

delivery_permission_policy = ReadOnlyPermissionPolicy(Delivery)


def kind_label(delivery: Delivery) -> str:
    try:
        return str(get_kind(delivery.kind).label)
    except LookupError:
        return delivery.kind


def kind_choices(request=None):
    return [(kind.code, f"{kind.label}（{kind.code}）") for kind in all_kinds()]


class DeliveryFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("结束日期不能早于开始日期。"))
        return cleaned


class DeliveryFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("通知类型"), choices=kind_choices,
                                       empty_label=gettext_lazy("全部"))
    channel = django_filters.ChoiceFilter(label=gettext_lazy("渠道"), choices=Channel.choices,
                                          empty_label=gettext_lazy("全部"))
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"),
                                         choices=DeliveryStatus.choices,
                                         empty_label=gettext_lazy("全部"))
    created_from = django_filters.DateFilter(label=gettext_lazy("创建日期从"),
                                             field_name="created_at", lookup_expr="date__gte",
                                             widget=AdminDateInput)
    created_to = django_filters.DateFilter(label=gettext_lazy("创建日期至"),
                                           field_name="created_at", lookup_expr="date__lte",
                                           widget=AdminDateInput)

    class Meta:
        model = Delivery
        form = DeliveryFilterForm
        fields = ["kind", "channel", "status", "created_from", "created_to"]


class DeliveryIndexView(generic.IndexView):
    page_title = gettext_lazy("发送记录")
    any_permission_required = ["view"]
    default_ordering = "-created_at"
    filterset_class = DeliveryFilterSet
    search_fields = None

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "created_at", label=gettext_lazy("创建时间"), sort_key="created_at",
                get_url=self.get_inspect_url,
                accessor=lambda delivery: delivery.created_at.strftime("%Y-%m-%d %H:%M")),
            Column("kind", label=gettext_lazy("通知类型"), accessor=kind_label),
            Column("channel", label=gettext_lazy("渠道"), accessor="get_channel_display"),
            Column("masked_address", label=gettext_lazy("接收地址（脱敏）")),
            Column("subject", label=gettext_lazy("标题")),
            Column("status", label=gettext_lazy("状态"), accessor="get_status_display",
                   sort_key="status"),
            Column("attempts", label=gettext_lazy("尝试次数")),
            DateColumn("sent_at", label=gettext_lazy("发送时间")),
        ]

    def get_base_queryset(self):
        return deliveries_for_staff()

    def filter_queryset(self, queryset):
        if self.filters is not None and not self.filters.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")


class DeliveryInspectView(generic.InspectView):
    any_permission_required = ["view"]
    page_title = gettext_lazy("发送记录")
    template_name = "notifications/admin/deliveries/inspect.html"
    shown_fields = ("kind", "channel", "masked_address", "status", "attempts", "created_at",
                    "sent_at", "next_attempt_at", "last_error", "provider_reference", "subject",
                    "body", "url")

    def get_fields(self):
        # Fixed here, not taken from the viewset: the encrypted address is never shown.
        return list(self.shown_fields)

    def get_object(self, queryset=None):
        delivery = delivery_for_staff(self.pk)
        if delivery is None:
            raise Http404
        return delivery

    def get_kind_display_value(self):
        return f"{kind_label(self.object)}（{self.object.kind}）"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retry_url"] = (
            reverse("notification_deliveries:retry", args=[self.object.pk])
            if self.object.status in RETRYABLE and not self.object.is_sensitive
            and may_retry_deliveries(self.request.user) else None)
        return context


class DeliveryRetryView(View):
    """重新发送 (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if not may_retry_deliveries(request.user):
            return forbidden(request)
        delivery = delivery_for_staff(pk)
        if delivery is None:
            raise Http404
        try:
            actions.retry_delivery(delivery=delivery, actor=request.user)
        except DeliveryNotRetryable as refusal:
            for message_list in refusal.errors.values():
                for message in message_list:
                    messages.error(request, message)
        else:
            messages.success(request, _("已重新加入发送队列。"))
        return redirect("notification_deliveries:inspect", pk)


class DeliveryViewSet(ActionViewSetMixin, ModelViewSet):
    model = Delivery
    enabled_views = ("inspect",)
    inspect_view_enabled = True
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    icon = "mail"
    menu_label = gettext_lazy("发送记录")
    menu_name = "notification-deliveries"
    menu_order = 910
    add_to_settings_menu = True
    add_to_reference_index = False
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return None

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(
            codename__in=["view_delivery", "retry_delivery"])

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("retry/<int:pk>/", DeliveryRetryView.as_view(), name="retry")]

