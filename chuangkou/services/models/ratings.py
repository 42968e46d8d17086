from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AppealStatus, RatingLevel, RectificationEntryKind, RectificationStatus

__all__ = ["RatingAppeal", "RectificationCase", "RectificationEntry", "ServiceRating"]

SUB_INDICATOR_FIELDS = ("efficiency", "guide_accuracy", "convenience", "usability")


class ServiceRating(models.Model):
    """好差评: the applicant's rating of one decided application ("一事一评"), on five levels
    with the online sub-indicators (GB/T 39734-2020). ``level`` is 整体满意度. A rating an
    appeal found mistaken or malicious is kept but excluded from every figure."""

    application = models.OneToOneField("services.ServiceApplication", verbose_name=_("办件"),
                                       on_delete=models.CASCADE, related_name="rating")
    item = models.ForeignKey("services.ServiceItem", verbose_name=_("服务事项"),
                             on_delete=models.PROTECT, related_name="ratings")
    body = models.ForeignKey("organizations.Body", verbose_name=_("被评价单位"),
                             on_delete=models.PROTECT, related_name="service_ratings")
    level = models.PositiveSmallIntegerField(_("整体满意度"), choices=RatingLevel.choices)
    efficiency = models.PositiveSmallIntegerField(_("办事效率"), choices=RatingLevel.choices)
    guide_accuracy = models.PositiveSmallIntegerField(_("办事指南精确度"),
                                                      choices=RatingLevel.choices)
    convenience = models.PositiveSmallIntegerField(_("办事便捷度"), choices=RatingLevel.choices)
    usability = models.PositiveSmallIntegerField(_("平台操作性"), choices=RatingLevel.choices)
    comment = models.TextField(_("评价内容"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"))
    is_excluded = models.BooleanField(_("已撤除"), default=False, db_index=True)
    excluded_at = models.DateTimeField(_("撤除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5, efficiency__gte=1,
                                   efficiency__lte=5, guide_accuracy__gte=1,
                                   guide_accuracy__lte=5, convenience__gte=1, convenience__lte=5,
                                   usability__gte=1, usability__lte=5),
                name="services_rating_levels_in_range",
                violation_error_message=_("评价等级只能是1至5。"),
            ),
        ]
        indexes = [models.Index(fields=["body", "is_excluded"], name="services_rating_body")]

    def __str__(self) -> str:
        return f"{self.application} {self.get_level_display()}"


class RectificationCase(models.Model):
    """整改: the follow-up (回访) and rectification of a 不满意 or 非常不满意 rating, with a
    named handler and a deadline of 15 working days by default (SERVICES_RECTIFICATION_DAYS)."""

    rating = models.OneToOneField(ServiceRating, verbose_name=_("好差评"),
                                  on_delete=models.CASCADE, related_name="rectification")
    body = models.ForeignKey("organizations.Body", verbose_name=_("整改单位"),
                             on_delete=models.PROTECT, related_name="rectification_cases")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("整改责任人"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="rectification_cases")
    status = models.CharField(_("状态"), max_length=20, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN, db_index=True)
    opened_on = models.DateField(_("立案日期"))
    due_on = models.DateField(_("整改期限"))
    conclusion = models.TextField(_("整改结果"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_late = models.BooleanField(_("超期整改"), default=False)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return str(self.rating)


class RectificationEntry(models.Model):
    """整改记录: one entry of a case's record — the handler named, a follow-up call, what was
    rectified, the closing."""

    case = models.ForeignKey(RectificationCase, verbose_name=_("差评整改"),
                             on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类型"), max_length=20, choices=RectificationEntryKind.choices)
    note = models.TextField(_("内容"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["case", "occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class RatingAppeal(models.Model):
    """申诉复核: the rated body asks to remove a mistaken or malicious rating; a supervisor
    above it decides. Upheld, the rating is excluded from every figure."""

    rating = models.ForeignKey(ServiceRating, verbose_name=_("好差评"), on_delete=models.CASCADE,
                               related_name="appeals")
    reason = models.TextField(_("申诉理由"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申诉人"),
                                     null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("申诉时间"))
    status = models.CharField(_("状态"), max_length=20, choices=AppealStatus.choices,
                              default=AppealStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)

    class Meta:
        verbose_name = _("评价申诉")
        verbose_name_plural = _("评价申诉")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rating"], condition=models.Q(status="pending"),
                                    name="services_appeal_one_pending",
                                    violation_error_message=_("该评价已有一项申诉待复核。")),
        ]

    def __str__(self) -> str:
        return f"{self.rating} {self.get_status_display()}"
