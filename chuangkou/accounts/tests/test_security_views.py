"""账号安全 page and its forms: who may open it (anonymous, a citizen, another citizen, staff in
every role), contacts shown masked, changing the password keeps this session and ends the
others, changing and verifying an address, the list of sessions with a constant number of
queries, and sign-out everywhere."""

import itertools

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.organizations.choices import Role

from ..choices import IdentityLevel
from ..models import CitizenSession, PersonalData
from .factories import PASSWORD, make_citizen
from .test_codes import _clean_outboxes, last_code_to, messages_to, wrong  # noqa: F401

pytestmark = pytest.mark.django_db

MOBILE = "13944445555"
NEW_PASSWORD = "Jiujiang-Minsheng-2026"
_addresses = itertools.count(1)

POST_ROUTES = [
    ("accounts:security_password", []),
    ("accounts:security_change_contact", ["mobile"]),
    ("accounts:security_confirm_contact", ["mobile"]),
    ("accounts:security_send_code", ["email"]),
    ("accounts:security_verify_contact", ["email"]),
    ("accounts:sign_out_everywhere", []),
]


def browser() -> Client:
    return Client(REMOTE_ADDR=f"192.0.2.{next(_addresses) % 250 + 1}",
                  HTTP_USER_AGENT="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1")


def signed_in(mobile=MOBILE, **citizen) -> tuple[Client, object]:
    account = make_citizen(mobile=mobile, **citizen)
    client = browser()
    response = client.post(reverse("accounts:sign_in"),
                           {"identifier": mobile, "password": PASSWORD})
    assert response.status_code == 302
    return client, account


# --- Who may open it --------------------------------------------------------------------------


@pytest.mark.parametrize(("route", "args"), [("accounts:security", []), *POST_ROUTES])
def test_anonymous_visitors_are_sent_to_sign_in(route, args):
    client = browser()
    response = (client.get if route == "accounts:security" else client.post)(
        reverse(route, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in") + "?next=")


@pytest.mark.parametrize("role", Role.values)
def test_staff_in_every_role_are_told_they_are_no_citizens(cluster, role):
    client = browser()
    client.force_login(cluster.user("city", role))
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 403
    assert "工作人员账号" in response.content.decode()
    for route, args in POST_ROUTES:
        assert client.post(reverse(route, args=args)).status_code == 403


def test_a_citizen_sees_only_their_own_contacts_and_sessions_masked():
    client, _account = signed_in(email="chen.jing@example.cn")
    other_client, _other = signed_in("13966667777", email="liu.yang@example.cn")
    page = client.get(reverse("accounts:security")).content.decode()
    assert "139****5555" in page and "c***@example.cn" in page
    assert MOBILE not in page and "chen.jing@example.cn" not in page
    assert "139****7777" not in page and "l***@example.cn" not in page
    assert page.count("Safari/605.1") == 1 and "192.0.2.*" in page
    assert "no-store" in client.get(reverse("accounts:security"))["Cache-Control"]
    other_page = other_client.get(reverse("accounts:security")).content.decode()
    assert "139****7777" in other_page and "139****5555" not in other_page


def test_an_unknown_contact_kind_is_not_found():
    client, _account = signed_in()
    assert client.post(reverse("accounts:security_send_code", args=["wechat"])).status_code == 404


def test_an_unverified_citizen_is_warned_the_registration_will_be_removed():
    client, _account = signed_in(level=IdentityLevel.UNVERIFIED)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "否则这次注册将被删除" in page
    assert f'action="{reverse("accounts:security_verify_contact", args=["mobile"])}"' in page


# --- Password ---------------------------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_other(
        django_capture_on_commit_callbacks):
    client, account = signed_in()
    laptop = browser()
    laptop.post(reverse("accounts:sign_in"), {"identifier": MOBILE, "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:security_password"), {
            "password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD,
            "password-new_password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:security")).status_code == 200
    assert laptop.get(reverse("accounts:security")).status_code == 302
    assert CitizenSession.objects.filter(account=account).count() == 1
    assert any("密码已于" in text for text in messages_to(MOBILE))


def test_a_wrong_current_password_is_named_on_its_field():
    client, _account = signed_in()
    response = client.post(reverse("accounts:security_password"), {
        "password-current_password": "Not-It-2026", "password-new_password": NEW_PASSWORD,
        "password-new_password_confirm": NEW_PASSWORD})
    page = response.content.decode()
    assert response.status_code == 400
    assert "当前密码不正确。" in page and 'href="#id_password-current_password"' in page


# --- Addresses --------------------------------------------------------------------------------


def test_changing_the_mobile_number_by_the_page(django_capture_on_commit_callbacks):
    client, account = signed_in()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:security_change_contact", args=["mobile"]),
                               {"mobile-change-new_contact": "13988889999"}, follow=True)
    page = response.content.decode()
    assert "验证码已发送至139****9999" in page
    assert 'id="id_mobile-confirm-code"' in page
    wrong_code = client.post(reverse("accounts:security_confirm_contact", args=["mobile"]),
                             {"mobile-confirm-code": wrong(last_code_to("13988889999"))})
    assert wrong_code.status_code == 400 and "还可以再试4次" in wrong_code.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:security_confirm_contact", args=["mobile"]),
                    {"mobile-confirm-code": last_code_to("13988889999")})
    assert PersonalData.objects.get(account=account).mobile == "13988889999"
    assert any("已于" in text for text in messages_to(MOBILE))


def test_an_invalid_new_address_is_named_on_its_field():
    client, _account = signed_in()
    response = client.post(reverse("accounts:security_change_contact", args=["email"]),
                           {"email-change-new_contact": "chen@@example"})
    assert response.status_code == 400
    assert "请输入有效的电子邮箱地址" in response.content.decode()


def test_verifying_an_address_by_the_page(django_capture_on_commit_callbacks):
    client, account = signed_in(email="he.ping@example.cn", level=IdentityLevel.UNVERIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:security_send_code", args=["email"]))
    response = client.post(reverse("accounts:security_verify_contact", args=["email"]),
                           {"email-verify-code": last_code_to("he.ping@example.cn")})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT


def test_asking_a_code_for_a_verified_address_says_so():
    client, _account = signed_in()
    response = client.post(reverse("accounts:security_send_code", args=["mobile"]), follow=True)
    assert "无需再次验证" in response.content.decode()


# --- Sessions ---------------------------------------------------------------------------------


def test_the_sessions_list_takes_the_same_queries_for_one_or_five_sessions(
        django_assert_num_queries):
    client, _account = signed_in()
    client.get(reverse("accounts:security"))  # warms the per-process caches (site, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("accounts:security"))
    baseline = len(one)
    assert 0 < baseline <= 30
    for _other in range(4):
        browser().post(reverse("accounts:sign_in"), {"identifier": MOBILE, "password": PASSWORD})
    with django_assert_num_queries(baseline):
        page = client.get(reverse("accounts:security")).content.decode()
    assert page.count("192.0.2.*") == 5


def test_ended_sessions_are_not_listed():
    client, _account = signed_in()
    laptop = browser()
    laptop.post(reverse("accounts:sign_in"), {"identifier": MOBILE, "password": PASSWORD})
    laptop_key = laptop.cookies["sessionid"].value
    SessionStore(session_key=laptop_key).delete()
    page = client.get(reverse("accounts:security")).content.decode()
    assert page.count("192.0.2.*") == 1


def test_sign_out_everywhere_ends_every_session(django_capture_on_commit_callbacks):
    client, account = signed_in()
    laptop = browser()
    laptop.post(reverse("accounts:sign_in"), {"identifier": MOBILE, "password": PASSWORD})
    bystander, _other = signed_in("13966667777")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:sign_out_everywhere"), follow=True)
    assert "共2处" in response.content.decode()
    assert client.get(reverse("accounts:security")).status_code == 302
    assert laptop.get(reverse("accounts:security")).status_code == 302
    assert bystander.get(reverse("accounts:security")).status_code == 200
    assert not CitizenSession.objects.filter(account=account).exists()


# --- The pages the citizen guard shows --------------------------------------------------------


def test_a_citizen_below_the_level_needed_is_told_how_to_reach_it(rf):
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse

    from ..decorators import citizen_required

    @citizen_required(level=IdentityLevel.REAL_NAME)
    def apply_for_licence(request):
        return HttpResponse("已进入办事页面")

    @citizen_required(level=IdentityLevel.VERIFIED_CONTACT)
    def write_letter(request):
        return HttpResponse("已进入写信页面")

    account = make_citizen(level=IdentityLevel.UNVERIFIED)
    pages = []
    for view in (apply_for_licence, write_letter):
        request = rf.get("/banshi/")
        SessionMiddleware(lambda _request: None).process_request(request)
        request.user = account.user
        response = view(request)
        assert response.status_code == 403
        pages.append(response.content.decode())
    assert "需要实名认证" in pages[0] and reverse("accounts:identity") in pages[0]
    assert "您的账号目前为“未验证”" in pages[0]
    assert "需要已验证手机或邮箱" in pages[1] and reverse("accounts:security") in pages[1]
