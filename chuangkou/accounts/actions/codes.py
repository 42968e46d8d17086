"""One-time codes (验证码) sent to a mobile number or e-mail address.

A code is six random digits; only its keyed digest is stored (``core.crypto.blind_index``,
separated by purpose and address, so a code for one address never checks for another). It lives
``ACCOUNTS_CODE_LIFETIME_MINUTES``, dies after ``ACCOUNTS_CODE_MAX_ATTEMPTS`` wrong tries, is used
once, and a newer code for the same address and purpose supersedes the older ones.

How many codes may be asked for is limited per address (its digest) and per client address, in
the shared cache; the refusal names the wait. Where an answer must not tell whether an account
exists (password reset of an unknown identifier, a contact already taken) a code row is still
made and counted, but nothing is sent: whoever tries it meets exactly the same checks.

A wrong try must be counted even though the request is refused, so the checks run in a
transaction of their own that commits the count and *returns* the refusal; the public functions
raise it after that transaction has ended (see ``consume_code``).
"""

from __future__ import annotations

import math
import secrets
import time
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.context import current_client_address
from chuangkou.core.crypto import blind_index, same_digest
from chuangkou.core.ratelimit import count_hit, is_over_limit
from chuangkou.notifications.actions import notify

from ..choices import CodePurpose, ContactKind
from ..contacts import contact_digest, mask_contact, normalise_contact
from ..exceptions import CodeRateLimited, CodeRejected
from ..models import CitizenAccount, OneTimeCode
from ._common import audit

__all__ = ["CODE_LENGTH", "consume_code", "issue_code"]

CODE_LENGTH = 6
RATE_WINDOW_SECONDS = 3600


def _code_digest(code: str, *, purpose: str, digest: str) -> str:
    return blind_index(code, purpose=f"code:{purpose}:{digest}")


def _clean_code(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code or "").split())


def _minutes_left(key: str) -> int:
    started = cache.get(f"{key}:started")
    if started is None:
        return RATE_WINDOW_SECONDS // 60
    return max(1, math.ceil((started + RATE_WINDOW_SECONDS - time.time()) / 60))


def _count(key: str) -> None:
    cache.add(f"{key}:started", time.time(), timeout=RATE_WINDOW_SECONDS)
    count_hit(key, window_seconds=RATE_WINDOW_SECONDS)


def check_hourly_limits(limits: list[tuple[str, int, str]]) -> None:
    """Refuse with ``CodeRateLimited`` if any ``(cache key, limit, message)`` is used up, the
    message naming the minutes left in the window; otherwise count one hit on each key.
    The message gets ``%(limit)d`` and ``%(minutes)d``."""
    for key, limit, message in limits:
        if is_over_limit(key, limit):
            raise CodeRateLimited({"__all__": [
                message % {"limit": limit, "minutes": _minutes_left(key)}]})
    for key, _limit, _message in limits:
        _count(key)


def _check_code_limits(*, digest: str, client_address: str | None) -> None:
    check_hourly_limits([
        (f"accounts-codes-contact:{digest}", settings.ACCOUNTS_CODES_PER_HOUR_PER_CONTACT,
         _("获取验证码过于频繁：每个手机号码或邮箱每小时最多获取%(limit)d次，"
           "请%(minutes)d分钟后再试。")),
        (f"accounts-codes-address:{client_address or 'unknown'}",
         settings.ACCOUNTS_CODES_PER_HOUR_PER_ADDRESS,
         _("获取验证码过于频繁：同一网络地址每小时最多获取%(limit)d次，请%(minutes)d分钟后再试。")),
    ])


def create_code(*, purpose: str, contact_kind: str, digest: str, account=None,
                pending_contact: str = "", client_address: str | None = None,
                send_to: str = "") -> OneTimeCode:
    """Rate-limit, supersede, store and (if ``send_to`` is given) send a code for the address
    whose digest is ``digest``. Without ``send_to`` the code is made and counted but never sent,
    so nobody can tell from the answer whether the address belongs to an account."""
    if client_address is None:
        client_address = current_client_address()
    _check_code_limits(digest=digest, client_address=client_address)
    now = timezone.now()
    OneTimeCode.objects.filter(contact_digest=digest, purpose=purpose, used_at__isnull=True,
                               expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10 ** CODE_LENGTH):0{CODE_LENGTH}d}"
    lifetime = settings.ACCOUNTS_CODE_LIFETIME_MINUTES
    row = OneTimeCode.objects.create(
        account=account, purpose=purpose, contact_kind=contact_kind, contact_digest=digest,
        pending_contact=pending_contact,
        code_digest=_code_digest(code, purpose=purpose, digest=digest),
        expires_at=now + timedelta(minutes=lifetime))
    if send_to:
        address = {"email": send_to} if contact_kind == ContactKind.EMAIL else {"mobile": send_to}
        notify(kind="accounts.verification_code", **address,
               context={"code": code, "minutes": lifetime,
                        "purpose_label": str(CodePurpose(purpose).label)})
        audit("code_issued", target=account, data={
            "purpose": purpose, "contact_kind": contact_kind,
            "contact": mask_contact(contact_kind, send_to)})
    return row


@transaction.atomic
def issue_code(*, purpose: str, contact_kind: str, contact: str,
               account: CitizenAccount | None = None, pending_contact: str = "",
               client_address: str | None = None) -> OneTimeCode:
    """Send a new code for ``purpose`` to ``contact`` (a mobile number or e-mail address),
    superseding any earlier live code for it. Raises ``CodeRateLimited`` when the address or
    the client address asked too often this hour."""
    contact = normalise_contact(contact_kind, contact)
    return create_code(purpose=purpose, contact_kind=contact_kind,
                       digest=contact_digest(contact_kind, contact), account=account,
                       pending_contact=pending_contact, client_address=client_address,
                       send_to=contact)


def _rejected(message: str) -> CodeRejected:
    return CodeRejected({"code": [message]})


def try_code(*, purpose: str, contact_kind: str, digest: str, code: str,
             account: CitizenAccount | None = None
             ) -> tuple[OneTimeCode | None, CodeRejected | None]:
    """Check ``code`` against the newest code for the address (of ``account`` if given) and use
    it up if right. Returns ``(code row, None)`` or ``(None, refusal)``; a wrong try is counted
    in the caller's transaction, which must commit before the refusal is raised."""
    candidates = (OneTimeCode.objects.select_for_update()
                  .filter(contact_digest=digest, purpose=purpose, contact_kind=contact_kind)
                  .order_by("-created_at", "-id"))
    if account is not None:
        candidates = candidates.filter(account=account)
    row = candidates.first()
    now = timezone.now()
    maximum = settings.ACCOUNTS_CODE_MAX_ATTEMPTS
    if row is None:
        return None, _rejected(_("验证码不正确或已失效，请重新获取验证码。"))
    if row.used_at is not None:
        return None, _rejected(_("该验证码已使用过，请重新获取验证码。"))
    if row.failed_attempts >= maximum:
        return None, _rejected(_("验证码输错已达%(max)d次，已失效，请重新获取验证码。")
                               % {"max": maximum})
    if row.expires_at <= now:
        return None, _rejected(_("验证码已过期（有效期%(minutes)d分钟），请重新获取验证码。")
                               % {"minutes": settings.ACCOUNTS_CODE_LIFETIME_MINUTES})
    cleaned = _clean_code(code)
    expected = row.code_digest
    if not (cleaned.isdigit() and len(cleaned) == CODE_LENGTH) or not same_digest(
            _code_digest(cleaned, purpose=purpose, digest=digest), expected):
        OneTimeCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
        attempts = row.failed_attempts + 1
        audit("code_rejected", target=row.account, outcome="failed",
              data={"purpose": purpose, "contact_kind": contact_kind, "attempts": attempts})
        if attempts >= maximum:
            return None, _rejected(_("验证码输错已达%(max)d次，已失效，请重新获取验证码。")
                                   % {"max": maximum})
        return None, _rejected(_("验证码不正确，还可以再试%(left)d次。")
                               % {"left": maximum - attempts})
    row.used_at = now
    row.save(update_fields=["used_at"])
    return row, None


@transaction.atomic
def _consume(**kwargs) -> tuple[OneTimeCode | None, CodeRejected | None]:
    return try_code(**kwargs)


def consume_code(*, purpose: str, contact_kind: str, contact: str, code: str,
                 account: CitizenAccount | None = None) -> OneTimeCode:
    """Use up the code sent to ``contact`` for ``purpose``; raises ``CodeRejected`` (field
    ``code``) when it is wrong, used, expired, superseded or tried too often.

    The check runs in its own transaction (``_consume``) that commits a wrong try before the
    refusal is raised here; called inside an outer transaction, a refusal rolls the count back
    with it, so actions of this app call ``try_code`` in their own transaction instead."""
    contact = normalise_contact(contact_kind, contact)
    row, refusal = _consume(purpose=purpose, contact_kind=contact_kind,
                            digest=contact_digest(contact_kind, contact), code=code,
                            account=account)
    if refusal is not None:
        raise refusal
    return row
