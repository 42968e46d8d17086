"""Registration (注册) and contacts: a new unverified account and a code; a taken address
answered the same with nothing created; verification raising the identity level; adding and
changing an address; removing registrations nobody verified."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from chuangkou.core.models import AuditEvent
from chuangkou.notifications.models import Delivery

from .. import actions
from ..choices import AccountStatus, CodePurpose, ContactKind, IdentityLevel
from ..contacts import contact_digest
from ..exceptions import AccountsRuleViolation, CodeRateLimited, CodeRejected
from ..models import CitizenAccount, ExternalIdentity, OneTimeCode, PersonalData
from .factories import PASSWORD, make_citizen
from .test_codes import _clean_outboxes, codes_sent_to, last_code_to, messages_to, wrong  # noqa: F401

pytestmark = pytest.mark.django_db

MOBILE = "13987654321"
STRONG = "Qingdao-Shimin-2026"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


def register(capture, *, contact=MOBILE, kind=ContactKind.MOBILE, password=STRONG,
             display_name=""):
    with capture(execute=True):
        return actions.register_citizen(contact_kind=kind, contact=contact, password=password,
                                        display_name=display_name)


# --- Registering ------------------------------------------------------------------------------


def test_registration_creates_an_unverified_account_and_sends_a_code(
        django_capture_on_commit_callbacks):
    account = register(django_capture_on_commit_callbacks, contact="139 8765 4321",
                       display_name="  李  娜 ")
    user = account.user
    assert user.username.startswith("c-") and len(user.username) == 34
    assert not user.is_staff and not user.is_superuser
    assert user.check_password(STRONG) and user.password != STRONG
    assert account.identity_level == IdentityLevel.UNVERIFIED
    assert account.display_name == "李 娜"
    data = PersonalData.objects.get(account=account)
    assert data.mobile == MOBILE and data.mobile_verified_at is None
    assert data.mobile_digest == contact_digest(ContactKind.MOBILE, MOBILE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM accounts_personaldata WHERE id = %s", [data.pk])
        assert MOBILE not in cursor.fetchone()[0]
    assert codes_sent_to(MOBILE)
    event = AuditEvent.objects.get(action="accounts.registered")
    assert event.data == {"contact_kind": "mobile", "contact": "139****4321"}


def test_registration_by_email_normalises_the_address(django_capture_on_commit_callbacks):
    account = register(django_capture_on_commit_callbacks, contact=" Wang.Fang@Example.CN ",
                       kind=ContactKind.EMAIL)
    assert account.personal_data.email == "wang.fang@example.cn"
    assert last_code_to("wang.fang@example.cn")


def test_every_invalid_field_is_named_and_nothing_is_created(django_capture_on_commit_callbacks):
    with pytest.raises(AccountsRuleViolation) as refused:
        register(django_capture_on_commit_callbacks, contact="2398765432", password="123456",
                 display_name="长" * 41)
    errors = refused.value.errors
    assert errors["contact"] == ["手机号码应为以1开头的11位数字。"]
    assert len(errors["password"]) >= 2
    assert any("10" in message for message in errors["password"])
    assert errors["display_name"] == ["昵称不能超过40个字（现有41个字）。"]
    assert not get_user_model().objects.exists() and not OneTimeCode.objects.exists()


def test_a_common_chinese_password_is_refused(django_capture_on_commit_callbacks):
    with pytest.raises(AccountsRuleViolation) as refused:
        register(django_capture_on_commit_callbacks, password="woaini1314")
    assert any("常见的泄露密码" in message for message in refused.value.errors["password"])


def test_a_password_like_the_email_address_is_refused(django_capture_on_commit_callbacks):
    with pytest.raises(AccountsRuleViolation) as refused:
        register(django_capture_on_commit_callbacks, contact="zhangxiuying@example.cn",
                 kind=ContactKind.EMAIL, password="zhangxiuying@example")
    assert "password" in refused.value.errors


def test_registering_a_taken_address_creates_nothing_and_tells_its_owner(
        django_capture_on_commit_callbacks):
    owner = make_citizen(mobile=MOBILE)
    users = get_user_model().objects.count()
    assert register(django_capture_on_commit_callbacks) is None
    assert get_user_model().objects.count() == users
    assert not codes_sent_to(MOBILE)
    assert any("有人尝试用您的手机号码注册" in text for text in messages_to(MOBILE))
    assert Delivery.objects.filter(kind="accounts.already_registered").count() == 1
    owner.user.refresh_from_db()
    assert owner.user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="accounts.registration_of_taken_contact")
    assert event.outcome == "denied" and MOBILE not in repr(event.data)


def test_a_taken_address_answers_a_code_exactly_like_a_new_registration(
        django_capture_on_commit_callbacks):
    make_citizen(mobile=MOBILE)
    register(django_capture_on_commit_callbacks)
    register(django_capture_on_commit_callbacks, contact="13700001111")
    fresh = last_code_to("13700001111")
    refusals = []
    for contact, code in ((MOBILE, "000000"), ("13700001111", wrong(fresh))):
        with pytest.raises(CodeRejected) as refused:
            actions.confirm_registration(contact_kind=ContactKind.MOBILE, contact=contact,
                                         code=code)
        refusals.append(refused.value.errors)
    assert refusals[0] == refusals[1] == {"code": ["验证码不正确，还可以再试4次。"]}


@override_settings(ACCOUNTS_REGISTRATIONS_PER_HOUR_PER_ADDRESS=2)
def test_registrations_per_client_address_are_limited(django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks, contact="13700000001")
    make_citizen(mobile="13700000002")
    register(django_capture_on_commit_callbacks, contact="13700000002")
    with pytest.raises(CodeRateLimited) as refused:
        register(django_capture_on_commit_callbacks, contact="13700000003")
    assert "同一网络地址每小时最多注册2次" in refused.value.errors["__all__"][0]
    assert not PersonalData.objects.filter(
        mobile_digest=contact_digest("mobile", "13700000003")).exists()


# --- Verifying --------------------------------------------------------------------------------


def test_the_code_verifies_the_registration_and_raises_the_level(
        django_capture_on_commit_callbacks):
    account = register(django_capture_on_commit_callbacks)
    verified = actions.confirm_registration(contact_kind=ContactKind.MOBILE, contact=MOBILE,
                                            code=last_code_to(MOBILE))
    assert verified.pk == account.pk
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT
    assert account.personal_data.mobile_verified_at is not None
    assert AuditEvent.objects.filter(action="accounts.contact_verified").exists()


def test_resending_the_registration_code_sends_a_new_one(django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        actions.resend_registration_code(contact_kind=ContactKind.MOBILE, contact=MOBILE)
    assert len(codes_sent_to(MOBILE)) == 2
    assert actions.confirm_registration(contact_kind=ContactKind.MOBILE, contact=MOBILE,
                                        code=last_code_to(MOBILE))


def test_resending_for_an_address_not_waiting_sends_nothing_but_answers_the_same(
        django_capture_on_commit_callbacks):
    make_citizen(mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.resend_registration_code(contact_kind=ContactKind.MOBILE,
                                                contact=MOBILE) is None
    assert not codes_sent_to(MOBILE)
    assert OneTimeCode.objects.filter(account=None).count() == 1


def test_a_signed_in_citizen_verifies_their_own_address(django_capture_on_commit_callbacks):
    account = make_citizen(email="li.na@example.cn", level=IdentityLevel.UNVERIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.resend_verification_code(account=account, contact_kind=ContactKind.EMAIL)
    with pytest.raises(CodeRejected):
        actions.verify_contact(account=account, contact_kind=ContactKind.EMAIL,
                               code=wrong(last_code_to("li.na@example.cn")))
    actions.verify_contact(account=account, contact_kind=ContactKind.EMAIL,
                           code=last_code_to("li.na@example.cn"))
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT


def test_verifying_an_address_never_lowers_a_real_name_level(django_capture_on_commit_callbacks):
    account = make_citizen(level=IdentityLevel.REAL_NAME, email="zhao@example.cn")
    PersonalData.objects.filter(account=account).update(email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        actions.resend_verification_code(account=account, contact_kind=ContactKind.EMAIL)
    actions.verify_contact(account=account, contact_kind=ContactKind.EMAIL,
                           code=last_code_to("zhao@example.cn"))
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.REAL_NAME


def test_asking_to_verify_a_verified_or_missing_address_is_refused():
    account = make_citizen(mobile=MOBILE)
    with pytest.raises(AccountsRuleViolation) as verified:
        actions.resend_verification_code(account=account, contact_kind=ContactKind.MOBILE)
    assert "已验证" in verified.value.errors["__all__"][0]
    with pytest.raises(AccountsRuleViolation) as missing:
        actions.resend_verification_code(account=account, contact_kind=ContactKind.EMAIL)
    assert "还没有填写邮箱" in missing.value.errors["__all__"][0]


# --- Adding and changing an address -----------------------------------------------------------


def test_changing_the_mobile_number_needs_the_code_sent_to_the_new_one(
        django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.start_contact_change(account=account, contact_kind=ContactKind.MOBILE,
                                     new_contact="13600002222")
    assert not codes_sent_to(MOBILE)
    code = last_code_to("13600002222")
    assert PersonalData.objects.get(account=account).mobile == MOBILE
    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm_contact_change(account=account, contact_kind=ContactKind.MOBILE,
                                       code=code)
    data = PersonalData.objects.get(account=account)
    assert data.mobile == "13600002222"
    assert data.mobile_digest == contact_digest("mobile", "13600002222")
    assert data.mobile_verified_at is not None
    assert any("已于" in text and "136****2222" in text for text in messages_to(MOBILE))
    event = AuditEvent.objects.get(action="accounts.contact_changed")
    assert event.data["new_contact"] == "136****2222" and MOBILE not in repr(event.data)


def test_adding_an_email_address_raises_an_unverified_account(django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE, level=IdentityLevel.UNVERIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.start_contact_change(account=account, contact_kind=ContactKind.EMAIL,
                                     new_contact="Zhou.Min@Example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm_contact_change(account=account, contact_kind=ContactKind.EMAIL,
                                       code=last_code_to("zhou.min@example.cn"))
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT
    assert account.personal_data.email == "zhou.min@example.cn"
    assert not messages_to(MOBILE)


def test_changing_to_an_address_another_account_holds_sends_nothing(
        django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE)
    make_citizen(mobile="13600003333")
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.start_contact_change(account=account, contact_kind=ContactKind.MOBILE,
                                            new_contact="13600003333") is None
    assert not messages_to("13600003333")
    with pytest.raises(CodeRejected) as refused:
        actions.confirm_contact_change(account=account, contact_kind=ContactKind.MOBILE,
                                       code="123456")
    assert "验证码不正确" in refused.value.errors["code"][0]
    assert PersonalData.objects.get(account=account).mobile == MOBILE


def test_a_change_needs_a_valid_new_address_and_a_started_change():
    account = make_citizen(mobile=MOBILE)
    with pytest.raises(AccountsRuleViolation) as invalid:
        actions.start_contact_change(account=account, contact_kind=ContactKind.EMAIL,
                                     new_contact="li.na@")
    assert invalid.value.errors == {"new_contact": ["请输入有效的电子邮箱地址，例如 name@example.cn。"]}
    with pytest.raises(AccountsRuleViolation) as same:
        actions.start_contact_change(account=account, contact_kind=ContactKind.MOBILE,
                                     new_contact=MOBILE)
    assert "这就是您当前的手机号码" in same.value.errors["new_contact"][0]
    with pytest.raises(CodeRejected) as not_started:
        actions.confirm_contact_change(account=account, contact_kind=ContactKind.MOBILE,
                                       code="123456")
    assert "请先填写新的手机号码" in not_started.value.errors["code"][0]


def test_a_closed_account_cannot_change_its_address():
    account = make_citizen(mobile=MOBILE, status=AccountStatus.CLOSED, closed_at=timezone.now())
    with pytest.raises(AccountsRuleViolation):
        actions.start_contact_change(account=account, contact_kind=ContactKind.MOBILE,
                                     new_contact="13600004444")


# --- Removing unverified registrations --------------------------------------------------------


def test_unverified_registrations_older_than_the_limit_are_removed(
        django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        stale = register(django_capture_on_commit_callbacks, contact="13700000001")
        verified = register(django_capture_on_commit_callbacks, contact="13700000002")
        actions.confirm_registration(contact_kind=ContactKind.MOBILE, contact="13700000002",
                                     code=last_code_to("13700000002"))
        linked = register(django_capture_on_commit_callbacks, contact="13700000003")
        ExternalIdentity.objects.create(account=linked, issuer="https://ias.example.gov.cn",
                                        subject="zw-0001")
        traveller.shift(timedelta(hours=23))
        recent = register(django_capture_on_commit_callbacks, contact="13700000004")
        traveller.shift(timedelta(hours=1, minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert actions.purge_unverified_accounts() == 1
    remaining = set(CitizenAccount.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining
    assert {verified.pk, linked.pk, recent.pk} <= remaining
    assert not get_user_model().objects.filter(pk=stale.user_id).exists()
    assert AuditEvent.objects.get(action="accounts.unverified_accounts_purged").data["removed"] == 1


def test_the_purge_command_reports_how_many_were_removed(django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks)
    CitizenAccount.objects.update(created_at=timezone.now() - timedelta(hours=25))
    out = StringIO()
    call_command("purge_unverified_accounts", stdout=out)
    assert "removed 1 unverified account(s)" in out.getvalue()
    assert not CitizenAccount.objects.exists()


def test_the_purge_runs_as_a_periodic_task():
    from chuangkou.core.periodic import registered_periodic_tasks

    from ..tasks_registration import purge_unverified_accounts_task

    entry = next(task for task in registered_periodic_tasks()
                 if task.name == "accounts.purge_unverified_accounts")
    assert entry.every == timedelta(hours=1)
    assert entry.task is purge_unverified_accounts_task


def test_the_purge_task_removes_stale_registrations(django_capture_on_commit_callbacks):
    from ..tasks_registration import purge_unverified_accounts_task

    register(django_capture_on_commit_callbacks)
    CitizenAccount.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_unverified_accounts_task.call() == 1


def test_codes_never_outlive_a_purged_registration(django_capture_on_commit_callbacks):
    account = register(django_capture_on_commit_callbacks)
    CitizenAccount.objects.update(created_at=timezone.now() - timedelta(hours=25))
    actions.purge_unverified_accounts()
    assert not OneTimeCode.objects.filter(account_id=account.pk).exists()
    assert OneTimeCode.objects.filter(purpose=CodePurpose.VERIFY_CONTACT).count() == 0


def test_the_purge_removes_codes_expired_more_than_a_day_ago(django_capture_on_commit_callbacks):
    make_citizen(mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_password_reset(identifier=MOBILE)
        actions.request_password_reset(identifier="13700009999")
    fresh = register(django_capture_on_commit_callbacks, contact="13700008888")
    OneTimeCode.objects.exclude(account=fresh).update(
        expires_at=timezone.now() - timedelta(days=1, minutes=1))
    actions.purge_unverified_accounts()
    assert list(OneTimeCode.objects.values_list("account", flat=True)) == [fresh.pk]
    event = AuditEvent.objects.get(action="accounts.unverified_accounts_purged")
    assert event.data["expired_codes_removed"] == 2
