"""Admin URLs and menu item of life-event guides (场景式服务)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import guides as views
from .menu import SERVICES_MENU_HOOK


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [
        path("services/guides/", views.GuideListView.as_view(), name="services_guides"),
        path("services/guides/add/", views.GuideCreateView.as_view(), name="services_guide_add"),
        path("services/guides/<int:pk>/", views.GuideEditView.as_view(),
             name="services_guide_edit"),
        path("services/guides/<int:pk>/publish/",
             views.GuidePublicationView.as_view(publish=True), name="services_guide_publish"),
        path("services/guides/<int:pk>/unpublish/",
             views.GuidePublicationView.as_view(publish=False), name="services_guide_unpublish"),
    ]


@hooks.register(SERVICES_MENU_HOOK)
def register_guide_menu_item():
    return PermissionMenuItem(_("场景式服务"), reverse("services_guides"),
                              name="services-guides", icon_name="list-ol", order=200,
                              shown_to=views.may_manage_guides)
