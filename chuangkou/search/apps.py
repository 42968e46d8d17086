from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "chuangkou.search"
    label = "search"
    verbose_name = _("搜索")

    def ready(self) -> None:
        # Each domain app declares what it indexes in <app>/search.py (found at start-up).
        autodiscover_modules("search")
        from . import hooks, receivers  # noqa: F401  (hooks registers the periodic tasks)

        receivers.connect_sources()
