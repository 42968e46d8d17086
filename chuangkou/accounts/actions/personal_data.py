"""A citizen's rights over their personal data (个人信息保护法 第四十五条 查阅复制, 第四十六条
更正补充, 第四十七条 删除): correcting what they may correct themselves, downloading everything,
closing the account; and the account officer's audited look at it.

Closing keeps the citizen's letters and applications (public records with their own retention
rules) and lets each app remove the personal part of them (``homepage.close_citizen_records``);
everything the accounts domain holds about the person is deleted.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.ratelimit import count_hit, is_over_limit

from ..choices import AccountStatus
from ..exceptions import AccountClosed, AccountsRuleViolation
from ..homepage import close_citizen_records, export_citizen_data
from ..models import CitizenAccount, EnterpriseInvitation, OneTimeCode, PersonalData
from ..queries.enterprises import sole_administrator_enterprises
from ..queries.personal_data import account_data_export
from ._common import audit
from .sessions import sign_out_everywhere

__all__ = [
    "ADDRESS_MAX_CHARS",
    "DISPLAY_NAME_MAX_CHARS",
    "close_citizen_account",
    "download_personal_data",
    "record_personal_data_viewed",
    "update_profile",
]

DISPLAY_NAME_MAX_CHARS = 40
ADDRESS_MAX_CHARS = 200
CLOSING_PASSWORD_TRIES = 5
CLOSING_PASSWORD_WINDOW_SECONDS = 15 * 60


def _require_active(account: CitizenAccount) -> None:
    if not account.is_active_account:
        raise AccountClosed({"__all__": [_("该账号已注销。")]})


def _has_control_characters(text: str) -> bool:
    return any(ord(char) < 32 or 0x7F <= ord(char) < 0xA0 for char in text)


@transaction.atomic
def update_profile(*, account: CitizenAccount, display_name: str, address: str,
                   notify_by_email: bool, notify_by_sms: bool,
                   notify_in_site: bool) -> CitizenAccount:
    """更正个人信息: what the citizen may correct themselves. Contacts change through a code
    (security page), name and ID number only through a new real-name request."""
    _require_active(account)
    display_name = " ".join((display_name or "").split())
    address = " ".join((address or "").split())
    errors: dict[str, list[str]] = {}
    if len(display_name) > DISPLAY_NAME_MAX_CHARS or _has_control_characters(display_name):
        errors["display_name"] = [_("昵称不能超过%(max)d个字。") % {"max": DISPLAY_NAME_MAX_CHARS}]
    if len(address) > ADDRESS_MAX_CHARS or _has_control_characters(address):
        errors["address"] = [_("联系地址不能超过%(max)d个字。") % {"max": ADDRESS_MAX_CHARS}]
    if errors:
        raise AccountsRuleViolation(errors)
    locked = CitizenAccount.objects.select_for_update().get(pk=account.pk)
    _require_active(locked)
    data, _created = PersonalData.objects.select_for_update().get_or_create(account=locked)
    changed = [name for name, old, new in (
        ("display_name", locked.display_name, display_name),
        ("address", data.address, address),
        ("notify_by_email", locked.notify_by_email, notify_by_email),
        ("notify_by_sms", locked.notify_by_sms, notify_by_sms),
        ("notify_in_site", locked.notify_in_site, notify_in_site),
    ) if old != new]
    if not changed:
        return locked
    locked.display_name = display_name
    locked.notify_by_email, locked.notify_by_sms = notify_by_email, notify_by_sms
    locked.notify_in_site = notify_in_site
    locked.save(update_fields=["display_name", "notify_by_email", "notify_by_sms",
                               "notify_in_site"])
    if "address" in changed:
        data.address = address
        data.save(update_fields=["address", "updated_at"])
    # Field names only: the values are personal data and stay out of the audit trail.
    audit("profile_updated", actor=locked.user, target=locked, data={"fields": changed})
    return locked


@transaction.atomic
def download_personal_data(*, account: CitizenAccount) -> dict[str, object]:
    """个人信息查阅复制: everything held about the citizen, their own data in clear, with what
    every other app holds; the download itself is audited."""
    _require_active(account)
    exported = {
        "说明": _("本文件包含您在本平台的个人信息及办理记录，请妥善保管。"),
        "导出时间": timezone.localtime().isoformat(),
        **account_data_export(account),
        **export_citizen_data(user=account.user),
    }
    audit("personal_data_downloaded", actor=account.user, target=account)
    return exported


@transaction.atomic
def record_personal_data_viewed(*, account: CitizenAccount, actor) -> PersonalData | None:
    """查看完整个人信息: an account officer opens a citizen's personal data; every look is
    audited, and only who holds ``accounts.view_citizen_personal_data`` may look."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(
            "accounts.view_citizen_personal_data"):
        raise PermissionDenied
    audit("personal_data_viewed", actor=actor, target=account)
    return PersonalData.objects.filter(account=account).first()


@transaction.atomic
def close_citizen_account(*, account: CitizenAccount, password: str) -> int:
    """注销账号: after the password is confirmed, each app anonymises the citizen's records,
    every piece of personal data the accounts domain holds is deleted, every session ends and
    the user can never sign in again. The same mobile number or e-mail address may register
    anew. Returns how many records other apps anonymised.

    Refused while the citizen is the only administrator of an enterprise with other members:
    those members would be left with nobody to manage them."""
    _require_active(account)
    limit_key = f"accounts-close-password:{account.pk}"
    if is_over_limit(limit_key, CLOSING_PASSWORD_TRIES):
        raise AccountsRuleViolation({"password": [
            _("密码错误次数过多，请15分钟后再试。")]})
    if not account.user.check_password(password or ""):
        count_hit(limit_key, window_seconds=CLOSING_PASSWORD_WINDOW_SECONDS)
        raise AccountsRuleViolation({"password": [_("密码不正确，请输入您的登录密码。")]})
    locked = CitizenAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    _require_active(locked)
    if blocking := sole_administrator_enterprises(locked):
        raise AccountsRuleViolation({"__all__": [
            _("您是%(names)s唯一的管理员，请先在“我的单位”中将其他成员设为管理员，再注销账号。") % {
                "names": "、".join(enterprise.name for enterprise in blocking)}]})
    user = locked.user
    anonymised = close_citizen_records(user=user)
    sign_out_everywhere(account=locked)
    PersonalData.objects.filter(account=locked).delete()
    OneTimeCode.objects.filter(account=locked).delete()
    locked.external_identities.all().delete()
    locked.real_name_requests.all().delete()
    locked.enterprise_memberships.all().delete()
    locked.reminders.all().delete()
    locked.subscriptions.all().delete()
    EnterpriseInvitation.objects.filter(invited_by=locked, accepted_at__isnull=True,
                                        revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    now = timezone.now()
    CitizenAccount.objects.filter(pk=locked.pk).update(
        status=AccountStatus.CLOSED, closed_at=now, display_name="", notify_by_email=False,
        notify_by_sms=False, notify_in_site=False)
    user.username = f"closed-{uuid.uuid4().hex}"
    user.is_active = False
    user.email = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.save(update_fields=["username", "is_active", "email", "first_name", "last_name",
                             "password"])
    locked.display_name = account.display_name = ""
    account.status, account.closed_at = AccountStatus.CLOSED, now
    audit("account_closed", actor=user, target=locked, data={"records_anonymised": anonymised})
    return anonymised
