"""Automatic content checks (保密审查辅助): the managed lexicon, the managed expression rules,
and each check run with its findings.

Sources: 涉密不上网、上网不涉密 (保密法 and the 三审 practice); 个人信息保护法 第二十五条
(personal data never published without separate consent); 国办秘函〔2019〕19号 (严重表述错误 is
a single-veto inspection failure).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    CheckTrigger,
    ExpressionRuleKind,
    FindingKind,
    LexiconCategory,
    Severity,
)

TERM_MAX_LENGTH = 100


class LexiconEntry(models.Model):
    """敏感词/禁用词: one term of the lexicon every article is screened against."""

    term = models.CharField(_("词条"), max_length=TERM_MAX_LENGTH,
                            error_messages={"unique": _("词库中已有该词条。")})
    category = models.CharField(_("分类"), max_length=32, choices=LexiconCategory.choices,
                                default=LexiconCategory.OTHER)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices,
                                default=Severity.WARNING)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True,
                              help_text=_("依据或导入来源，例如“广告法 第九条”或导入文件名。"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词库")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["term"], name="lexicon_entry_unique_term",
                                    violation_error_message=_("词库中已有该词条。")),
            models.CheckConstraint(condition=~models.Q(term=""),
                                   name="lexicon_entry_term_not_blank"),
        ]
        indexes = [models.Index(fields=["is_active", "category"],
                                name="lexicon_entry_active_category")]

    def __str__(self) -> str:
        return self.term


class ExpressionRule(models.Model):
    """严重表述错误 / 常见错别字: a wrong text (literal, or a regular expression when
    ``is_regex``) and its correction."""

    kind = models.CharField(_("类型"), max_length=32, choices=ExpressionRuleKind.choices)
    wrong_text = models.CharField(_("错误表述"), max_length=200)
    is_regex = models.BooleanField(
        _("正则表达式"), default=False,
        help_text=_("勾选后“错误表述”按正则表达式匹配；保存时检查其语法。"))
    correction = models.CharField(_("正确表述"), max_length=200, blank=True)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices,
                                default=Severity.WARNING)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("表述规则")
        verbose_name_plural = _("表述规则")
        ordering = ["kind", "wrong_text"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "wrong_text"],
                                    name="expression_rule_unique_kind_text",
                                    violation_error_message=_("已有相同类型的该错误表述。")),
            models.CheckConstraint(condition=~models.Q(wrong_text=""),
                                   name="expression_rule_text_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.wrong_text} → {self.correction}" if self.correction else self.wrong_text

    def clean(self):
        super().clean()
        if self.is_regex and self.wrong_text:
            try:
                pattern = re.compile(self.wrong_text)
            except re.error as error:
                raise ValidationError(
                    {"wrong_text": _("正则表达式有误：%(error)s") % {"error": error}}) from error
            if pattern.search("") is not None:
                raise ValidationError({"wrong_text": _("正则表达式不能匹配空字符串。")})


class ContentCheckRun(models.Model):
    """一次内容检查: the automatic checks run over one revision of a page."""

    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("页面"),
                             on_delete=models.CASCADE, related_name="content_check_runs")
    revision = models.ForeignKey("wagtailcore.Revision", verbose_name=_("版本"), null=True,
                                 blank=True, on_delete=models.SET_NULL,
                                 related_name="content_check_runs")
    trigger = models.CharField(_("触发方式"), max_length=16, choices=CheckTrigger.choices)
    ran_at = models.DateTimeField(_("检查时间"), auto_now_add=True, db_index=True)
    ran_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True,
                               blank=True, on_delete=models.SET_NULL,
                               related_name="content_check_runs")
    rules_version = models.CharField(_("规则版本"), max_length=64, blank=True)
    finding_count = models.PositiveIntegerField(_("问题数"), default=0)
    blocking_count = models.PositiveIntegerField(_("阻断问题数"), default=0)
    warning_count = models.PositiveIntegerField(_("警告问题数"), default=0)
    notice_count = models.PositiveIntegerField(_("提示问题数"), default=0)

    class Meta:
        verbose_name = _("内容检查")
        verbose_name_plural = _("内容检查")
        ordering = ["-ran_at", "-pk"]
        indexes = [models.Index(fields=["page", "-ran_at"], name="check_run_page_ran_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finding_count__gte=models.F("blocking_count")
                                   + models.F("warning_count") + models.F("notice_count")),
                name="check_run_counts_add_up"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} · {self.get_trigger_display()} · {self.ran_at:%Y-%m-%d %H:%M}"


class ContentFinding(models.Model):
    """检查发现的问题: one finding of a run — its kind, severity, the matched text (masked for
    personal data, which is kept only as a masked form plus a keyed hash) and where it is."""

    run = models.ForeignKey(ContentCheckRun, verbose_name=_("内容检查"),
                            on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("类型"), max_length=32, choices=FindingKind.choices)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices)
    matched_text = models.CharField(_("命中内容"), max_length=255)
    fingerprint = models.CharField(
        _("指纹"), max_length=64,
        help_text=_("命中内容的密钥散列，用于识别同一问题，不可还原原文。"))
    field_label = models.CharField(_("位置"), max_length=120)
    offset = models.IntegerField(_("字符位置"), null=True, blank=True)
    context = models.CharField(_("上下文"), max_length=255, blank=True)
    rule = models.CharField(_("规则"), max_length=200, blank=True)
    suggestion = models.CharField(_("建议"), max_length=255, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("放行人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="overridden_content_findings")
    override_reason = models.TextField(_("放行理由"), blank=True)
    overridden_at = models.DateTimeField(_("放行时间"), null=True, blank=True)
    override_carried_from = models.ForeignKey(
        "self", verbose_name=_("沿用的放行"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carried_overrides",
        help_text=_("同一页面此前检查中已放行的相同问题，放行沿用至本次检查。"))

    class Meta:
        verbose_name = _("检查问题")
        verbose_name_plural = _("检查问题")
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["run", "severity"], name="finding_run_severity")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(overridden_at__isnull=True, overridden_by__isnull=True,
                                    override_reason="")
                           | models.Q(overridden_at__isnull=False, overridden_by__isnull=False)
                           & ~models.Q(override_reason="")),
                name="finding_override_complete"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.matched_text}"

    @property
    def is_overridden(self) -> bool:
        return self.overridden_at is not None
