"""Registration of citizen accounts (注册), verifying a mobile number or e-mail address with a
code, adding or changing one, and removing registrations nobody verified.

Enumeration-safe: registering an address that already has an account creates nothing and
answers exactly as a new registration does (a code row is made for the address but not sent;
the address's owner is told someone tried). Actions that check a code return their refusal
from their transaction and raise it afterwards, so a wrong try stays counted (see
``actions.codes``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from chuangkou.core.context import current_client_address
from chuangkou.notifications.actions import notify

from ..choices import AccountStatus, CodePurpose, ContactKind, IdentityLevel
from ..contacts import contact_digest, mask_contact, normalise_contact, validate_contact
from ..exceptions import AccountsRuleViolation, CodeRejected
from ..levels import identity_level_for
from ..models import CitizenAccount, CitizenSession, OneTimeCode, PersonalData
from ._common import audit
from .codes import check_hourly_limits, create_code, try_code

__all__ = [
    "confirm_contact_change",
    "confirm_registration",
    "purge_unverified_accounts",
    "register_citizen",
    "resend_registration_code",
    "resend_verification_code",
    "start_contact_change",
    "verify_contact",
]

DISPLAY_NAME_MAX_LENGTH = CitizenAccount._meta.get_field("display_name").max_length


# --- Helpers the sign-in and password actions share --------------------------------------------


def contact_label(kind: str) -> str:
    return _("手机号码") if kind == ContactKind.MOBILE else _("邮箱")


def holder_of(kind: str, digest: str, *, lock: bool = False) -> PersonalData | None:
    """The personal data (with account and user) holding the address whose digest is
    ``digest``, whatever the account's state."""
    if not digest:
        return None
    rows = PersonalData.objects.select_related("account__user").filter(**{f"{kind}_digest": digest})
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.first()


def password_errors(password: str, *, contact_kind: str = "", contact: str = "",
                    display_name: str = "") -> list[str]:
    """The messages of every password validator in ``AUTH_PASSWORD_VALIDATORS`` (length,
    common passwords, all digits, likeness to the e-mail address or name)."""
    probe = get_user_model()(username="", first_name=display_name[:150],
                             email=contact if contact_kind == ContactKind.EMAIL else "")
    try:
        validate_password(password, user=probe)
    except ValidationError as error:
        return list(error.messages)
    return []


def password_probe_fields(personal_data: PersonalData | None) -> dict:
    if personal_data is None or not personal_data.email:
        return {}
    return {"contact_kind": ContactKind.EMAIL, "contact": personal_data.email}


def refresh_identity_level(account: CitizenAccount, personal_data: PersonalData) -> str:
    """Recompute the account's level from its verified data; a confirmed real name is never
    lowered here (only the identity actions withdraw it)."""
    level = identity_level_for(email_verified=personal_data.email_verified_at is not None,
                               mobile_verified=personal_data.mobile_verified_at is not None,
                               real_name_verified=personal_data.real_name_verified_at is not None)
    if account.identity_level == IdentityLevel.REAL_NAME:
        level = IdentityLevel.REAL_NAME
    if level != account.identity_level:
        CitizenAccount.objects.filter(pk=account.pk).update(identity_level=level)
        account.identity_level = level
    return level


def mark_contact_verified(personal_data: PersonalData, kind: str) -> None:
    if getattr(personal_data, f"{kind}_verified_at") is not None:
        return
    setattr(personal_data, f"{kind}_verified_at", timezone.now())
    personal_data.save(update_fields=[f"{kind}_verified_at", "updated_at"])
    refresh_identity_level(personal_data.account, personal_data)


def session_store_class() -> type[SessionBase]:
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


def forget_sessions_after_commit(session_keys: list[str]) -> None:
    """Delete the sessions from the session store once the transaction has committed (a cache
    or Redis session store is not rolled back with the database)."""
    keys = [key for key in session_keys if key]
    if not keys:
        return

    def forget() -> None:
        store = session_store_class()
        for key in keys:
            store(session_key=key).delete()

    transaction.on_commit(forget)


# --- Registration -----------------------------------------------------------------------------


def _create_account(*, contact_kind: str, contact: str, digest: str, password: str,
                    display_name: str) -> CitizenAccount:
    user = get_user_model().objects.create_user(username=f"c-{uuid.uuid4().hex}",
                                                password=password)
    account = CitizenAccount.objects.create(user=user, display_name=display_name)
    PersonalData.objects.create(account=account,
                                **{contact_kind: contact, f"{contact_kind}_digest": digest})
    return account


@transaction.atomic
def register_citizen(*, contact_kind: str, contact: str, password: str,
                     display_name: str = "") -> CitizenAccount | None:
    """注册: a new unverified account for a mobile number or e-mail address, and a code sent
    to it. If the address already has an account nothing is created, its owner is told someone
    tried (``accounts.already_registered``) and None is returned; the caller answers the same
    either way."""
    errors: dict[str, list[str]] = {}
    try:
        contact = validate_contact(contact_kind, contact)
    except ValidationError as error:
        errors["contact"] = list(error.messages)
    display_name = " ".join((display_name or "").split())
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        errors["display_name"] = [_("昵称不能超过%(max)d个字（现有%(count)d个字）。") % {
            "max": DISPLAY_NAME_MAX_LENGTH, "count": len(display_name)}]
    messages = password_errors(password, contact_kind=contact_kind,
                               contact=contact if "contact" not in errors else "",
                               display_name=display_name)
    if messages:
        errors["password"] = messages
    if errors:
        raise AccountsRuleViolation(errors)
    address = current_client_address()
    check_hourly_limits([(f"accounts-registrations-address:{address or 'unknown'}",
                          settings.ACCOUNTS_REGISTRATIONS_PER_HOUR_PER_ADDRESS,
                          _("注册过于频繁：同一网络地址每小时最多注册%(limit)d次，"
                            "请%(minutes)d分钟后再试。"))])
    digest = contact_digest(contact_kind, contact)
    masked = mask_contact(contact_kind, contact)
    account = None
    if holder_of(contact_kind, digest) is None:
        try:
            with transaction.atomic():
                account = _create_account(contact_kind=contact_kind, contact=contact,
                                          digest=digest, password=password,
                                          display_name=display_name)
        except IntegrityError:
            account = None  # registered in parallel: answered below like any taken address
    if account is not None:
        create_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind,
                    digest=digest, account=account, client_address=address, send_to=contact)
        audit("registered", target=account,
              data={"contact_kind": contact_kind, "contact": masked})
        return account
    make_password(password)  # the same hashing work as a new account: timing tells nothing
    create_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind, digest=digest,
                client_address=address)
    notify(kind="accounts.already_registered",
           **{"email" if contact_kind == ContactKind.EMAIL else "mobile": contact},
           context={"contact_label": contact_label(contact_kind)})
    audit("registration_of_taken_contact", outcome="denied",
          data={"contact_kind": contact_kind, "contact": masked})
    return None


@transaction.atomic
def _confirm_registration(*, contact_kind: str, contact: str, code: str):
    digest = contact_digest(contact_kind, normalise_contact(contact_kind, contact))
    row, refusal = try_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind,
                            digest=digest, code=code)
    if refusal is not None:
        return None, refusal
    personal_data = holder_of(contact_kind, digest, lock=True)
    if (row.account_id is None or personal_data is None
            or personal_data.account_id != row.account_id
            or personal_data.account.status != AccountStatus.ACTIVE):
        return None, CodeRejected({"code": [_("验证码不正确或已失效，请重新获取验证码。")]})
    mark_contact_verified(personal_data, contact_kind)
    account = personal_data.account
    audit("contact_verified", actor=account.user, target=account,
          data={"contact_kind": contact_kind, "contact": mask_contact(contact_kind, contact),
                "registration": True})
    return account, None


def confirm_registration(*, contact_kind: str, contact: str, code: str) -> CitizenAccount:
    """Verify a new registration's address with the code sent to it; the account reaches the
    verified-contact level. Raises ``CodeRejected`` (field ``code``)."""
    account, refusal = _confirm_registration(contact_kind=contact_kind, contact=contact,
                                             code=code)
    if refusal is not None:
        raise refusal
    return account


@transaction.atomic
def resend_registration_code(*, contact_kind: str, contact: str) -> None:
    """Send a registration's code again (重新获取验证码). An address that is not waiting for
    verification is answered the same and sent nothing."""
    contact = normalise_contact(contact_kind, contact)
    digest = contact_digest(contact_kind, contact)
    personal_data = holder_of(contact_kind, digest)
    waiting = (personal_data is not None
               and personal_data.account.status == AccountStatus.ACTIVE
               and getattr(personal_data, f"{contact_kind}_verified_at") is None)
    create_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind, digest=digest,
                account=personal_data.account if waiting else None,
                send_to=contact if waiting else "")


# --- Verifying and changing the contacts of a signed-in citizen -------------------------------


def _own_personal_data(account: CitizenAccount) -> PersonalData:
    return (PersonalData.objects.select_for_update(of=("self",)).select_related("account__user")
            .get(account=account))


def _require_active(account: CitizenAccount) -> None:
    if account.status != AccountStatus.ACTIVE:
        raise AccountsRuleViolation({"__all__": [_("账号已注销，不能再修改。")]})


@transaction.atomic
def resend_verification_code(*, account: CitizenAccount, contact_kind: str) -> OneTimeCode:
    """Send a code to the account's own, not yet verified, mobile number or e-mail address."""
    _require_active(account)
    personal_data = _own_personal_data(account)
    value = getattr(personal_data, contact_kind)
    label = contact_label(contact_kind)
    if not value:
        raise AccountsRuleViolation({"__all__": [
            _("您还没有填写%(label)s，请先添加。") % {"label": label}]})
    if getattr(personal_data, f"{contact_kind}_verified_at") is not None:
        raise AccountsRuleViolation({"__all__": [
            _("您的%(label)s已验证，无需再次验证。") % {"label": label}]})
    return create_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind,
                       digest=getattr(personal_data, f"{contact_kind}_digest"),
                       account=account, send_to=value)


@transaction.atomic
def _verify_contact(*, account: CitizenAccount, contact_kind: str, code: str):
    _require_active(account)
    personal_data = _own_personal_data(account)
    value = getattr(personal_data, contact_kind)
    if not value:
        raise AccountsRuleViolation({"code": [
            _("您还没有填写%(label)s，请先添加。") % {"label": contact_label(contact_kind)}]})
    if getattr(personal_data, f"{contact_kind}_verified_at") is not None:
        return None
    _row, refusal = try_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind,
                             digest=getattr(personal_data, f"{contact_kind}_digest"),
                             code=code, account=account)
    if refusal is not None:
        return refusal
    mark_contact_verified(personal_data, contact_kind)
    audit("contact_verified", actor=account.user, target=account,
          data={"contact_kind": contact_kind, "contact": mask_contact(contact_kind, value)})
    return None


def verify_contact(*, account: CitizenAccount, contact_kind: str, code: str) -> None:
    """Verify the account's own mobile number or e-mail address with the code sent to it and
    recompute its identity level (a real-name level is kept). Raises ``CodeRejected``."""
    refusal = _verify_contact(account=account, contact_kind=contact_kind, code=code)
    if refusal is not None:
        raise refusal


@transaction.atomic
def start_contact_change(*, account: CitizenAccount, contact_kind: str,
                         new_contact: str) -> None:
    """Add or change the account's mobile number or e-mail address: a code goes to the NEW
    address, which is kept (encrypted) on the code until confirmed. An address another account
    holds is answered the same, and sent nothing."""
    _require_active(account)
    try:
        new_contact = validate_contact(contact_kind, new_contact)
    except ValidationError as error:
        raise AccountsRuleViolation({"new_contact": list(error.messages)}) from None
    personal_data = _own_personal_data(account)
    digest = contact_digest(contact_kind, new_contact)
    label = contact_label(contact_kind)
    if digest == getattr(personal_data, f"{contact_kind}_digest"):
        raise AccountsRuleViolation({"new_contact": [
            _("这就是您当前的%(label)s，无需更改。") % {"label": label}]})
    taken = (PersonalData.objects.filter(**{f"{contact_kind}_digest": digest})
             .exclude(account=account).exists())
    create_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind, digest=digest,
                account=account, pending_contact=new_contact,
                send_to="" if taken else new_contact)
    audit("contact_change_started", actor=account.user, target=account,
          data={"contact_kind": contact_kind,
                "new_contact": mask_contact(contact_kind, new_contact),
                "address_in_use": taken})


def _pending_change(account: CitizenAccount, contact_kind: str) -> OneTimeCode | None:
    recent = (OneTimeCode.objects.filter(account=account, purpose=CodePurpose.VERIFY_CONTACT,
                                         contact_kind=contact_kind)
              .order_by("-created_at", "-id")[:10])
    # pending_contact is encrypted (no SQL lookup): the few recent rows are read and checked.
    return next((row for row in recent if row.pending_contact), None)


def pending_contact_change(account: CitizenAccount, contact_kind: str) -> str:
    """The new address an unconfirmed change is waiting on (for showing masked), or ""."""
    row = _pending_change(account, contact_kind)
    if row is None or row.used_at is not None or row.expires_at <= timezone.now():
        return ""
    return row.pending_contact


@transaction.atomic
def _confirm_contact_change(*, account: CitizenAccount, contact_kind: str, code: str):
    _require_active(account)
    pending = _pending_change(account, contact_kind)
    if pending is None:
        raise CodeRejected({"code": [_("请先填写新的%(label)s并获取验证码。") % {
            "label": contact_label(contact_kind)}]})
    row, refusal = try_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=contact_kind,
                            digest=pending.contact_digest, code=code, account=account)
    if refusal is not None:
        return refusal
    new_contact = row.pending_contact
    if not new_contact:
        return CodeRejected({"code": [_("验证码不正确或已失效，请重新获取验证码。")]})
    personal_data = _own_personal_data(account)
    old_contact = getattr(personal_data, contact_kind)
    old_was_verified = getattr(personal_data, f"{contact_kind}_verified_at") is not None
    setattr(personal_data, contact_kind, new_contact)
    setattr(personal_data, f"{contact_kind}_digest", row.contact_digest)
    setattr(personal_data, f"{contact_kind}_verified_at", timezone.now())
    label = contact_label(contact_kind)
    try:
        with transaction.atomic():
            personal_data.save(update_fields=[contact_kind, f"{contact_kind}_digest",
                                              f"{contact_kind}_verified_at", "updated_at"])
    except IntegrityError:
        return AccountsRuleViolation({"code": [
            _("该%(label)s刚刚已被其他账号使用，无法更改。") % {"label": label}]})
    refresh_identity_level(account, personal_data)
    masked_new = mask_contact(contact_kind, new_contact)
    if old_contact and old_was_verified:
        notify(kind="accounts.contact_changed",
               **{"email" if contact_kind == ContactKind.EMAIL else "mobile": old_contact},
               context={"contact_label": label, "new_contact": masked_new,
                        "changed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    audit("contact_changed", actor=account.user, target=account,
          data={"contact_kind": contact_kind, "new_contact": masked_new,
                "old_contact": mask_contact(contact_kind, old_contact) if old_contact else ""})
    return None


def confirm_contact_change(*, account: CitizenAccount, contact_kind: str, code: str) -> None:
    """Confirm an added or changed address with the code sent to it: it becomes the account's
    verified address, and the old one (if it was verified) is told of the change."""
    refusal = _confirm_contact_change(account=account, contact_kind=contact_kind, code=code)
    if refusal is not None:
        raise refusal


# --- Unverified registrations -----------------------------------------------------------------


@transaction.atomic
def purge_unverified_accounts(*, now=None) -> int:
    """Delete accounts nobody verified within ``ACCOUNTS_UNVERIFIED_TTL_HOURS`` (no verified
    address, no real name, no identity-provider link), so nobody keeps holding an address they
    never proved is theirs. An account another record still protects is left alone. Codes that
    expired more than a day ago go too: they can no longer be used or shown."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.ACCOUNTS_UNVERIFIED_TTL_HOURS)
    stale = (CitizenAccount.objects
             .filter(identity_level=IdentityLevel.UNVERIFIED, status=AccountStatus.ACTIVE,
                     created_at__lt=cutoff, external_identities__isnull=True,
                     personal_data__email_verified_at__isnull=True,
                     personal_data__mobile_verified_at__isnull=True,
                     personal_data__real_name_verified_at__isnull=True)
             .select_related("user").order_by("pk"))
    removed = kept = 0
    for account in stale:
        keys = list(CitizenSession.objects.filter(account=account)
                    .values_list("session_key", flat=True))
        try:
            with transaction.atomic():
                account.user.delete()
        except ProtectedError:
            kept += 1
            continue
        forget_sessions_after_commit(keys)
        removed += 1
    codes, _by_model = OneTimeCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    if removed or kept or codes:
        audit("unverified_accounts_purged", data={
            "removed": removed, "kept": kept, "expired_codes_removed": codes,
            "ttl_hours": settings.ACCOUNTS_UNVERIFIED_TTL_HOURS})
    return removed
