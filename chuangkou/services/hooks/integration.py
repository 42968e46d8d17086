"""Admin URLs and menu item of 业务系统对接 (system administrators only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import integration as views
from .menu import SERVICES_MENU_HOOK


@hooks.register("register_admin_urls")
def register_integration_urls():
    return [
        path("services/back-office/", views.SystemListView.as_view(),
             name="services_backoffice_systems"),
        path("services/back-office/add/", views.SystemRegisterView.as_view(),
             name="services_backoffice_register"),
        path("services/back-office/<int:pk>/", views.SystemEditView.as_view(),
             name="services_backoffice_edit"),
        path("services/back-office/<int:pk>/rotate-key/", views.RotateKeyView.as_view(),
             name="services_backoffice_rotate_key"),
        path("services/back-office/<int:pk>/rotate-secret/", views.RotateSecretView.as_view(),
             name="services_backoffice_rotate_secret"),
        path("services/back-office/<int:pk>/deliveries/", views.DeliveryListView.as_view(),
             name="services_backoffice_deliveries"),
        path("services/back-office/deliveries/<int:pk>/retry/",
             views.DeliveryRetryView.as_view(), name="services_backoffice_delivery_retry"),
    ]


@hooks.register(SERVICES_MENU_HOOK)
def register_integration_menu_item():
    return PermissionMenuItem(_("业务系统对接"), reverse("services_backoffice_systems"),
                              name="services-back-office", icon_name="link", order=900,
                              shown_to=views.may_manage_back_office_systems)
