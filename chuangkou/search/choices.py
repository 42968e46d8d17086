from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """What a search result is (结果类型); the order is the order of the type facet."""

    SERVICE_ITEM = "service_item", _("办事服务")
    LIFE_EVENT_GUIDE = "life_event_guide", _("场景式服务")
    DISCLOSURE_DOCUMENT = "disclosure_document", _("政府信息公开")
    ARTICLE = "article", _("文章")
    LETTER = "letter", _("政民互动")
    DATASET = "dataset", _("开放数据")
    CONSULTATION = "consultation", _("意见征集")
    INTERVIEW = "interview", _("在线访谈")
