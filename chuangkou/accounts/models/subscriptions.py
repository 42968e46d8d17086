from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import SubscriptionDelivery, SubscriptionTarget
from .citizens import CitizenAccount

__all__ = ["Subscription"]


class Subscription(models.Model):
    """订阅: a citizen follows a column, a body's publications or a topic (主题分类), by an
    e-mail digest (daily or weekly) or a private RSS feed."""

    account = models.ForeignKey(CitizenAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="subscriptions")
    target = models.CharField(_("订阅对象"), max_length=10, choices=SubscriptionTarget.choices)
    column = models.ForeignKey("wagtailcore.Page", verbose_name=_("栏目"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="citizen_subscriptions")
    body = models.ForeignKey("organizations.Body", verbose_name=_("机构"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="citizen_subscriptions")
    topic = models.CharField(_("主题"), max_length=40, blank=True)
    delivery = models.CharField(_("接收方式"), max_length=20,
                                choices=SubscriptionDelivery.choices,
                                default=SubscriptionDelivery.WEEKLY_EMAIL)
    feed_token = models.CharField(_("订阅源令牌"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("上次发送"), null=True, blank=True)

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target=SubscriptionTarget.COLUMN, column__isnull=False,
                                   body__isnull=True, topic="")
                | models.Q(target=SubscriptionTarget.BODY, body__isnull=False,
                           column__isnull=True, topic="")
                | (models.Q(target=SubscriptionTarget.TOPIC, column__isnull=True,
                            body__isnull=True) & ~models.Q(topic="")),
                name="accounts_subscription_names_its_target",
                violation_error_message=_("订阅对象与所选栏目、机构或主题不一致。"),
            ),
            models.UniqueConstraint(fields=["account", "column"],
                                    condition=models.Q(target=SubscriptionTarget.COLUMN),
                                    name="accounts_unique_column_subscription",
                                    violation_error_message=_("您已订阅过该栏目。")),
            models.UniqueConstraint(fields=["account", "body"],
                                    condition=models.Q(target=SubscriptionTarget.BODY),
                                    name="accounts_unique_body_subscription",
                                    violation_error_message=_("您已订阅过该机构。")),
            models.UniqueConstraint(fields=["account", "topic"],
                                    condition=models.Q(target=SubscriptionTarget.TOPIC),
                                    name="accounts_unique_topic_subscription",
                                    violation_error_message=_("您已订阅过该主题。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.column or self.body or self.topic}"
