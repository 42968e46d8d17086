"""法人账号 (企业一站通): a real-name citizen registers an enterprise by its 统一社会信用代码 and
becomes its administrator; an account officer verifies it against the business licence; the
administrators invite members (经办人) by mobile number or e-mail address and remove them.

An enterprise always keeps at least one administrator: every change of a membership locks
the enterprise row first, so two administrators removing each other at once leave one.
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.ratelimit import count_hit, is_over_limit
from chuangkou.core.validators import validate_credit_code
from chuangkou.notifications.actions import notify
from chuangkou.notifications.choices import Channel

from ..choices import ContactKind, EnterpriseRole, EnterpriseStatus, IdentityLevel
from ..contacts import contact_digest, mask_contact, validate_contact
from ..exceptions import AccountClosed, EnterpriseRefused
from ..models import (
    CitizenAccount,
    Enterprise,
    EnterpriseInvitation,
    EnterpriseMembership,
    PersonalData,
)
from ..queries.enterprises import ACTING_ENTERPRISE_SESSION_KEY, invitation_token_digest
from ._common import audit

__all__ = [
    "ENTERPRISE_NAME_MAX_CHARS",
    "INVITATION_DAYS",
    "accept_enterprise_invitation",
    "invite_enterprise_member",
    "leave_enterprise",
    "normalise_credit_code",
    "record_enterprise_representative_viewed",
    "register_enterprise",
    "reject_enterprise",
    "remove_enterprise_member",
    "representative_problem",
    "revoke_enterprise_invitation",
    "set_enterprise_member_role",
    "switch_acting_enterprise",
    "verify_enterprise",
]

ENTERPRISE_NAME_MIN_CHARS = 4
ENTERPRISE_NAME_MAX_CHARS = 200
REPRESENTATIVE_MIN_CHARS = 2
REPRESENTATIVE_MAX_CHARS = 50
REJECTION_REASON_MIN_CHARS = 4
REJECTION_REASON_MAX_CHARS = 200
INVITATION_DAYS = 7
INVITATIONS_PER_DAY_DEFAULT = 30
VERIFY_PERMISSION = "accounts.verify_identities"


def normalise_credit_code(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def representative_problem(name: str) -> str | None:
    """Why ``name`` is not a legal representative's name as on a business licence, or None.
    Foreign-invested enterprises may have a representative with a name in Latin letters."""
    if not REPRESENTATIVE_MIN_CHARS <= len(name) <= REPRESENTATIVE_MAX_CHARS:
        return _("法定代表人姓名应为%(min)d至%(max)d个字，与营业执照一致。") % {
            "min": REPRESENTATIVE_MIN_CHARS, "max": REPRESENTATIVE_MAX_CHARS}
    if not all(unicodedata.category(char).startswith("L") or char in "·- " for char in name):
        return _("法定代表人姓名只能由文字组成（可含间隔号“·”），与营业执照一致。")
    return None


def _require_active(account: CitizenAccount) -> None:
    if not account.is_active_account:
        raise AccountClosed({"__all__": [_("该账号已注销。")]})


def _require_permission(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(VERIFY_PERMISSION):
        raise PermissionDenied


def _lock(enterprise: Enterprise) -> Enterprise:
    """The enterprise row, locked: membership changes of one enterprise happen one at a time."""
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _membership(enterprise: Enterprise, account: CitizenAccount) -> EnterpriseMembership | None:
    return EnterpriseMembership.objects.filter(enterprise=enterprise, account=account).first()


def _require_administrator(enterprise: Enterprise, actor: CitizenAccount) -> None:
    _require_active(actor)
    membership = _membership(enterprise, actor)
    if membership is None or membership.role != EnterpriseRole.ADMINISTRATOR:
        raise EnterpriseRefused({"__all__": [_("只有本单位的管理员可以管理成员。")]})


def _administrator_count(enterprise: Enterprise) -> int:
    return enterprise.memberships.filter(role=EnterpriseRole.ADMINISTRATOR).count()


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not REJECTION_REASON_MIN_CHARS <= len(reason) <= REJECTION_REASON_MAX_CHARS:
        raise EnterpriseRefused({"reason": [
            _("请说明未通过的原因（%(min)d至%(max)d个字），注册人会收到这段说明。") % {
                "min": REJECTION_REASON_MIN_CHARS, "max": REJECTION_REASON_MAX_CHARS}]})
    return reason


def _enterprise_url(enterprise: Enterprise) -> str:
    return reverse("accounts:enterprise", args=[enterprise.pk])


@transaction.atomic
def register_enterprise(*, account: CitizenAccount, name: str, credit_code: str,
                        legal_representative: str) -> Enterprise:
    """法人注册: only a real-name citizen registers an enterprise; they become its
    administrator and it waits for an account officer to verify it. A code that was
    registered and rejected may be registered again (the earlier registration is replaced)."""
    _require_active(account)
    if account.identity_level != IdentityLevel.REAL_NAME:
        raise EnterpriseRefused({"__all__": [_("注册法人账号须先完成实名认证。")]})
    name = " ".join(unicodedata.normalize("NFKC", name or "").split())
    code = normalise_credit_code(credit_code)
    representative = unicodedata.normalize("NFKC", legal_representative or "").strip()
    errors: dict[str, list[str]] = {}
    if not ENTERPRISE_NAME_MIN_CHARS <= len(name) <= ENTERPRISE_NAME_MAX_CHARS:
        errors["name"] = [_("单位名称应为%(min)d至%(max)d个字，与营业执照或登记证书一致。") % {
            "min": ENTERPRISE_NAME_MIN_CHARS, "max": ENTERPRISE_NAME_MAX_CHARS}]
    try:
        validate_credit_code(code)
    except ValidationError as error:
        errors["credit_code"] = list(error.messages)
    if problem := representative_problem(representative):
        errors["legal_representative"] = [problem]
    if errors:
        raise EnterpriseRefused(errors)
    taken = {"credit_code": [_("该统一社会信用代码已注册")]}
    existing = Enterprise.objects.select_for_update().filter(credit_code=code).first()
    if existing is not None and existing.status != EnterpriseStatus.REJECTED:
        raise EnterpriseRefused(taken)
    fields = dict(name=name, legal_representative=representative, registered_by=account,
                  status=EnterpriseStatus.PENDING, decided_at=None, decided_by=None,
                  rejection_reason="")
    try:
        with transaction.atomic():
            if existing is None:
                enterprise = Enterprise.objects.create(credit_code=code, **fields)
            else:
                enterprise = existing
                for field, value in fields.items():
                    setattr(enterprise, field, value)
                enterprise.save()
                enterprise.memberships.all().delete()
                enterprise.invitations.filter(accepted_at__isnull=True,
                                              revoked_at__isnull=True).update(
                    revoked_at=timezone.now())
            EnterpriseMembership.objects.create(enterprise=enterprise, account=account,
                                                role=EnterpriseRole.ADMINISTRATOR)
    except IntegrityError:
        raise EnterpriseRefused(taken) from None
    audit("enterprise_registered", actor=account.user, target=enterprise,
          data={"credit_code": code, "again": existing is not None})
    return enterprise


def _locked_pending(enterprise: Enterprise) -> Enterprise:
    locked = _lock(enterprise)
    if locked.status != EnterpriseStatus.PENDING:
        raise EnterpriseRefused({"__all__": [
            _("该法人账号已处理（%(status)s），不能再次核验。") % {
                "status": locked.get_status_display()}]})
    return locked


@transaction.atomic
def verify_enterprise(*, enterprise: Enterprise, actor) -> Enterprise:
    """An account officer confirms the registration against the business licence."""
    _require_permission(actor)
    locked = _locked_pending(enterprise)
    locked.status, locked.decided_at, locked.decided_by = (
        EnterpriseStatus.VERIFIED, timezone.now(), actor)
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    audit("enterprise_verified", actor=actor, target=locked)
    notify(kind="accounts.enterprise_verified", user=locked.registered_by.user,
           context={"enterprise": locked.name}, url=_enterprise_url(locked))
    return locked


@transaction.atomic
def reject_enterprise(*, enterprise: Enterprise, actor, reason: str) -> Enterprise:
    _require_permission(actor)
    reason = _reason(reason)
    locked = _locked_pending(enterprise)
    locked.status, locked.decided_at, locked.decided_by, locked.rejection_reason = (
        EnterpriseStatus.REJECTED, timezone.now(), actor, reason)
    locked.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason"])
    audit("enterprise_rejected", actor=actor, target=locked)
    notify(kind="accounts.enterprise_rejected", user=locked.registered_by.user,
           context={"enterprise": locked.name, "reason": reason}, url=_enterprise_url(locked))
    return locked


def _holds_contact(account: CitizenAccount, kind: str, digest: str) -> bool:
    """Whether ``account`` has verified the mobile number or e-mail address ``digest``."""
    data = PersonalData.objects.filter(account=account).first()
    if data is None:
        return False
    if kind == ContactKind.MOBILE:
        return data.mobile_digest == digest and data.mobile_verified_at is not None
    return data.email_digest == digest and data.email_verified_at is not None


@transaction.atomic
def invite_enterprise_member(*, enterprise: Enterprise, inviter: CitizenAccount,
                             contact_kind: str, contact: str,
                             role: str = EnterpriseRole.MEMBER) -> EnterpriseInvitation:
    """邀请成员: an administrator invites a mobile number or e-mail address. Only digests of
    the address and of the token are stored; the token travels in the link sent to the
    address, and is on the returned invitation (``invitation.token``) only. A new invitation
    to the same address replaces the open one."""
    locked = _lock(enterprise)
    _require_administrator(locked, inviter)
    if not locked.is_verified:
        raise EnterpriseRefused({"__all__": [_("法人账号核验通过后才能邀请成员。")]})
    errors: dict[str, list[str]] = {}
    if contact_kind not in ContactKind.values:
        errors["contact_kind"] = [_("请选择以手机号码或电子邮箱邀请。")]
    if role not in EnterpriseRole.values:
        errors["role"] = [_("请选择成员角色：管理员或经办人。")]
    if not errors:
        try:
            contact = validate_contact(contact_kind, contact)
        except ValidationError as error:
            errors["contact"] = list(error.messages)
    if errors:
        raise EnterpriseRefused(errors)
    digest = contact_digest(contact_kind, contact)
    members = CitizenAccount.objects.filter(enterprise_memberships__enterprise=locked)
    field = "mobile_digest" if contact_kind == ContactKind.MOBILE else "email_digest"
    if PersonalData.objects.filter(account__in=members, **{field: digest}).exists():
        raise EnterpriseRefused({"contact": [_("使用该地址的账号已是本单位成员。")]})
    limit_key = f"accounts-enterprise-invitations:{locked.pk}"
    limit = getattr(settings, "ACCOUNTS_INVITATIONS_PER_DAY", INVITATIONS_PER_DAY_DEFAULT)
    if is_over_limit(limit_key, limit):
        raise EnterpriseRefused({"__all__": [
            _("本单位今天发出的邀请已达%(limit)d份，请明天再邀请。") % {"limit": limit}]})
    now = timezone.now()
    locked.invitations.filter(contact_digest=digest, accepted_at__isnull=True,
                              revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = EnterpriseInvitation.objects.create(
        enterprise=locked, contact_kind=contact_kind, contact_digest=digest,
        masked_contact=mask_contact(contact_kind, contact), role=role,
        token_digest=invitation_token_digest(token), invited_by=inviter,
        expires_at=now + timedelta(days=INVITATION_DAYS))
    count_hit(limit_key, window_seconds=24 * 3600)
    audit("enterprise_member_invited", actor=inviter.user, target=locked,
          data={"invitation": invitation.pk, "to": invitation.masked_contact, "role": role})
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    address = {"email": contact} if contact_kind == ContactKind.EMAIL else {"mobile": contact}
    notify(kind="accounts.enterprise_invitation",
           context={"enterprise": locked.name, "role": EnterpriseRole(role).label,
                    "days": INVITATION_DAYS},
           channels=[Channel.EMAIL if contact_kind == ContactKind.EMAIL else Channel.SMS],
           url=base + reverse("accounts:enterprise_invitation", args=[token]), **address)
    invitation.token = token
    return invitation


@transaction.atomic
def revoke_enterprise_invitation(*, enterprise: Enterprise, actor: CitizenAccount,
                                 invitation: EnterpriseInvitation) -> None:
    locked = _lock(enterprise)
    _require_administrator(locked, actor)
    updated = EnterpriseInvitation.objects.filter(
        pk=invitation.pk, enterprise=locked, accepted_at__isnull=True,
        revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not updated:
        raise EnterpriseRefused({"__all__": [_("该邀请已被接受或已撤销。")]})
    audit("enterprise_invitation_revoked", actor=actor.user, target=locked,
          data={"invitation": invitation.pk})


def _invalid_invitation() -> EnterpriseRefused:
    return EnterpriseRefused({"token": [
        _("邀请链接无效、已过期或已被使用。请联系单位管理员重新邀请。")]})


@transaction.atomic
def accept_enterprise_invitation(*, account: CitizenAccount, token: str) -> EnterpriseMembership:
    """接受邀请: the citizen must have verified the address the invitation was sent to."""
    _require_active(account)
    invitation = (EnterpriseInvitation.objects.select_for_update()
                  .filter(token_digest=invitation_token_digest(token or "")).first())
    if (invitation is None or invitation.accepted_at is not None
            or invitation.revoked_at is not None or invitation.expires_at <= timezone.now()):
        raise _invalid_invitation()
    locked = _lock(invitation.enterprise)
    if not locked.is_verified:
        raise _invalid_invitation()
    if not _holds_contact(account, invitation.contact_kind, invitation.contact_digest):
        raise EnterpriseRefused({"token": [
            _("该邀请发送至%(contact)s。请使用已验证该%(kind)s的账号登录后接受邀请。") % {
                "contact": invitation.masked_contact,
                "kind": ContactKind(invitation.contact_kind).label}]})
    if _membership(locked, account) is not None:
        raise EnterpriseRefused({"token": [_("您已是%(name)s的成员。") % {"name": locked.name}]})
    membership = EnterpriseMembership.objects.create(enterprise=locked, account=account,
                                                     role=invitation.role)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit("enterprise_invitation_accepted", actor=account.user, target=locked,
          data={"invitation": invitation.pk, "role": invitation.role})
    return membership


def _last_administrator_message(enterprise: Enterprise) -> str:
    return _("%(name)s至少要有一名管理员。请先将其他成员设为管理员。") % {"name": enterprise.name}


@transaction.atomic
def remove_enterprise_member(*, enterprise: Enterprise, actor: CitizenAccount,
                             membership: EnterpriseMembership) -> None:
    """移除成员: an administrator removes a member or another administrator, never the last
    administrator."""
    locked = _lock(enterprise)
    _require_administrator(locked, actor)
    current = EnterpriseMembership.objects.filter(pk=membership.pk, enterprise=locked).first()
    if current is None:
        raise EnterpriseRefused({"__all__": [_("该成员已不在本单位。")]})
    if current.role == EnterpriseRole.ADMINISTRATOR and _administrator_count(locked) <= 1:
        raise EnterpriseRefused({"__all__": [_last_administrator_message(locked)]})
    removed = current.account
    current.delete()
    audit("enterprise_member_removed", actor=actor.user, target=locked,
          data={"account": str(removed.public_id), "role": current.role})
    if removed.pk != actor.pk:
        notify(kind="accounts.enterprise_member_removed", user=removed.user,
               context={"enterprise": locked.name}, url=reverse("accounts:enterprises"))


@transaction.atomic
def set_enterprise_member_role(*, enterprise: Enterprise, actor: CitizenAccount,
                               membership: EnterpriseMembership, role: str) -> None:
    """设为管理员 / 设为经办人: how an administrator hands over before leaving."""
    if role not in EnterpriseRole.values:
        raise EnterpriseRefused({"role": [_("请选择成员角色：管理员或经办人。")]})
    locked = _lock(enterprise)
    _require_administrator(locked, actor)
    current = EnterpriseMembership.objects.filter(pk=membership.pk, enterprise=locked).first()
    if current is None:
        raise EnterpriseRefused({"__all__": [_("该成员已不在本单位。")]})
    if current.role == role:
        return
    if role == EnterpriseRole.MEMBER and _administrator_count(locked) <= 1:
        raise EnterpriseRefused({"__all__": [_last_administrator_message(locked)]})
    EnterpriseMembership.objects.filter(pk=current.pk).update(role=role)
    audit("enterprise_member_role_changed", actor=actor.user, target=locked,
          data={"account": str(current.account.public_id), "role": role})


@transaction.atomic
def leave_enterprise(*, account: CitizenAccount, enterprise: Enterprise) -> None:
    """退出单位: any member may leave, except the last administrator."""
    locked = _lock(enterprise)
    membership = _membership(locked, account)
    if membership is None:
        raise EnterpriseRefused({"__all__": [_("您不是该单位的成员。")]})
    if membership.role == EnterpriseRole.ADMINISTRATOR and _administrator_count(locked) <= 1:
        raise EnterpriseRefused({"__all__": [
            _("您是%(name)s唯一的管理员，请先将其他成员设为管理员，再退出。") % {
                "name": locked.name}]})
    membership.delete()
    audit("enterprise_left", actor=account.user, target=locked)


@transaction.atomic
def switch_acting_enterprise(*, request, account: CitizenAccount,
                             enterprise: Enterprise | None) -> None:
    """以单位身份办理: act for a verified enterprise the citizen is a member of (kept in the
    session), or, with ``enterprise=None``, as themselves again."""
    _require_active(account)
    if enterprise is None:
        request.session.pop(ACTING_ENTERPRISE_SESSION_KEY, None)
        audit("acting_enterprise_switched", actor=account.user, target=account,
              data={"enterprise": None})
        return
    if not enterprise.is_verified or _membership(enterprise, account) is None:
        raise EnterpriseRefused({"enterprise": [_("只能以已核验、且您是其成员的单位身份办理。")]})
    request.session[ACTING_ENTERPRISE_SESSION_KEY] = enterprise.pk
    audit("acting_enterprise_switched", actor=account.user, target=account,
          data={"enterprise": enterprise.pk})


@transaction.atomic
def record_enterprise_representative_viewed(*, enterprise: Enterprise, actor) -> Enterprise:
    """查看法定代表人: the account officer comparing the registration with the business
    licence sees the representative's name in full; every look is audited."""
    _require_permission(actor)
    audit("enterprise_representative_viewed", actor=actor, target=enterprise)
    return enterprise
