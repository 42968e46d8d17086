from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditOutcome
from .exceptions import AuditRecordImmutable


class AuditEvent(models.Model):
    """审计记录: who did what to which object, when, from where, with what outcome.

    Append-only: kept at least six months (网络安全法 第二十一条), never edited or deleted
    through the application.
    """

    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_label = models.CharField(_("对象"), max_length=255, blank=True)
    client_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditRecordImmutable("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordImmutable("audit records cannot be deleted")


class WorkingDayOverride(models.Model):
    """工作日调整: one day whose working status the State Council's yearly holiday notice sets.

    Overrides win over the bundled calendar (``core.calendar``), so staff can enter next year's
    arrangement (放假 and 调休上班) as soon as 国务院办公厅 publishes it, before any library
    release ships it, and correct a day the library got wrong.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("是否工作日"), help_text=_("勾选表示当天上班（如调休上班），不勾选表示当天放假。")
    )
    name = models.CharField(
        _("名称"), max_length=100, help_text=_("例如：春节、国庆节、春节调休上班。")
    )
    source = models.CharField(
        _("依据"),
        max_length=255,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        status = _("上班") if self.is_working_day else _("放假")
        return f"{self.date:%Y-%m-%d} {self.name}（{status}）"


class SerialCounter(models.Model):
    """流水号计数器: the last number handed out in one scope (e.g. letters) and year.

    Only ``core.serials.next_serial`` changes it, inside the caller's transaction.
    """

    scope = models.CharField(_("范围"), max_length=100)
    year = models.PositiveIntegerField(_("年度"))
    last_value = models.PositiveIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("流水号计数器")
        verbose_name_plural = _("流水号计数器")
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="serial_counter_scope_year"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.year}: {self.last_value}"


class PeriodicTaskRun(models.Model):
    """定时任务记录: when a periodic task (``core.periodic``) was last put on the queue.

    Schedulers claim a due task by moving ``last_enqueued_at`` forward with a conditional
    update, so two schedulers running at once enqueue it once.
    """

    name = models.CharField(_("任务名称"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("最近入队时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
