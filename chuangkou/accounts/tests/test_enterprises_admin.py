"""法人账号审核 in the admin: every route against every role (only the account officer gets in),
the list by state with constant queries, the audited reveal of the legal representative, and
verification and rejection through the forms."""

import pytest
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.role_tables import everyone, who_id

from ..choices import EnterpriseStatus, IdentityLevel
from ..models import Enterprise
from .factories import CREDIT_CODES, make_citizen, make_enterprise

pytestmark = pytest.mark.django_db

EVERYONE = everyone(("city", "education"), every_role_in=("city",),
                    domain_roles=(Role.ACCOUNT_OFFICER,))


@pytest.fixture
def pending():
    registrant = make_citizen(level=IdentityLevel.REAL_NAME, display_name="张伟")
    return make_enterprise(administrator=registrant, name="江门市江海区禾丰物流有限公司",
                           credit_code=CREDIT_CODES[0], status=EnterpriseStatus.PENDING)


def officer_client(cluster) -> Client:
    client = Client()
    client.force_login(cluster.user("city", Role.ACCOUNT_OFFICER))
    return client


def routes(enterprise):
    yield "list", "get", reverse("accounts_enterprises")
    yield "verified", "get", reverse("accounts_enterprises") + "?status=verified"
    yield "detail", "get", reverse("accounts_enterprise", args=[enterprise.pk])
    yield "reveal", "post", reverse("accounts_enterprise_reveal", args=[enterprise.pk])
    yield "reject", "post", reverse("accounts_enterprise_reject", args=[enterprise.pk])
    yield "verify", "post", reverse("accounts_enterprise_verify", args=[enterprise.pk])


def expected(who, name) -> int:
    if who is None:
        return 302
    if who[1] != Role.ACCOUNT_OFFICER:
        return 403
    return {"reject": 400, "verify": 302}.get(name, 200)


@pytest.mark.parametrize("who", EVERYONE, ids=who_id)
def test_every_route_answers_every_role_as_the_table_says(cluster, pending, who):
    client = Client()
    if who is not None:
        client.force_login(cluster.user(*who))
    wrong = [(name, response.status_code, expected(who, name))
             for name, method, url in routes(pending)
             if (response := getattr(client, method)(url)).status_code != expected(who, name)]
    assert not wrong, wrong
    officer = who is not None and who[1] == Role.ACCOUNT_OFFICER
    assert Enterprise.objects.get(pk=pending.pk).status == (
        EnterpriseStatus.VERIFIED if officer else EnterpriseStatus.PENDING)


def test_the_pending_list_and_its_queries_do_not_grow(cluster, pending,
                                                      django_assert_max_num_queries):
    client = officer_client(cluster)
    url = reverse("accounts_enterprises")
    client.get(url)
    with django_assert_max_num_queries(40) as counted:
        page = client.get(url).content.decode()
    assert "江门市江海区禾丰物流有限公司" in page
    for code in CREDIT_CODES[1:]:
        make_enterprise(administrator=make_citizen(level=IdentityLevel.REAL_NAME),
                        credit_code=code, status=EnterpriseStatus.PENDING)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_representative_is_masked_until_revealed_and_the_look_is_audited(cluster, pending):
    client = officer_client(cluster)
    detail = client.get(reverse("accounts_enterprise", args=[pending.pk])).content.decode()
    assert "李*" in detail and "李四" not in detail
    revealed = client.post(reverse("accounts_enterprise_reveal", args=[pending.pk]))
    assert "李四" in revealed.content.decode()
    assert AuditEvent.objects.filter(action="accounts.enterprise_representative_viewed").count() == 1


def test_rejecting_needs_a_reason_and_tells_why(cluster, pending):
    client = officer_client(cluster)
    response = client.post(reverse("accounts_enterprise_reject", args=[pending.pk]),
                           {"reason": "短"})
    assert response.status_code == 400
    assert "原因" in response.content.decode()
    response = client.post(reverse("accounts_enterprise_reject", args=[pending.pk]),
                           {"reason": "单位名称与营业执照不一致"})
    assert response.status_code == 302
    assert Enterprise.objects.get(pk=pending.pk).status == EnterpriseStatus.REJECTED


def test_verifying_a_decided_registration_again_shows_why(cluster, pending):
    client = officer_client(cluster)
    client.post(reverse("accounts_enterprise_verify", args=[pending.pk]))
    response = client.post(reverse("accounts_enterprise_verify", args=[pending.pk]))
    assert response.status_code == 400
    assert "已处理" in response.content.decode()


def test_an_unknown_enterprise_is_404(cluster):
    assert officer_client(cluster).get(
        reverse("accounts_enterprise", args=[987654])).status_code == 404
