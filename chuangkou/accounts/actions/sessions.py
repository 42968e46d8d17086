"""Signing citizens in and out, lock-out after repeated failures, and their passwords.

Sign-in answers the same for an unknown identifier, a wrong password, a closed account and a
staff user, and checks a password hash in every case so the time taken tells nothing. Failures
are counted per identifier digest (``SignInThrottle``, locked row): ``ACCOUNTS_LOCKOUT_FAILURES``
within ``ACCOUNTS_LOCKOUT_WINDOW_MINUTES`` lock the identifier for ``ACCOUNTS_LOCKOUT_MINUTES``
(等保 2.0 登录失败处理), whether or not an account has it.

Each sign-in gets a new session key and a ``CitizenSession`` row, so a citizen sees where they
are signed in and can end every session (退出所有设备); a password change or reset ends them too.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.context import current_client_address
from chuangkou.notifications.actions import notify

from ..choices import AccountStatus, CodePurpose, ContactKind
from ..contacts import classify_identifier, contact_digest, mask_contact, validate_contact
from ..exceptions import AccountsRuleViolation, CodeRejected, SignInRefused
from ..models import CitizenAccount, CitizenSession, SignInThrottle
from ..queries import citizen_account_of
from ._common import audit
from .codes import create_code, try_code
from .registration import (
    forget_sessions_after_commit,
    holder_of,
    mark_contact_verified,
    password_errors,
    password_probe_fields,
    session_store_class,
)

__all__ = [
    "authenticate_citizen",
    "change_password",
    "request_password_reset",
    "reset_password",
    "sign_in_citizen",
    "sign_out_citizen",
    "sign_out_everywhere",
]

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
USER_AGENT_MAX_LENGTH = CitizenSession._meta.get_field("user_agent").max_length
_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    # Made once with the configured hasher, so an unknown identifier costs one real check.
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password("chuangkou-no-such-account"))
    return _DUMMY_HASH[0]


def _wrong_credentials() -> SignInRefused:
    return SignInRefused({"__all__": [_("手机号码/邮箱或密码不正确。")]})


def _locked(until, now) -> SignInRefused:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return SignInRefused({"__all__": [
        _("登录失败次数过多，请%(minutes)d分钟后再试。") % {"minutes": minutes}]})


def mask_client_address(address: str | None) -> str:
    """192.0.2.45 → 192.0.2.*; 2001:db8:1:2::5 → 2001:db8:1:2:*: enough to recognise a
    network, not a person."""
    if not address:
        return ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if parsed.version == 4:
        return ".".join(str(parsed).split(".")[:3]) + ".*"
    return ":".join(parsed.exploded.split(":")[:4]) + ":*"


def _is_citizen_user(account: CitizenAccount) -> bool:
    user = account.user
    return (account.status == AccountStatus.ACTIVE and user.is_active
            and not user.is_staff and not user.is_superuser)


def _throttle(digest: str):
    """The identifier's counter, locked, and the time read once the lock is held (a sign-in
    that waited for a parallel one must not count from before it)."""
    SignInThrottle.objects.get_or_create(identifier_digest=digest,
                                         defaults={"window_started_at": timezone.now()})
    throttle = SignInThrottle.objects.select_for_update().get(identifier_digest=digest)
    now = timezone.now()
    if throttle.locked_until is not None and throttle.locked_until <= now:
        throttle.failures, throttle.locked_until, throttle.window_started_at = 0, None, now
    window = timedelta(minutes=settings.ACCOUNTS_LOCKOUT_WINDOW_MINUTES)
    if throttle.locked_until is None and throttle.window_started_at + window <= now:
        throttle.failures, throttle.window_started_at = 0, now
    return throttle, now


@transaction.atomic
def _authenticate(*, identifier: str, password: str):
    kind, value = classify_identifier(identifier)
    digest = contact_digest(kind, value) or contact_digest(kind, "-")
    masked = mask_contact(kind, value)
    throttle, now = _throttle(digest)
    if throttle.locked_until is not None:
        throttle.save()
        audit("sign_in_refused_locked", outcome="denied",
              data={"identifier": masked, "locked_until": throttle.locked_until.isoformat()})
        return None, _locked(throttle.locked_until, now)
    personal_data = holder_of(kind, digest)
    account = personal_data.account if personal_data is not None else None
    if account is not None:
        password_ok = account.user.check_password(password or "")
    else:
        check_password(password or "", _dummy_hash())
        password_ok = False
    if password_ok and _is_citizen_user(account):
        throttle.delete()
        return account, None
    throttle.failures += 1
    refusal = _wrong_credentials()
    if throttle.failures >= settings.ACCOUNTS_LOCKOUT_FAILURES:
        throttle.locked_until = now + timedelta(minutes=settings.ACCOUNTS_LOCKOUT_MINUTES)
        refusal = _locked(throttle.locked_until, now)
        audit("sign_in_locked_out", outcome="denied", target=account,
              data={"identifier": masked, "failures": throttle.failures,
                    "locked_until": throttle.locked_until.isoformat()})
    throttle.save()
    audit("sign_in_failed", outcome="failed", target=account,
          data={"identifier": masked, "failures": throttle.failures})
    return None, refusal


def authenticate_citizen(*, identifier: str, password: str) -> CitizenAccount:
    """The citizen account with this mobile number or e-mail address and password, or
    ``SignInRefused`` with one message for every wrong case and another for a locked-out
    identifier. A failure is counted (and committed) before the refusal is raised."""
    account, refusal = _authenticate(identifier=identifier, password=password)
    if refusal is not None:
        raise refusal
    return account


def _prune_ended_sessions(account: CitizenAccount) -> None:
    store = session_store_class()
    rows = list(CitizenSession.objects.filter(account=account).values_list("pk", "session_key"))
    ended = [pk for pk, key in rows if not store().exists(key)]
    if ended:
        CitizenSession.objects.filter(pk__in=ended).delete()


@transaction.atomic
def sign_in_citizen(*, request, account: CitizenAccount,
                    via_identity_provider: bool = False) -> None:
    """Start the citizen's session: ``login`` with a new session key (no session fixation),
    a ``CitizenSession`` row with the masked client address and device, the sign-in time."""
    if not _is_citizen_user(account):
        raise _wrong_credentials()
    previous_key = request.session.session_key
    login(request, account.user, backend=MODEL_BACKEND)
    if request.session.session_key == previous_key or not request.session.session_key:
        request.session.cycle_key()
    now = timezone.now()
    _prune_ended_sessions(account)
    CitizenSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"account": account, "via_identity_provider": via_identity_provider,
                  "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
                  "client_address": mask_client_address(current_client_address()
                                                        or request.META.get("REMOTE_ADDR"))})
    CitizenAccount.objects.filter(pk=account.pk).update(last_sign_in_at=now)
    account.last_sign_in_at = now
    audit("signed_in", actor=account.user, target=account,
          data={"via_identity_provider": via_identity_provider})


@transaction.atomic
def sign_out_citizen(*, request) -> None:
    """退出: end this session (and forget its ``CitizenSession`` row)."""
    user = request.user
    account = citizen_account_of(user)
    if request.session.session_key:
        CitizenSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)
    if account is not None:
        audit("signed_out", actor=user, target=account)


@transaction.atomic
def sign_out_everywhere(*, account: CitizenAccount, keep_session_key: str = "") -> int:
    """退出所有设备: end every recorded session of the account (but ``keep_session_key``);
    returns how many were ended."""
    rows = CitizenSession.objects.filter(account=account)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    rows.delete()
    forget_sessions_after_commit(keys)
    audit("signed_out_everywhere", actor=account.user, target=account,
          data={"sessions": len(keys), "kept_current": bool(keep_session_key)})
    return len(keys)


# --- Passwords --------------------------------------------------------------------------------


@transaction.atomic
def request_password_reset(*, identifier: str) -> None:
    """找回密码: a code to the mobile number or e-mail address if an active account has it.
    Otherwise a code is made and counted but never sent, so the answer is the same."""
    kind, value = classify_identifier(identifier)
    try:
        value = validate_contact(kind, value)
    except ValidationError as error:
        raise AccountsRuleViolation({"identifier": list(error.messages)}) from None
    digest = contact_digest(kind, value)
    personal_data = holder_of(kind, digest)
    account = personal_data.account if personal_data is not None else None
    if account is not None and not _is_citizen_user(account):
        account = None
    create_code(purpose=CodePurpose.RESET_PASSWORD, contact_kind=kind, digest=digest,
                account=account, send_to=value if account is not None else "")
    audit("password_reset_requested", target=account,
          data={"identifier": mask_contact(kind, value), "known": account is not None})


def _changed_at() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def _reset_password(*, identifier: str, code: str, new_password: str):
    kind, value = classify_identifier(identifier)
    digest = contact_digest(kind, value)
    personal_data = holder_of(kind, digest, lock=True)
    account = personal_data.account if personal_data is not None else None
    if account is not None and not _is_citizen_user(account):
        account = None
    messages = password_errors(new_password, **password_probe_fields(personal_data))
    if messages:
        raise AccountsRuleViolation({"new_password": messages})
    row, refusal = try_code(purpose=CodePurpose.RESET_PASSWORD, contact_kind=kind, digest=digest,
                            code=code, account=account)
    if refusal is not None:
        return None, refusal
    if account is None or row.account_id != account.pk:
        return None, CodeRejected({"code": [_("验证码不正确或已失效，请重新获取验证码。")]})
    user = account.user
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # The code reached the address: it is proven to be the citizen's.
    mark_contact_verified(personal_data, kind)
    sign_out_everywhere(account=account)
    SignInThrottle.objects.filter(identifier_digest=digest).delete()
    notify(kind="accounts.password_changed", user=user,
           **{"email" if kind == ContactKind.EMAIL else "mobile": value},
           context={"changed_at": _changed_at(), "how": _("通过验证码重置")})
    audit("password_reset", actor=user, target=account,
          data={"identifier": mask_contact(kind, value)})
    return account, None


def reset_password(*, identifier: str, code: str, new_password: str) -> CitizenAccount:
    """Set a new password with the code sent for the reset: every session ends, the lock-out
    of the identifier is cleared, the citizen is told. Raises ``CodeRejected`` (field ``code``)
    or ``AccountsRuleViolation`` (field ``new_password``)."""
    account, refusal = _reset_password(identifier=identifier, code=code,
                                       new_password=new_password)
    if refusal is not None:
        raise refusal
    return account


@transaction.atomic
def _change_password(*, account: CitizenAccount, current_password: str, new_password: str,
                     request=None) -> AccountsRuleViolation | None:
    user = account.user
    if account.status != AccountStatus.ACTIVE:
        raise AccountsRuleViolation({"__all__": [_("账号已注销，不能再修改。")]})
    if not user.check_password(current_password or ""):
        audit("password_change_refused", actor=user, target=account, outcome="denied")
        return AccountsRuleViolation({"current_password": [_("当前密码不正确。")]})
    errors = password_errors(new_password, **password_probe_fields(
        getattr(account, "personal_data", None)))
    if not errors and new_password == current_password:
        errors = [_("新密码不能与当前密码相同。")]
    if errors:
        raise AccountsRuleViolation({"new_password": errors})
    user.set_password(new_password)
    user.save(update_fields=["password"])
    keep = ""
    if request is not None:
        old_key = request.session.session_key
        update_session_auth_hash(request, user)
        keep = request.session.session_key or ""
        if old_key and keep and old_key != keep:
            CitizenSession.objects.filter(session_key=old_key).update(session_key=keep)
    sign_out_everywhere(account=account, keep_session_key=keep)
    notify(kind="accounts.password_changed", user=user,
           context={"changed_at": _changed_at(), "how": _("修改")})
    audit("password_changed", actor=user, target=account)
    return None


def change_password(*, account: CitizenAccount, current_password: str, new_password: str,
                    request=None) -> None:
    """修改密码: with the current password. The session of ``request`` stays signed in (its key
    is renewed); every other session of the account ends. A wrong current password is audited
    (committed) before ``AccountsRuleViolation`` is raised."""
    refusal = _change_password(account=account, current_password=current_password,
                               new_password=new_password, request=request)
    if refusal is not None:
        raise refusal
