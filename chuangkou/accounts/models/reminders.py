from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ReminderSource, ReminderStatus
from .citizens import CitizenAccount

__all__ = ["Reminder"]


class Reminder(models.Model):
    """个性化提醒: something a citizen wants to be reminded of on a given day — a document that
    expires, a booking (made automatically), anything they note themselves."""

    account = models.ForeignKey(CitizenAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="reminders")
    title = models.CharField(_("提醒事项"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    due_on = models.DateField(_("到期日期"))
    remind_on = models.DateField(_("提醒日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=20, choices=ReminderSource.choices,
                              default=ReminderSource.MANUAL)
    source_reference = models.CharField(_("来源编号"), max_length=64, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ReminderStatus.choices,
                              default=ReminderStatus.SCHEDULED, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["remind_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(remind_on__lte=models.F("due_on")),
                                   name="accounts_reminder_before_due",
                                   violation_error_message=_("提醒日期不能晚于到期日期。")),
            models.UniqueConstraint(fields=["account", "source", "source_reference"],
                                    condition=~models.Q(source_reference=""),
                                    name="accounts_one_reminder_per_source"),
        ]

    def __str__(self) -> str:
        return self.title
