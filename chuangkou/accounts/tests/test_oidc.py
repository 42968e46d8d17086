"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit, started by
``conftest.identity_provider``): our start → the provider's authorize and login form → back to our
callback with a code → token exchange, ID token verification, account, session."""

from __future__ import annotations

import html
import re
import socket
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from ..choices import IdentityLevel, RealNameSource
from ..models import CitizenAccount, CitizenSession, ExternalIdentity, PersonalData
from ..oidc import CLIENT_NAME, identity_provider_context
from .factories import make_citizen
from .oidc_provider.seed import CONTACT_USER, REAL_NAME_USER, ProviderUser

pytestmark = pytest.mark.django_db

START = "/yonghu/oidc/start/"
CALLBACK = "/yonghu/oidc/callback/"
LINKS = "/yonghu/oidc/links/"
OUR_HOST = "http://testserver"


@pytest.fixture(autouse=True)
def _fresh_start_limit():
    cache.delete("accounts-oidc-start:127.0.0.1")


def through_provider(location: str, person: ProviderUser) -> str:
    """Play the browser at the provider: follow the authorize redirect, fill in its login form,
    and return the path (with code and state) it sends the browser back to on our site."""
    browser = requests.Session()
    for _step in range(8):
        if location.startswith(OUR_HOST):
            return location.removeprefix(OUR_HOST)
        answer = browser.get(location, allow_redirects=False, timeout=10)
        if answer.status_code == 200 and "csrfmiddlewaretoken" in answer.text:
            form = dict(re.findall(r'name="(csrfmiddlewaretoken|next)" value="([^"]*)"',
                                   answer.text))
            answer = browser.post(answer.url, allow_redirects=False, timeout=10, data={
                "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
                "next": html.unescape(form["next"]),
                "username": person.username, "password": person.password})
        assert answer.status_code == 302, answer.text[:500]
        location = urljoin(answer.url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def sign_in_through_provider(client, person: ProviderUser, *, next_url: str = ""):
    started = client.get(START + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    assert started.status_code == 302
    return client.get(through_provider(started["Location"], person))


def signed_in_user_id(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def test_first_sign_in_creates_a_linked_account_in_a_new_session(client, oidc_settings):
    started = client.get(START + "?" + urlencode({"next": "/banshi/"}))
    authorize = urlsplit(started["Location"])
    query = parse_qs(authorize.query)
    assert started["Location"].startswith(oidc_settings.ACCOUNTS_OIDC_ISSUER + "/authorize/")
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    key_before = client.session.session_key

    finished = client.get(through_provider(started["Location"], CONTACT_USER))

    assert finished.status_code == 302 and finished["Location"] == "/banshi/"
    account = CitizenAccount.objects.select_related("user", "personal_data").get()
    assert signed_in_user_id(client) == account.user_id
    assert client.session.session_key != key_before
    assert account.user.username.startswith("c-") and not account.user.has_usable_password()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT
    data = account.personal_data
    assert data.email == CONTACT_USER.email and data.email_verified_at is not None
    assert data.mobile == "" and data.real_name == ""  # the provider never verified the number
    link = ExternalIdentity.objects.get()
    assert (link.account_id, link.issuer) == (account.pk, oidc_settings.ACCOUNTS_OIDC_ISSUER)
    assert CitizenSession.objects.get(account=account).via_identity_provider
    event = AuditEvent.objects.get(action="accounts.oidc_sign_in")
    assert event.data == {"issuer": oidc_settings.ACCOUNTS_OIDC_ISSUER, "how": "created",
                          "real_name_confirmed": False}


def test_the_same_callback_twice_is_refused_the_second_time(client, oidc_settings):
    started = client.get(START)
    callback = through_provider(started["Location"], CONTACT_USER)
    assert client.get(callback).status_code == 302

    again = client.get(callback)

    assert again.status_code == 400
    assert "登录请求无效或已过期" in again.content.decode()


def test_second_sign_in_reuses_the_linked_account(client, oidc_settings):
    sign_in_through_provider(client, CONTACT_USER)
    client.logout()

    response = sign_in_through_provider(client, CONTACT_USER)

    assert response.status_code == 302
    account = CitizenAccount.objects.get()
    assert signed_in_user_id(client) == account.user_id
    assert ExternalIdentity.objects.get().last_used_at is not None
    assert list(AuditEvent.objects.filter(action="accounts.oidc_sign_in")
                .order_by("pk").values_list("data__how", flat=True)) == ["created", "existing"]


def test_sign_in_goes_to_my_homepage_when_next_leaves_the_site(client, oidc_settings):
    response = sign_in_through_provider(client, CONTACT_USER, next_url="https://evil.example/")

    assert response["Location"] == reverse("accounts:homepage")


def test_verified_email_of_an_existing_account_links_that_account(client, oidc_settings):
    existing = make_citizen(email=CONTACT_USER.email)

    sign_in_through_provider(client, CONTACT_USER)

    assert CitizenAccount.objects.count() == 1
    assert ExternalIdentity.objects.get().account_id == existing.pk
    assert signed_in_user_id(client) == existing.user_id


def test_trusted_real_name_claims_verify_the_account_with_the_number_encrypted(
        client, oidc_settings):
    oidc_settings.ACCOUNTS_OIDC_TRUST_REAL_NAME = True

    sign_in_through_provider(client, REAL_NAME_USER)

    account = CitizenAccount.objects.get()
    assert account.identity_level == IdentityLevel.REAL_NAME
    data = PersonalData.objects.get(account=account)
    assert (data.real_name, data.id_number) == (REAL_NAME_USER.real_name,
                                                REAL_NAME_USER.id_card_number)
    assert data.real_name_source == RealNameSource.IDENTITY_PROVIDER
    assert data.mobile == "13700001111" and data.mobile_verified_at is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM accounts_personaldata WHERE id = %s", [data.pk])
        stored = cursor.fetchone()[0]
    assert REAL_NAME_USER.id_card_number not in stored and stored.startswith("sm4gcm:")


def test_an_id_token_for_another_nonce_is_refused(client, oidc_settings):
    started = client.get(START)
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]
    session = client.session
    key = f"_state_{CLIENT_NAME}_{state}"
    session[key]["data"]["nonce"] = "nonce-of-another-authorization"
    session.save()

    response = client.get(through_provider(started["Location"], CONTACT_USER))

    assert response.status_code == 400
    assert "身份凭证校验失败" in response.content.decode()
    assert not CitizenAccount.objects.exists()


def test_real_name_claims_are_ignored_unless_trusted(client, oidc_settings):
    sign_in_through_provider(client, REAL_NAME_USER)

    account = CitizenAccount.objects.get()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT
    data = PersonalData.objects.get(account=account)
    assert data.id_number == "" and data.real_name_verified_at is None


def test_number_verified_on_another_account_refuses_the_sign_in(client, oidc_settings):
    oidc_settings.ACCOUNTS_OIDC_TRUST_REAL_NAME = True
    owner = make_citizen(level=IdentityLevel.REAL_NAME, id_number=REAL_NAME_USER.id_card_number)

    response = sign_in_through_provider(client, REAL_NAME_USER)

    assert response.status_code == 409
    assert "两个账号不会自动合并" in response.content.decode()
    assert list(CitizenAccount.objects.all()) == [owner]
    assert not ExternalIdentity.objects.exists()
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.get(action="accounts.oidc_sign_in_failed").data["reason"] == (
        "real_name_conflict")


def test_tampered_state_is_refused_and_creates_nothing(client, oidc_settings):
    started = client.get(START)
    callback = through_provider(started["Location"], CONTACT_USER)

    response = client.get(re.sub(r"state=([^&]+)", "state=forged-state", callback))

    assert response.status_code == 400
    assert not CitizenAccount.objects.exists() and not ExternalIdentity.objects.exists()
    assert signed_in_user_id(client) is None


def test_wrong_client_secret_is_refused_with_a_clear_page(client, oidc_settings):
    oidc_settings.ACCOUNTS_OIDC_CLIENT_SECRET = "not-the-registered-secret"

    response = sign_in_through_provider(client, CONTACT_USER)

    assert response.status_code == 502
    assert "统一身份认证平台未完成认证" in response.content.decode()
    assert not CitizenAccount.objects.exists()
    assert AuditEvent.objects.get(action="accounts.oidc_sign_in_failed").data["reason"] == (
        "provider_refused")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_provider_down_shows_a_502_page(client, oidc_settings):
    oidc_settings.ACCOUNTS_OIDC_ISSUER = f"http://127.0.0.1:{closed_port()}/o"

    response = client.get(START)

    assert response.status_code == 502
    assert "暂时无法连接统一身份认证平台" in response.content.decode()


def test_too_many_starts_from_one_address_get_429(client, oidc_settings):
    oidc_settings.ACCOUNTS_OIDC_ISSUER = f"http://127.0.0.1:{closed_port()}/o"
    oidc_settings.ACCOUNTS_OIDC_STARTS_PER_HOUR_PER_ADDRESS = 2
    statuses = [client.get(START).status_code for _attempt in range(3)]

    assert statuses == [502, 502, 429]


def test_cancelling_at_the_provider_shows_a_400_page(client, oidc_settings):
    started = client.get(START)
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]

    response = client.get(CALLBACK, {"error": "access_denied", "state": state})

    assert response.status_code == 400
    assert "您已取消登录" in response.content.decode()
    assert not CitizenAccount.objects.exists()


def test_switched_off_single_sign_on_answers_404(client, settings):
    settings.ACCOUNTS_OIDC_ISSUER = ""

    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


def test_sign_in_button_shows_only_when_an_issuer_is_configured(settings):
    request = RequestFactory().get("/yonghu/sign-in/", {"next": "/banshi/"})
    template = "accounts/includes/identity_provider_button.html"
    settings.ACCOUNTS_OIDC_ISSUER = ""
    assert "登录" not in render_to_string(template, identity_provider_context(request))

    settings.ACCOUNTS_OIDC_ISSUER = "https://tyrz.example.gov.cn/oidc"
    settings.ACCOUNTS_OIDC_PROVIDER_NAME = "浙江政务服务网"
    button = render_to_string(template, identity_provider_context(request))

    assert "使用浙江政务服务网登录" in button
    assert f'href="{START}?next=%2Fbanshi%2F"' in button


def test_signed_in_citizen_links_the_provider_from_the_links_page(client, oidc_settings):
    citizen = make_citizen()
    client.force_login(citizen.user)

    started = client.post(reverse("accounts:oidc_link"))
    finished = client.get(through_provider(started["Location"], CONTACT_USER))

    assert finished["Location"] == LINKS
    assert ExternalIdentity.objects.get().account_id == citizen.pk
    assert CitizenAccount.objects.count() == 1
    assert signed_in_user_id(client) == citizen.user_id


def test_linking_an_identity_that_another_account_holds_is_refused(client, oidc_settings):
    sign_in_through_provider(client, CONTACT_USER)
    holder = ExternalIdentity.objects.get().account
    citizen = make_citizen()
    client.force_login(citizen.user)

    started = client.post(reverse("accounts:oidc_link"))
    response = client.get(through_provider(started["Location"], CONTACT_USER))

    assert response.status_code == 409
    assert "已绑定本网站的另一个账号" in response.content.decode()
    assert list(ExternalIdentity.objects.values_list("account", flat=True)) == [holder.pk]


def test_links_page_lists_only_my_links(client, settings):
    settings.ACCOUNTS_OIDC_ISSUER = "https://tyrz.example.gov.cn/oidc"
    mine, theirs = make_citizen(), make_citizen()
    ExternalIdentity.objects.create(account=mine, issuer="https://tyrz.example.gov.cn/oidc",
                                    subject="mine-1")
    ExternalIdentity.objects.create(account=theirs, issuer="https://other.example.gov.cn/oidc",
                                    subject="theirs-1")
    client.force_login(mine.user)

    page = client.get(LINKS).content.decode()

    assert "统一身份认证平台" in page and "other.example.gov.cn" not in page
    assert "绑定统一身份认证平台账号" not in page  # already linked to the configured provider


def test_links_page_queries_do_not_grow_with_the_number_of_links(client, settings):
    settings.ACCOUNTS_OIDC_ISSUER = "https://tyrz.example.gov.cn/oidc"
    citizen = make_citizen()
    client.force_login(citizen.user)

    def queries_with(count: int) -> int:
        for number in range(citizen.external_identities.count(), count):
            ExternalIdentity.objects.create(account=citizen, issuer=f"https://p{number}.example/o",
                                            subject="s")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LINKS).status_code == 200
        return len(captured)

    assert queries_with(1) == queries_with(4)


def test_links_pages_turn_away_anonymous_visitors_and_staff(client, cluster):
    mine = make_citizen()
    link = ExternalIdentity.objects.create(account=mine, issuer="https://a.example/o",
                                           subject="s")
    unlink = reverse("accounts:oidc_unlink", args=[link.pk])

    for url, method in ((LINKS, client.get), (unlink, client.post),
                        (reverse("accounts:oidc_link"), client.post)):
        response = method(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:sign_in"))
    client.force_login(cluster.user("city", Role.ACCOUNT_OFFICER))
    assert client.get(LINKS).status_code == 403
    assert client.post(unlink).status_code == 403
    assert ExternalIdentity.objects.filter(pk=link.pk).exists()


def test_another_citizens_link_cannot_be_unlinked(client):
    theirs = ExternalIdentity.objects.create(account=make_citizen(), issuer="https://a.example/o",
                                             subject="s")
    client.force_login(make_citizen().user)

    response = client.post(reverse("accounts:oidc_unlink", args=[theirs.pk]))

    assert response.status_code == 404
    assert ExternalIdentity.objects.filter(pk=theirs.pk).exists()


def test_unlinking_the_only_way_in_is_refused_on_the_page(client, settings):
    settings.ACCOUNTS_OIDC_ISSUER = "https://tyrz.example.gov.cn/oidc"
    citizen = make_citizen()
    citizen.user.set_unusable_password()
    citizen.user.save()
    link = ExternalIdentity.objects.create(account=citizen, issuer=settings.ACCOUNTS_OIDC_ISSUER,
                                           subject="only")
    client.force_login(citizen.user)

    response = client.post(reverse("accounts:oidc_unlink", args=[link.pk]))

    assert response.status_code == 400
    assert "不能解除绑定" in response.content.decode()
    assert ExternalIdentity.objects.filter(pk=link.pk).exists()


def test_unlinking_with_a_password_removes_the_link(client, settings):
    settings.ACCOUNTS_OIDC_ISSUER = "https://tyrz.example.gov.cn/oidc"
    citizen = make_citizen()
    link = ExternalIdentity.objects.create(account=citizen, issuer=settings.ACCOUNTS_OIDC_ISSUER,
                                           subject="one")
    client.force_login(citizen.user)

    response = client.post(reverse("accounts:oidc_unlink", args=[link.pk]))

    assert response["Location"] == LINKS
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.oidc_unlinked").exists()
