"""实名认证审核 in the admin: every route against every role (only the account officer gets in),
the queue masked with constant queries, the audited reveal, approval and rejection through
the forms, and refusals coming back on the page."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.role_tables import everyone, who_id

from .. import actions
from ..choices import IdentityLevel, RealNameRequestStatus
from ..models import RealNameRequest
from .factories import make_citizen

pytestmark = pytest.mark.django_db

LI_ID = "440704199003120021"
EVERYONE = everyone(("city", "education"), every_role_in=("city",),
                    domain_roles=(Role.ACCOUNT_OFFICER,))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def pending():
    account = make_citizen(mobile="13800138002", display_name="李娜")
    return actions.request_real_name(account=account, real_name="李娜", id_number=LI_ID)


def officer_client(cluster) -> Client:
    client = Client()
    client.force_login(cluster.user("city", Role.ACCOUNT_OFFICER))
    return client


def routes(item):
    yield "list", "get", reverse("accounts_real_name_requests")
    yield "detail", "get", reverse("accounts_real_name_request", args=[item.pk])
    yield "reveal", "post", reverse("accounts_real_name_request_reveal", args=[item.pk])
    yield "reject", "post", reverse("accounts_real_name_reject", args=[item.pk])
    yield "approve", "post", reverse("accounts_real_name_approve", args=[item.pk])


def expected(who, name) -> int:
    if who is None:
        return 302
    if who[1] != Role.ACCOUNT_OFFICER:
        return 403
    return {"reject": 400, "approve": 302}.get(name, 200)  # reject: no reason given


@pytest.mark.parametrize("who", EVERYONE, ids=who_id)
def test_every_route_answers_every_role_as_the_table_says(cluster, pending, who):
    client = Client()
    if who is not None:
        client.force_login(cluster.user(*who))
    wrong = []
    for name, method, url in routes(pending):
        response = getattr(client, method)(url)
        if response.status_code != expected(who, name):
            wrong.append((name, response.status_code, expected(who, name)))
        if who is None:
            assert "/admin/login/" in response["Location"]
        elif expected(who, name) == 403:
            assert LI_ID not in response.content.decode()
    assert not wrong, wrong
    status = RealNameRequest.objects.get(pk=pending.pk).status
    officer = who is not None and who[1] == Role.ACCOUNT_OFFICER
    assert status == (RealNameRequestStatus.APPROVED if officer else
                      RealNameRequestStatus.PENDING)


def test_a_citizen_never_reaches_the_admin(pending):
    client = Client()
    client.force_login(make_citizen().user)
    response = client.get(reverse("accounts_real_name_requests"))
    assert response.status_code == 302


def test_the_queue_is_masked_and_its_queries_do_not_grow(cluster, pending,
                                                        django_assert_max_num_queries):
    client = officer_client(cluster)
    url = reverse("accounts_real_name_requests")
    client.get(url)
    with django_assert_max_num_queries(40) as counted:
        page = client.get(url).content.decode()
    assert "李*" in page and "4407**********0021" in page and LI_ID not in page
    for number in range(4):
        account = make_citizen()
        actions.request_real_name(account=account, real_name="王芳",
                                  id_number=["11010519491231002X", "440524188001010014",
                                             "110101199003074477", "320311198001011235"][number])
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_reveal_shows_the_number_and_is_audited(cluster, pending):
    response = officer_client(cluster).post(
        reverse("accounts_real_name_request_reveal", args=[pending.pk]))
    assert LI_ID in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="accounts.real_name_request_viewed").count() == 1
    detail = officer_client(cluster).get(reverse("accounts_real_name_request",
                                                 args=[pending.pk]))
    assert LI_ID not in detail.content.decode()


def test_rejecting_with_a_reason_through_the_form(cluster, pending):
    client = officer_client(cluster)
    response = client.post(reverse("accounts_real_name_reject", args=[pending.pk]),
                           {"reason": ""})
    assert response.status_code == 400
    assert "请说明未通过的原因" in response.content.decode()
    response = client.post(reverse("accounts_real_name_reject", args=[pending.pk]),
                           {"reason": "身份证号码与姓名不一致"})
    assert response.status_code == 302
    decided = RealNameRequest.objects.get(pk=pending.pk)
    assert (decided.status, decided.rejection_reason) == (RealNameRequestStatus.REJECTED,
                                                          "身份证号码与姓名不一致")


def test_approving_a_number_taken_meanwhile_shows_why(cluster, pending):
    make_citizen(level=IdentityLevel.REAL_NAME, id_number=LI_ID)
    response = officer_client(cluster).post(reverse("accounts_real_name_approve",
                                                    args=[pending.pk]))
    assert response.status_code == 400
    assert "该身份证号码已实名认证其他账号" in response.content.decode()


def test_an_unknown_request_is_404(cluster):
    assert officer_client(cluster).get(
        reverse("accounts_real_name_request", args=[987654])).status_code == 404


def test_the_menu_shows_the_accounts_items_to_the_officer_only(cluster):
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from ..hooks.menu import accounts_menu

    def shown(who):
        client = Client()
        client.force_login(cluster.user(*who))
        request = client.get(reverse("wagtailadmin_home")).wsgi_request
        return {item.name for item in accounts_menu.menu_items_for_request(request)}

    assert shown(("education", Role.ACCOUNT_OFFICER)) == {
        "accounts-citizens", "accounts-real-name", "accounts-enterprises"}
    for who in (("city", Role.SYSTEM_ADMINISTRATOR), ("city", Role.AUDITOR),
                ("city", Role.SERVICE_HANDLER)):
        assert shown(who) == set(), who


def test_the_home_panel_counts_what_waits_for_the_officer_only(cluster, pending):
    page = officer_client(cluster).get(reverse("wagtailadmin_home")).content.decode()
    assert "实名认证申请 1 份，法人账号注册 0 个" in page
    client = Client()
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    assert "实名认证申请" not in client.get(reverse("wagtailadmin_home")).content.decode()
