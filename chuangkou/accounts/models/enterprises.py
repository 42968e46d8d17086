from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangkou.core.fields import EncryptedTextField

from ..choices import ContactKind, EnterpriseRole, EnterpriseStatus
from .citizens import DIGEST_LENGTH, CitizenAccount

__all__ = ["Enterprise", "EnterpriseInvitation", "EnterpriseMembership"]


class Enterprise(models.Model):
    """法人账号 (企业一站通): an enterprise or other organisation with its 统一社会信用代码 (GB
    32100-2015). A real-name citizen registers it and becomes its administrator; it acts on the
    platform once staff have verified it against the business licence."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = EncryptedTextField(_("法定代表人"))
    status = models.CharField(_("状态"), max_length=10, choices=EnterpriseStatus.choices,
                              default=EnterpriseStatus.PENDING, db_index=True)
    registered_by = models.ForeignKey(CitizenAccount, verbose_name=_("注册人"),
                                      on_delete=models.PROTECT,
                                      related_name="registered_enterprises")
    registered_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核验人"), null=True,
                                   blank=True, on_delete=models.SET_NULL,
                                   related_name="decided_enterprises")
    rejection_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("法人账号")
        verbose_name_plural = _("法人账号")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=EnterpriseStatus.REJECTED)
                | ~models.Q(rejection_reason=""),
                name="accounts_rejected_enterprise_has_reason",
                violation_error_message=_("未通过时必须说明原因。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == EnterpriseStatus.VERIFIED


class EnterpriseMembership(models.Model):
    """A citizen who acts for an enterprise: its administrator (who invites and removes
    members) or a member (经办人)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("法人"), on_delete=models.CASCADE,
                                   related_name="memberships")
    account = models.ForeignKey(CitizenAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="enterprise_memberships")
    role = models.CharField(_("角色"), max_length=20, choices=EnterpriseRole.choices,
                            default=EnterpriseRole.MEMBER)
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法人成员")
        verbose_name_plural = _("法人成员")
        ordering = ["enterprise", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "account"],
                                    name="accounts_unique_enterprise_member",
                                    violation_error_message=_("该账号已是本单位成员。")),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.account}"


class EnterpriseInvitation(models.Model):
    """An invitation from an enterprise's administrator to a mobile number or e-mail address;
    the citizen holding an account with that verified contact accepts it. Only digests of the
    contact and of the token are stored."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("法人"), on_delete=models.CASCADE,
                                   related_name="invitations")
    contact_kind = models.CharField(_("邀请方式"), max_length=10, choices=ContactKind.choices)
    contact_digest = models.CharField(_("受邀地址索引"), max_length=DIGEST_LENGTH)
    masked_contact = models.CharField(_("受邀地址（脱敏）"), max_length=100)
    role = models.CharField(_("角色"), max_length=20, choices=EnterpriseRole.choices,
                            default=EnterpriseRole.MEMBER)
    token_digest = models.CharField(_("邀请码摘要"), max_length=DIGEST_LENGTH, unique=True)
    invited_by = models.ForeignKey(CitizenAccount, verbose_name=_("邀请人"),
                                   on_delete=models.CASCADE, related_name="sent_invitations")
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(CitizenAccount, verbose_name=_("接受人"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="accepted_invitations")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("法人成员邀请")
        verbose_name_plural = _("法人成员邀请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.masked_contact}"
