from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ExtensionStatus, ReminderKind, ReplyStatus

__all__ = ["DeadlineReminder", "ExtensionRequest", "LetterReply", "UrgeNote"]


class LetterReply(models.Model):
    """答复: a reply drafted by the assigned body and reviewed before it is sent. A reply sent
    back (不合格重新办理) keeps its reasons; the handler then writes a new draft."""

    letter = models.ForeignKey("mailbox.Letter", verbose_name=_("来信"), on_delete=models.CASCADE,
                               related_name="replies")
    body = models.ForeignKey("organizations.Body", verbose_name=_("答复单位"),
                             on_delete=models.PROTECT, related_name="letter_replies")
    text = models.TextField(_("答复内容"))
    status = models.CharField(_("状态"), max_length=16, choices=ReplyStatus.choices,
                              default=ReplyStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="drafted_letter_replies")
    drafted_at = models.DateTimeField(_("起草时间"))
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="reviewed_letter_replies")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["drafted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["letter"], condition=models.Q(status="approved"),
                                    name="mailbox_one_approved_reply"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.get_status_display()}"


class ExtensionRequest(models.Model):
    """延期申请: more working days for a letter, granted or refused by the body's reviewer
    (or a supervisor)."""

    letter = models.ForeignKey("mailbox.Letter", verbose_name=_("来信"), on_delete=models.CASCADE,
                               related_name="extension_requests")
    working_days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"),
                                     null=True, on_delete=models.SET_NULL,
                                     related_name="letter_extension_requests")
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(_("状态"), max_length=16, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="letter_extension_decisions")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["letter"], condition=models.Q(status="pending"),
                                    name="mailbox_one_pending_extension"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} +{self.working_days}"


class UrgeNote(models.Model):
    """督办: a supervisor's note urging the assigned body; the handler must answer it."""

    letter = models.ForeignKey("mailbox.Letter", verbose_name=_("来信"), on_delete=models.CASCADE,
                               related_name="urge_notes")
    body = models.ForeignKey("organizations.Body", verbose_name=_("被督办单位"),
                             on_delete=models.PROTECT, related_name="letter_urge_notes")
    note = models.TextField(_("督办意见"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督办人"), null=True,
                                  on_delete=models.SET_NULL, related_name="issued_urge_notes")
    issued_at = models.DateTimeField(_("督办时间"))
    response = models.TextField(_("办理情况说明"), blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回复人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="answered_urge_notes")
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.letter} · {self.issued_at:%Y-%m-%d}"


class DeadlineReminder(models.Model):
    """A reminder or escalation already sent for a letter's due date, so the daily run sends
    each one once even when it runs twice."""

    letter = models.ForeignKey("mailbox.Letter", verbose_name=_("来信"), on_delete=models.CASCADE,
                               related_name="reminders")
    kind = models.CharField(_("类型"), max_length=16, choices=ReminderKind.choices)
    due_on = models.DateField(_("针对的答复期限"))
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(fields=["letter", "kind", "due_on"],
                                    name="mailbox_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.get_kind_display()}"
