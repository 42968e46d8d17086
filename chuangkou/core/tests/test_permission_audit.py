"""Role and permission changes made outside our actions are audited too."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.log_actions import LogContext
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from chuangkou.core.context import client_address
from chuangkou.core.models import AuditEvent
from chuangkou.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def permission(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def only(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [(e.action, e.target_label) for e in events]
    return events[0]


@pytest.fixture
def admin_user():
    return UserFactory(username="it-admin")


@pytest.fixture
def group():
    return Group.objects.create(name="临时工作组")


def test_group_permissions_added_and_removed_from_either_side(admin_user, group):
    with LogContext(user=admin_user):
        group.permissions.add(permission("core.view_auditevent"))
        permission("wagtailadmin.access_admin").group_set.add(group)
        group.permissions.remove(permission("core.view_auditevent"))
    added = AuditEvent.objects.filter(action="permission.group_permissions.add",
                                      target_id=str(group.pk)).order_by("pk")
    assert [e.data["permissions"] for e in added] == [["core.view_auditevent"],
                                                       ["wagtailadmin.access_admin"]]
    assert {(e.target_id, e.actor) for e in added} == {(str(group.pk), admin_user)}
    removed = only("permission.group_permissions.remove")
    assert removed.data == {"permissions": ["core.view_auditevent"]}


def test_clearing_a_groups_permissions_names_what_was_taken(group):
    group.permissions.add(permission("core.view_auditevent"), permission("auth.view_user"))
    group.permissions.clear()
    assert only("permission.group_permissions.clear").data == {
        "permissions": ["auth.view_user", "core.view_auditevent"]}


def test_group_membership_changes_are_recorded_per_user(admin_user, group):
    first, second = UserFactory(username="staff-a"), UserFactory(username="staff-b")
    token = client_address.set("192.0.2.10")
    try:
        with LogContext(user=admin_user):
            first.groups.add(group)
            group.user_set.add(second)
            group.user_set.clear()
    finally:
        client_address.reset(token)
    added = AuditEvent.objects.filter(action="permission.user_groups.add")
    assert {e.target_label for e in added} == {"staff-a", "staff-b"}
    assert all(e.data["groups"] == [{"id": group.pk, "name": "临时工作组"}] for e in added)
    cleared = AuditEvent.objects.filter(action="permission.user_groups.clear")
    assert {e.target_label for e in cleared} == {"staff-a", "staff-b"}
    assert {e.client_address for e in (*added, *cleared)} == {"192.0.2.10"}
    assert {e.actor for e in (*added, *cleared)} == {admin_user}


def test_direct_user_permissions_are_recorded():
    user = UserFactory(username="direct")
    user.user_permissions.add(permission("core.view_auditevent"))
    event = only("permission.user_permissions.add")
    assert (event.target_label, event.data) == ("direct", {"permissions": ["core.view_auditevent"]})


def test_superuser_staff_and_active_flags_are_recorded_when_they_change(admin_user):
    user = UserFactory(username="flagged")
    assert not AuditEvent.objects.filter(action="permission.user_flags.change").exists()
    user.is_superuser = True
    user.is_active = False
    with LogContext(user=admin_user):
        user.save()
    event = only("permission.user_flags.change")
    assert event.actor == admin_user and event.target_label == "flagged"
    assert event.data["changes"] == {"is_superuser": {"before": False, "after": True},
                                     "is_active": {"before": True, "after": False}}
    user.last_name = "张"
    user.save()
    user.save(update_fields=["last_login"])
    assert AuditEvent.objects.filter(action="permission.user_flags.change").count() == 1


def test_a_user_created_as_superuser_is_recorded():
    type(UserFactory()).objects.create_superuser("root2", "root2@example.gov.cn", "x-Passw0rd-1")
    event = only("permission.user_flags.change")
    assert event.target_label == "root2" and event.data["created"] is True
    assert set(event.data["changes"]) == {"is_superuser", "is_staff"}


def test_wagtail_page_and_collection_permissions_are_recorded(admin_user, group):
    root = Page.get_first_root_node()
    with LogContext(user=admin_user):
        row = GroupPagePermission.objects.create(group=group, page=root,
                                                 permission=permission("wagtailcore.publish_page"))
        row.delete()
        GroupCollectionPermission.objects.create(
            group=group, collection=Collection.get_first_root_node(),
            permission=permission("wagtaildocs.add_document"))
    added = only("permission.group_page_permission.add")
    assert added.target_type == ContentType.objects.get_for_model(Group)
    assert (added.target_id, added.actor) == (str(group.pk), admin_user)
    assert added.data["page"] == {"id": root.pk, "label": str(root)}
    assert added.data["permission"] == "wagtailcore.publish_page"
    assert only("permission.group_page_permission.delete").data["permission"] == \
        "wagtailcore.publish_page"
    assert only("permission.group_collection_permission.add").data["permission"] == \
        "wagtaildocs.add_document"


def test_groups_created_and_deleted_are_recorded(group):
    assert only("permission.group.add").target_label == "临时工作组"
    group.delete()
    assert only("permission.group.delete").data == {"name": "临时工作组"}
