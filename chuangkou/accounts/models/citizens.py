import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangkou.core.fields import EncryptedTextField

from ..choices import (
    AccountStatus,
    CodePurpose,
    ContactKind,
    IdentityLevel,
    RealNameRequestStatus,
    RealNameSource,
)

__all__ = [
    "CitizenAccount",
    "CitizenSession",
    "ExternalIdentity",
    "OneTimeCode",
    "PersonalData",
    "RealNameRequest",
    "SignInThrottle",
]

DIGEST_LENGTH = 64  # HMAC-SM3, hex


class CitizenAccount(models.Model):
    """公众账号: a citizen's account on the portal (市民一站通). It wraps a Django user that has
    no staff rights; a staff member's user has no citizen account, and the citizen sign-in refuses
    users without one. Personal data lives apart, encrypted, in ``PersonalData``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"),
                                on_delete=models.CASCADE, related_name="citizen_account")
    public_id = models.UUIDField(_("账号标识"), default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("昵称"), max_length=40, blank=True)
    identity_level = models.CharField(_("身份等级"), max_length=20, choices=IdentityLevel.choices,
                                      default=IdentityLevel.UNVERIFIED)
    status = models.CharField(_("状态"), max_length=10, choices=AccountStatus.choices,
                              default=AccountStatus.ACTIVE, db_index=True)
    notify_by_email = models.BooleanField(_("邮件通知"), default=True)
    notify_by_sms = models.BooleanField(_("短信通知"), default=True)
    notify_in_site = models.BooleanField(_("站内消息"), default=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("最近登录"), null=True, blank=True)
    closed_at = models.DateTimeField(_("注销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公众账号")
        verbose_name_plural = _("公众账号")
        ordering = ["-created_at"]
        permissions = [
            ("verify_identities", _("可核验实名认证与企业")),
            ("view_citizen_personal_data", _("可查看公众个人信息")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=AccountStatus.ACTIVE, closed_at__isnull=True)
                | models.Q(status=AccountStatus.CLOSED, closed_at__isnull=False),
                name="accounts_closed_account_has_closing_time",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or str(self.public_id)[:8]

    @property
    def is_active_account(self) -> bool:
        return self.status == AccountStatus.ACTIVE


class PersonalData(models.Model):
    """个人信息: the personal data of one account, kept apart from everything published and
    encrypted at rest (SM4, ``core.crypto``). E-mail, mobile and ID number have blind indexes
    (HMAC-SM3) so an account can be found, and kept unique, by them."""

    account = models.OneToOneField(CitizenAccount, verbose_name=_("账号"),
                                   on_delete=models.CASCADE, related_name="personal_data")
    email = EncryptedTextField(_("电子邮箱"), blank=True)
    email_digest = models.CharField(_("邮箱索引"), max_length=DIGEST_LENGTH, blank=True,
                                    editable=False)
    email_verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)
    mobile = EncryptedTextField(_("手机号码"), blank=True)
    mobile_digest = models.CharField(_("手机索引"), max_length=DIGEST_LENGTH, blank=True,
                                     editable=False)
    mobile_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    real_name = EncryptedTextField(_("姓名"), blank=True)
    id_number = EncryptedTextField(_("身份证号码"), blank=True)
    id_number_digest = models.CharField(_("身份证索引"), max_length=DIGEST_LENGTH, blank=True,
                                        editable=False)
    real_name_verified_at = models.DateTimeField(_("实名认证时间"), null=True, blank=True)
    real_name_source = models.CharField(_("实名认证方式"), max_length=20, blank=True,
                                        choices=RealNameSource.choices)
    address = EncryptedTextField(_("联系地址"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("个人信息")
        verbose_name_plural = _("个人信息")
        constraints = [
            models.UniqueConstraint(fields=["email_digest"], condition=~models.Q(email_digest=""),
                                    name="accounts_unique_email",
                                    violation_error_message=_("该电子邮箱已被其他账号使用。")),
            models.UniqueConstraint(fields=["mobile_digest"],
                                    condition=~models.Q(mobile_digest=""),
                                    name="accounts_unique_mobile",
                                    violation_error_message=_("该手机号码已被其他账号使用。")),
            models.UniqueConstraint(fields=["id_number_digest"],
                                    condition=~models.Q(id_number_digest=""),
                                    name="accounts_unique_id_number",
                                    violation_error_message=_("该身份证号码已实名认证其他账号。")),
        ]

    def __str__(self) -> str:
        return str(self.account)


class OneTimeCode(models.Model):
    """验证码: a six-digit code sent to a mobile number or e-mail address. Only its keyed digest
    is stored; it expires, counts wrong tries and is used at most once. A code that verifies a
    new address carries that address, encrypted, until it is confirmed."""

    account = models.ForeignKey(CitizenAccount, verbose_name=_("账号"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(_("用途"), max_length=20, choices=CodePurpose.choices)
    contact_kind = models.CharField(_("接收方式"), max_length=10, choices=ContactKind.choices)
    contact_digest = models.CharField(_("接收地址索引"), max_length=DIGEST_LENGTH)
    pending_contact = EncryptedTextField(_("待验证地址"), blank=True)
    code_digest = models.CharField(_("验证码摘要"), max_length=DIGEST_LENGTH)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["contact_digest", "purpose", "created_at"],
                                name="accounts_code_lookup")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class SignInThrottle(models.Model):
    """登录失败锁定: failed sign-ins counted per identifier (by its blind index, so unknown and
    known identifiers are counted, and locked, alike)."""

    identifier_digest = models.CharField(_("登录名索引"), max_length=DIGEST_LENGTH, unique=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    window_started_at = models.DateTimeField(_("计数开始"))
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return f"{self.identifier_digest[:12]} ×{self.failures}"


class CitizenSession(models.Model):
    """A signed-in session of a citizen, so they can see where they are signed in and sign out
    everywhere (退出所有设备)."""

    account = models.ForeignKey(CitizenAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="sessions")
    session_key = models.CharField(_("会话标识"), max_length=40, unique=True)
    signed_in_at = models.DateTimeField(_("登录时间"), auto_now_add=True)
    user_agent = models.CharField(_("设备"), max_length=200, blank=True)
    client_address = models.CharField(_("登录地址（脱敏）"), max_length=64, blank=True)
    via_identity_provider = models.BooleanField(_("统一身份认证登录"), default=False)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.signed_in_at:%Y-%m-%d %H:%M}"


class ExternalIdentity(models.Model):
    """统一身份认证: the link between an account and its subject at a government identity
    provider (OpenID Connect issuer + ``sub``)."""

    account = models.ForeignKey(CitizenAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="external_identities")
    issuer = models.CharField(_("认证平台"), max_length=255)
    subject = models.CharField(_("平台用户标识"), max_length=255)
    linked_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("统一身份认证绑定")
        verbose_name_plural = _("统一身份认证绑定")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"],
                                    name="accounts_unique_external_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class RealNameRequest(models.Model):
    """实名认证申请: a citizen's name and ID number waiting for staff to confirm them."""

    account = models.ForeignKey(CitizenAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="real_name_requests")
    real_name = EncryptedTextField(_("姓名"))
    id_number = EncryptedTextField(_("身份证号码"))
    id_number_digest = models.CharField(_("身份证索引"), max_length=DIGEST_LENGTH,
                                        editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=RealNameRequestStatus.choices,
                              default=RealNameRequestStatus.PENDING, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核验人"), null=True,
                                   blank=True, on_delete=models.SET_NULL,
                                   related_name="decided_real_name_requests")
    rejection_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("实名认证申请")
        verbose_name_plural = _("实名认证申请")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["account"],
                                    condition=models.Q(status=RealNameRequestStatus.PENDING),
                                    name="accounts_one_pending_real_name_request",
                                    violation_error_message=_("已有一份待核验的实名认证申请。")),
            models.CheckConstraint(
                condition=~models.Q(status=RealNameRequestStatus.REJECTED)
                | ~models.Q(rejection_reason=""),
                name="accounts_rejected_request_has_reason",
                violation_error_message=_("未通过时必须说明原因。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.get_status_display()}"
