"""Admin URLs and menu item of 预约管理 (item managers and handlers of a body), and the
hourly booking reminders."""

from datetime import timedelta

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import bookings as views
from .menu import SERVICES_MENU_HOOK


@hooks.register("register_admin_urls")
def register_booking_urls():
    return [
        path("services/bookings/", views.ResourceListView.as_view(), name="services_bookings"),
        path("services/bookings/add/", views.ResourceCreateView.as_view(),
             name="services_booking_resource_add"),
        path("services/bookings/<int:pk>/", views.ResourceSlotsView.as_view(),
             name="services_booking_resource"),
        path("services/bookings/<int:pk>/edit/", views.ResourceEditView.as_view(),
             name="services_booking_resource_edit"),
        path("services/bookings/<int:pk>/slots/add/", views.SlotAddView.as_view(),
             name="services_booking_slot_add"),
        path("services/bookings/slots/<int:pk>/", views.SlotBookingsView.as_view(),
             name="services_booking_slot"),
        path("services/bookings/slots/<int:pk>/cancel/", views.SlotCancelView.as_view(),
             name="services_booking_slot_cancel"),
        path("services/bookings/slots/<int:pk>/export/", views.SlotExportView.as_view(),
             name="services_booking_slot_export"),
        path("services/bookings/entries/<int:pk>/result/", views.BookingResultView.as_view(),
             name="services_booking_result"),
        path("services/bookings/entries/<int:pk>/cancel/", views.BookingCancelView.as_view(),
             name="services_booking_cancel"),
    ]


@hooks.register(SERVICES_MENU_HOOK)
def register_bookings_menu_item():
    return PermissionMenuItem(_("预约管理"), reverse("services_bookings"),
                              name="services-bookings", icon_name="date", order=500,
                              shown_to=views.may_use_bookings_admin)


@hooks.register("periodic_tasks")
def booking_periodic_tasks() -> list:
    """预约提醒 every hour (each booking is reminded once, the day before); due back-office
    webhooks every minute."""
    from chuangkou.core.periodic import PeriodicTask

    from ..tasks import deliver_due_webhooks_task, send_booking_reminders_task

    return [PeriodicTask(name="services.booking_reminders", every=timedelta(hours=1),
                         task=send_booking_reminders_task),
            # Webhooks that failed or whose task was lost, with their back-off.
            PeriodicTask(name="services.deliver_due_webhooks", every=timedelta(minutes=1),
                         task=deliver_due_webhooks_task)]
