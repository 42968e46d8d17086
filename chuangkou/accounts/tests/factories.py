"""Shared test data of the accounts app: citizens at each identity level and enterprises.
Rows are created directly so each part's tests run on their own; the actions' own tests build
through the actions."""

from __future__ import annotations

import itertools
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from chuangkou.organizations.permissions import ACCOUNT_OFFICER_PERMISSIONS

from ..choices import (
    EnterpriseRole,
    EnterpriseStatus,
    IdentityLevel,
    RealNameSource,
)
from ..contacts import contact_digest, id_number_digest
from ..models import CitizenAccount, Enterprise, EnterpriseMembership, PersonalData

PASSWORD = "Hujiao-12345-Zhanghu"
_sequence = itertools.count(1)

# Valid resident ID numbers (GB 11643-1999 check digits) for tests.
RESIDENT_IDS = ("11010519491231002X", "440524188001010014", "110101199003074477",
                "320311198001011235", "330102199912310016")
# Valid 统一社会信用代码 (GB 32100-2015 check characters).
CREDIT_CODES = ("91350100M000100Y43", "91110000600037341L", "91440300708461136T")


def make_citizen(*, mobile: str | None = None, email: str | None = None,
                 level: str = IdentityLevel.VERIFIED_CONTACT, real_name: str = "",
                 id_number: str = "", display_name: str = "", password: str = PASSWORD,
                 **account_fields) -> CitizenAccount:
    """A citizen with a password, a mobile number (unique by default) and, at the verified level
    and above, that contact verified; at the real-name level a confirmed name and ID number."""
    number = next(_sequence)
    if mobile is None and email is None:
        mobile = f"139{number:08d}"
    user = get_user_model().objects.create_user(username=f"c-{uuid.uuid4().hex[:20]}",
                                                password=password)
    account = CitizenAccount.objects.create(user=user, identity_level=level,
                                            display_name=display_name or f"市民{number}",
                                            **account_fields)
    now = timezone.now()
    verified = level != IdentityLevel.UNVERIFIED
    if level == IdentityLevel.REAL_NAME:
        real_name = real_name or "张三"
        id_number = id_number or RESIDENT_IDS[number % len(RESIDENT_IDS)]
    PersonalData.objects.create(
        account=account,
        mobile=mobile or "", mobile_digest=contact_digest("mobile", mobile) if mobile else "",
        mobile_verified_at=now if verified and mobile else None,
        email=email or "", email_digest=contact_digest("email", email) if email else "",
        email_verified_at=now if verified and email else None,
        real_name=real_name, id_number=id_number,
        id_number_digest=id_number_digest(id_number) if level == IdentityLevel.REAL_NAME else "",
        real_name_verified_at=now if level == IdentityLevel.REAL_NAME else None,
        real_name_source=RealNameSource.STAFF if level == IdentityLevel.REAL_NAME else "",
    )
    return account


def make_enterprise(*, administrator: CitizenAccount, name: str = "示例市青禾科技有限公司",
                    credit_code: str | None = None,
                    status: str = EnterpriseStatus.VERIFIED) -> Enterprise:
    enterprise = Enterprise.objects.create(
        name=name, credit_code=credit_code or CREDIT_CODES[next(_sequence) % len(CREDIT_CODES)],
        legal_representative="李四", status=status, registered_by=administrator,
        decided_at=timezone.now() if status != EnterpriseStatus.PENDING else None)
    EnterpriseMembership.objects.create(enterprise=enterprise, account=administrator,
                                        role=EnterpriseRole.ADMINISTRATOR)
    return enterprise


def staff_user(username: str, permissions=ACCOUNT_OFFICER_PERMISSIONS):
    """A staff member holding ``permissions`` directly (the role tables of the admin tests
    prove the role → permission mapping; building the whole cluster here only cost time)."""
    user = get_user_model().objects.create_user(username=username)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label,
                                                         codename=codename))
    return get_user_model().objects.get(pk=user.pk)
