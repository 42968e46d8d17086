from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import FollowUpStatus, SatisfactionLevel

__all__ = ["FollowUp", "LetterRating"]


class LetterRating(models.Model):
    """满意度评价: the writer's rating of the reply, once per letter."""

    letter = models.OneToOneField("mailbox.Letter", verbose_name=_("来信"),
                                  on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("满意度"), choices=SatisfactionLevel.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5),
                                   name="mailbox_rating_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.get_level_display()}"

    @property
    def is_dissatisfied(self) -> bool:
        return self.level <= SatisfactionLevel.DISSATISFIED


class FollowUp(models.Model):
    """回访跟踪: opened by a dissatisfied rating; the supervisor tracks it to a conclusion."""

    letter = models.OneToOneField("mailbox.Letter", verbose_name=_("来信"),
                                  on_delete=models.CASCADE, related_name="follow_up")
    status = models.CharField(_("状态"), max_length=16, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN, db_index=True)
    opened_at = models.DateTimeField(_("发起时间"))
    conclusion = models.TextField(_("回访结果"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True,
                                  blank=True, on_delete=models.SET_NULL,
                                  related_name="closed_letter_follow_ups")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回访跟踪")
        verbose_name_plural = _("回访跟踪")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.letter} · {self.get_status_display()}"
