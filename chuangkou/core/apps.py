from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chuangkou.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import checks, permission_audit, wagtail_audit  # noqa: F401

        wagtail_audit.connect()
        permission_audit.connect()
