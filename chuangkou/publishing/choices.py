"""Choices of the publishing domain (发布审核): content-check kinds, severities, lexicon
categories and what started a check run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    """Kinds of automatic content-check finding (保密审查辅助检查项)."""

    CLASSIFICATION_MARKING = "classification_marking", _("密级标志")
    LEXICON_TERM = "lexicon_term", _("敏感词/禁用词")
    WRONG_EXPRESSION = "wrong_expression", _("严重表述错误")
    TYPO = "typo", _("常见错别字")
    ID_NUMBER = "id_number", _("身份证号码")
    MOBILE_NUMBER = "mobile_number", _("手机号码")
    BANK_CARD = "bank_card", _("银行卡号")
    EMAIL_ADDRESS = "email_address", _("电子邮箱")
    BROKEN_LINK = "broken_link", _("失效的站内链接")
    MISSING_DOCUMENT = "missing_document", _("链接的文档不存在")
    MISSING_IMAGE = "missing_image", _("引用的图片不存在")
    IMAGE_WITHOUT_ALT = "image_without_alt", _("图片缺少替代文本")


PERSONAL_DATA_KINDS = frozenset({
    FindingKind.ID_NUMBER, FindingKind.MOBILE_NUMBER, FindingKind.BANK_CARD,
    FindingKind.EMAIL_ADDRESS,
})


class Severity(models.TextChoices):
    """How serious a finding is. Only blocking findings stop publication (涉密不上网)."""

    BLOCKING = "blocking", _("阻断")
    WARNING = "warning", _("警告")
    NOTICE = "notice", _("提示")


# Higher is more serious; used to keep the most serious of overlapping matches.
SEVERITY_RANK = {Severity.NOTICE: 0, Severity.WARNING: 1, Severity.BLOCKING: 2}


class LexiconCategory(models.TextChoices):
    """Categories of the sensitive and forbidden words lexicon (敏感词库分类)."""

    ILLEGAL = "illegal", _("违法违规")
    GAMBLING = "gambling", _("赌博")
    FRAUD = "fraud", _("诈骗")
    ILLEGAL_FUNDRAISING = "illegal_fundraising", _("非法集资")
    DRUGS = "drugs", _("毒品")
    VULGAR = "vulgar", _("色情低俗")
    SUPERSTITION = "superstition", _("封建迷信")
    ADVERTISING = "advertising", _("广告极限用语")
    DISCRIMINATION = "discrimination", _("歧视性用语")
    OTHER = "other", _("其他")


class ExpressionRuleKind(models.TextChoices):
    """Managed expression patterns: serious wrong expressions and common typos."""

    WRONG_EXPRESSION = "wrong_expression", _("严重表述错误")
    TYPO = "typo", _("常见错别字")


class CheckTrigger(models.TextChoices):
    """What started a content-check run."""

    SUBMISSION = "submission", _("提交审核")
    PUBLICATION = "publication", _("发布")
    MANUAL = "manual", _("手动检查")
