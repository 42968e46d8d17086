"""Reads of a citizen's personal data: what their own pages show (masked unless they ask), the
JSON download of everything we hold about them (个人信息保护法 第四十五条), and the account
officer's lists (masked; the full data only through the audited reveal)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from chuangkou.core.masking import mask_name

from ..choices import ContactKind, EnterpriseStatus, RealNameRequestStatus
from ..contacts import classify_identifier, contact_digest, mask_contact
from ..models import (
    CitizenAccount,
    Enterprise,
    EnterpriseMembership,
    PersonalData,
    RealNameRequest,
)

__all__ = [
    "ContactLine",
    "account_data_export",
    "citizen_accounts_for_staff",
    "citizen_for_staff",
    "contact_lines",
    "latest_real_name_request",
    "mask_id_number",
    "masked_name",
    "may_verify_identities",
    "may_view_citizen_accounts",
    "may_view_citizen_personal_data",
    "pending_real_name_requests",
    "personal_data_of",
    "verification_queue_counts",
]


def may_verify_identities(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("accounts.verify_identities"))


def may_view_citizen_accounts(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("accounts.view_citizenaccount"))


def may_view_citizen_personal_data(user) -> bool:
    return bool(user and user.is_authenticated
                and user.has_perm("accounts.view_citizen_personal_data"))


def mask_id_number(number: str) -> str:
    """110105194912310021 → 1101**********0021: the region of issue and the last four."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def personal_data_of(account: CitizenAccount) -> PersonalData | None:
    return PersonalData.objects.filter(account=account).first()


@dataclass(frozen=True)
class ContactLine:
    """One contact as a page shows it: masked unless the citizen asked to see it in full."""

    kind: str
    label: str
    value: str
    verified: bool


def contact_lines(data: PersonalData | None, *, reveal: bool = False) -> list[ContactLine]:
    if data is None:
        return []
    lines = []
    for kind, value, verified_at in ((ContactKind.MOBILE, data.mobile, data.mobile_verified_at),
                                     (ContactKind.EMAIL, data.email, data.email_verified_at)):
        if value:
            shown = value if reveal else mask_contact(kind, value)
            lines.append(ContactLine(kind=kind, label=str(ContactKind(kind).label), value=shown,
                                     verified=verified_at is not None))
    return lines


def latest_real_name_request(account: CitizenAccount) -> RealNameRequest | None:
    return account.real_name_requests.order_by("-submitted_at", "-pk").first()


def _moment(value):
    return timezone.localtime(value).isoformat() if value else None


def account_data_export(account: CitizenAccount) -> dict[str, object]:
    """What the accounts domain holds about the citizen, decrypted (it is their own data):
    account, personal data, real-name requests, enterprises, sign-in sessions, linked identity
    providers, reminders and subscriptions. Other apps' data comes from
    ``homepage.export_citizen_data``."""
    data = personal_data_of(account)
    memberships = (EnterpriseMembership.objects.filter(account=account)
                   .select_related("enterprise").order_by("enterprise__name"))
    return {
        "账号": {
            "账号标识": str(account.public_id),
            "昵称": account.display_name,
            "身份等级": str(account.get_identity_level_display()),
            "状态": str(account.get_status_display()),
            "注册时间": _moment(account.created_at),
            "最近登录": _moment(account.last_sign_in_at),
            "通知方式": {"邮件通知": account.notify_by_email, "短信通知": account.notify_by_sms,
                     "站内消息": account.notify_in_site},
        },
        "个人信息": {
            "手机号码": data.mobile if data else "",
            "手机验证时间": _moment(data.mobile_verified_at) if data else None,
            "电子邮箱": data.email if data else "",
            "邮箱验证时间": _moment(data.email_verified_at) if data else None,
            "姓名": data.real_name if data else "",
            "身份证号码": data.id_number if data else "",
            "实名认证时间": _moment(data.real_name_verified_at) if data else None,
            "实名认证方式": str(data.get_real_name_source_display()) if data and
            data.real_name_source else "",
            "联系地址": data.address if data else "",
        },
        "实名认证申请": [
            {"提交时间": _moment(item.submitted_at), "状态": str(item.get_status_display()),
             "核验时间": _moment(item.decided_at), "未通过原因": item.rejection_reason}
            for item in account.real_name_requests.order_by("submitted_at", "pk")],
        "所属单位": [
            {"单位名称": item.enterprise.name, "统一社会信用代码": item.enterprise.credit_code,
             "单位状态": str(item.enterprise.get_status_display()),
             "角色": str(item.get_role_display()), "加入时间": _moment(item.joined_at)}
            for item in memberships],
        "登录会话": [
            {"登录时间": _moment(item.signed_in_at), "设备": item.user_agent,
             "登录地址（脱敏）": item.client_address,
             "统一身份认证登录": item.via_identity_provider}
            for item in account.sessions.order_by("-signed_in_at")],
        "统一身份认证绑定": [
            {"认证平台": item.issuer, "绑定时间": _moment(item.linked_at)}
            for item in account.external_identities.order_by("linked_at")],
        "提醒": [
            {"提醒事项": item.title, "备注": item.note, "到期日期": item.due_on.isoformat(),
             "提醒日期": item.remind_on.isoformat(), "来源": str(item.get_source_display()),
             "状态": str(item.get_status_display())}
            for item in account.reminders.order_by("remind_on", "pk")],
        "订阅": [
            {"订阅对象": str(item.get_target_display()),
             "名称": str(item.column.title if item.column_id else
                       item.body.name if item.body_id else item.topic),
             "接收方式": str(item.get_delivery_display()), "订阅时间": _moment(item.created_at)}
            for item in account.subscriptions.select_related("column", "body")
            .order_by("created_at", "pk")],
    }


def citizen_accounts_for_staff(*, level: str = "", status: str = "",
                               contact: str = "") -> QuerySet[CitizenAccount]:
    """公众账号 for the account officer, newest first, with the personal data each row masks.
    ``contact`` finds an account by its exact mobile number or e-mail address through the
    blind index (nothing else about a citizen is searchable)."""
    accounts = CitizenAccount.objects.select_related("personal_data").order_by("-created_at",
                                                                                "-pk")
    if level:
        accounts = accounts.filter(identity_level=level)
    if status:
        accounts = accounts.filter(status=status)
    if contact:
        kind, value = classify_identifier(contact)
        field = ("personal_data__mobile_digest" if kind == ContactKind.MOBILE
                 else "personal_data__email_digest")
        accounts = accounts.filter(**{field: contact_digest(kind, value)})
    return accounts


def citizen_for_staff(public_id) -> CitizenAccount | None:
    return (CitizenAccount.objects.select_related("personal_data", "user")
            .prefetch_related(
                Prefetch("enterprise_memberships",
                         queryset=EnterpriseMembership.objects.select_related("enterprise")),
                Prefetch("real_name_requests",
                         queryset=RealNameRequest.objects.select_related("decided_by")
                         .order_by("-submitted_at")))
            .filter(public_id=public_id).first())


def pending_real_name_requests() -> QuerySet[RealNameRequest]:
    """实名认证审核: pending requests, oldest first."""
    return (RealNameRequest.objects.filter(status=RealNameRequestStatus.PENDING)
            .select_related("account").order_by("submitted_at", "pk"))


def masked_name(name: str) -> str:
    return mask_name(name) if name else ""


def verification_queue_counts() -> dict[str, int]:
    """What waits for the account officer (待核验)."""
    return {"real_name_requests": RealNameRequest.objects.filter(
                status=RealNameRequestStatus.PENDING).count(),
            "enterprises": Enterprise.objects.filter(status=EnterpriseStatus.PENDING).count()}
