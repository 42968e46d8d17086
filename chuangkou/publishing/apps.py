from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "chuangkou.publishing"
    label = "publishing"
    verbose_name = _("发布审核")

    def ready(self):
        from . import cache_invalidation, receivers, review_hooks  # noqa: F401
