"""The accounts demo: three citizens at the three identity levels, a verified enterprise with
an administrator and a member, a pending real-name request and a pending enterprise for the
account officer; loading twice changes nothing; the demo citizens sign in with the published
password."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Membership

from .. import actions
from ..choices import EnterpriseRole, EnterpriseStatus, IdentityLevel, RealNameRequestStatus
from ..demo import citizens
from ..models import CitizenAccount, Enterprise, EnterpriseMembership, RealNameRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_demo_citizen_is_none_before_the_demo_ran():
    assert citizens.demo_citizen("zhangwei") is None
    assert citizens.demo_citizen("nobody") is None


def test_the_demo_has_every_level_an_enterprise_and_work_for_the_officer():
    created = citizens.load()
    assert created == {"citizens": 3, "enterprises": 2, "members": 1, "requests": 1}
    zhang, lina, wang = (citizens.demo_citizen(key) for key in ("zhangwei", "lina", "wangfang"))
    assert (zhang.identity_level, lina.identity_level, wang.identity_level) == (
        IdentityLevel.REAL_NAME, IdentityLevel.VERIFIED_CONTACT, IdentityLevel.UNVERIFIED)
    qinghe = Enterprise.objects.get(name="江门市青禾农业科技有限公司")
    assert qinghe.status == EnterpriseStatus.VERIFIED
    assert dict(EnterpriseMembership.objects.filter(enterprise=qinghe)
                .values_list("account", "role")) == {zhang.pk: EnterpriseRole.ADMINISTRATOR,
                                                     lina.pk: EnterpriseRole.MEMBER}
    assert Enterprise.objects.get(name="江门市江海区禾丰物流有限公司").status == \
        EnterpriseStatus.PENDING
    assert RealNameRequest.objects.get(account=lina).status == RealNameRequestStatus.PENDING
    assert Membership.objects.filter(user__username="szf_account_officer",
                                     role=Role.ACCOUNT_OFFICER).exists()


def test_loading_twice_changes_nothing():
    citizens.load()
    before = (CitizenAccount.objects.count(), Enterprise.objects.count(),
              EnterpriseMembership.objects.count(), RealNameRequest.objects.count())
    assert citizens.load() == {"citizens": 0, "enterprises": 0, "members": 0, "requests": 0}
    assert (CitizenAccount.objects.count(), Enterprise.objects.count(),
            EnterpriseMembership.objects.count(), RealNameRequest.objects.count()) == before


@pytest.mark.parametrize("identifier", ["13800138001", "13800138002", "wangfang@example.cn"])
def test_the_demo_citizens_sign_in_with_the_published_password(identifier):
    citizens.load()
    account = actions.authenticate_citizen(identifier=identifier,
                                           password=citizens.DEMO_CITIZEN_PASSWORD)
    assert account.user.username.startswith("c-demo-")


def test_the_command_loads_and_lists_the_accounts():
    out = StringIO()
    call_command("load_accounts_demo", stdout=out)
    assert "公众账号演示数据已载入" in out.getvalue()
    assert citizens.demo_citizen("lina") is not None
    listing = StringIO()
    call_command("load_accounts_demo", "--list-accounts", stdout=listing)
    text = listing.getvalue()
    for expected in ("zhangwei", "13800138001", "wangfang@example.cn",
                     citizens.DEMO_CITIZEN_PASSWORD, "张伟"):
        assert expected in text
