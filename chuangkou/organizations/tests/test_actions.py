import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupPagePermission

from chuangkou.core.models import AuditEvent
from chuangkou.organizations import actions
from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.exceptions import BodyInvalid, MembershipInvalid
from chuangkou.organizations.models import Body, Membership, RoleGroup
from chuangkou.organizations.permissions import BODY_ROLES, PAGE_PERMISSIONS
from chuangkou.organizations.tests.factories import UserFactory, make_body, make_credit_code


def body_fields(**overrides):
    fields = dict(parent=None, name="示例市人民政府", short_name="市政府", slug="city",
                  kind=BodyKind.CITY_GOVERNMENT, credit_code=make_credit_code(1),
                  division_code="330100")
    fields.update(overrides)
    return fields


@pytest.mark.django_db
def test_created_body_gets_its_collection_and_a_group_per_body_role():
    body = actions.create_body(**body_fields())
    assert isinstance(body.collection, Collection)
    assert set(RoleGroup.objects.filter(body=body).values_list("role", flat=True)) == set(BODY_ROLES)
    assert AuditEvent.objects.filter(action="body.created", target_id=str(body.pk)).exists()


@pytest.mark.django_db
def test_invalid_credit_code_is_refused_naming_the_field_and_nothing_is_saved():
    groups_before = Group.objects.count()
    code = make_credit_code(1)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(BodyInvalid) as error:
        actions.create_body(**body_fields(credit_code=wrong))
    assert "credit_code" in error.value.errors
    assert "校验位" in error.value.errors["credit_code"][0]
    assert Body.objects.count() == 0
    assert Group.objects.count() == groups_before
    assert Collection.objects.count() == 1  # only the root collection


@pytest.mark.django_db
def test_duplicate_credit_code_is_refused_on_the_credit_code_field():
    actions.create_body(**body_fields())
    with pytest.raises(BodyInvalid) as error:
        actions.create_body(**body_fields(slug="city-2", name="另一个机构"))
    assert "credit_code" in error.value.errors
    assert Body.objects.count() == 1


@pytest.mark.django_db
def test_invalid_division_code_is_refused():
    with pytest.raises(BodyInvalid) as error:
        actions.create_body(**body_fields(division_code="9901"))
    assert "division_code" in error.value.errors


@pytest.mark.django_db
def test_bodies_form_a_tree():
    city = actions.create_body(**body_fields())
    district = make_body(parent=city, kind=BodyKind.DISTRICT_GOVERNMENT, division_code="330102")
    street = make_body(parent=district, kind=BodyKind.STREET_OFFICE, division_code="330102001")
    assert list(street.get_ancestors()) == [city, district]


@pytest.mark.django_db
def test_membership_puts_the_user_in_the_role_group_and_removal_takes_them_out():
    body = make_body()
    user = UserFactory()
    membership = actions.add_membership(user=user, body=body, role=Role.EDITOR)
    group = RoleGroup.objects.get(body=body, role=Role.EDITOR).group
    assert group in user.groups.all()
    actions.remove_membership(membership=membership)
    assert group not in user.groups.all()
    assert not Membership.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="membership.removed").exists()


@pytest.mark.django_db
def test_cluster_role_keeps_group_while_another_body_still_grants_it():
    first, second = make_body(), make_body()
    user = UserFactory()
    kept = actions.add_membership(user=user, body=first, role=Role.AUDITOR)
    removed = actions.add_membership(user=user, body=second, role=Role.AUDITOR)
    actions.remove_membership(membership=removed)
    assert RoleGroup.objects.get(body=None, role=Role.AUDITOR).group in user.groups.all()
    actions.remove_membership(membership=kept)
    assert not user.groups.exists()


@pytest.mark.django_db
def test_unknown_role_is_refused():
    with pytest.raises(MembershipInvalid) as error:
        actions.add_membership(user=UserFactory(), body=make_body(), role="owner")
    assert "role" in error.value.errors


@pytest.mark.django_db
def test_granting_a_page_gives_each_role_exactly_its_page_permissions(cluster):
    for role in BODY_ROLES:
        group = RoleGroup.objects.get(body=cluster.education, role=role).group
        granted = set(
            GroupPagePermission.objects.filter(group=group, page=cluster.education_site.home_page)
            .values_list("permission__codename", flat=True)
        )
        assert granted == {f"{kind}_page" for kind in PAGE_PERMISSIONS[role]}, role


@pytest.mark.django_db
def test_updating_a_body_records_before_and_after(cluster):
    actions.update_body(body=cluster.health, phone="0571-87000000")
    event = AuditEvent.objects.filter(action="body.updated").latest("pk")
    assert event.data["after"] == {"phone": "0571-87000000"}
    assert event.data["before"] == {"phone": ""}


@pytest.mark.django_db
def test_update_body_refuses_fields_it_does_not_own(cluster):
    with pytest.raises(BodyInvalid) as error:
        actions.update_body(body=cluster.health, path="0001")
    assert "path" in error.value.errors


def test_resync_without_changes_writes_no_permission_audit_records(cluster):
    before = AuditEvent.objects.filter(action__startswith="permission.").count()
    rows = GroupPagePermission.objects.count()
    actions.sync_body_role_groups(body=cluster.education)
    assert GroupPagePermission.objects.count() == rows
    assert AuditEvent.objects.filter(action__startswith="permission.").count() == before


def test_resync_restores_a_hand_deleted_page_permission_and_records_it(cluster):
    group = RoleGroup.objects.get(body=cluster.education, role=Role.EDITOR).group
    removed = GroupPagePermission.objects.filter(group=group).first()
    removed.delete()
    before = AuditEvent.objects.filter(action__startswith="permission.").count()
    actions.sync_body_role_groups(body=cluster.education)
    assert GroupPagePermission.objects.filter(
        group=group, page_id=removed.page_id, permission_id=removed.permission_id).exists()
    granted = AuditEvent.objects.filter(action__startswith="permission.").order_by("pk")
    assert granted.count() == before + 1
    assert granted.last().data["page_permissions"] == [[removed.page_id, removed.permission_id]]
