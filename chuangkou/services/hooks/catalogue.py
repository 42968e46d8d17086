"""Admin URLs and the 事项管理 menu item of the service catalogue."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import catalogue as views
from .menu import SERVICES_MENU_HOOK


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return [
        path("services/items/", views.ItemListView.as_view(), name="services_items"),
        path("services/items/add/", views.ItemCreateView.as_view(), name="services_item_add"),
        path("services/items/<int:pk>/", views.ItemEditView.as_view(),
             name="services_item_edit"),
        path("services/items/<int:pk>/publish/", views.ItemPublishView.as_view(publish=True),
             name="services_item_publish"),
        path("services/items/<int:pk>/unpublish/",
             views.ItemPublishView.as_view(publish=False), name="services_item_unpublish"),
    ]


@hooks.register(SERVICES_MENU_HOOK)
def register_catalogue_menu_item():
    return PermissionMenuItem(_("事项管理"), reverse("services_items"), name="services-items",
                              icon_name="list-ul", order=100,
                              shown_to=lambda user: user.has_perm("services.manage_service_items")
                              and views.may_manage_items(user))


@hooks.register("public_entries")
def services_entry():
    return (10, _("网上办事"), reverse("services:landing"),
            _("办事指南、在线申请、办件查询、预约服务和好差评"))


@hooks.register("public_entries")
def life_event_guides_entry():
    return (15, _("场景式服务"), reverse("services:guides"),
            _("结婚、生育、上学、户籍、养老……一件事怎么办"))
