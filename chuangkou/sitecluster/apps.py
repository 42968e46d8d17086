from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteClusterConfig(AppConfig):
    name = "chuangkou.sitecluster"
    label = "sitecluster"
    verbose_name = _("站群")
