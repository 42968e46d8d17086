from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "chuangkou.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        # Each app declares the notifications it sends in <app>/notification_kinds.py.
        autodiscover_modules("notification_kinds")
