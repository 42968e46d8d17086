"""Search: the change log that keeps every index replica current, what administrators tune
(synonyms, government terms, best bets) and the analytics of what citizens search for."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

__all__ = [
    "BestBet",
    "GovernmentTerm",
    "IndexChange",
    "QueryStatistic",
    "Synonym",
]


class IndexChange(models.Model):
    """索引变更记录: one document whose content changed (saved, published, unpublished,
    deleted), written in the same transaction as the change. The index is derived data: each
    application server's replica applies these in order from its own cursor, rebuilding each
    document from the database, so the log holds keys only."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(_("文档"), max_length=200)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("索引变更")
        verbose_name_plural = _("索引变更")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.id} {self.key}"


class Synonym(models.Model):
    """同义词: terms that stand for each other in a query (医保 = 医疗保险). A query for any of
    them finds documents holding any other."""

    terms = models.CharField(
        _("同义词组"), max_length=500,
        help_text=_("两个或更多词，用逗号、顿号或空格分隔，例如：医保，医疗保险。"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms


class GovernmentTerm(models.Model):
    """政务词库: a word jieba should keep whole (一网通办, 好差评). Adds to the terms shipped in
    ``search/data/government_terms.txt``. Documents indexed before the term was added are
    segmented the old way until the index is rebuilt."""

    term = models.CharField(_("词语"), max_length=40, unique=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政务词语")
        verbose_name_plural = _("政务词库")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class BestBet(models.Model):
    """推荐结果 (best bet): a result administrators pin at the top for given queries, such as the
    service item 城乡居民养老保险参保登记 for 养老保险. Either a page of the cluster or any
    public address with its own title."""

    queries = models.TextField(
        _("触发词"), help_text=_("每行一个检索词；检索词与其中之一相同时显示（不区分繁简、全半角）。"))
    page = models.ForeignKey(Page, verbose_name=_("页面"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="search_best_bets")
    url = models.CharField(_("链接地址"), max_length=500, blank=True,
                           help_text=_("不选页面时填写，例如 /banshi/items/编码/。"))
    title = models.CharField(_("标题"), max_length=200, blank=True,
                             help_text=_("不填时使用页面标题。"))
    description = models.CharField(_("说明"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("推荐结果")
        verbose_name_plural = _("推荐结果")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(page__isnull=False) | ~models.Q(url=""),
                name="search_bestbet_has_target"),
        ]

    def __str__(self) -> str:
        return self.title or (self.page.title if self.page_id else self.url)


class QueryStatistic(models.Model):
    """检索统计: how often a (normalised) query was searched on a day, how often it found
    nothing and how often a result was followed. Counts only: no address, no account, no
    session, so the statistics hold no personal data."""

    day = models.DateField(_("日期"), db_index=True)
    query = models.CharField(_("检索词"), max_length=100)
    searches = models.PositiveIntegerField(_("检索次数"), default=0)
    zero_result_searches = models.PositiveIntegerField(_("无结果次数"), default=0)
    clicks = models.PositiveIntegerField(_("点击次数"), default=0)

    class Meta:
        verbose_name = _("检索统计")
        verbose_name_plural = _("检索统计")
        ordering = ["-day", "-searches"]
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="search_querystatistic_day_query"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"

