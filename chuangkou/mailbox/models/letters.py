from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import LetterChannel, LetterEventKind, LetterStatus

__all__ = ["Letter", "LetterAttachment", "LetterEvent", "WriterDetails", "private_storage"]


def private_storage() -> FileSystemStorage:
    """Letter attachments live under the var directory, outside MEDIA_ROOT: only the staff
    view and the writer's own query hand them out."""
    return FileSystemStorage(location=settings.VAR_DIR / "private" / "mailbox", base_url=None)


class Letter(models.Model):
    """来信: one letter to the government mailbox (政民互动), from intake to rating.

    The writer's personal data lives in ``WriterDetails``; what may be published is the masked
    copy in the ``published_*`` fields, never the original text.
    """

    number = models.CharField(_("信件编号"), max_length=24, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("顺序号"), editable=False)
    query_code_digest = models.CharField(_("查询码摘要"), max_length=64, editable=False)
    form_token = models.CharField(_("表单令牌"), max_length=64, unique=True, null=True,
                                  blank=True, editable=False)
    channel = models.CharField(_("来信渠道"), max_length=20, choices=LetterChannel.choices,
                               default=LetterChannel.WEBSITE)
    kind = models.ForeignKey("mailbox.LetterKind", verbose_name=_("信件类型"),
                             on_delete=models.PROTECT, related_name="letters")
    addressed_body = models.ForeignKey(
        "organizations.Body", verbose_name=_("写信对象"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="letters_addressed",
        help_text=_("空表示写信人选择了“不确定”。"),
    )
    assigned_body = models.ForeignKey(
        "organizations.Body", verbose_name=_("承办单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="letters_assigned",
    )
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    may_publish = models.BooleanField(_("同意公开"), default=False,
                                      help_text=_("写信人同意公开信件和答复（个人信息隐去）。"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("写信人账号"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="letters")
    status = models.CharField(_("状态"), max_length=24, choices=LetterStatus.choices,
                              default=LetterStatus.AWAITING_DISPATCH, db_index=True)
    moderation_reason = models.TextField(_("待审核原因"), blank=True)
    submitted_at = models.DateTimeField(_("来信时间"))
    received_on = models.DateField(_("受理日期"), db_index=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True,
                                   help_text=_("答复时限自交办之日起算；转办后自新的交办之日起算。"))
    reply_working_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), null=True,
                                                          blank=True)
    extension_working_days = models.PositiveSmallIntegerField(_("已批准延期（工作日）"),
                                                              default=0)
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_late = models.BooleanField(_("超期答复"), default=False)
    escalated_at = models.DateTimeField(_("超期督办时间"), null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_letters")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True,
                                blank=True, on_delete=models.SET_NULL,
                                related_name="handled_letters")
    # Open311 GeoReport v2 optional location and media (a letter about a place).
    address_text = models.CharField(_("事发地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    # 12345 hotline work orders (工单): idempotent import on (source, external id).
    external_source = models.CharField(_("外部系统"), max_length=40, blank=True)
    external_id = models.CharField(_("外部工单号"), max_length=64, blank=True)
    external_status = models.CharField(_("外部工单状态"), max_length=40, blank=True)
    is_published = models.BooleanField(_("已公开"), default=False, db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("公开人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="published_letters")
    published_title = models.CharField(_("公开标题"), max_length=100, blank=True)
    published_content = models.TextField(_("公开内容"), blank=True)
    published_reply = models.TextField(_("公开答复"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("dispatch_letter", _("分办、转办和合并来信")),
            ("handle_letter", _("办理来信并起草答复")),
            ("review_letter_reply", _("审核答复")),
            ("supervise_letter", _("督办来信并查看统计")),
            ("publish_letter", _("公开来信和答复")),
            ("view_writer_details", _("查看写信人信息")),
            ("manage_mailbox", _("维护信件类型、办理时限、分办规则和接口")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"],
                                    name="mailbox_letter_unique_sequence"),
            models.UniqueConstraint(
                fields=["external_source", "external_id"], name="mailbox_letter_unique_external",
                condition=~models.Q(external_id=""),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=LetterStatus.MERGED)
                | models.Q(merged_into__isnull=False),
                name="mailbox_letter_merged_has_target",
                violation_error_message=_("已合并的来信必须指明合并至哪封信。"),
            ),
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(may_publish=True),
                name="mailbox_letter_published_with_consent",
                violation_error_message=_("写信人未同意公开的来信不能公开。"),
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_body", "status", "due_on"],
                         name="mailbox_letter_body_due"),
            models.Index(fields=["is_published", "-answered_at"],
                         name="mailbox_letter_published"),
        ]

    def __str__(self) -> str:
        return self.number


class WriterDetails(models.Model):
    """写信人信息: the writer's contact details, kept apart from the letter, never published,
    and every staff view of them audited."""

    letter = models.OneToOneField(Letter, verbose_name=_("来信"), on_delete=models.CASCADE,
                                  related_name="writer")
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("写信人信息")
        verbose_name_plural = _("写信人信息")

    def __str__(self) -> str:
        return str(self.letter)


class LetterAttachment(models.Model):
    """附件: a file the writer sent with the letter, checked by content on upload."""

    letter = models.ForeignKey(Letter, verbose_name=_("来信"), on_delete=models.CASCADE,
                               related_name="attachments")
    file = models.FileField(_("文件"), storage=private_storage, upload_to="%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=80)
    size = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        verbose_name = _("来信附件")
        verbose_name_plural = _("来信附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class LetterEvent(models.Model):
    """办理过程: one step of a letter's timeline. Steps marked visible are what the writer
    sees when looking the letter up; internal notes stay with staff."""

    letter = models.ForeignKey(Letter, verbose_name=_("来信"), on_delete=models.CASCADE,
                               related_name="events")
    kind = models.CharField(_("事项"), max_length=32, choices=LetterEventKind.choices)
    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              blank=True, on_delete=models.SET_NULL,
                              related_name="letter_events")
    from_body = models.ForeignKey("organizations.Body", verbose_name=_("原单位"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    to_body = models.ForeignKey("organizations.Body", verbose_name=_("新单位"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    public_note = models.TextField(_("告知写信人的内容"), blank=True)
    internal_note = models.TextField(_("内部说明"), blank=True)
    visible_to_writer = models.BooleanField(_("写信人可见"), default=True)

    class Meta:
        verbose_name = _("办理过程")
        verbose_name_plural = _("办理过程")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.letter} · {self.get_kind_display()}"
