"""实名认证 page: who gets in, the request form's per-field messages, one pending request at a
time, the confirmed data masked, no caching, CSRF."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ..choices import IdentityLevel, RealNameRequestStatus
from ..models import RealNameRequest
from .factories import make_citizen

pytestmark = pytest.mark.django_db

URL = reverse("accounts:identity")
LI_ID = "440704199003120021"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def signed_in(account) -> Client:
    client = Client()
    client.force_login(account.user)
    return client


def valid(**overrides):
    return {"real_name": "李娜", "id_number": LI_ID, "consent": "on", **overrides}


def test_anonymous_visitors_are_sent_to_sign_in_and_back():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert "next=%2Fyonghu%2Fidentity%2F" in response["Location"]


def test_staff_are_told_staff_accounts_are_not_citizen_accounts():
    client = Client()
    client.force_login(get_user_model().objects.create_user(username="szf-account-officer",
                                                            is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.post(URL, valid()).status_code == 403
    assert not RealNameRequest.objects.exists()


def test_a_citizen_sees_their_level_and_the_form_never_cached():
    response = signed_in(make_citizen()).get(URL)
    assert response.status_code == 200
    assert "已验证手机或邮箱" in response.content.decode()
    assert 'name="id_number"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_valid_request_is_saved_and_the_page_says_it_waits():
    account = make_citizen()
    client = signed_in(account)
    response = client.post(URL, valid())
    assert response.status_code == 302
    assert RealNameRequest.objects.get(account=account).status == RealNameRequestStatus.PENDING
    page = client.get(URL).content.decode()
    assert "正在等待工作人员核验" in page
    assert 'name="id_number"' not in page


def test_each_wrong_field_gets_its_message_and_nothing_is_saved():
    response = signed_in(make_citizen()).post(URL, valid(real_name="Li Na",
                                                         id_number="440704199003120022",
                                                         consent=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "姓名只能由汉字组成" in page
    assert "校验位不正确" in page
    assert "请勾选同意" in page
    assert 'aria-invalid="true"' in page
    assert not RealNameRequest.objects.exists()


def test_a_number_confirmed_on_another_account_comes_back_on_the_field():
    make_citizen(level=IdentityLevel.REAL_NAME, id_number=LI_ID)
    response = signed_in(make_citizen()).post(URL, valid())
    assert response.status_code == 400
    assert "该身份证号码已实名认证其他账号" in response.content.decode()


def test_a_second_post_while_pending_saves_nothing_more():
    account = make_citizen()
    client = signed_in(account)
    client.post(URL, valid())
    assert client.post(URL, valid()).status_code == 400
    assert RealNameRequest.objects.filter(account=account).count() == 1


def test_an_unverified_citizen_is_told_to_verify_first():
    account = make_citizen(email="wangfang@example.cn", level=IdentityLevel.UNVERIFIED)
    client = signed_in(account)
    assert "请先验证手机号码或电子邮箱" in client.get(URL).content.decode()
    assert client.post(URL, valid()).status_code == 400
    assert not RealNameRequest.objects.exists()


def test_the_confirmed_name_and_number_are_shown_masked():
    account = make_citizen(level=IdentityLevel.REAL_NAME, real_name="欧阳明华",
                           id_number="440703198506150010")
    page = signed_in(account).get(URL).content.decode()
    assert "欧阳**" in page and "4407**********0010" in page
    assert "440703198506150010" not in page and "欧阳明华" not in page


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    account = make_citizen()
    client.force_login(account.user)
    assert client.post(URL, valid()).status_code == 403
    assert not RealNameRequest.objects.exists()
