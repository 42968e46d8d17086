"""Demo citizen accounts at every identity level, a verified enterprise with an administrator
and a member, a pending real-name request and a pending enterprise registration for the account
officer (用户认证专员) to decide. ``demo_citizen(key)`` is what other apps' demo loaders use to
give a demo citizen their applications and letters.

A demo citizen's mobile number or e-mail address counts as verified without the code round
trip (nobody receives the demo's codes), so the account rows are written here directly; every
step after that — the real name, the enterprise, its verification, the invitation and its
acceptance, the pending requests — goes through the actions, as on the live site.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from chuangkou.core.validators import credit_code_check_character, resident_id_check_character
from chuangkou.organizations import actions as organization_actions
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body

from .. import actions
from ..choices import AccountStatus, ContactKind, IdentityLevel, RealNameSource
from ..contacts import contact_digest
from ..models import CitizenAccount, Enterprise, EnterpriseMembership, PersonalData

__all__ = ["DEMO_CITIZENS", "DEMO_CITIZEN_PASSWORD", "DemoCitizen", "citizens_table",
           "demo_citizen", "load"]

DEMO_CITIZEN_PASSWORD = "Shimin-2026-Demo"  # noqa: S105 (public demo credential)
OFFICER_USERNAME = "szf_account_officer"


def _resident_id(first_seventeen: str) -> str:
    return first_seventeen + resident_id_check_character(first_seventeen)


def _credit_code(first_seventeen: str) -> str:
    return first_seventeen + credit_code_check_character(first_seventeen)


@dataclass(frozen=True)
class DemoCitizen:
    key: str
    display_name: str
    description: str
    level: str
    mobile: str = ""
    email: str = ""
    real_name: str = ""
    id_number: str = ""

    @property
    def username(self) -> str:
        return f"c-demo-{self.key}"

    @property
    def sign_in(self) -> str:
        return self.mobile or self.email


# 江门市蓬江区 (440703) and 江海区 (440704), the seed reports' city.
DEMO_CITIZENS: tuple[DemoCitizen, ...] = (
    DemoCitizen("zhangwei", "张伟", "实名认证；江门市青禾农业科技有限公司管理员",
                IdentityLevel.REAL_NAME, mobile="13800138001", email="zhangwei@example.cn",
                real_name="张伟", id_number=_resident_id("44070319850615001")),
    DemoCitizen("lina", "李娜", "已验证手机；青禾农业经办人；实名认证待核验",
                IdentityLevel.VERIFIED_CONTACT, mobile="13800138002",
                real_name="李娜", id_number=_resident_id("44070419900312002")),
    DemoCitizen("wangfang", "王芳", "邮箱未验证", IdentityLevel.UNVERIFIED,
                email="wangfang@example.cn"),
)
BY_KEY = {citizen.key: citizen for citizen in DEMO_CITIZENS}

ENTERPRISE_NAME = "江门市青禾农业科技有限公司"
ENTERPRISE_CODE = _credit_code("91440703MA51QH7K8")
PENDING_ENTERPRISE_NAME = "江门市江海区禾丰物流有限公司"
PENDING_ENTERPRISE_CODE = _credit_code("91440704MA52RT3L6")


def demo_citizen(key: str) -> CitizenAccount | None:
    """The demo ``CitizenAccount`` named ``key`` ("zhangwei", "lina", "wangfang"), or None when
    the accounts demo has not run (or the demo citizen closed the account)."""
    citizen = BY_KEY.get(key)
    if citizen is None:
        return None
    return (CitizenAccount.objects.select_related("user")
            .filter(user__username=citizen.username, status=AccountStatus.ACTIVE).first())


def _ensure_citizen(citizen: DemoCitizen, password_hash: str) -> tuple[CitizenAccount, bool]:
    account = demo_citizen(citizen.key)
    if account is not None:
        return account, False
    user = get_user_model().objects.create(username=citizen.username, password=password_hash)
    account = CitizenAccount.objects.create(user=user, display_name=citizen.display_name,
                                            identity_level=(
                                                IdentityLevel.UNVERIFIED
                                                if citizen.level == IdentityLevel.UNVERIFIED
                                                else IdentityLevel.VERIFIED_CONTACT))
    verified = timezone.now() if citizen.level != IdentityLevel.UNVERIFIED else None
    PersonalData.objects.create(
        account=account,
        mobile=citizen.mobile,
        mobile_digest=contact_digest(ContactKind.MOBILE, citizen.mobile) if citizen.mobile else "",
        mobile_verified_at=verified if citizen.mobile else None,
        email=citizen.email,
        email_digest=contact_digest(ContactKind.EMAIL, citizen.email) if citizen.email else "",
        email_verified_at=verified if citizen.email else None)
    return account, True


def _ensure_officer():
    """The account officer who decides the demo's requests (also listed by ``load_demo``)."""
    from chuangkou.sitecluster.demo import ACCOUNTS, BODIES, DEMO_PASSWORD, OFFICE_HOURS

    spec = next(account for account in ACCOUNTS if account.username == OFFICER_USERNAME)
    body = Body.objects.filter(slug=spec.body).first()
    if body is None:
        body_spec = next(item for item in BODIES if item.slug == spec.body)
        body = organization_actions.create_body(
            parent=None, name=body_spec.name, short_name=body_spec.short_name,
            slug=body_spec.slug, kind=body_spec.kind, credit_code=body_spec.credit_code,
            division_code=body_spec.division_code, address=body_spec.address,
            phone=body_spec.phone, office_hours=OFFICE_HOURS)
    user = get_user_model().objects.filter(username=spec.username).first()
    if user is None:
        user = get_user_model().objects.create(
            username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
            email=f"{spec.username}@example.gov.cn", password=make_password(DEMO_PASSWORD))
    organization_actions.add_membership(user=user, body=body, role=Role.ACCOUNT_OFFICER)
    return get_user_model().objects.get(pk=user.pk)  # fresh, so new group rights are seen


@transaction.atomic
def load(*, stdout=None) -> dict[str, int]:
    """Create what is missing; running it again changes nothing. Returns what was created."""
    created = {"citizens": 0, "enterprises": 0, "members": 0, "requests": 0}
    officer = _ensure_officer()
    password_hash = make_password(DEMO_CITIZEN_PASSWORD)
    accounts = {}
    for citizen in DEMO_CITIZENS:
        accounts[citizen.key], new = _ensure_citizen(citizen, password_hash)
        created["citizens"] += new
    zhangwei, lina = accounts["zhangwei"], accounts["lina"]
    if zhangwei.identity_level != IdentityLevel.REAL_NAME:
        spec = BY_KEY["zhangwei"]
        actions.confirm_real_name(account=zhangwei, real_name=spec.real_name,
                                  id_number=spec.id_number, source=RealNameSource.STAFF,
                                  actor=officer)
    enterprise = Enterprise.objects.filter(credit_code=ENTERPRISE_CODE).first()
    if enterprise is None:
        enterprise = actions.register_enterprise(
            account=zhangwei, name=ENTERPRISE_NAME, credit_code=ENTERPRISE_CODE,
            legal_representative="张伟")
        enterprise = actions.verify_enterprise(enterprise=enterprise, actor=officer)
        created["enterprises"] += 1
    if not EnterpriseMembership.objects.filter(enterprise=enterprise, account=lina).exists():
        invitation = actions.invite_enterprise_member(
            enterprise=enterprise, inviter=zhangwei, contact_kind=ContactKind.MOBILE,
            contact=BY_KEY["lina"].mobile)
        actions.accept_enterprise_invitation(account=lina, token=invitation.token)
        created["members"] += 1
    if not lina.real_name_requests.exists() and lina.identity_level != IdentityLevel.REAL_NAME:
        spec = BY_KEY["lina"]
        actions.request_real_name(account=lina, real_name=spec.real_name,
                                  id_number=spec.id_number)
        created["requests"] += 1
    if not Enterprise.objects.filter(credit_code=PENDING_ENTERPRISE_CODE).exists():
        actions.register_enterprise(account=zhangwei, name=PENDING_ENTERPRISE_NAME,
                                    credit_code=PENDING_ENTERPRISE_CODE,
                                    legal_representative="张伟")
        created["enterprises"] += 1
    if stdout is not None:
        stdout.write("公众账号演示数据：" + "，".join(
            f"{label}{created[key]}" for key, label in (
                ("citizens", "新建账号"), ("enterprises", "新建法人"), ("members", "新增成员"),
                ("requests", "实名申请"))))
    return created


def citizens_table() -> str:
    """The demo citizens as a plain-text table (``load_accounts_demo --list-accounts``)."""
    from chuangkou.sitecluster.demo import _display_width, _pad

    rows = [("代号", "姓名", "登录名（手机/邮箱）", "密码", "说明")] + [
        (citizen.key, citizen.display_name, citizen.sign_in, DEMO_CITIZEN_PASSWORD,
         citizen.description) for citizen in DEMO_CITIZENS]
    widths = [max(_display_width(row[column]) for row in rows) for column in range(5)]
    return "\n".join(
        "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows)
