"""The notifications admin (Settings → 通知模板, 发送记录)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import templates as template_views
from ..admin_views.deliveries import DeliveryViewSet, delivery_permission_policy
from ..models import Delivery
from ..queries import may_manage_templates

# Registered before any viewset asks the registry, which would otherwise fix a fallback policy
# that lets anyone with add/change/delete in.
register_permission_policy(Delivery, delivery_permission_policy)


@hooks.register("register_admin_urls")
def register_template_urls():
    return [
        path("notifications/templates/", template_views.TemplateListView.as_view(),
             name="notifications_templates"),
        path("notifications/templates/<str:code>/<slug:channel>/",
             template_views.TemplateEditView.as_view(), name="notifications_template_edit"),
        path("notifications/templates/<str:code>/<slug:channel>/reset/",
             template_views.TemplateResetView.as_view(), name="notifications_template_reset"),
    ]


@hooks.register("register_settings_menu_item")
def register_templates_menu_item():
    return PermissionMenuItem(_("通知模板"), reverse("notifications_templates"),
                              name="notification-templates", icon_name="mail", order=900,
                              shown_to=may_manage_templates)


@hooks.register("register_admin_viewset")
def register_delivery_viewset():
    return DeliveryViewSet("notification_deliveries")
