"""法人账号 actions: registration by real-name citizens with a valid and unique 统一社会信用代码,
the account officer's decisions, invitations (digests only, seven days, the verified address
must accept), member removal, role changes and leaving — always at least one administrator —
and acting for an enterprise."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from chuangkou.core.models import AuditEvent
from chuangkou.notifications import sms
from chuangkou.notifications.models import Delivery

from .. import actions
from ..choices import ContactKind, EnterpriseRole, EnterpriseStatus, IdentityLevel
from ..contacts import contact_digest
from ..exceptions import EnterpriseRefused
from ..models import Enterprise, EnterpriseInvitation, EnterpriseMembership
from ..queries import acting_enterprise, enterprise_member_user_ids, enterprises_of
from .factories import CREDIT_CODES, make_citizen, make_enterprise, staff_user

pytestmark = pytest.mark.django_db

CODE = "91440703MA51QH7K8W"  # not valid: the check character is wrong on purpose
QINGHE = CREDIT_CODES[0]


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    sms.outbox.clear()


@pytest.fixture
def officer():
    return staff_user("szf-account-officer")


@pytest.fixture
def admin():
    return make_citizen(mobile="13800138001", level=IdentityLevel.REAL_NAME, real_name="张伟")


@pytest.fixture
def enterprise(admin):
    return make_enterprise(administrator=admin, name="江门市青禾农业科技有限公司",
                           credit_code=QINGHE)


def register(account, **overrides):
    fields = dict(name="江门市青禾农业科技有限公司", credit_code=QINGHE, legal_representative="张伟")
    return actions.register_enterprise(account=account, **{**fields, **overrides})


def invite(enterprise, inviter, contact, kind=ContactKind.MOBILE, role=EnterpriseRole.MEMBER):
    return actions.invite_enterprise_member(enterprise=enterprise, inviter=inviter,
                                            contact_kind=kind, contact=contact, role=role)


def test_a_real_name_citizen_registers_and_becomes_administrator(admin):
    created = register(admin, credit_code=QINGHE.lower())
    assert created.status == EnterpriseStatus.PENDING and created.credit_code == QINGHE
    membership = EnterpriseMembership.objects.get(enterprise=created)
    assert (membership.account, membership.role) == (admin, EnterpriseRole.ADMINISTRATOR)
    assert Enterprise.objects.get(pk=created.pk).legal_representative == "张伟"
    assert AuditEvent.objects.filter(action="accounts.enterprise_registered").exists()


def test_a_citizen_without_real_name_cannot_register():
    with pytest.raises(EnterpriseRefused) as refused:
        register(make_citizen())
    assert "实名认证" in refused.value.errors["__all__"][0]


def test_a_wrong_check_character_is_refused_naming_the_expected_one(admin):
    with pytest.raises(EnterpriseRefused) as refused:
        register(admin, credit_code=CODE)
    assert "校验位" in refused.value.errors["credit_code"][0]
    assert not Enterprise.objects.exists()


def test_every_field_gets_its_own_message(admin):
    with pytest.raises(EnterpriseRefused) as refused:
        register(admin, name="青禾", credit_code="123", legal_representative="张")
    assert set(refused.value.errors) == {"name", "credit_code", "legal_representative"}


def test_a_registered_code_is_refused_with_the_agreed_message(admin, enterprise):
    other = make_citizen(level=IdentityLevel.REAL_NAME)
    with pytest.raises(EnterpriseRefused) as refused:
        register(other)
    assert refused.value.errors["credit_code"] == ["该统一社会信用代码已注册"]


def test_a_rejected_registration_may_be_made_again(admin, officer):
    first = register(admin)
    actions.reject_enterprise(enterprise=first, actor=officer, reason="单位名称与营业执照不一致")
    other = make_citizen(level=IdentityLevel.REAL_NAME)
    again = register(other, name="江门市青禾农业科技股份有限公司")
    assert again.pk == first.pk and again.status == EnterpriseStatus.PENDING
    assert list(again.memberships.values_list("account", flat=True)) == [other.pk]


def test_verification_notifies_the_registrant(admin, officer, django_capture_on_commit_callbacks):
    created = register(admin)
    with django_capture_on_commit_callbacks(execute=True):
        actions.verify_enterprise(enterprise=created, actor=officer)
    assert Enterprise.objects.get(pk=created.pk).status == EnterpriseStatus.VERIFIED
    assert Delivery.objects.filter(kind="accounts.enterprise_verified", user=admin.user).exists()
    with pytest.raises(EnterpriseRefused):
        actions.reject_enterprise(enterprise=created, actor=officer, reason="重复处理测试")


def test_rejection_needs_a_reason(admin, officer):
    created = register(admin)
    with pytest.raises(EnterpriseRefused) as refused:
        actions.reject_enterprise(enterprise=created, actor=officer, reason="不行")
    assert "原因" in refused.value.errors["reason"][0]


def test_staff_without_the_right_cannot_decide(admin):
    created = register(admin)
    viewer = staff_user("szf-viewer", permissions=["accounts.view_citizenaccount"])
    with pytest.raises(PermissionDenied):
        actions.verify_enterprise(enterprise=created, actor=viewer)
    with pytest.raises(PermissionDenied):
        actions.record_enterprise_representative_viewed(enterprise=created, actor=viewer)
    assert Enterprise.objects.get(pk=created.pk).status == EnterpriseStatus.PENDING


def test_an_invitation_stores_only_digests_and_sends_the_link(
        admin, enterprise, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(now, tick=False):
        invitation = invite(enterprise, admin, "138 0013 8002")
    stored = EnterpriseInvitation.objects.get(pk=invitation.pk)
    assert stored.contact_digest == contact_digest(ContactKind.MOBILE, "13800138002")
    assert stored.masked_contact == "138****8002"
    assert invitation.token not in stored.token_digest
    assert stored.expires_at == now + timedelta(days=7)
    assert [message.mobile for message in sms.outbox] == ["13800138002"]
    assert f"/yonghu/enterprises/invitations/{invitation.token}/" in sms.outbox[0].text
    delivery = Delivery.objects.get(kind="accounts.enterprise_invitation")
    assert invitation.token not in delivery.body  # wiped once sent: the link is a secret


def test_only_an_administrator_of_a_verified_enterprise_invites(admin, enterprise):
    member = make_citizen()
    EnterpriseMembership.objects.create(enterprise=enterprise, account=member)
    with pytest.raises(EnterpriseRefused):
        invite(enterprise, member, "13800138009")
    pending = make_enterprise(administrator=admin, credit_code=CREDIT_CODES[1],
                              status=EnterpriseStatus.PENDING)
    with pytest.raises(EnterpriseRefused) as refused:
        invite(pending, admin, "13800138009")
    assert "核验通过后" in refused.value.errors["__all__"][0]


def test_an_invalid_address_is_refused_with_the_rule(admin, enterprise):
    with pytest.raises(EnterpriseRefused) as refused:
        invite(enterprise, admin, "1380013800")
    assert "11位" in refused.value.errors["contact"][0]


def test_inviting_an_address_again_replaces_the_open_invitation(admin, enterprise):
    first = invite(enterprise, admin, "lina@example.cn", kind=ContactKind.EMAIL)
    second = invite(enterprise, admin, "LiNa@example.cn", kind=ContactKind.EMAIL)
    assert EnterpriseInvitation.objects.get(pk=first.pk).revoked_at is not None
    lina = make_citizen(email="lina@example.cn")
    with pytest.raises(EnterpriseRefused):
        actions.accept_enterprise_invitation(account=lina, token=first.token)
    actions.accept_enterprise_invitation(account=lina, token=second.token)
    assert enterprises_of(lina) == [enterprise]


def test_the_holder_of_the_verified_address_accepts(admin, enterprise):
    invitation = invite(enterprise, admin, "13800138002", role=EnterpriseRole.ADMINISTRATOR)
    lina = make_citizen(mobile="13800138002")
    membership = actions.accept_enterprise_invitation(account=lina, token=invitation.token)
    assert membership.role == EnterpriseRole.ADMINISTRATOR
    with pytest.raises(EnterpriseRefused):
        actions.accept_enterprise_invitation(account=lina, token=invitation.token)


def test_another_account_cannot_accept_with_the_forwarded_link(admin, enterprise):
    invitation = invite(enterprise, admin, "13800138002")
    stranger = make_citizen(mobile="13800138003")
    with pytest.raises(EnterpriseRefused) as refused:
        actions.accept_enterprise_invitation(account=stranger, token=invitation.token)
    assert "138****8002" in refused.value.errors["token"][0]
    assert not EnterpriseMembership.objects.filter(account=stranger).exists()


def test_an_unverified_holder_of_the_address_cannot_accept(admin, enterprise):
    invitation = invite(enterprise, admin, "13800138002")
    unverified = make_citizen(mobile="13800138002", level=IdentityLevel.UNVERIFIED)
    with pytest.raises(EnterpriseRefused):
        actions.accept_enterprise_invitation(account=unverified, token=invitation.token)


def test_an_invitation_expires_after_seven_days(admin, enterprise):
    invitation = invite(enterprise, admin, "13800138002")
    lina = make_citizen(mobile="13800138002")
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)), \
            pytest.raises(EnterpriseRefused) as refused:
        actions.accept_enterprise_invitation(account=lina, token=invitation.token)
    assert "已过期" in refused.value.errors["token"][0]


def test_an_unknown_token_is_refused(admin, enterprise):
    with pytest.raises(EnterpriseRefused):
        actions.accept_enterprise_invitation(account=make_citizen(), token="guessed-token")


def test_invitations_are_limited_per_day(settings, admin, enterprise):
    settings.ACCOUNTS_INVITATIONS_PER_DAY = 2
    invite(enterprise, admin, "13800138002")
    invite(enterprise, admin, "13800138003")
    with pytest.raises(EnterpriseRefused) as refused:
        invite(enterprise, admin, "13800138004")
    assert "明天" in refused.value.errors["__all__"][0]


def test_a_revoked_invitation_cannot_be_accepted(admin, enterprise):
    invitation = invite(enterprise, admin, "13800138002")
    actions.revoke_enterprise_invitation(enterprise=enterprise, actor=admin,
                                         invitation=invitation)
    with pytest.raises(EnterpriseRefused):
        actions.accept_enterprise_invitation(account=make_citizen(mobile="13800138002"),
                                             token=invitation.token)


def add_member(enterprise, role=EnterpriseRole.MEMBER, **citizen):
    account = make_citizen(**citizen)
    return EnterpriseMembership.objects.create(enterprise=enterprise, account=account, role=role)


def test_an_administrator_removes_a_member_who_is_told(admin, enterprise,
                                                       django_capture_on_commit_callbacks):
    member = add_member(enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_enterprise_member(enterprise=enterprise, actor=admin, membership=member)
    assert not EnterpriseMembership.objects.filter(pk=member.pk).exists()
    assert Delivery.objects.filter(kind="accounts.enterprise_member_removed",
                                   user=member.account.user).exists()


def test_a_member_cannot_remove_anyone(admin, enterprise):
    member = add_member(enterprise)
    admin_membership = EnterpriseMembership.objects.get(account=admin)
    with pytest.raises(EnterpriseRefused):
        actions.remove_enterprise_member(enterprise=enterprise, actor=member.account,
                                         membership=admin_membership)
    assert EnterpriseMembership.objects.filter(pk=admin_membership.pk).exists()


def test_the_last_administrator_is_never_removed_or_demoted(admin, enterprise):
    own = EnterpriseMembership.objects.get(account=admin)
    add_member(enterprise)
    with pytest.raises(EnterpriseRefused) as refused:
        actions.remove_enterprise_member(enterprise=enterprise, actor=admin, membership=own)
    assert "至少要有一名管理员" in refused.value.errors["__all__"][0]
    with pytest.raises(EnterpriseRefused):
        actions.set_enterprise_member_role(enterprise=enterprise, actor=admin, membership=own,
                                           role=EnterpriseRole.MEMBER)
    with pytest.raises(EnterpriseRefused) as refused:
        actions.leave_enterprise(account=admin, enterprise=enterprise)
    assert "唯一的管理员" in refused.value.errors["__all__"][0]


def test_after_handing_over_the_administrator_may_leave(admin, enterprise):
    member = add_member(enterprise)
    actions.set_enterprise_member_role(enterprise=enterprise, actor=admin, membership=member,
                                       role=EnterpriseRole.ADMINISTRATOR)
    actions.leave_enterprise(account=admin, enterprise=enterprise)
    assert list(enterprise.memberships.values_list("account", "role")) == [
        (member.account_id, EnterpriseRole.ADMINISTRATOR)]


def test_a_member_may_leave(admin, enterprise):
    member = add_member(enterprise)
    actions.leave_enterprise(account=member.account, enterprise=enterprise)
    assert enterprises_of(member.account) == []
    with pytest.raises(EnterpriseRefused):
        actions.leave_enterprise(account=member.account, enterprise=enterprise)


def session_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


def test_acting_for_an_enterprise_is_rechecked_on_every_call(admin, enterprise):
    member = add_member(enterprise)
    request = session_request(member.account.user)
    actions.switch_acting_enterprise(request=request, account=member.account,
                                     enterprise=enterprise)
    assert request.session["accounts.acting_enterprise"] == enterprise.pk
    assert acting_enterprise(request) == enterprise
    actions.remove_enterprise_member(enterprise=enterprise, actor=admin, membership=member)
    assert acting_enterprise(request) is None


def test_a_citizen_cannot_act_for_an_enterprise_they_are_not_in_or_that_is_not_verified(
        admin, enterprise):
    stranger = make_citizen()
    request = session_request(stranger.user)
    with pytest.raises(EnterpriseRefused):
        actions.switch_acting_enterprise(request=request, account=stranger, enterprise=enterprise)
    request.session["accounts.acting_enterprise"] = enterprise.pk  # a forged session value
    assert acting_enterprise(request) is None
    pending = make_enterprise(administrator=admin, credit_code=CREDIT_CODES[1],
                              status=EnterpriseStatus.PENDING)
    with pytest.raises(EnterpriseRefused):
        actions.switch_acting_enterprise(request=session_request(admin.user), account=admin,
                                         enterprise=pending)


def test_acting_as_oneself_again_clears_the_session(admin, enterprise):
    request = session_request(admin.user)
    actions.switch_acting_enterprise(request=request, account=admin, enterprise=enterprise)
    actions.switch_acting_enterprise(request=request, account=admin, enterprise=None)
    assert acting_enterprise(request) is None and request.session == {}


def test_member_user_ids_list_everyone_of_a_verified_enterprise(admin, enterprise):
    member = add_member(enterprise)
    assert enterprise_member_user_ids(enterprise) == sorted([admin.user_id,
                                                             member.account.user_id])
    Enterprise.objects.filter(pk=enterprise.pk).update(status=EnterpriseStatus.REJECTED,
                                                       rejection_reason="营业执照已注销")
    enterprise.refresh_from_db()
    assert enterprise_member_user_ids(enterprise) == []


def test_enterprises_of_lists_only_verified_ones(admin, enterprise):
    make_enterprise(administrator=admin, credit_code=CREDIT_CODES[1],
                    status=EnterpriseStatus.PENDING)
    assert enterprises_of(admin) == [enterprise]
    assert enterprises_of(None) == []
