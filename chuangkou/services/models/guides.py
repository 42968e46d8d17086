from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Audience

__all__ = ["GuideOption", "GuideQuestion", "GuideStep", "LifeEventGuide"]


class LifeEventGuide(models.Model):
    """场景式服务: a life event (结婚登记, 小孩上学, ...) turned into a few questions whose
    answers give the citizen's own list of items, merged materials and order of steps."""

    title = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    summary = models.TextField(_("简介"), blank=True)
    audience = models.CharField(_("服务对象"), max_length=20, choices=Audience.choices,
                                default=Audience.PERSON)
    responsible_body = models.ForeignKey(
        "organizations.Body", verbose_name=_("责任单位"), on_delete=models.PROTECT,
        related_name="life_event_guides")
    is_published = models.BooleanField(_("已公开"), default=False, db_index=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("场景式服务")
        verbose_name_plural = _("场景式服务")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.title


class GuideQuestion(models.Model):
    """One question of a guide (e.g. 是否第一次生育?), answered by choosing one option."""

    guide = models.ForeignKey(LifeEventGuide, verbose_name=_("场景式服务"),
                              on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("问题"), max_length=200)
    help_text = models.CharField(_("说明"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["guide", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text


class GuideOption(models.Model):
    """One answer to a guide question."""

    question = models.ForeignKey(GuideQuestion, verbose_name=_("问题"), on_delete=models.CASCADE,
                                 related_name="options")
    label = models.CharField(_("选项"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["question", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.label


class GuideStep(models.Model):
    """One step of a guide's plan, in order, usually one service item. A step with
    ``required_options`` is in the plan only when every one of them was chosen."""

    guide = models.ForeignKey(LifeEventGuide, verbose_name=_("场景式服务"),
                              on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("步骤名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    item = models.ForeignKey("services.ServiceItem", verbose_name=_("服务事项"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="guide_steps")
    required_options = models.ManyToManyField(
        GuideOption, verbose_name=_("适用条件"), blank=True, related_name="steps",
        help_text=_("全部选中这些回答时才需要这一步；不选表示总是需要。"))
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("办事步骤")
        verbose_name_plural = _("办事步骤")
        ordering = ["guide", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title
