"""Reads of 法人账号: the enterprises a citizen acts for, their members and invitations, and the
staff's verification queue."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from chuangkou.core.crypto import blind_index

from ..choices import AccountStatus, EnterpriseRole, EnterpriseStatus
from ..models import CitizenAccount, Enterprise, EnterpriseInvitation, EnterpriseMembership
from .citizens import citizen_account_of

__all__ = [
    "ACTING_ENTERPRISE_SESSION_KEY",
    "acting_enterprise",
    "enterprise_member_user_ids",
    "enterprise_members",
    "enterprises_of",
    "invitation_token_digest",
    "membership_of",
    "memberships_of",
    "open_invitation_for_token",
    "open_invitations",
    "sole_administrator_enterprises",
    "staff_enterprises",
]

ACTING_ENTERPRISE_SESSION_KEY = "accounts.acting_enterprise"


def invitation_token_digest(token: str) -> str:
    return blind_index((token or "").strip(), purpose="enterprise_invitation")


def open_invitation_for_token(token: str) -> EnterpriseInvitation | None:
    """The invitation a link's token opens, if it is still open (not accepted, revoked or
    expired) and its enterprise verified."""
    if not token:
        return None
    return (EnterpriseInvitation.objects.filter(
        token_digest=invitation_token_digest(token), accepted_at__isnull=True,
        revoked_at__isnull=True, expires_at__gt=timezone.now(),
        enterprise__status=EnterpriseStatus.VERIFIED).select_related("enterprise").first())


def enterprises_of(account: CitizenAccount | None) -> list[Enterprise]:
    """The verified enterprises ``account`` is a member of (administrator or 经办人)."""
    if account is None:
        return []
    return list(Enterprise.objects.filter(status=EnterpriseStatus.VERIFIED,
                                          memberships__account=account).order_by("name"))


def acting_enterprise(request) -> Enterprise | None:
    """The enterprise the signed-in citizen acts for now, or None. The session only names it;
    membership and verification are checked again on every call, so a removed member or a
    closed account stops acting for it at once."""
    enterprise_id = request.session.get(ACTING_ENTERPRISE_SESSION_KEY)
    if not isinstance(enterprise_id, int):
        return None
    account = citizen_account_of(request.user)
    if account is None:
        return None
    return Enterprise.objects.filter(pk=enterprise_id, status=EnterpriseStatus.VERIFIED,
                                     memberships__account=account).first()


def enterprise_member_user_ids(enterprise: Enterprise) -> list[int]:
    """The user ids of everyone who acts for ``enterprise`` (it must be verified)."""
    if enterprise is None or not enterprise.is_verified:
        return []
    return list(EnterpriseMembership.objects.filter(
        enterprise=enterprise, account__status=AccountStatus.ACTIVE).order_by("account__user_id")
        .values_list("account__user_id", flat=True))


def memberships_of(account: CitizenAccount) -> list[EnterpriseMembership]:
    """Every membership of ``account``, whatever the enterprise's state (for 我的单位), with
    the number of members of each enterprise."""
    return list(EnterpriseMembership.objects.filter(account=account)
                .select_related("enterprise")
                .annotate(member_count=Count("enterprise__memberships"))
                .order_by("enterprise__name"))


def membership_of(account: CitizenAccount, enterprise_id: int) -> EnterpriseMembership | None:
    """The account's membership of one enterprise, or None (the caller answers 404)."""
    return (EnterpriseMembership.objects.filter(account=account, enterprise_id=enterprise_id)
            .select_related("enterprise").first())


def enterprise_members(enterprise: Enterprise) -> list[EnterpriseMembership]:
    """The members with their personal data (to show masked contacts), administrators first."""
    return list(EnterpriseMembership.objects.filter(enterprise=enterprise)
                .select_related("account__personal_data")
                .order_by("-role", "joined_at", "pk"))


def open_invitations(enterprise: Enterprise) -> list[EnterpriseInvitation]:
    return list(enterprise.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by").order_by("-created_at"))


def sole_administrator_enterprises(account: CitizenAccount) -> list[Enterprise]:
    """Enterprises where ``account`` is the only administrator and others are members: it may
    not close its account before handing over."""
    administered = EnterpriseMembership.objects.filter(
        account=account, role=EnterpriseRole.ADMINISTRATOR).values("enterprise_id")
    return list(Enterprise.objects.filter(pk__in=administered).annotate(
        administrators=Count("memberships", filter=Q(
            memberships__role=EnterpriseRole.ADMINISTRATOR), distinct=True),
        members=Count("memberships", distinct=True),
    ).filter(administrators=1, members__gt=1).order_by("name"))


def staff_enterprises(*, status: str | None = EnterpriseStatus.PENDING):
    """The verification queue (法人账号审核): oldest first, with the registrant and members."""
    enterprises = Enterprise.objects.select_related("registered_by", "decided_by").prefetch_related(
        Prefetch("memberships", queryset=EnterpriseMembership.objects.select_related("account")))
    if status:
        enterprises = enterprises.filter(status=status)
    return enterprises.order_by("registered_at", "pk")
