"""实名认证: a citizen asks for their real name and resident ID number to be confirmed; an
account officer approves or rejects the request; the government identity provider (统一身份认证)
confirms it directly through ``confirm_real_name``.

A confirmed ID number belongs to one account only (its blind index is unique), so nobody can
act under another person's identity by confirming their number a second time.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.ratelimit import count_hit, is_over_limit
from chuangkou.core.validators import resident_id_problem
from chuangkou.notifications.actions import notify

from ..choices import IdentityLevel, RealNameRequestStatus, RealNameSource
from ..contacts import id_number_digest
from ..exceptions import AccountClosed, IdentityRefused
from ..levels import identity_level_for
from ..models import CitizenAccount, PersonalData, RealNameRequest
from ..queries.citizens import level_at_least
from ._common import audit

__all__ = [
    "REAL_NAME_MAX_CHARS",
    "REAL_NAME_MIN_CHARS",
    "REJECTION_REASON_MAX_CHARS",
    "approve_real_name_request",
    "confirm_real_name",
    "normalise_id_number",
    "normalise_real_name",
    "real_name_problem",
    "record_real_name_request_viewed",
    "reject_real_name_request",
    "request_real_name",
]

REAL_NAME_MIN_CHARS = 2
REAL_NAME_MAX_CHARS = 30
REJECTION_REASON_MIN_CHARS = 4
REJECTION_REASON_MAX_CHARS = 200
VERIFY_PERMISSION = "accounts.verify_identities"
REQUESTS_PER_DAY_DEFAULT = 5

# Han characters (basic block, extension A and the supplementary planes where rare surname
# characters live) joined by the middle dot of minority names (买买提·艾力).
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
REAL_NAME_PATTERN = re.compile(rf"{_HAN}+(?:·{_HAN}+)*")
# Dots people type for the middle dot of a name, all stored as U+00B7.
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·", ".": "·",
                            "･": "·"})


def normalise_real_name(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").translate(
        _NAME_DOTS)


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()


def real_name_problem(name: str) -> str | None:
    """Why ``name`` (normalised) is not a name as written on a resident ID card, or None."""
    if not REAL_NAME_MIN_CHARS <= len(name) <= REAL_NAME_MAX_CHARS:
        return _("姓名应为%(min)d至%(max)d个字，与居民身份证上的姓名一致。") % {
            "min": REAL_NAME_MIN_CHARS, "max": REAL_NAME_MAX_CHARS}
    if not REAL_NAME_PATTERN.fullmatch(name):
        return _("姓名只能由汉字组成，少数民族姓名中间可用间隔号“·”，与居民身份证上的姓名一致。")
    return None


def _id_taken_message() -> str:
    return _("该身份证号码已实名认证其他账号。如非本人操作，请携带居民身份证到政务服务中心咨询。")


def _validated(real_name: str, id_number: str) -> tuple[str, str]:
    name, number = normalise_real_name(real_name), normalise_id_number(id_number)
    errors = {}
    if problem := real_name_problem(name):
        errors["real_name"] = [problem]
    if problem := resident_id_problem(number):
        errors["id_number"] = [problem]
    if errors:
        raise IdentityRefused(errors)
    return name, number


def _require_active(account: CitizenAccount) -> None:
    if not account.is_active_account:
        raise AccountClosed({"__all__": [_("该账号已注销。")]})


def _require_permission(actor, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise PermissionDenied


def _number_verified_elsewhere(digest: str, account: CitizenAccount) -> bool:
    return PersonalData.objects.filter(id_number_digest=digest).exclude(
        account=account).exists()


@transaction.atomic
def confirm_real_name(*, account, real_name: str, id_number: str, source: str,
                      actor=None) -> None:
    """Record a confirmed real name and ID number (encrypted, with the ID number's blind index)
    and raise the account to the real-name level. ``source`` says who confirmed them: staff
    against the citizen's documents, or the government identity provider's claims.

    Raises ``IdentityRefused`` (field ``id_number``) when the number is confirmed on another
    account, and for a name or number that is not valid."""
    if source not in RealNameSource.values:
        raise ValueError(f"unknown real-name source {source!r}")
    _require_active(account)
    name, number = _validated(real_name, id_number)
    digest = id_number_digest(number)
    locked = CitizenAccount.objects.select_for_update().get(pk=account.pk)
    _require_active(locked)
    if _number_verified_elsewhere(digest, locked):
        raise IdentityRefused({"id_number": [_id_taken_message()]})
    data, _created = PersonalData.objects.select_for_update().get_or_create(account=locked)
    data.real_name, data.id_number, data.id_number_digest = name, number, digest
    data.real_name_verified_at = timezone.now()
    data.real_name_source = source
    try:
        with transaction.atomic():
            data.save()
    except IntegrityError:
        # Another account confirmed the same number between our check and our write.
        raise IdentityRefused({"id_number": [_id_taken_message()]}) from None
    level = identity_level_for(email_verified=data.email_verified_at is not None,
                               mobile_verified=data.mobile_verified_at is not None,
                               real_name_verified=True)
    CitizenAccount.objects.filter(pk=locked.pk).update(identity_level=level)
    account.identity_level = level
    audit("real_name_confirmed", actor=actor, target=locked, data={"source": source})


@transaction.atomic
def request_real_name(*, account, real_name: str, id_number: str) -> RealNameRequest:
    """实名认证申请: the citizen's name and ID number wait for an account officer. Refused while
    another request of theirs is pending, for a number confirmed on another account, and
    before the citizen has verified a mobile number or e-mail address (an unverified account
    may be somebody else's address and is removed after a day)."""
    _require_active(account)
    if not level_at_least(account.identity_level, IdentityLevel.VERIFIED_CONTACT):
        raise IdentityRefused({"__all__": [
            _("请先验证手机号码或电子邮箱，再申请实名认证。")]})
    name, number = _validated(real_name, id_number)
    digest = id_number_digest(number)
    locked = CitizenAccount.objects.select_for_update().get(pk=account.pk)
    _require_active(locked)
    pending_message = _("您已有一份待核验的实名认证申请，请等待工作人员核验后再提交。")
    if locked.real_name_requests.filter(status=RealNameRequestStatus.PENDING).exists():
        raise IdentityRefused({"__all__": [pending_message]})
    if _number_verified_elsewhere(digest, locked):
        raise IdentityRefused({"id_number": [_id_taken_message()]})
    data = PersonalData.objects.filter(account=locked).first()
    if (data is not None and data.real_name_verified_at is not None
            and data.id_number_digest == digest and data.real_name == name):
        raise IdentityRefused({"__all__": [
            _("您已完成实名认证，本次填写的姓名和身份证号码与已认证的一致，无需重复申请。")]})
    limit_key = f"accounts-real-name-requests:{locked.pk}"
    limit = getattr(settings, "ACCOUNTS_REAL_NAME_REQUESTS_PER_DAY", REQUESTS_PER_DAY_DEFAULT)
    if is_over_limit(limit_key, limit):
        raise IdentityRefused({"__all__": [
            _("今天提交实名认证申请的次数已达%(limit)d次，请明天再试。") % {"limit": limit}]})
    try:
        with transaction.atomic():
            created = RealNameRequest.objects.create(account=locked, real_name=name,
                                                     id_number=number, id_number_digest=digest)
    except IntegrityError:
        raise IdentityRefused({"__all__": [pending_message]}) from None
    count_hit(limit_key, window_seconds=24 * 3600)
    audit("real_name_requested", actor=locked.user, target=created)
    return created


def _locked_pending(request: RealNameRequest) -> RealNameRequest:
    locked = (RealNameRequest.objects.select_for_update().select_related("account__user")
              .get(pk=request.pk))
    if locked.status != RealNameRequestStatus.PENDING:
        raise IdentityRefused({"__all__": [
            _("该申请已处理（%(status)s），不能再次核验。") % {
                "status": locked.get_status_display()}]})
    return locked


def _close_request(locked: RealNameRequest, *, status: str, actor, reason: str = "") -> None:
    # The decision is what is kept; the name and number themselves now live only in the
    # account's personal data (if approved), so the request keeps none (个人信息保护法 第十九条).
    locked.status, locked.rejection_reason = status, reason
    locked.decided_at, locked.decided_by = timezone.now(), actor
    locked.real_name, locked.id_number = "", ""
    locked.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by",
                               "real_name", "id_number"])


@transaction.atomic
def approve_real_name_request(*, request: RealNameRequest, actor) -> RealNameRequest:
    """An account officer confirms the name and number against the citizen's documents."""
    _require_permission(actor, VERIFY_PERMISSION)
    locked = _locked_pending(request)
    confirm_real_name(account=locked.account, real_name=locked.real_name,
                      id_number=locked.id_number, source=RealNameSource.STAFF, actor=actor)
    _close_request(locked, status=RealNameRequestStatus.APPROVED, actor=actor)
    audit("real_name_approved", actor=actor, target=locked)
    notify(kind="accounts.real_name_approved", user=locked.account.user,
           context={"display_name": locked.account.display_name},
           url=reverse("accounts:identity"))
    return locked


@transaction.atomic
def reject_real_name_request(*, request: RealNameRequest, actor,
                             reason: str) -> RealNameRequest:
    """An account officer refuses the request, telling the citizen why."""
    _require_permission(actor, VERIFY_PERMISSION)
    reason = " ".join((reason or "").split())
    if not REJECTION_REASON_MIN_CHARS <= len(reason) <= REJECTION_REASON_MAX_CHARS:
        raise IdentityRefused({"reason": [
            _("请说明未通过的原因（%(min)d至%(max)d个字），申请人会收到这段说明。") % {
                "min": REJECTION_REASON_MIN_CHARS, "max": REJECTION_REASON_MAX_CHARS}]})
    locked = _locked_pending(request)
    _close_request(locked, status=RealNameRequestStatus.REJECTED, actor=actor, reason=reason)
    audit("real_name_rejected", actor=actor, target=locked)
    notify(kind="accounts.real_name_rejected", user=locked.account.user,
           context={"display_name": locked.account.display_name, "reason": reason},
           url=reverse("accounts:identity"))
    return locked


@transaction.atomic
def record_real_name_request_viewed(*, request: RealNameRequest, actor) -> RealNameRequest:
    """查看实名认证信息: the account officer deciding a request sees the name and number in
    full; every look is audited."""
    _require_permission(actor, VERIFY_PERMISSION)
    audit("real_name_request_viewed", actor=actor, target=request)
    return request
