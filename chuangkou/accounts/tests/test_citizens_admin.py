"""公众账号 in the admin: every route against every role (only the account officer gets in),
contacts masked in the list with constant queries, exact search through the blind index,
filters, and the audited reveal of a citizen's personal data."""

import pytest
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.role_tables import everyone, who_id

from .. import actions
from ..choices import AccountStatus, IdentityLevel
from .factories import PASSWORD, make_citizen

pytestmark = pytest.mark.django_db

EVERYONE = everyone(("city", "education"), every_role_in=("city",),
                    domain_roles=(Role.ACCOUNT_OFFICER,))
ZHANG_ID = "440703198506150010"


@pytest.fixture
def zhang():
    return make_citizen(mobile="13800138001", email="zhangwei@example.cn",
                        level=IdentityLevel.REAL_NAME, real_name="张伟", id_number=ZHANG_ID,
                        display_name="张伟")


def officer_client(cluster) -> Client:
    client = Client()
    client.force_login(cluster.user("city", Role.ACCOUNT_OFFICER))
    return client


def routes(account):
    yield "list", "get", reverse("accounts_citizens")
    yield "detail", "get", reverse("accounts_citizen", args=[account.public_id])
    yield "reveal", "post", reverse("accounts_citizen_reveal", args=[account.public_id])


@pytest.mark.parametrize("who", EVERYONE, ids=who_id)
def test_every_route_answers_every_role_as_the_table_says(cluster, zhang, who):
    client = Client()
    if who is not None:
        client.force_login(cluster.user(*who))
    officer = who is not None and who[1] == Role.ACCOUNT_OFFICER
    for name, method, url in routes(zhang):
        response = getattr(client, method)(url)
        assert response.status_code == (302 if who is None else 200 if officer else 403), name
        if not officer:
            assert "13800138001" not in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.personal_data_viewed").count() == officer


def test_the_list_masks_contacts_and_its_queries_do_not_grow(cluster, zhang,
                                                            django_assert_max_num_queries):
    client = officer_client(cluster)
    url = reverse("accounts_citizens")
    client.get(url)
    with django_assert_max_num_queries(40) as counted:
        page = client.get(url).content.decode()
    assert "138****8001" in page and "z***@example.cn" in page
    assert "13800138001" not in page and ZHANG_ID not in page
    for number in range(5):
        make_citizen(mobile=f"1370000000{number}")
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert client.get(url).status_code == 200


def test_an_exact_contact_finds_the_account_and_nothing_else_does(cluster, zhang):
    make_citizen(mobile="13900000001", display_name="李娜")
    client = officer_client(cluster)
    page = client.get(reverse("accounts_citizens"), {"contact": "138 0013 8001"}).content.decode()
    assert "张伟" in page and "李娜" not in page
    page = client.get(reverse("accounts_citizens"), {"contact": "ZhangWei@Example.cn"})
    assert "张伟" in page.content.decode()
    page = client.get(reverse("accounts_citizens"), {"contact": "1380013"}).content.decode()
    assert "张伟" not in page and "没有符合条件的账号" in page


def test_filters_by_level_and_status(cluster, zhang):
    closed = make_citizen(display_name="王芳")
    actions.close_citizen_account(account=closed, password=PASSWORD)
    client = officer_client(cluster)
    page = client.get(reverse("accounts_citizens"), {"status": AccountStatus.CLOSED})
    assert "张伟" not in page.content.decode()
    page = client.get(reverse("accounts_citizens"), {"level": IdentityLevel.REAL_NAME})
    assert "张伟" in page.content.decode()


def test_the_detail_is_masked_and_the_reveal_is_audited(cluster, zhang):
    client = officer_client(cluster)
    detail = client.get(reverse("accounts_citizen", args=[zhang.public_id])).content.decode()
    assert "4407**********0010" in detail and ZHANG_ID not in detail
    revealed = client.post(reverse("accounts_citizen_reveal", args=[zhang.public_id]))
    assert ZHANG_ID in revealed.content.decode() and "13800138001" in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    event = AuditEvent.objects.get(action="accounts.personal_data_viewed")
    assert event.actor == cluster.user("city", Role.ACCOUNT_OFFICER)
    assert ZHANG_ID not in str(event.data)


def test_the_reveal_is_post_only(cluster, zhang):
    response = officer_client(cluster).get(reverse("accounts_citizen_reveal",
                                                   args=[zhang.public_id]))
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="accounts.personal_data_viewed").exists()


def test_a_closed_account_shows_no_personal_data(cluster, zhang):
    actions.close_citizen_account(account=zhang, password=PASSWORD)
    page = officer_client(cluster).get(reverse("accounts_citizen", args=[zhang.public_id]))
    assert "已注销" in page.content.decode()
    assert "138****8001" not in page.content.decode()


def test_an_unknown_account_is_404(cluster):
    assert officer_client(cluster).get(reverse(
        "accounts_citizen", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
