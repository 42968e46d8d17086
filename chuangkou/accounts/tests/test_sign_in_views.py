"""The sign-in and sign-out pages: a new session key at sign-in, a safe ``next``, one answer for
every wrong case, lock-out and the per-address limit on the page, sign-out by POST only, the
header links, sessions ending after 30 minutes idle and secure cookies in production."""

import itertools
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from ..models import CitizenSession
from .factories import PASSWORD, make_citizen
from .test_codes import _clean_outboxes  # noqa: F401

pytestmark = pytest.mark.django_db

MOBILE = "13922223333"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))
REPO = Path(__file__).resolve().parents[3]
_addresses = itertools.count(1)


def browser(**kwargs) -> Client:
    return Client(REMOTE_ADDR=f"198.51.100.{next(_addresses) % 250 + 1}",
                  HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile", **kwargs)


def sign_in(client: Client, identifier=MOBILE, password=PASSWORD, query=""):
    return client.post(reverse("accounts:sign_in") + query,
                       {"identifier": identifier, "password": password})


def errors_of(response) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', response.content.decode(), re.S)


def test_signing_in_gives_a_new_session_key_and_goes_home():
    account = make_citizen(mobile=MOBILE)
    client = browser()
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:homepage")
    after = client.cookies["sessionid"].value
    assert after != before
    assert CitizenSession.objects.get(account=account).session_key == after
    assert client.get(reverse("accounts:security")).status_code == 200


def test_a_safe_next_is_followed_and_a_foreign_one_ignored():
    make_citizen(mobile=MOBILE)
    response = sign_in(browser(), query="?next=/banshi/")
    assert response["Location"] == "/banshi/"
    response = sign_in(browser(), query="?next=https://evil.example.com/steal")
    assert response["Location"] == reverse("accounts:homepage")
    response = sign_in(browser(), query="?next=//evil.example.com/")
    assert response["Location"] == reverse("accounts:homepage")


def test_a_protected_page_sends_anonymous_visitors_to_sign_in_and_back():
    make_citizen(mobile=MOBILE)
    client = browser()
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in") + "?next=%2Fyonghu%2Fsecurity%2F"
    assert sign_in(client, query="?next=%2Fyonghu%2Fsecurity%2F")["Location"] == "/yonghu/security/"


def test_wrong_password_and_unknown_address_get_the_same_answer():
    make_citizen(mobile=MOBILE)
    known = sign_in(browser(), password="Not-The-Password-1")
    unknown = sign_in(browser(), identifier="13800001111")
    assert known.status_code == unknown.status_code == 400
    assert errors_of(known) == errors_of(unknown)
    assert "手机号码/邮箱或密码不正确。" in known.content.decode()
    assert 'value="Not-The-Password-1"' not in known.content.decode()


def test_a_staff_user_cannot_sign_in_here():
    get_user_model().objects.create_user(username="13922224444", password=PASSWORD,
                                         is_staff=True)
    response = sign_in(browser(), identifier="13922224444")
    assert response.status_code == 400
    assert "手机号码/邮箱或密码不正确。" in response.content.decode()


def test_a_signed_in_citizen_gets_no_way_into_the_admin():
    account = make_citizen(mobile=MOBILE)
    client = browser()
    sign_in(client)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    account.user.refresh_from_db()
    assert not account.user.is_staff and not account.user.is_superuser
    assert not account.user.get_all_permissions()


def test_empty_fields_are_named():
    response = browser().post(reverse("accounts:sign_in"), {"identifier": "", "password": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写手机号码或电子邮箱。" in page and "请填写密码。" in page


def test_the_page_tells_a_locked_out_visitor_how_long_to_wait():
    make_citizen(mobile=MOBILE)
    client = browser()
    for _failure in range(5):
        response = sign_in(client, password="Not-The-Password-1")
    assert "登录失败次数过多，请15分钟后再试。" in response.content.decode()
    assert "登录失败次数过多" in sign_in(client).content.decode()


@override_settings(ACCOUNTS_SIGN_INS_PER_HOUR_PER_ADDRESS=3)
def test_too_many_sign_ins_from_one_address_get_429():
    make_citizen(mobile=MOBILE)
    client = browser()
    for _attempt in range(3):
        sign_in(client, identifier=f"1380000000{_attempt}")
    response = sign_in(client)
    assert response.status_code == 429
    assert "同一网络地址每小时最多尝试3次" in response.content.decode()
    assert sign_in(browser()).status_code == 302


def test_sign_out_is_post_only_and_ends_the_session():
    account = make_citizen(mobile=MOBILE)
    client = browser()
    sign_in(client)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert not CitizenSession.objects.filter(account=account).exists()
    assert client.get(reverse("accounts:security")).status_code == 302


def test_the_header_offers_sign_in_or_my_homepage_and_sign_out():
    make_citizen(mobile=MOBILE)
    client = browser()
    anonymous = client.get(reverse("accounts:sign_in")).content.decode()
    assert 'href="/yonghu/sign-in/">登录</a>' in anonymous and ">注册</a>" in anonymous
    sign_in(client)
    page = client.get(reverse("accounts:security")).content.decode()
    header = page.split("</header>")[0]
    assert f'href="{reverse("accounts:homepage")}">我的主页</a>' in header
    assert f'action="{reverse("accounts:sign_out")}"' in header
    assert "csrfmiddlewaretoken" in header and ">登录</a>" not in header


def test_a_session_ends_after_thirty_minutes_idle():
    make_citizen(mobile=MOBILE)
    client = browser()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client)
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:security")).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:security")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("accounts:security"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_production_cookies_are_secure_and_http_only():
    script = ("import chuangkou.settings.production as s; print(s.SESSION_COOKIE_SECURE, "
              "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_AGE, "
              "s.SESSION_SAVE_EVERY_REQUEST)")
    env = {key: value for key, value in os.environ.items()
           if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update({"SECRET_KEY": "x" * 20 + "-Zq9#production-secret-key-for-the-check-only-4f8a",
                "ALLOWED_HOSTS": "www.example.gov.cn",
                "PERSONAL_DATA_KEYS": "prod:0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                "PERSONAL_DATA_INDEX_KEY": "00ff11ee22dd33cc44bb55aa66997788"})
    result = subprocess.run([sys.executable, "-c", script],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "1800", "True"]
