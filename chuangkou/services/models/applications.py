from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    ApplicationChannel,
    ApplicationEventKind,
    ApplicationStatus,
    Audience,
    DeliveryMethod,
    PaymentStatus,
)

__all__ = ["ApplicantDetails", "ApplicationEvent", "ApplicationUpload", "Payment", "ProxyHop",
           "ServiceApplication", "private_storage"]


def private_storage() -> FileSystemStorage:
    """Application uploads live under the var directory, outside MEDIA_ROOT: only the
    applicant's own page and the handling staff hand them out."""
    return FileSystemStorage(location=settings.VAR_DIR / "private" / "services", base_url=None)


class ServiceApplication(models.Model):
    """办件: one application for a service item, from submission to the delivered result.

    The applicant's personal data lives in ``ApplicantDetails``; the form's answers in
    ``answers`` (field name → value). An application made on someone's behalf (代办) passes
    through each level of ``hops`` before the implementing body accepts it.
    """

    number = models.CharField(_("办件编号"), max_length=24, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("顺序号"), editable=False)
    query_code_digest = models.CharField(_("查询码摘要"), max_length=64, editable=False)
    form_token = models.CharField(_("表单令牌"), max_length=64, unique=True, null=True,
                                  blank=True, editable=False)
    item = models.ForeignKey("services.ServiceItem", verbose_name=_("服务事项"),
                             on_delete=models.PROTECT, related_name="applications")
    channel = models.CharField(_("申请渠道"), max_length=20, choices=ApplicationChannel.choices,
                               default=ApplicationChannel.WEBSITE)
    applicant_kind = models.CharField(_("申请人类型"), max_length=20, choices=Audience.choices,
                                      default=Audience.PERSON)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人账号"), null=True,
                             blank=True, on_delete=models.SET_NULL,
                             related_name="service_applications")
    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name=_("法人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="service_applications",
        help_text=_("以法人身份申请时，申请人代其办理的法人；该法人的成员都能查看。"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("代办人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="proxy_service_applications",
        help_text=_("代群众提交的工作人员；群众自己提交时为空。"))
    submitting_body = models.ForeignKey(
        "organizations.Body", verbose_name=_("代办单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="service_applications_submitted")
    current_body = models.ForeignKey(
        "organizations.Body", verbose_name=_("当前所在单位"), on_delete=models.PROTECT,
        related_name="service_applications_at")
    status = models.CharField(_("状态"), max_length=24, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    answers = models.JSONField(_("申请表内容"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_on = models.DateField(_("提交日期"), db_index=True)
    acceptance_due_on = models.DateField(_("受理期限"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    promised_working_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True,
                                                             blank=True)
    paused_working_days = models.PositiveSmallIntegerField(
        _("补正暂停（工作日）"), default=0, help_text=_("等待补正的工作日不计入办理时限。"))
    supplement_requested_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    supplement_notice = models.TextField(_("补正告知内容"), blank=True)
    due_on = models.DateField(_("办结期限"), null=True, blank=True, db_index=True)
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    decision_note = models.TextField(_("办理结果说明"), blank=True)
    decided_late = models.BooleanField(_("超期办结"), default=False)
    delivery_method = models.CharField(_("送达方式"), max_length=20,
                                       choices=DeliveryMethod.choices, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    delivery_note = models.TextField(_("送达说明"), blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True,
                                blank=True, on_delete=models.SET_NULL,
                                related_name="handled_service_applications")
    external_reference = models.CharField(_("业务系统办件号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"],
                                    name="services_application_unique_sequence"),
            models.CheckConstraint(
                condition=~models.Q(status=ApplicationStatus.REFUSED)
                | ~models.Q(refusal_reason=""),
                name="services_application_refusal_has_reason",
                violation_error_message=_("不予受理必须说明理由。"),
            ),
        ]
        indexes = [
            models.Index(fields=["current_body", "status", "due_on"],
                         name="services_application_due"),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicantDetails(models.Model):
    """申请人信息: kept apart from the application, never published, and every staff view of
    it audited."""

    application = models.OneToOneField(ServiceApplication, verbose_name=_("办件"),
                                       on_delete=models.CASCADE, related_name="applicant")
    name = models.CharField(_("姓名"), max_length=60)
    resident_id = models.CharField(_("身份证号码"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    enterprise_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("申请人信息")
        verbose_name_plural = _("申请人信息")

    def __str__(self) -> str:
        return str(self.application)


class ApplicationUpload(models.Model):
    """An electronic material uploaded with the application or as a supplement (补正)."""

    application = models.ForeignKey(ServiceApplication, verbose_name=_("办件"),
                                    on_delete=models.CASCADE, related_name="uploads")
    material = models.ForeignKey("services.ServiceMaterial", verbose_name=_("对应材料"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="uploads")
    file = models.FileField(_("文件"), storage=private_storage, upload_to="%Y/%m")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    is_supplement = models.BooleanField(_("补正材料"), default=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料电子件")
        verbose_name_plural = _("申请材料电子件")
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ProxyHop(models.Model):
    """代办流转: one level an application made on someone's behalf passes through, from the
    community or street office where it was handed in up to the implementing body."""

    application = models.ForeignKey(ServiceApplication, verbose_name=_("办件"),
                                    on_delete=models.CASCADE, related_name="hops")
    position = models.PositiveSmallIntegerField(_("层级序号"))
    body = models.ForeignKey("organizations.Body", verbose_name=_("单位"),
                             on_delete=models.PROTECT, related_name="service_proxy_hops")
    passed_on_at = models.DateTimeField(_("转报时间"), null=True, blank=True)
    passed_on_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("转报人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    note = models.TextField(_("转报意见"), blank=True)

    class Meta:
        verbose_name = _("代办流转")
        verbose_name_plural = _("代办流转")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"],
                                    name="services_hop_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.position}"


class ApplicationEvent(models.Model):
    """One line of an application's timeline; ``visible_to_applicant`` lines are shown to the
    applicant with their ``public_note``."""

    application = models.ForeignKey(ServiceApplication, verbose_name=_("办件"),
                                    on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=30, choices=ApplicationEventKind.choices)
    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.ForeignKey("organizations.Body", verbose_name=_("单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey("services.ServiceStep", verbose_name=_("办理环节"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    public_note = models.TextField(_("告知申请人"), blank=True)
    internal_note = models.TextField(_("内部意见"), blank=True)
    visible_to_applicant = models.BooleanField(_("申请人可见"), default=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["application", "occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class Payment(models.Model):
    """A fee (收费) of an application, taken through a payment provider (``payments.py``).
    The built-in provider records an offline payment that staff confirm."""

    application = models.ForeignKey(ServiceApplication, verbose_name=_("办件"),
                                    on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    provider = models.CharField(_("缴费方式"), max_length=40)
    status = models.CharField(_("状态"), max_length=20, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING)
    instructions = models.TextField(_("缴费说明"), blank=True)
    reference = models.CharField(_("票据号"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("通知时间"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("通知人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("缴费")
        verbose_name_plural = _("缴费")
        ordering = ["application", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0),
                                   name="services_payment_amount_positive",
                                   violation_error_message=_("金额必须大于0。")),
            models.UniqueConstraint(fields=["application"],
                                    condition=models.Q(status="pending"),
                                    name="services_payment_one_pending",
                                    violation_error_message=_("该办件已有一笔待缴费用。")),
        ]

    def __str__(self) -> str:
        return f"{self.application} ¥{self.amount}"
