"""Signing in, linking and unlinking through the government identity provider (统一身份认证).

The provider proves who someone is; these actions decide which account that is. A known
(issuer, subject) signs its account in. Otherwise a contact the provider says it verified is
matched against the contacts our citizens verified, by blind index, and linked; failing that a new
account is made from the verified contacts alone. The provider's real name and resident ID number
are believed only when ``ACCOUNTS_OIDC_TRUST_REAL_NAME`` is on, and never move an ID number from
one account to another: such a sign-in is refused, so two people are never merged silently.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.choices import AuditOutcome
from chuangkou.core.validators import resident_id_problem

from ..choices import AccountStatus, ContactKind, RealNameSource
from ..contacts import MOBILE_PATTERN, contact_digest, id_number_digest, validate_contact
from ..exceptions import AccountsRuleViolation, IdentityProviderRefused, IdentityRefused
from ..levels import identity_level_for
from ..models import CitizenAccount, ExternalIdentity, PersonalData
from ._common import audit
from .identity import confirm_real_name
from .sessions import sign_in_citizen

__all__ = [
    "ProviderClaims",
    "link_identity_provider",
    "read_provider_claims",
    "record_identity_provider_failure",
    "sign_in_from_identity_provider",
    "unlink_external_identity",
]

SUBJECT_MAX_LENGTH = 255
REAL_NAME_MAX_LENGTH = 30


@dataclass(frozen=True)
class ProviderClaims:
    """What we take from the provider's claims: the subject, the contacts it verified
    (normalised), and a real name with a resident ID number whose check character is valid."""

    subject: str
    email: str = ""
    mobile: str = ""
    real_name: str = ""
    id_number: str = ""

    @property
    def has_real_name(self) -> bool:
        return bool(self.real_name and self.id_number)


def _is_true(value: Any) -> bool:
    # Some providers send the verified flags as the strings "true"/"false".
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _verified_contact(kind: str, value: Any, verified: Any) -> str:
    if not isinstance(value, str) or not _is_true(verified):
        return ""
    try:
        return validate_contact(kind, value)
    except ValidationError:
        return ""


def read_provider_claims(claims: Mapping[str, Any], *, name_claim: str,
                         id_number_claim: str) -> ProviderClaims:
    """The usable part of a provider's claims. Unverified contacts, malformed numbers and a name
    without a valid ID number (or the other way round) are left out."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > SUBJECT_MAX_LENGTH:
        raise IdentityProviderRefused(
            {"__all__": [_("统一身份认证平台未提供有效的用户标识，无法登录。")]},
            reason="invalid_claims")
    mobile = _verified_contact(ContactKind.MOBILE, claims.get("phone_number"),
                               claims.get("phone_number_verified"))
    name = claims.get(name_claim)
    name = unicodedata.normalize("NFKC", name).strip() if isinstance(name, str) else ""
    number = claims.get(id_number_claim)
    number = (unicodedata.normalize("NFKC", number).strip().upper()
              if isinstance(number, str) else "")
    if not name or len(name) > REAL_NAME_MAX_LENGTH or resident_id_problem(number) is not None:
        name = number = ""
    return ProviderClaims(
        subject=subject,
        email=_verified_contact(ContactKind.EMAIL, claims.get("email"),
                                claims.get("email_verified")),
        mobile=mobile if MOBILE_PATTERN.match(mobile) else "",
        real_name=name,
        id_number=number,
    )


def _claims_from_settings(claims: Mapping[str, Any]) -> ProviderClaims:
    return read_provider_claims(claims, name_claim=settings.ACCOUNTS_OIDC_NAME_CLAIM,
                                id_number_claim=settings.ACCOUNTS_OIDC_ID_NUMBER_CLAIM)


def _refuse_inactive(account: CitizenAccount) -> None:
    if account.status != AccountStatus.ACTIVE or not account.user.is_active:
        raise IdentityProviderRefused(
            {"__all__": [_("与该统一身份认证账号绑定的本网站账号已注销，无法登录。")]},
            reason="closed")


def _account_with_verified_contact(provided: ProviderClaims) -> CitizenAccount | None:
    """The one active account whose verified e-mail or mobile is one the provider verified."""
    matches = Q(pk__in=[])
    if provided.email:
        matches |= Q(email_digest=contact_digest(ContactKind.EMAIL, provided.email),
                     email_verified_at__isnull=False)
    if provided.mobile:
        matches |= Q(mobile_digest=contact_digest(ContactKind.MOBILE, provided.mobile),
                     mobile_verified_at__isnull=False)
    accounts = {data.account_id: data.account for data in
                PersonalData.objects.filter(matches, account__status=AccountStatus.ACTIVE)
                .select_related("account__user")}
    if len(accounts) > 1:
        raise IdentityProviderRefused(
            {"__all__": [_("统一身份认证平台提供的手机号码和电子邮箱分属本网站的两个账号，无法自动"
                           "确定登录哪一个。请先用密码登录其中一个账号，在“统一身份认证绑定”页面"
                           "绑定。")]},
            reason="ambiguous")
    return next(iter(accounts.values()), None)


def _create_account(provided: ProviderClaims) -> CitizenAccount:
    """A new citizen account holding only what the provider verified. A contact already held
    by another account (an unverified registration) is left out rather than taken from it."""
    now = timezone.now()
    email_digest = contact_digest(ContactKind.EMAIL, provided.email) if provided.email else ""
    mobile_digest = contact_digest(ContactKind.MOBILE, provided.mobile) if provided.mobile else ""
    if email_digest and PersonalData.objects.filter(email_digest=email_digest).exists():
        email_digest = ""
    if mobile_digest and PersonalData.objects.filter(mobile_digest=mobile_digest).exists():
        mobile_digest = ""
    user = get_user_model().objects.create_user(username=f"c-{uuid.uuid4().hex}", password=None)
    account = CitizenAccount.objects.create(
        user=user,
        identity_level=identity_level_for(email_verified=bool(email_digest),
                                          mobile_verified=bool(mobile_digest),
                                          real_name_verified=False),
    )
    PersonalData.objects.create(
        account=account,
        email=provided.email if email_digest else "", email_digest=email_digest,
        email_verified_at=now if email_digest else None,
        mobile=provided.mobile if mobile_digest else "", mobile_digest=mobile_digest,
        mobile_verified_at=now if mobile_digest else None,
    )
    return account


def _confirm_real_name(account: CitizenAccount, provided: ProviderClaims) -> bool:
    """Record the provider's real name on ``account`` (through ``confirm_real_name``); True when
    it was recorded now. Refused when the number is verified on another account or the account
    is verified with another number."""
    digest = id_number_digest(provided.id_number)
    data = PersonalData.objects.filter(account=account).first()
    if data is not None and data.real_name_verified_at is not None:
        if data.id_number_digest == digest:
            return False
        raise IdentityProviderRefused(
            {"__all__": [_("统一身份认证平台提供的身份证号码与您账号已实名认证的号码不一致，"
                           "为保护您的账号，本次登录未完成。请联系网站管理员核实。")]},
            reason="real_name_conflict")
    if PersonalData.objects.filter(id_number_digest=digest).exclude(account=account).exists():
        raise IdentityProviderRefused(
            {"__all__": [_("该身份证号码已在本网站的另一个账号完成实名认证，两个账号不会自动合并。"
                           "请用该账号的手机号码或电子邮箱和密码登录，或联系网站管理员。")]},
            reason="real_name_conflict")
    try:
        with transaction.atomic():
            confirm_real_name(account=account, real_name=provided.real_name,
                              id_number=provided.id_number,
                              source=RealNameSource.IDENTITY_PROVIDER)
    except IdentityRefused:
        # A name our own rules do not accept: the sign-in goes on, the account stays below
        # real-name level, and staff can confirm it the usual way.
        return False
    return True


def _should_confirm_real_name(provided: ProviderClaims) -> bool:
    return bool(settings.ACCOUNTS_OIDC_TRUST_REAL_NAME) and provided.has_real_name


@transaction.atomic
def sign_in_from_identity_provider(*, request, issuer: str,
                                   claims: Mapping[str, Any]) -> CitizenAccount:
    """Sign in the citizen the identity provider vouched for (``claims`` are the verified ID
    token's): their linked account, else the account with a contact the provider verified, else
    a new account; then the real name if trusted, then the session (``sign_in_citizen``)."""
    provided = _claims_from_settings(claims)
    link = (ExternalIdentity.objects.select_for_update().select_related("account__user")
            .filter(issuer=issuer, subject=provided.subject).first())
    if link is not None:
        how = "existing"
        account = link.account
        _refuse_inactive(account)
    else:
        account = _account_with_verified_contact(provided)
        if account is not None:
            how = "linked"
            _refuse_other_link(account, issuer)
        try:
            with transaction.atomic():
                if account is None:
                    how = "created"
                    account = _create_account(provided)
                link = ExternalIdentity.objects.create(account=account, issuer=issuer,
                                                       subject=provided.subject)
        except IntegrityError:
            # The same person finished a second sign-in at the same moment: use that link.
            link = (ExternalIdentity.objects.select_related("account__user")
                    .filter(issuer=issuer, subject=provided.subject).first())
            if link is None:
                raise IdentityProviderRefused(
                    {"__all__": [_("您的手机号码或电子邮箱正在注册本网站账号，请稍后重新登录。")]},
                    reason="busy") from None
            how, account = "existing", link.account
            _refuse_inactive(account)
    real_name_confirmed = (_should_confirm_real_name(provided)
                           and _confirm_real_name(account, provided))
    link.last_used_at = timezone.now()
    link.save(update_fields=["last_used_at"])
    if real_name_confirmed:
        account.refresh_from_db()  # confirm_real_name raised the level on its own copy
    sign_in_citizen(request=request, account=account, via_identity_provider=True)
    audit("oidc_sign_in", actor=account.user, target=account,
          data={"issuer": issuer, "how": how, "real_name_confirmed": real_name_confirmed})
    return account


def _refuse_other_link(account: CitizenAccount, issuer: str) -> None:
    if account.external_identities.filter(issuer=issuer).exists():
        raise IdentityProviderRefused(
            {"__all__": [_("您的账号已绑定统一身份认证平台的另一个账号。如需改用当前账号，请先用"
                           "原账号登录并解除绑定。")]},
            reason="identity_conflict")


@transaction.atomic
def link_identity_provider(*, account: CitizenAccount, issuer: str,
                           claims: Mapping[str, Any]) -> ExternalIdentity:
    """Link a signed-in citizen's account to the provider identity they just proved (绑定).
    Refused when that identity belongs to another account or this account already has another
    identity at the same provider."""
    provided = _claims_from_settings(claims)
    _refuse_inactive(account)
    link = (ExternalIdentity.objects.select_for_update()
            .filter(issuer=issuer, subject=provided.subject).first())
    if link is not None and link.account_id != account.pk:
        raise IdentityProviderRefused(
            {"__all__": [_("该统一身份认证账号已绑定本网站的另一个账号，不能重复绑定。")]},
            reason="identity_conflict")
    created = link is None
    if created:
        _refuse_other_link(account, issuer)
        link = ExternalIdentity.objects.create(account=account, issuer=issuer,
                                               subject=provided.subject)
    real_name_confirmed = (_should_confirm_real_name(provided)
                           and _confirm_real_name(account, provided))
    audit("oidc_linked", actor=account.user, target=account,
          data={"issuer": issuer, "created": created, "real_name_confirmed": real_name_confirmed})
    return link


def _other_ways_in(account: CitizenAccount, identity: ExternalIdentity) -> bool:
    if account.user.has_usable_password():
        return True
    issuer = (settings.ACCOUNTS_OIDC_ISSUER or "").strip().rstrip("/")
    return bool(issuer) and (account.external_identities.exclude(pk=identity.pk)
                             .filter(issuer=issuer).exists())


@transaction.atomic
def unlink_external_identity(*, account: CitizenAccount, identity: ExternalIdentity) -> None:
    """Remove a link (解除绑定) unless it is the account's only way in: an account without a
    password that can sign in through no other link would be locked out for good."""
    identity = (ExternalIdentity.objects.select_for_update()
                .filter(pk=identity.pk, account=account).first())
    if identity is None:
        raise AccountsRuleViolation({"__all__": [_("该绑定不存在或已解除。")]})
    if not _other_ways_in(account, identity):
        raise AccountsRuleViolation({"__all__": [_(
            "您的账号尚未设置登录密码，统一身份认证是唯一的登录方式，不能解除绑定。请先通过"
            "“找回密码”用已验证的手机号码或电子邮箱设置密码，再解除绑定。")]})
    issuer = identity.issuer
    identity.delete()
    audit("oidc_unlinked", actor=account.user, target=account, data={"issuer": issuer})


@transaction.atomic
def record_identity_provider_failure(*, reason: str, issuer: str = "") -> None:
    """Audit a sign-in through the provider that did not complete (等保 2.0 asks for failed
    sign-ins to be recorded). Nothing personal: the reason and the issuer only."""
    audit("oidc_sign_in_failed", outcome=AuditOutcome.FAILED,
          data={"issuer": issuer, "reason": reason})
