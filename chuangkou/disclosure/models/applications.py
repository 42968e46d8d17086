from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    AppealKind,
    AppealOutcome,
    ApplicantKind,
    ApplicationChannel,
    ApplicationEventKind,
    ApplicationStatus,
    DeliveryMethod,
    IdentityDocumentKind,
    OrganisationKind,
    ReminderKind,
    ResponseKind,
    WantedForm,
)


def private_storage() -> FileSystemStorage:
    """Where response attachments live: under the var directory, outside MEDIA_ROOT, so nginx
    never serves them; only ``views.applications.attachment`` hands them out."""
    return FileSystemStorage(location=settings.VAR_DIR / "private", base_url=None)


class DisclosureApplication(models.Model):
    """依申请公开申请: an application for government information (条例 第二十七条至第三十三条).

    Who the applicant is lives in ``ApplicantDetails`` (personal data, stored apart). The
    deadline fields are recomputed by ``deadlines.reply_due`` on every event, never typed in.
    """

    number = models.CharField(_("申请编号"), max_length=40, unique=True, editable=False)
    body = models.ForeignKey(
        "organizations.Body", verbose_name=_("受理机关"), on_delete=models.PROTECT,
        related_name="disclosure_applications",
    )
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("顺序号"), editable=False)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=64, editable=False)
    form_token = models.CharField(_("表单令牌"), max_length=64, unique=True, null=True,
                                  blank=True, editable=False)
    channel = models.CharField(_("申请方式"), max_length=32, choices=ApplicationChannel.choices)
    applicant_kind = models.CharField(_("申请人类型"), max_length=32,
                                      choices=ApplicantKind.choices)
    organisation_kind = models.CharField(_("法人或其他组织类型"), max_length=40, blank=True,
                                         choices=OrganisationKind.choices)
    applicant_key = models.CharField(
        _("申请人标识"), max_length=64, db_index=True, editable=False,
        help_text=_("证件号码的摘要，用于按申请人按月计算信息处理费，不保存明文。"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="disclosure_applications",
    )
    information_title = models.CharField(_("所需信息名称"), max_length=255, blank=True)
    information_document_number = models.CharField(_("所需信息文号"), max_length=80, blank=True)
    information_description = models.TextField(_("所需信息的内容描述"))
    wanted_form = models.CharField(_("信息的提供形式"), max_length=20,
                                   choices=WantedForm.choices)
    delivery_method = models.CharField(_("获取信息的方式"), max_length=20,
                                       choices=DeliveryMethod.choices)
    submitted_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(
        _("收到申请日期"), null=True, blank=True,
        help_text=_("条例第三十一条：当面提交为提交之日；邮寄为签收或确认之日；网上和传真为双方确认之日。"),
    )
    clock_started_on = models.DateField(_("答复期限起算日"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(
        _("不计入答复期限的工作日"), default=0,
        help_text=_("征求第三方意见（条例第三十二条）和等待缴费（国办函〔2020〕109号）所用时间。"),
    )
    paused_since = models.DateField(_("暂停计时开始日期"), null=True, blank=True)
    extension_working_days = models.PositiveSmallIntegerField(_("延长答复期限（工作日）"),
                                                              default=0)
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    correction_requested_on = models.DateField(_("告知补正日期"), null=True, blank=True)
    correction_due_on = models.DateField(_("补正期限"), null=True, blank=True)
    correction_received_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    fee_amount = models.DecimalField(_("信息处理费（元）"), max_digits=10, decimal_places=2,
                                     null=True, blank=True)
    fee_due_on = models.DateField(_("缴费期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=32, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PROCESSING, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="handled_disclosure_applications",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="entered_disclosure_applications",
    )
    transferred_from = models.OneToOneField(
        "self", verbose_name=_("转自申请"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="transferred_to",
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("依申请公开申请")
        verbose_name_plural = _("依申请公开申请")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "sequence"],
                                    name="disclosure_application_unique_sequence"),
            models.CheckConstraint(
                condition=models.Q(applicant_kind=ApplicantKind.NATURAL_PERSON,
                                   organisation_kind="")
                | models.Q(applicant_kind=ApplicantKind.LEGAL_PERSON)
                & ~models.Q(organisation_kind=""),
                name="disclosure_application_organisation_kind_matches",
                violation_error_message=_("法人或其他组织必须选择组织类型，自然人不选。"),
            ),
        ]
        indexes = [
            models.Index(fields=["body", "status", "due_on"], name="disclosure_app_body_due"),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicantDetails(models.Model):
    """申请人信息: the applicant's personal data, kept apart from everything that is shown,
    masked wherever it appears, and every staff view of it audited."""

    application = models.OneToOneField(
        DisclosureApplication, verbose_name=_("申请"), on_delete=models.CASCADE,
        related_name="applicant",
    )
    name = models.CharField(_("姓名或名称"), max_length=120)
    identity_document_kind = models.CharField(_("证件类型"), max_length=40,
                                              choices=IdentityDocumentKind.choices)
    identity_document_number = models.CharField(_("证件号码"), max_length=40)
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=60, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("申请人信息")
        verbose_name_plural = _("申请人信息")

    def __str__(self) -> str:
        return str(self.application)


class ApplicationEvent(models.Model):
    """办理过程: one entry of an application's timeline. Entries marked visible are what the
    applicant sees (外网反馈); the rest stays on the staff side (专网办理)."""

    application = models.ForeignKey(
        DisclosureApplication, verbose_name=_("申请"), on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("事项"), max_length=40, choices=ApplicationEventKind.choices)
    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="disclosure_application_events",
    )
    public_note = models.TextField(_("告知申请人的内容"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)
    visible_to_applicant = models.BooleanField(_("申请人可见"), default=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理过程")
        verbose_name_plural = _("办理过程")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class ApplicationResponse(models.Model):
    """答复: the final response, of one of the kinds that map onto annual report rows."""

    application = models.OneToOneField(
        DisclosureApplication, verbose_name=_("申请"), on_delete=models.CASCADE,
        related_name="response",
    )
    kind = models.CharField(_("答复类型"), max_length=40, choices=ResponseKind.choices)
    letter_text = models.TextField(_("答复书正文"))
    responded_on = models.DateField(_("答复日期"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="disclosure_responses",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class ResponseAttachment(models.Model):
    """答复附件: a file given to the applicant with the response; never public, served only
    to whoever holds the application number and query code (or the signed-in applicant)."""

    response = models.ForeignKey(
        ApplicationResponse, verbose_name=_("答复"), on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="disclosure/responses/%Y/%m/",
                            storage=private_storage)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复附件")
        verbose_name_plural = _("答复附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class DeadlineReminder(models.Model):
    """到期提醒: one reminder sent, so each is sent once per deadline."""

    application = models.ForeignKey(
        DisclosureApplication, verbose_name=_("申请"), on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("提醒类型"), max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField(_("对应的期限"))
    recipients = models.TextField(_("接收人"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "due_on"],
                                    name="deadline_reminder_once_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class ApplicationAppeal(models.Model):
    """行政复议、行政诉讼 about disclosure: the cases annual report table 四 counts."""

    body = models.ForeignKey(
        "organizations.Body", verbose_name=_("被申请机关"), on_delete=models.PROTECT,
        related_name="disclosure_appeals",
    )
    application = models.ForeignKey(
        DisclosureApplication, verbose_name=_("相关申请"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="appeals",
    )
    kind = models.CharField(_("类型"), max_length=32, choices=AppealKind.choices)
    case_number = models.CharField(_("案号"), max_length=80, blank=True)
    filed_on = models.DateField(_("立案日期"))
    outcome = models.CharField(_("结果"), max_length=20, choices=AppealOutcome.choices,
                               default=AppealOutcome.PENDING)
    concluded_on = models.DateField(_("审结日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("行政复议和行政诉讼")
        verbose_name_plural = _("行政复议和行政诉讼")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome=AppealOutcome.PENDING, concluded_on__isnull=True)
                | ~models.Q(outcome=AppealOutcome.PENDING) & models.Q(concluded_on__isnull=False),
                name="disclosure_appeal_concluded_has_date",
                violation_error_message=_("已审结的案件必须填写审结日期，未审结的不填。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number}"
