"""One-time codes (验证码): six digits stored only as a digest, sent once, used once, dead after
too many wrong tries or their lifetime, superseded by a newer one, rate limited per address and
per client address with the wait named. Also the helpers other A1 test modules read codes
with."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from chuangkou.core.context import client_address
from chuangkou.core.models import AuditEvent
from chuangkou.notifications import sms
from chuangkou.notifications.actions import SENSITIVE_PLACEHOLDER
from chuangkou.notifications.kinds import get_kind
from chuangkou.notifications.models import Delivery

from ..actions import consume_code, issue_code
from ..choices import CodePurpose, ContactKind
from ..exceptions import CodeRateLimited, CodeRejected
from ..models import OneTimeCode
from .factories import make_citizen

pytestmark = pytest.mark.django_db

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
MOBILE = "13812345678"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


# --- Helpers shared by the A1 test modules ----------------------------------------------------


def codes_sent_to(address: str) -> list[str]:
    """Every code sent so far to ``address`` (e-mail or SMS), oldest first."""
    found = [CODE.search(message.body).group(1) for message in mail.outbox
             if address in message.to and CODE.search(message.body)
             and "验证码" in message.body]
    found += [CODE.search(sent.text).group(1) for sent in sms.outbox
              if sent.mobile == address and "验证码" in sent.text and CODE.search(sent.text)]
    return found


def last_code_to(address: str) -> str:
    codes = codes_sent_to(address)
    assert codes, f"no code was sent to {address}"
    return codes[-1]


def messages_to(address: str) -> list[str]:
    """Every e-mail body and SMS text sent to ``address``."""
    return ([message.body for message in mail.outbox if address in message.to]
            + [sent.text for sent in sms.outbox if sent.mobile == address])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture(autouse=True)
def _clean_outboxes():
    cache.clear()
    sms.outbox.clear()
    mail.outbox.clear()
    yield
    sms.outbox.clear()


def issue(capture, *, contact=MOBILE, kind=ContactKind.MOBILE,
          purpose=CodePurpose.VERIFY_CONTACT, account=None, client="192.0.2.10") -> str:
    with capture(execute=True):
        issue_code(purpose=purpose, contact_kind=kind, contact=contact, account=account,
                   client_address=client)
    return last_code_to(contact)


# --- Issuing ----------------------------------------------------------------------------------


def test_code_is_six_digits_sent_by_sms_and_stored_only_as_a_digest(
        django_capture_on_commit_callbacks):
    code = issue(django_capture_on_commit_callbacks)
    assert re.fullmatch(r"\d{6}", code)
    row = OneTimeCode.objects.get()
    assert row.code_digest != code and code not in row.code_digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_onetimecode")
        assert code not in repr(cursor.fetchall())
    assert "【窗口】" in sms.outbox[-1].text and "10分钟内有效" in sms.outbox[-1].text
    delivery = Delivery.objects.get(kind="accounts.verification_code")
    assert delivery.body == SENSITIVE_PLACEHOLDER
    assert delivery.masked_address == "138****5678"


def test_code_by_email_goes_to_the_address_given(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issue_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.EMAIL,
                   contact="Li.Na@Example.CN")
    code = last_code_to("li.na@example.cn")
    assert mail.outbox[-1].to == ["li.na@example.cn"]
    assert code in mail.outbox[-1].body
    assert "找回密码" not in mail.outbox[-1].body and "验证手机或邮箱" in mail.outbox[-1].body


def test_the_code_kind_is_sensitive_mandatory_and_never_an_inbox_message():
    kind = get_kind("accounts.verification_code")
    assert kind.sensitive and kind.mandatory
    assert set(kind.channels) == {"email", "sms"}


def test_audit_names_the_masked_address_never_the_code(django_capture_on_commit_callbacks):
    code = issue(django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(action="accounts.code_issued")
    assert event.data["contact"] == "138****5678"
    assert code not in repr(event.data) and MOBILE not in repr(event.data)


# --- Using ------------------------------------------------------------------------------------


def test_right_code_is_accepted_once(django_capture_on_commit_callbacks):
    code = issue(django_capture_on_commit_callbacks)
    row = consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                       contact="138 1234 5678", code=code)
    assert row.used_at is not None
    with pytest.raises(CodeRejected) as refused:
        consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                     contact=MOBILE, code=code)
    assert "已使用" in refused.value.errors["code"][0]


def test_full_width_digits_and_spaces_in_the_code_are_accepted(
        django_capture_on_commit_callbacks):
    code = issue(django_capture_on_commit_callbacks)
    typed = " ".join(chr(ord("０") + int(digit)) for digit in code)
    assert consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                        contact=MOBILE, code=typed).used_at is not None


def test_wrong_code_says_how_many_tries_are_left_and_the_count_is_kept(
        django_capture_on_commit_callbacks):
    code = issue(django_capture_on_commit_callbacks)
    with pytest.raises(CodeRejected) as refused:
        consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                     contact=MOBILE, code=wrong(code))
    assert refused.value.errors == {"code": ["验证码不正确，还可以再试4次。"]}
    assert OneTimeCode.objects.get().failed_attempts == 1
    event = AuditEvent.objects.get(action="accounts.code_rejected")
    assert event.outcome == "failed" and code not in repr(event.data)


def test_code_tried_six_times_is_refused(django_capture_on_commit_callbacks):
    code = issue(django_capture_on_commit_callbacks)
    for _attempt in range(5):
        with pytest.raises(CodeRejected):
            consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                         contact=MOBILE, code=wrong(code))
    with pytest.raises(CodeRejected) as refused:
        consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                     contact=MOBILE, code=code)
    assert "输错已达5次" in refused.value.errors["code"][0]
    assert OneTimeCode.objects.get().used_at is None


def test_code_expires_after_its_lifetime(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        code = issue(django_capture_on_commit_callbacks)
        traveller.shift(timedelta(minutes=10, seconds=1))
        with pytest.raises(CodeRejected) as refused:
            consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                         contact=MOBILE, code=code)
    assert "已过期（有效期10分钟）" in refused.value.errors["code"][0]


def test_code_still_works_just_before_it_expires(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        code = issue(django_capture_on_commit_callbacks)
        traveller.shift(timedelta(minutes=9, seconds=59))
        assert consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                            contact=MOBILE, code=code)


def test_a_newer_code_supersedes_the_older_one(django_capture_on_commit_callbacks,
                                               monkeypatch):
    drawn = iter([123456, 654321])
    monkeypatch.setattr("chuangkou.accounts.actions.codes.secrets.randbelow",
                        lambda _limit: next(drawn))
    first = issue(django_capture_on_commit_callbacks)
    second = issue(django_capture_on_commit_callbacks)
    assert (first, second) == ("123456", "654321")
    with pytest.raises(CodeRejected):
        consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                     contact=MOBILE, code=first)
    assert consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                        contact=MOBILE, code=second)
    assert OneTimeCode.objects.filter(expires_at__gt=timezone.now(), used_at=None).count() == 0


def test_a_code_for_one_purpose_is_refused_for_another(django_capture_on_commit_callbacks):
    code = issue(django_capture_on_commit_callbacks, purpose=CodePurpose.VERIFY_CONTACT)
    with pytest.raises(CodeRejected) as refused:
        consume_code(purpose=CodePurpose.RESET_PASSWORD, contact_kind=ContactKind.MOBILE,
                     contact=MOBILE, code=code)
    assert refused.value.errors["code"] == ["验证码不正确或已失效，请重新获取验证码。"]


def test_a_code_of_one_account_is_refused_for_another(django_capture_on_commit_callbacks):
    owner, other = make_citizen(), make_citizen()
    code = issue(django_capture_on_commit_callbacks, account=owner)
    with pytest.raises(CodeRejected):
        consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                     contact=MOBILE, code=code, account=other)
    assert consume_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                        contact=MOBILE, code=code, account=owner)


# --- Rate limits ------------------------------------------------------------------------------


@override_settings(ACCOUNTS_CODES_PER_HOUR_PER_CONTACT=2)
def test_codes_per_address_are_limited_and_the_refusal_names_the_wait(
        django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        issue(django_capture_on_commit_callbacks, client="192.0.2.1")
        issue(django_capture_on_commit_callbacks, client="192.0.2.2")
        traveller.shift(timedelta(minutes=20))
        with pytest.raises(CodeRateLimited) as refused:
            issue_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                       contact=MOBILE, client_address="192.0.2.3")
        assert refused.value.errors["__all__"] == [
            "获取验证码过于频繁：每个手机号码或邮箱每小时最多获取2次，请40分钟后再试。"]
        assert OneTimeCode.objects.count() == 2
        traveller.shift(timedelta(minutes=41))
        issue(django_capture_on_commit_callbacks, client="192.0.2.3")
    assert OneTimeCode.objects.count() == 3


@override_settings(ACCOUNTS_CODES_PER_HOUR_PER_ADDRESS=3)
def test_codes_per_client_address_are_limited(django_capture_on_commit_callbacks):
    for number in range(3):
        issue(django_capture_on_commit_callbacks, contact=f"1391234000{number}")
    with pytest.raises(CodeRateLimited) as refused:
        issue_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                   contact="13912340009", client_address="192.0.2.10")
    assert "同一网络地址每小时最多获取3次" in refused.value.errors["__all__"][0]
    issue(django_capture_on_commit_callbacks, contact="13912340009", client="192.0.2.99")


@override_settings(ACCOUNTS_CODES_PER_HOUR_PER_ADDRESS=1)
def test_the_client_address_comes_from_the_request_context(django_capture_on_commit_callbacks):
    token = client_address.set("198.51.100.7")
    try:
        issue_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                   contact="13912340001")
        with pytest.raises(CodeRateLimited):
            issue_code(purpose=CodePurpose.VERIFY_CONTACT, contact_kind=ContactKind.MOBILE,
                       contact="13912340002")
    finally:
        client_address.reset(token)
