"""Sign-in (登录), lock-out after repeated failures, sessions and passwords, at the action level:
one answer for every wrong case, five failures in fifteen minutes lock the identifier (known or
not) for fifteen minutes, a new session key at sign-in, sign-out everywhere, password reset by
code and password change."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import override_settings
from django.utils import timezone

from chuangkou.core.models import AuditEvent

from .. import actions
from ..choices import AccountStatus, CodePurpose, IdentityLevel
from ..exceptions import AccountsRuleViolation, CodeRateLimited, CodeRejected, SignInRefused
from ..models import CitizenAccount, CitizenSession, OneTimeCode, SignInThrottle
from .factories import PASSWORD, make_citizen
from .test_codes import _clean_outboxes, codes_sent_to, last_code_to, messages_to, wrong  # noqa: F401

pytestmark = pytest.mark.django_db

MOBILE = "13912345670"
NEW_PASSWORD = "Xicheng-Huiming-2026"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


BAD_PASSWORD = "Wrong-Password-99"


def attempt(identifier=MOBILE, password=BAD_PASSWORD):
    try:
        return actions.authenticate_citizen(identifier=identifier, password=password)
    except SignInRefused as refusal:
        return refusal.errors["__all__"][0]


def signed_in_request(rf, account, *, address="192.0.2.45"):
    request = rf.post("/yonghu/sign-in/", REMOTE_ADDR=address,
                      HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile Safari")
    SessionMiddleware(lambda _request: None).process_request(request)
    request.user = AnonymousUser()
    actions.sign_in_citizen(request=request, account=account)
    request.session.save()
    return request


# --- Authenticating ---------------------------------------------------------------------------


def test_the_right_password_with_mobile_or_email_returns_the_account():
    account = make_citizen(mobile=MOBILE, email="sun.li@example.cn")
    assert attempt(MOBILE, PASSWORD) == account
    assert attempt("+86 139-1234-5670", PASSWORD) == account
    assert attempt("Sun.Li@Example.CN", PASSWORD) == account


def test_unknown_wrong_closed_and_staff_get_one_and_the_same_answer():
    make_citizen(mobile=MOBILE)
    closed = make_citizen(mobile="13912345671", status=AccountStatus.CLOSED,
                          closed_at=timezone.now())
    staff = make_citizen(mobile="13912345672")
    staff.user.is_staff = True
    staff.user.save()
    answers = {attempt(MOBILE, "Not-The-Password-1"), attempt("13900000000", PASSWORD),
               attempt(closed.personal_data.mobile, PASSWORD), attempt("13912345672", PASSWORD),
               attempt("nobody@example.cn", PASSWORD), attempt("", "")}
    assert answers == {"手机号码/邮箱或密码不正确。"}


def test_the_fifth_failure_locks_the_identifier_for_fifteen_minutes():
    account = make_citizen(mobile=MOBILE)
    with time_machine.travel(START, tick=False) as traveller:
        for _failure in range(4):
            assert attempt() == "手机号码/邮箱或密码不正确。"
        assert attempt() == "登录失败次数过多，请15分钟后再试。"
        traveller.shift(timedelta(minutes=14, seconds=30))
        assert attempt(MOBILE, PASSWORD) == "登录失败次数过多，请1分钟后再试。"
        traveller.shift(timedelta(seconds=31))
        assert attempt(MOBILE, PASSWORD) == account
    assert not SignInThrottle.objects.exists()


def test_an_unknown_identifier_is_locked_out_the_same_way():
    make_citizen(mobile=MOBILE)
    answers = [attempt("13800000000") for _failure in range(6)]
    assert answers[:4] == ["手机号码/邮箱或密码不正确。"] * 4
    assert answers[4:] == ["登录失败次数过多，请15分钟后再试。"] * 2
    assert attempt(MOBILE, PASSWORD) != answers[-1]


def test_failures_further_apart_than_the_window_do_not_add_up():
    make_citizen(mobile=MOBILE)
    with time_machine.travel(START, tick=False) as traveller:
        for _failure in range(4):
            attempt()
        traveller.shift(timedelta(minutes=15, seconds=1))
        answers = [attempt() for _failure in range(4)]
    assert answers == ["手机号码/邮箱或密码不正确。"] * 4


def test_a_successful_sign_in_clears_the_count():
    account = make_citizen(mobile=MOBILE)
    for _failure in range(4):
        attempt()
    assert attempt(MOBILE, PASSWORD) == account
    assert [attempt() for _failure in range(4)] == ["手机号码/邮箱或密码不正确。"] * 4


@override_settings(ACCOUNTS_LOCKOUT_FAILURES=2, ACCOUNTS_LOCKOUT_MINUTES=30)
def test_the_lock_out_is_configurable():
    make_citizen(mobile=MOBILE)
    assert [attempt(), attempt()] == ["手机号码/邮箱或密码不正确。",
                                      "登录失败次数过多，请30分钟后再试。"]


def test_failures_and_lock_out_are_audited_with_the_identifier_masked():
    account = make_citizen(mobile=MOBILE)
    for _failure in range(6):
        attempt()
    failed = AuditEvent.objects.filter(action="accounts.sign_in_failed")
    assert failed.count() == 5 and all(event.outcome == "failed" for event in failed)
    locked = AuditEvent.objects.get(action="accounts.sign_in_locked_out")
    assert locked.data["identifier"] == "139****5670" and locked.target_id == str(account.pk)
    assert AuditEvent.objects.filter(action="accounts.sign_in_refused_locked").count() == 1
    for event in AuditEvent.objects.filter(action__startswith="accounts.sign_in"):
        assert MOBILE not in repr(event.data)


# --- Sessions ---------------------------------------------------------------------------------


def test_signing_in_gives_a_new_session_key_and_records_the_session(rf):
    account = make_citizen(mobile=MOBILE)
    request = rf.post("/yonghu/sign-in/", REMOTE_ADDR="192.0.2.45",
                      HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Firefox/128.0")
    SessionMiddleware(lambda _request: None).process_request(request)
    request.session["accounts.registration"] = {"kind": "mobile"}
    request.session.save()
    before = request.session.session_key
    request.user = AnonymousUser()
    actions.sign_in_citizen(request=request, account=account)
    assert request.session.session_key and request.session.session_key != before
    assert not SessionStore().exists(before)
    assert request.user == account.user
    session = CitizenSession.objects.get(account=account)
    assert session.session_key == request.session.session_key
    assert session.client_address == "192.0.2.*"
    assert "Firefox" in session.user_agent
    account.refresh_from_db()
    assert account.last_sign_in_at is not None
    assert AuditEvent.objects.filter(action="accounts.signed_in",
                                     target_id=str(account.pk)).exists()


def test_a_closed_account_is_never_signed_in(rf):
    account = make_citizen(mobile=MOBILE, status=AccountStatus.CLOSED, closed_at=timezone.now())
    request = rf.post("/yonghu/sign-in/")
    SessionMiddleware(lambda _request: None).process_request(request)
    request.user = AnonymousUser()
    with pytest.raises(SignInRefused):
        actions.sign_in_citizen(request=request, account=account)
    assert not CitizenSession.objects.exists()


def test_sign_out_everywhere_ends_every_session_of_the_account(rf,
                                                               django_capture_on_commit_callbacks):
    account, other = make_citizen(mobile=MOBILE), make_citizen()
    phone, laptop = signed_in_request(rf, account), signed_in_request(rf, account)
    bystander = signed_in_request(rf, other)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.sign_out_everywhere(account=account) == 2
    assert not SessionStore().exists(phone.session.session_key)
    assert not SessionStore().exists(laptop.session.session_key)
    assert SessionStore().exists(bystander.session.session_key)
    assert list(CitizenSession.objects.values_list("account", flat=True)) == [other.pk]
    event = AuditEvent.objects.get(action="accounts.signed_out_everywhere")
    assert event.data["sessions"] == 2


def test_sign_out_everywhere_can_keep_the_current_session(rf, django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE)
    current, other = signed_in_request(rf, account), signed_in_request(rf, account)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.sign_out_everywhere(
            account=account, keep_session_key=current.session.session_key) == 1
    assert SessionStore().exists(current.session.session_key)
    assert not SessionStore().exists(other.session.session_key)


def test_signing_in_forgets_sessions_that_have_ended(rf):
    account = make_citizen(mobile=MOBILE)
    old = signed_in_request(rf, account)
    SessionStore(session_key=old.session.session_key).delete()
    signed_in_request(rf, account)
    assert CitizenSession.objects.filter(account=account).count() == 1


# --- Password reset ---------------------------------------------------------------------------


def test_reset_sends_a_code_only_to_an_address_with_an_account(
        django_capture_on_commit_callbacks):
    make_citizen(mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.request_password_reset(identifier=MOBILE) is None
        assert actions.request_password_reset(identifier="13800000000") is None
    assert codes_sent_to(MOBILE) and "找回密码" in messages_to(MOBILE)[-1]
    assert not messages_to("13800000000")
    assert OneTimeCode.objects.filter(purpose=CodePurpose.RESET_PASSWORD).count() == 2


@override_settings(ACCOUNTS_CODES_PER_HOUR_PER_CONTACT=1)
def test_reset_requests_are_limited_alike_for_known_and_unknown_addresses():
    make_citizen(mobile=MOBILE)
    answers = []
    for identifier in (MOBILE, "13800000000"):
        actions.request_password_reset(identifier=identifier)
        with pytest.raises(CodeRateLimited) as refused:
            actions.request_password_reset(identifier=identifier)
        answers.append(refused.value.errors)
    assert answers[0] == answers[1]


def test_reset_refuses_an_identifier_that_is_no_address():
    with pytest.raises(AccountsRuleViolation) as refused:
        actions.request_password_reset(identifier="12345")
    assert refused.value.errors == {"identifier": ["手机号码应为以1开头的11位数字。"]}


def test_reset_sets_the_password_ends_sessions_clears_the_lock_and_tells_the_citizen(
        rf, django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE, email="reset@example.cn")
    session = signed_in_request(rf, account)
    for _failure in range(5):
        attempt()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_password_reset(identifier=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reset_password(identifier=MOBILE, code=last_code_to(MOBILE),
                               new_password=NEW_PASSWORD)
    assert attempt(MOBILE, NEW_PASSWORD) == account
    assert not SessionStore().exists(session.session.session_key)
    assert any("通过验证码重置" in text for text in messages_to(MOBILE))
    assert any("通过验证码重置" in text for text in messages_to("reset@example.cn"))
    assert AuditEvent.objects.filter(action="accounts.password_reset").exists()


def test_a_wrong_reset_code_answers_alike_for_known_and_unknown_addresses(
        django_capture_on_commit_callbacks):
    make_citizen(mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_password_reset(identifier=MOBILE)
        actions.request_password_reset(identifier="13800000000")
    answers = []
    for identifier, code in ((MOBILE, wrong(last_code_to(MOBILE))), ("13800000000", "123456")):
        with pytest.raises(CodeRejected) as refused:
            actions.reset_password(identifier=identifier, code=code, new_password=NEW_PASSWORD)
        answers.append(refused.value.errors)
    assert answers[0] == answers[1] == {"code": ["验证码不正确，还可以再试4次。"]}


def test_a_weak_new_password_is_refused_without_using_up_the_code(
        django_capture_on_commit_callbacks):
    make_citizen(mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_password_reset(identifier=MOBILE)
    code = last_code_to(MOBILE)
    with pytest.raises(AccountsRuleViolation) as refused:
        actions.reset_password(identifier=MOBILE, code=code, new_password="1qaz2wsx3edc")
    assert "new_password" in refused.value.errors
    actions.reset_password(identifier=MOBILE, code=code, new_password=NEW_PASSWORD)


def test_a_reset_proves_an_unverified_address(django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE, level=IdentityLevel.UNVERIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_password_reset(identifier=MOBILE)
    actions.reset_password(identifier=MOBILE, code=last_code_to(MOBILE),
                           new_password=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT


# --- Password change --------------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one_and_a_new_one():
    account = make_citizen(mobile=MOBILE)
    with pytest.raises(AccountsRuleViolation) as wrong_current:
        actions.change_password(account=account, current_password="Not-It-2026",
                                new_password=NEW_PASSWORD)
    assert wrong_current.value.errors == {"current_password": ["当前密码不正确。"]}
    assert AuditEvent.objects.get(action="accounts.password_change_refused").outcome == "denied"
    with pytest.raises(AccountsRuleViolation) as same:
        actions.change_password(account=account, current_password=PASSWORD,
                                new_password=PASSWORD)
    assert same.value.errors == {"new_password": ["新密码不能与当前密码相同。"]}
    with pytest.raises(AccountsRuleViolation) as weak:
        actions.change_password(account=account, current_password=PASSWORD,
                                new_password="qq123456789")
    assert "new_password" in weak.value.errors
    account.user.refresh_from_db()
    assert account.user.check_password(PASSWORD)


def test_changing_the_password_keeps_this_session_and_ends_the_others(
        rf, django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE)
    current, other = signed_in_request(rf, account), signed_in_request(rf, account)
    old_key = current.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_password(account=account, current_password=PASSWORD,
                                new_password=NEW_PASSWORD, request=current)
    current.session.save()
    assert current.session.session_key != old_key
    assert list(CitizenSession.objects.values_list("session_key", flat=True)) == [
        current.session.session_key]
    assert not SessionStore().exists(other.session.session_key)
    assert any("密码已于" in text for text in messages_to(MOBILE))
    assert CitizenAccount.objects.get(pk=account.pk).user.check_password(NEW_PASSWORD)
