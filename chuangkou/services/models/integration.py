import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import WebhookDeliveryStatus

__all__ = ["BackOfficeSystem", "WebhookDelivery"]


class BackOfficeSystem(models.Model):
    """业务系统对接: a department's approval system that takes the body's applications over
    the JSON API and is told of changes by signed webhooks ("网站受理—后台办理—网站反馈").

    Only a digest of the API key is kept; the key is shown once when issued. The webhook
    secret signs each delivery (HMAC-SHA256) so the receiver can check where it came from.
    """

    name = models.CharField(_("系统名称"), max_length=100)
    body = models.ForeignKey("organizations.Body", verbose_name=_("所属单位"),
                             on_delete=models.PROTECT, related_name="back_office_systems")
    key_prefix = models.CharField(_("密钥前缀"), max_length=12, editable=False)
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    webhook_url = models.URLField(_("回调地址"), blank=True)
    webhook_secret = models.CharField(_("回调签名密钥"), max_length=64, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近调用"), null=True, blank=True)

    class Meta:
        verbose_name = _("业务系统")
        verbose_name_plural = _("业务系统")
        ordering = ["body", "name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One webhook to one system about one application event, sent after commit and retried
    with backoff until delivered or given up. ``event_id`` lets the receiver ignore a repeat."""

    event_id = models.UUIDField(_("事件编号"), default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(BackOfficeSystem, verbose_name=_("业务系统"),
                               on_delete=models.CASCADE, related_name="deliveries")
    application = models.ForeignKey("services.ServiceApplication", verbose_name=_("办件"),
                                     on_delete=models.CASCADE, related_name="webhook_deliveries")
    event_kind = models.CharField(_("事件"), max_length=40)
    payload = models.JSONField(_("内容"))
    status = models.CharField(_("状态"), max_length=20, choices=WebhookDeliveryStatus.choices,
                              default=WebhookDeliveryStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回调记录")
        verbose_name_plural = _("回调记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="services_webhook_due")]

    def __str__(self) -> str:
        return f"{self.system} {self.event_kind} {self.event_id}"
