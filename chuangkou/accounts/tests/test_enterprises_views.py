"""我的单位 pages: registering (real-name only), the member pages (administrators only, masked
contacts, constant queries), inviting and accepting, acting for an enterprise, and another
citizen trying every enterprise URL (404, nothing changes)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from chuangkou.notifications.models import Delivery

from .. import actions
from ..choices import ContactKind, EnterpriseRole, EnterpriseStatus, IdentityLevel
from ..models import Enterprise, EnterpriseInvitation, EnterpriseMembership
from .factories import CREDIT_CODES, make_citizen, make_enterprise

pytestmark = pytest.mark.django_db

QINGHE = CREDIT_CODES[0]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def admin():
    return make_citizen(mobile="13800138001", level=IdentityLevel.REAL_NAME, display_name="张伟")


@pytest.fixture
def enterprise(admin):
    return make_enterprise(administrator=admin, name="江门市青禾农业科技有限公司",
                           credit_code=QINGHE)


@pytest.fixture
def member(enterprise):
    account = make_citizen(mobile="13800138002", display_name="李娜")
    return EnterpriseMembership.objects.create(enterprise=enterprise, account=account)


def signed_in(account) -> Client:
    client = Client()
    client.force_login(account.user)
    return client


def test_my_enterprises_lists_mine_and_offers_acting(admin, enterprise):
    page = signed_in(admin).get(reverse("accounts:enterprises")).content.decode()
    assert "江门市青禾农业科技有限公司" in page and QINGHE in page
    assert 'name="enterprise"' in page


def test_registering_needs_the_real_name_level():
    response = signed_in(make_citizen()).get(reverse("accounts:enterprise_register"))
    assert response.status_code == 403


def test_a_real_name_citizen_registers_and_lands_on_the_pending_enterprise(admin):
    response = signed_in(admin).post(reverse("accounts:enterprise_register"), {
        "name": "江门市江海区禾丰物流有限公司", "credit_code": QINGHE.lower(),
        "legal_representative": "张伟"})
    created = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enterprise", args=[created.pk])
    assert created.status == EnterpriseStatus.PENDING


def test_a_registered_code_and_bad_fields_come_back_on_their_fields(admin, enterprise):
    response = signed_in(admin).post(reverse("accounts:enterprise_register"), {
        "name": "江门市青禾农业科技有限公司", "credit_code": QINGHE, "legal_representative": "张伟"})
    assert response.status_code == 400
    assert "该统一社会信用代码已注册" in response.content.decode()
    response = signed_in(admin).post(reverse("accounts:enterprise_register"), {
        "name": "", "credit_code": "91440703MA51QH7K8W", "legal_representative": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写单位名称" in page and "校验位不正确" in page and "请填写法定代表人姓名" in page


def test_the_members_page_masks_contacts_and_its_queries_do_not_grow(
        admin, enterprise, member, django_assert_max_num_queries):
    client = signed_in(admin)
    url = reverse("accounts:enterprise_members", args=[enterprise.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as counted:
        page = client.get(url).content.decode()
    assert "138****8002" in page and "13800138002" not in page
    for number in range(5):
        EnterpriseMembership.objects.create(enterprise=enterprise,
                                            account=make_citizen(mobile=f"1370000000{number}"))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_member_who_is_not_administrator_gets_403_on_member_pages(enterprise, member):
    client = signed_in(member.account)
    assert client.get(reverse("accounts:enterprise", args=[enterprise.pk])).status_code == 200
    assert client.get(reverse("accounts:enterprise_members",
                              args=[enterprise.pk])).status_code == 403
    response = client.post(reverse("accounts:enterprise_invite", args=[enterprise.pk]),
                           {"contact_kind": "mobile", "contact": "13800138009",
                            "role": "member"})
    assert response.status_code == 403
    assert not EnterpriseInvitation.objects.exists()


def test_inviting_sends_and_lists_the_invitation(admin, enterprise,
                                                 django_capture_on_commit_callbacks):
    client = signed_in(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:enterprise_invite", args=[enterprise.pk]),
                               {"contact_kind": "email", "contact": "lina@example.cn",
                                "role": "member"})
    assert response.status_code == 302
    assert Delivery.objects.filter(kind="accounts.enterprise_invitation",
                                   masked_address="l***@example.cn").exists()
    page = client.get(reverse("accounts:enterprise_members", args=[enterprise.pk]))
    assert "l***@example.cn" in page.content.decode()


def test_a_wrong_address_comes_back_on_the_field(admin, enterprise):
    response = signed_in(admin).post(reverse("accounts:enterprise_invite", args=[enterprise.pk]),
                                     {"contact_kind": "mobile", "contact": "0750-3266000",
                                      "role": "member"})
    assert response.status_code == 400
    assert "手机号码应为以1开头的11位数字" in response.content.decode()


def test_accepting_an_invitation_from_its_link(admin, enterprise):
    invitation = actions.invite_enterprise_member(
        enterprise=enterprise, inviter=admin, contact_kind=ContactKind.MOBILE,
        contact="13800138002", role=EnterpriseRole.MEMBER)
    url = reverse("accounts:enterprise_invitation", args=[invitation.token])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and reverse("accounts:sign_in") in anonymous["Location"]
    lina = make_citizen(mobile="13800138002")
    client = signed_in(lina)
    page = client.get(url)
    assert page.status_code == 200 and "江门市青禾农业科技有限公司" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    response = client.post(url)
    assert response.status_code == 302
    assert EnterpriseMembership.objects.filter(enterprise=enterprise, account=lina).exists()


def test_another_account_cannot_use_a_forwarded_link(admin, enterprise):
    invitation = actions.invite_enterprise_member(
        enterprise=enterprise, inviter=admin, contact_kind=ContactKind.MOBILE,
        contact="13800138002", role=EnterpriseRole.MEMBER)
    stranger = make_citizen(mobile="13900000001")
    response = signed_in(stranger).post(
        reverse("accounts:enterprise_invitation", args=[invitation.token]))
    assert response.status_code == 400
    assert "138****8002" in response.content.decode()
    assert not EnterpriseMembership.objects.filter(account=stranger).exists()


def test_an_unknown_invitation_link_is_404(admin):
    response = signed_in(admin).get(reverse("accounts:enterprise_invitation",
                                            args=["not-a-token"]))
    assert response.status_code == 404


def test_removing_and_promoting_members(admin, enterprise, member):
    client = signed_in(admin)
    client.post(reverse("accounts:enterprise_member_role", args=[enterprise.pk, member.pk]),
                {"role": "administrator"})
    assert EnterpriseMembership.objects.get(pk=member.pk).role == EnterpriseRole.ADMINISTRATOR
    client.post(reverse("accounts:enterprise_member_remove", args=[enterprise.pk, member.pk]))
    assert not EnterpriseMembership.objects.filter(pk=member.pk).exists()


def test_the_last_administrator_is_told_to_hand_over(admin, enterprise, member):
    own = EnterpriseMembership.objects.get(account=admin)
    client = signed_in(admin)
    response = client.post(reverse("accounts:enterprise_leave", args=[enterprise.pk]),
                           follow=True)
    assert "唯一的管理员" in response.content.decode()
    response = client.post(reverse("accounts:enterprise_member_role", args=[enterprise.pk,
                                                                            own.pk]),
                           {"role": "member"}, follow=True)
    assert "至少要有一名管理员" in response.content.decode()
    assert EnterpriseMembership.objects.get(pk=own.pk).role == EnterpriseRole.ADMINISTRATOR


def test_acting_for_an_enterprise_and_back(enterprise, member):
    client = signed_in(member.account)
    response = client.post(reverse("accounts:enterprise_act"), {"enterprise": enterprise.pk},
                           follow=True)
    assert "您现在以“江门市青禾农业科技有限公司”的身份办理事项" in response.content.decode()
    assert client.session["accounts.acting_enterprise"] == enterprise.pk
    client.post(reverse("accounts:enterprise_act"), {"enterprise": ""})
    assert "accounts.acting_enterprise" not in client.session


def test_acting_for_someone_elses_enterprise_is_refused(enterprise):
    stranger = make_citizen()
    client = signed_in(stranger)
    response = client.post(reverse("accounts:enterprise_act"), {"enterprise": enterprise.pk},
                           follow=True)
    assert "只能选择您所在的、已核验的单位" in response.content.decode()
    assert "accounts.acting_enterprise" not in client.session


def test_another_citizen_gets_404_on_every_enterprise_url(admin, enterprise, member):
    invitation = actions.invite_enterprise_member(
        enterprise=enterprise, inviter=admin, contact_kind=ContactKind.MOBILE,
        contact="13800138003", role=EnterpriseRole.MEMBER)
    client = signed_in(make_citizen(level=IdentityLevel.REAL_NAME))
    pk = enterprise.pk
    routes = [
        ("get", reverse("accounts:enterprise", args=[pk])),
        ("get", reverse("accounts:enterprise_members", args=[pk])),
        ("post", reverse("accounts:enterprise_invite", args=[pk])),
        ("post", reverse("accounts:enterprise_leave", args=[pk])),
        ("post", reverse("accounts:enterprise_member_remove", args=[pk, member.pk])),
        ("post", reverse("accounts:enterprise_member_role", args=[pk, member.pk])),
        ("post", reverse("accounts:enterprise_invitation_revoke", args=[pk, invitation.pk])),
    ]
    answers = {url: getattr(client, method)(url, {"role": "administrator"}).status_code
               for method, url in routes}
    assert set(answers.values()) == {404}, answers
    assert EnterpriseMembership.objects.filter(enterprise=enterprise).count() == 2
    assert EnterpriseInvitation.objects.get(pk=invitation.pk).revoked_at is None
    assert "江门市青禾" not in client.get(reverse("accounts:enterprises")).content.decode()


def test_an_administrator_cannot_reach_another_enterprises_member_by_its_number(admin, member):
    other_admin = make_citizen(level=IdentityLevel.REAL_NAME)
    make_enterprise(administrator=other_admin, credit_code=CREDIT_CODES[1])
    own = EnterpriseMembership.objects.get(account=other_admin)
    response = signed_in(other_admin).post(
        reverse("accounts:enterprise_member_remove", args=[own.enterprise_id, member.pk]))
    assert response.status_code == 404
    assert EnterpriseMembership.objects.filter(pk=member.pk).exists()
