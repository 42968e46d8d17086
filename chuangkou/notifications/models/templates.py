from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Channel

__all__ = ["NotificationTemplate"]


class NotificationTemplate(models.Model):
    """通知模板: staff's wording of one kind of notification on one channel, replacing the
    default the sending app declares (``notification_kinds.py``). Django template syntax with the
    kind's documented variables."""

    kind = models.CharField(_("通知类型"), max_length=80)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True,
                                   blank=True, on_delete=models.SET_NULL,
                                   related_name="edited_notification_templates")

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["kind", "channel"]
        permissions = [("manage_notification_templates", _("可管理通知模板"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel"],
                                    name="notifications_one_template_per_kind_and_channel",
                                    violation_error_message=_("该通知类型在此渠道已有模板。")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.get_channel_display()}"
