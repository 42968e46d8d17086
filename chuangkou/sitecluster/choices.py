from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnKind(models.TextChoices):
    """栏目类型; the kinds the national inspection indicators judge update frequency by."""

    NEWS = "news", _("动态要闻")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策文件")
    TOPIC = "topic", _("专题")
    CHANNEL = "channel", _("用户频道")
    OTHER = "other", _("其他")


class SubmissionStatus(models.TextChoices):
    """信息报送状态."""

    PENDING = "pending", _("待采用")
    ADOPTED = "adopted", _("已采用")
    DECLINED = "declined", _("未采用")


class ErrorReportStatus(models.TextChoices):
    """“我为政府网站找错” report status."""

    RECEIVED = "received", _("已收到")
    ANSWERED = "answered", _("已答复")
