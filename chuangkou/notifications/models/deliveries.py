from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangkou.core.fields import EncryptedTextField

from ..choices import Channel, DeliveryStatus

__all__ = ["Delivery", "SiteMessage"]


class Delivery(models.Model):
    """发送记录: one notification on one channel to one recipient, rendered when it was queued.
    The address is personal data: encrypted, shown masked. A kind marked sensitive (codes) has its
    body wiped once sent or given up.

    ``queued_at`` is when it was last put on the task queue (a delivery whose task was lost is
    put on it again); ``claimed_at`` is when a worker took it (a send that never finished is
    found by it)."""

    kind = models.CharField(_("通知类型"), max_length=80, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收账号"), null=True,
                             blank=True, on_delete=models.SET_NULL,
                             related_name="notification_deliveries")
    address = EncryptedTextField(_("接收地址"), blank=True)
    masked_address = models.CharField(_("接收地址（脱敏）"), max_length=100, blank=True)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    is_sensitive = models.BooleanField(_("含敏感内容"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    provider_reference = models.CharField(_("服务商回执"), max_length=100, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(_("入队时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]
        permissions = [("retry_delivery", _("可重新发送失败的通知"))]
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="notifications_due_retries"),
                   models.Index(fields=["user", "-created_at"], name="notifications_of_user")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel", "dedupe_key"],
                                    condition=~models.Q(dedupe_key=""),
                                    name="notifications_unique_dedupe_key"),
            models.CheckConstraint(
                condition=~models.Q(status=DeliveryStatus.SENT) | models.Q(sent_at__isnull=False),
                name="notifications_sent_delivery_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.masked_address or self.user_id}"


class SiteMessage(models.Model):
    """站内消息: a message in a citizen's inbox on the portal (我的消息)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收账号"),
                             on_delete=models.CASCADE, related_name="site_messages")
    delivery = models.OneToOneField(Delivery, verbose_name=_("发送记录"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="site_message")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("收到时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notifications_unread"),
                   models.Index(fields=["user", "-created_at"], name="notifications_inbox")]

    def __str__(self) -> str:
        return self.subject
