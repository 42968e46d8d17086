"""The registration and password-reset pages: labelled fields and a message per rule, the same
pages whether or not the address has an account, the address only ever shown masked and kept
encrypted in the session, rate limits, CSRF, no caching."""

import itertools
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, override_settings
from django.urls import reverse

from ..choices import IdentityLevel
from ..models import CitizenAccount
from .factories import make_citizen
from .test_codes import _clean_outboxes, last_code_to, messages_to, wrong  # noqa: F401

pytestmark = pytest.mark.django_db

MOBILE = "13911112222"
STRONG = "Jiangmen-Shimin-2026"
_addresses = itertools.count(1)


def browser(**kwargs) -> Client:
    return Client(REMOTE_ADDR=f"203.0.113.{next(_addresses) % 250 + 1}", **kwargs)


def form(**extra) -> dict:
    return {"contact": MOBILE, "display_name": "", "password": STRONG,
            "password_confirm": STRONG, "consent": "on", **extra}


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def register(client: Client, capture, **extra):
    with capture(execute=True):
        return client.post(reverse("accounts:register"), form(**extra))


# --- Registration -----------------------------------------------------------------------------


def test_the_registration_page_labels_every_field():
    response = browser().get(reverse("accounts:register"))
    page = response.content.decode()
    assert response.status_code == 200
    for field in ("contact", "display_name", "password", "password_confirm", "consent"):
        assert f'for="id_{field}"' in page and f'id="id_{field}"' in page
    assert "csrfmiddlewaretoken" in page
    assert "no-store" in response["Cache-Control"]
    assert 'autocomplete="new-password"' in page


def test_registering_leads_to_the_code_page_with_the_address_masked(
        django_capture_on_commit_callbacks):
    client = browser()
    response = register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_verify")
    page = client.get(response["Location"]).content.decode()
    assert "139****2222" in page and MOBILE not in page
    stored = SessionStore(session_key=client.session.session_key).load()
    assert MOBILE not in repr(stored)


def test_a_taken_address_gets_exactly_the_same_pages(django_capture_on_commit_callbacks):
    make_citizen(mobile="13933334444")
    pages = []
    for mobile in ("13933334444", "13955556666"):
        client = browser()
        response = register(client, django_capture_on_commit_callbacks, contact=mobile)
        verify = client.get(response["Location"])
        page = without_tokens(verify.content.decode()).replace(mobile[:3] + "****" + mobile[-4:],
                                                                "MASKED")
        pages.append((response.status_code, response["Location"], verify.status_code, page))
    assert pages[0] == pages[1]
    assert any("有人尝试用您的手机号码注册" in text for text in messages_to("13933334444"))


def test_every_invalid_field_gets_its_own_message_and_the_summary_links_to_it():
    response = browser().post(reverse("accounts:register"), {
        "contact": "010-12345678", "display_name": "", "password": "Huangpu-2026",
        "password_confirm": "Huangpu-2025"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "手机号码应为以1开头的11位数字。" in page
    assert "两次输入的密码不一致，请重新输入。" in page
    assert "请勾选同意，否则无法注册。" in page
    assert 'href="#id_contact"' in page and 'aria-invalid="true"' in page
    assert "<title>错误：" in page
    assert not CitizenAccount.objects.exists()


def test_the_password_rules_come_back_on_the_password_field():
    response = browser().post(reverse("accounts:register"), form(
        password="woaini1314", password_confirm="woaini1314"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "常见的泄露密码" in page and 'id="id_password-errors"' in page


def test_typed_text_is_escaped_when_the_form_comes_back():
    response = browser().post(reverse("accounts:register"), form(
        contact='<script>alert("x")</script>', consent=""))
    page = response.content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_code_completes_the_registration(django_capture_on_commit_callbacks):
    client = browser()
    register(client, django_capture_on_commit_callbacks)
    response = client.post(reverse("accounts:register_verify"), {"code": last_code_to(MOBILE)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    account = CitizenAccount.objects.get()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT
    assert "验证成功" in client.get(response["Location"]).content.decode()
    assert "accounts.registration" not in client.session


def test_a_wrong_or_malformed_code_is_named_on_the_field(django_capture_on_commit_callbacks):
    client = browser()
    register(client, django_capture_on_commit_callbacks)
    wrong_code = client.post(reverse("accounts:register_verify"),
                             {"code": wrong(last_code_to(MOBILE))})
    assert wrong_code.status_code == 400
    assert "验证码不正确，还可以再试4次。" in wrong_code.content.decode()
    malformed = client.post(reverse("accounts:register_verify"), {"code": "12ab"})
    assert malformed.status_code == 400 and "验证码为6位数字。" in malformed.content.decode()


def test_the_code_page_without_a_registration_goes_back_to_the_form():
    response = browser().get(reverse("accounts:register_verify"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register")


def test_a_new_code_can_be_asked_for(django_capture_on_commit_callbacks):
    client = browser()
    register(client, django_capture_on_commit_callbacks)
    first = last_code_to(MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register_resend"), follow=True)
    assert "新的验证码已发送至139****2222" in response.content.decode()
    assert len([text for text in messages_to(MOBILE) if "验证码" in text]) == 2
    assert client.get(reverse("accounts:register_resend")).status_code == 405
    assert first


@override_settings(ACCOUNTS_REGISTRATIONS_PER_HOUR_PER_ADDRESS=1)
def test_too_many_registrations_from_one_address_get_429(django_capture_on_commit_callbacks):
    client = browser()
    register(client, django_capture_on_commit_callbacks)
    response = register(client, django_capture_on_commit_callbacks, contact="13977778888")
    assert response.status_code == 429
    assert "同一网络地址每小时最多注册1次" in response.content.decode()


def test_a_signed_in_citizen_is_sent_home_from_the_registration_page():
    client = browser()
    client.force_login(make_citizen().user)
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 302


def test_a_post_without_the_csrf_token_is_refused():
    response = browser(enforce_csrf_checks=True).post(reverse("accounts:register"), form())
    assert response.status_code == 403
    assert not CitizenAccount.objects.exists()


# --- Password reset ---------------------------------------------------------------------------


def test_password_reset_by_pages(django_capture_on_commit_callbacks):
    account = make_citizen(mobile=MOBILE)
    client = browser()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:reset"), {"identifier": MOBILE})
    assert response["Location"] == reverse("accounts:reset_confirm")
    page = client.get(response["Location"]).content.decode()
    assert "139****2222" in page and MOBILE not in page
    response = client.post(reverse("accounts:reset_confirm"), {
        "code": last_code_to(MOBILE), "new_password": STRONG, "new_password_confirm": STRONG})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    account.user.refresh_from_db()
    assert account.user.check_password(STRONG)


def test_reset_of_an_unknown_address_gets_the_same_pages(django_capture_on_commit_callbacks):
    make_citizen(mobile=MOBILE)
    pages = []
    for mobile in (MOBILE, "13900009999"):
        client = browser()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:reset"), {"identifier": mobile})
        confirm = client.get(response["Location"])
        pages.append((response.status_code, response["Location"],
                      without_tokens(confirm.content.decode()).replace(
                          mobile[:3] + "****" + mobile[-4:], "MASKED")))
    assert pages[0] == pages[1]
    assert not messages_to("13900009999")


def test_reset_confirm_names_each_problem():
    client = browser()
    client.post(reverse("accounts:reset"), {"identifier": MOBILE})
    response = client.post(reverse("accounts:reset_confirm"), {
        "code": "", "new_password": "Abc-2026-Xyz", "new_password_confirm": "Abc-2026-Xy"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写验证码。" in page and "两次输入的密码不一致" in page


def test_reset_asks_for_a_real_address():
    response = browser().post(reverse("accounts:reset"), {"identifier": "zhang@"})
    assert response.status_code == 400
    assert "请输入有效的电子邮箱地址" in response.content.decode()


def test_reset_confirm_without_a_request_goes_back():
    response = browser().get(reverse("accounts:reset_confirm"))
    assert response["Location"] == reverse("accounts:reset")
