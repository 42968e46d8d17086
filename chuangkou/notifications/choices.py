from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a notification reaches someone."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    SITE = "site", _("站内消息")


class DeliveryStatus(models.TextChoices):
    """A delivery is claimed (queued/failed → sending) by one worker at a time and is never sent
    again once sent; a send that fails is retried later until the attempts run out."""

    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败，待重试")
    ABANDONED = "abandoned", _("已放弃")
