"""Under real concurrency, on both databases: two administrators removing each other at the
same moment leave exactly one administrator; one invitation accepted twice at once makes one
membership."""


import pytest

from chuangkou.core.testing import run_at_once

from .. import actions
from ..choices import EnterpriseRole, IdentityLevel
from ..exceptions import EnterpriseRefused
from ..models import EnterpriseInvitation, EnterpriseMembership
from .factories import make_citizen, make_enterprise

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_administrators_removing_each_other_at_once_leave_one():
    first = make_citizen(level=IdentityLevel.REAL_NAME)
    second = make_citizen(level=IdentityLevel.REAL_NAME)
    enterprise = make_enterprise(administrator=first, name="江门市青禾农业科技有限公司")
    second_membership = EnterpriseMembership.objects.create(
        enterprise=enterprise, account=second, role=EnterpriseRole.ADMINISTRATOR)
    first_membership = EnterpriseMembership.objects.get(enterprise=enterprise, account=first)

    def remove(actor, membership):
        return lambda: actions.remove_enterprise_member(enterprise=enterprise, actor=actor,
                                                        membership=membership)

    results, errors = run_at_once([remove(first, second_membership),
                                    remove(second, first_membership)])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], EnterpriseRefused)
    remaining = list(EnterpriseMembership.objects.filter(enterprise=enterprise)
                     .values_list("role", flat=True))
    assert remaining == [EnterpriseRole.ADMINISTRATOR]


def test_one_invitation_accepted_twice_at_once_makes_one_membership():
    administrator = make_citizen(level=IdentityLevel.REAL_NAME)
    enterprise = make_enterprise(administrator=administrator, name="江门市青禾农业科技有限公司")
    invitation = actions.invite_enterprise_member(
        enterprise=enterprise, inviter=administrator, contact_kind="mobile",
        contact="13800138002", role=EnterpriseRole.MEMBER)
    lina = make_citizen(mobile="13800138002")

    def accept():
        return actions.accept_enterprise_invitation(account=lina, token=invitation.token)

    results, errors = run_at_once([accept, accept])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], EnterpriseRefused)
    assert EnterpriseMembership.objects.filter(enterprise=enterprise, account=lina).count() == 1
    assert EnterpriseInvitation.objects.get(pk=invitation.pk).accepted_by == lina
