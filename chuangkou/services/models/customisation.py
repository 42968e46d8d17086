from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["GuideProgress", "ServiceInterest", "ServicePin"]


class ServicePin(models.Model):
    """服务定制 · 我的收藏: a service item a citizen pinned to their homepage, in the order they
    chose (``position``, smallest first)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"),
                             on_delete=models.CASCADE, related_name="service_pins")
    item = models.ForeignKey("services.ServiceItem", verbose_name=_("服务事项"),
                             on_delete=models.CASCADE, related_name="pins")
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    pinned_at = models.DateTimeField(_("收藏时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收藏的服务")
        verbose_name_plural = _("收藏的服务")
        ordering = ["user", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="services_pin_unique_item",
                                    violation_error_message=_("您已收藏该事项。")),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.item_id}"


class ServiceInterest(models.Model):
    """服务定制 · 关注的主题: a theme (个人办事 or 法人办事) a citizen cares about; the homepage
    suggests its items."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"),
                             on_delete=models.CASCADE, related_name="service_interests")
    theme = models.ForeignKey("services.ServiceTheme", verbose_name=_("办事主题"),
                              on_delete=models.CASCADE, related_name="interests")
    chosen_at = models.DateTimeField(_("关注时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关注的主题")
        verbose_name_plural = _("关注的主题")
        ordering = ["user", "theme__audience", "theme__sort_order", "theme_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "theme"],
                                    name="services_interest_unique_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.theme_id}"


class GuideProgress(models.Model):
    """A life-event guide (场景式服务) a signed-in citizen started: their answers (question pk →
    option pk, as strings in JSON), so the homepage offers "继续" and suggests the steps they
    have not applied for yet."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"),
                             on_delete=models.CASCADE, related_name="guide_progress")
    guide = models.ForeignKey("services.LifeEventGuide", verbose_name=_("场景式服务"),
                              on_delete=models.CASCADE, related_name="progress")
    answers = models.JSONField(_("回答"), default=dict, blank=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("场景式服务进度")
        verbose_name_plural = _("场景式服务进度")
        ordering = ["user", "-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "guide"],
                                    name="services_guide_progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.guide_id}"

    def chosen(self) -> dict[int, int]:
        """The answers as ``{question pk: option pk}`` (anything malformed left out)."""
        chosen = {}
        for question, option in (self.answers or {}).items():
            try:
                chosen[int(question)] = int(option)
            except (TypeError, ValueError):
                continue
        return chosen
