"""个人信息 pages: masked by default and shown in full to the citizen on request, corrections
with per-field messages, the JSON download (POST, attachment, audited), and closing the account
(password, hand-over first, signed out afterwards)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent

from ..choices import AccountStatus, IdentityLevel
from ..models import CitizenAccount, EnterpriseMembership, PersonalData
from .factories import PASSWORD, make_citizen, make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def zhang():
    return make_citizen(mobile="13800138001", email="zhangwei@example.cn",
                        level=IdentityLevel.REAL_NAME, real_name="张伟",
                        id_number="440703198506150010", display_name="<b>张伟</b>")


def signed_in(account) -> Client:
    client = Client()
    client.force_login(account.user)
    return client


@pytest.mark.parametrize("name", ["profile", "profile_edit", "account_close"])
def test_anonymous_visitors_are_sent_to_sign_in(name):
    response = Client().get(reverse(f"accounts:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_my_data_is_masked_until_i_ask_to_see_it(zhang):
    client = signed_in(zhang)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "138****8001" in page and "z***@example.cn" in page and "4407**********0010" in page
    for full in ("13800138001", "zhangwei@example.cn", "440703198506150010"):
        assert full not in page
    assert "&lt;b&gt;张伟&lt;/b&gt;" in page
    revealed = client.post(reverse("accounts:profile"))
    page = revealed.content.decode()
    assert "13800138001" in page and "440703198506150010" in page
    assert "no-store" in revealed["Cache-Control"]


def test_correcting_the_profile(zhang):
    client = signed_in(zhang)
    response = client.post(reverse("accounts:profile_edit"), {
        "display_name": "张伟", "address": "江门市蓬江区建设路38号", "notify_by_email": "on"})
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.display_name, zhang.notify_by_email, zhang.notify_by_sms) == ("张伟", True, False)
    assert PersonalData.objects.get(account=zhang).address == "江门市蓬江区建设路38号"


def test_a_too_long_nickname_comes_back_on_its_field(zhang):
    response = signed_in(zhang).post(reverse("accounts:profile_edit"),
                                     {"display_name": "张" * 41, "address": ""})
    assert response.status_code == 400
    assert "昵称不能超过40个字" in response.content.decode()


def test_the_download_is_a_json_attachment_of_my_own_data(zhang):
    client = signed_in(zhang)
    assert client.get(reverse("accounts:profile_download")).status_code == 405
    response = client.post(reverse("accounts:profile_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["个人信息"]["身份证号码"] == "440703198506150010"
    assert data["账号"]["账号标识"] == str(zhang.public_id)
    assert AuditEvent.objects.filter(action="accounts.personal_data_downloaded",
                                     actor=zhang.user).exists()


def test_another_citizen_downloads_only_their_own_data(zhang):
    other = make_citizen(mobile="13900000001")
    data = json.loads(signed_in(other).post(reverse("accounts:profile_download")).content)
    assert data["个人信息"]["手机号码"] == "13900000001"
    assert "13800138001" not in json.dumps(data, ensure_ascii=False)


def test_closing_with_a_wrong_password_changes_nothing(zhang):
    response = signed_in(zhang).post(reverse("accounts:account_close"),
                                     {"password": "Not-My-Password-1", "confirm": "on"})
    assert response.status_code == 400
    assert "密码不正确" in response.content.decode()
    zhang.refresh_from_db()
    assert zhang.status == AccountStatus.ACTIVE


def test_closing_needs_the_confirmation_box(zhang):
    response = signed_in(zhang).post(reverse("accounts:account_close"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "请勾选确认" in response.content.decode()


def test_closing_signs_out_and_the_account_is_gone(zhang):
    client = signed_in(zhang)
    response = client.post(reverse("accounts:account_close"),
                           {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "账号已注销" in response.content.decode()
    assert CitizenAccount.objects.get(pk=zhang.pk).status == AccountStatus.CLOSED
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_the_only_administrator_is_shown_what_to_hand_over(zhang):
    enterprise = make_enterprise(administrator=zhang, name="江门市青禾农业科技有限公司")
    EnterpriseMembership.objects.create(enterprise=enterprise, account=make_citizen())
    client = signed_in(zhang)
    page = client.get(reverse("accounts:account_close")).content.decode()
    assert "唯一的管理员" in page and "江门市青禾农业科技有限公司" in page
    response = client.post(reverse("accounts:account_close"),
                           {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 400
    assert CitizenAccount.objects.get(pk=zhang.pk).status == AccountStatus.ACTIVE
