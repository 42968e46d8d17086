"""Admin URLs and menu item of the catalogue import and export (事项导入导出)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import catalogue_io as views
from .menu import SERVICES_MENU_HOOK


@hooks.register("register_admin_urls")
def register_catalogue_io_urls():
    return [
        path("services/catalogue-io/", views.CatalogueIOView.as_view(),
             name="services_catalogue_io"),
        path("services/catalogue-io/export/", views.CatalogueExportView.as_view(),
             name="services_catalogue_io_export"),
    ]


@hooks.register(SERVICES_MENU_HOOK)
def register_catalogue_io_menu_item():
    return PermissionMenuItem(_("事项导入导出"), reverse("services_catalogue_io"),
                              name="services-catalogue-io", icon_name="download", order=150,
                              shown_to=views.may_exchange)
