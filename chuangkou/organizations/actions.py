"""Every state change of bodies, staff roles and the permissions they carry."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from chuangkou.core.audit import record_event
from chuangkou.core.exceptions import full_clean_or_raise

from .choices import Role
from .exceptions import BodyInvalid, MembershipInvalid
from .models import Body, Membership, RoleGroup
from .permissions import (
    BODY_ROLES,
    CLUSTER_ROLES,
    COLLECTION_PERMISSIONS,
    MODEL_PERMISSIONS,
    PAGE_PERMISSIONS,
)

BODY_FIELDS = ("name", "short_name", "slug", "kind", "credit_code", "division_code",
               "address", "phone", "office_hours")


@transaction.atomic
def create_body(
    *,
    parent: Body | None,
    name: str,
    short_name: str,
    slug: str,
    kind: str,
    credit_code: str,
    division_code: str,
    address: str = "",
    phone: str = "",
    office_hours: str = "",
    actor=None,
) -> Body:
    """Add a government body to the tree, with its own document collection and role groups."""
    body = Body(name=name, short_name=short_name, slug=slug, kind=kind, credit_code=credit_code,
                division_code=division_code, address=address, phone=phone,
                office_hours=office_hours)
    # path/depth are set by the tree on insertion, so they are not validated here.
    full_clean_or_raise(body, BodyInvalid, exclude=["path", "depth", "numchild"])
    body = parent.add_child(instance=body) if parent else Body.add_root(instance=body)
    body.collection = Collection.get_first_root_node().add_child(name=f"{name}（{slug}）")
    body.save(update_fields=["collection"])
    sync_body_role_groups(body=body)
    record_event("body.created", actor=actor, target=body, data={"credit_code": credit_code})
    return body


@transaction.atomic
def update_body(*, body: Body, actor=None, **changes) -> Body:
    """Change a body's details; the tree position is changed with ``move_body`` only."""
    unknown = set(changes) - set(BODY_FIELDS)
    if unknown:
        raise BodyInvalid({field: ["不能在此修改。"] for field in sorted(unknown)})
    # The in-memory node may hold a stale tree position; change only the named fields.
    body = Body.objects.select_for_update().get(pk=body.pk)
    before = {field: getattr(body, field) for field in changes}
    for field, value in changes.items():
        setattr(body, field, value)
    full_clean_or_raise(body, BodyInvalid, exclude=["path", "depth", "numchild"])
    body.save(update_fields=list(changes))
    if "name" in changes and body.collection_id:
        body.collection.name = f"{body.name}（{body.slug}）"
        body.collection.save(update_fields=["name"])
    record_event("body.updated", actor=actor, target=body,
                 data={"before": before, "after": {f: getattr(body, f) for f in changes}})
    return body


@transaction.atomic
def grant_page_to_body(*, body: Body, page: Page, actor=None) -> None:
    """Make ``page`` and its subtree part of what ``body``'s staff manage (栏目责任制)."""
    body.managed_pages.add(page)
    for role, role_group in _body_role_groups(body).items():
        GroupPagePermission.objects.bulk_create(
            [GroupPagePermission(group_id=role_group.group_id, page=page, permission=permission)
             for permission in _page_permissions(PAGE_PERMISSIONS[role])],
            ignore_conflicts=True,
        )
    record_event("body.page_granted", actor=actor, target=body,
                 data={"page_id": page.pk, "page": page.title})


@transaction.atomic
def revoke_page_from_body(*, body: Body, page: Page, actor=None) -> None:
    body.managed_pages.remove(page)
    sync_body_role_groups(body=body)
    record_event("body.page_revoked", actor=actor, target=body,
                 data={"page_id": page.pk, "page": page.title})


@transaction.atomic
def add_membership(*, user, body: Body, role: str, actor=None) -> Membership:
    """Give ``user`` a role in ``body``; the user joins the role's group at once."""
    if role not in Role.values:
        raise MembershipInvalid({"role": [f"未知角色：{role}"]})
    membership, created = Membership.objects.get_or_create(user=user, body=body, role=role)
    if not created:
        return membership
    group = role_group_for(body=body, role=role).group
    user.groups.add(group)
    record_event("membership.added", actor=actor, target=membership,
                 data={"user": user.get_username(), "body": body.slug, "role": role})
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership, actor=None) -> None:
    """Take a role away; the user leaves the group unless another membership still needs it."""
    user, body, role = membership.user, membership.body, membership.role
    group = role_group_for(body=body, role=role).group
    membership.delete()
    still_needed = Membership.objects.filter(user=user, role=role)
    if role in BODY_ROLES:
        still_needed = still_needed.filter(body=body)
    if not still_needed.exists():
        user.groups.remove(group)
    record_event("membership.removed", actor=actor, target=body,
                 data={"user": user.get_username(), "body": body.slug, "role": role})


def _body_role_groups(body: Body) -> dict[str, RoleGroup]:
    existing = {rg.role: rg for rg in RoleGroup.objects.filter(body=body)}
    if set(existing) != set(BODY_ROLES):
        return sync_body_role_groups(body=body)
    return existing


def role_group_for(*, body: Body, role: str) -> RoleGroup:
    """The group carrying ``role``: one per body for body roles, one for the cluster otherwise."""
    if role in CLUSTER_ROLES:
        role_group = RoleGroup.objects.filter(body=None, role=role).select_related("group").first()
        return role_group or sync_cluster_role_groups()[role]
    role_group = RoleGroup.objects.filter(body=body, role=role).select_related("group").first()
    return role_group or sync_body_role_groups(body=body)[role]


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    wanted = [tuple(name.split(".", 1)) for name in names]
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(codename__in=[c for _, c in wanted]).select_related("content_type")
    }
    return [found[key] for key in wanted if key in found]


def _page_permissions(types: tuple[str, ...]) -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="wagtailcore",
                                          codename__in=[f"{t}_page" for t in types]))


def _keep_only(rows, wanted: set[tuple[int, int]], key) -> set[tuple[int, int]]:
    """Delete the rows not wanted (one by one: the permission audit sees each) and return what
    is still missing."""
    missing = set(wanted)
    for row in rows:
        if key(row) in missing:
            missing.discard(key(row))
        else:
            row.delete()
    return missing


def _set_group_permissions(*, group: Group, role: str, pages, collection: Collection | None) -> None:
    """Make the group's permissions exactly what the role table says, nothing more.

    Only the differences are written, so that the permission audit records real grants and
    revocations: revoked rows are deleted one by one, granted rows are created in bulk and
    recorded here in one audit record per group.
    """
    group.permissions.set(_permissions(MODEL_PERMISSIONS[role]))
    missing_pages = _keep_only(
        GroupPagePermission.objects.filter(group=group),
        {(page.pk, permission.pk) for page in pages
         for permission in _page_permissions(PAGE_PERMISSIONS[role])},
        key=lambda row: (row.page_id, row.permission_id),
    )
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
         for page_id, permission_id in sorted(missing_pages)])
    missing_collections = _keep_only(
        GroupCollectionPermission.objects.filter(group=group),
        {(collection.pk, permission.pk) for permission in _permissions(COLLECTION_PERMISSIONS[role])}
        if collection is not None else set(),
        key=lambda row: (row.collection_id, row.permission_id),
    )
    GroupCollectionPermission.objects.bulk_create(
        [GroupCollectionPermission(group=group, collection_id=collection_id,
                                   permission_id=permission_id)
         for collection_id, permission_id in sorted(missing_collections)])
    if missing_pages or missing_collections:
        record_event("permission.role_group.granted", target=group, data={
            "role": role,
            "page_permissions": sorted(map(list, missing_pages)),
            "collection_permissions": sorted(map(list, missing_collections)),
        })


@transaction.atomic
def sync_body_role_groups(*, body: Body) -> dict[str, RoleGroup]:
    """Create or refresh the body's role groups from the role table (never hand-edited)."""
    pages = list(body.managed_pages.all())
    result = {}
    for role in BODY_ROLES:
        role_group = RoleGroup.objects.filter(body=body, role=role).select_related("group").first()
        if role_group is None:
            group = Group.objects.create(name=f"{body.short_name}（{body.slug}）· {Role(role).label}")
            role_group = RoleGroup.objects.create(group=group, body=body, role=role)
        _set_group_permissions(group=role_group.group, role=role, pages=pages,
                               collection=body.collection)
        result[role] = role_group
    return result


@transaction.atomic
def sync_cluster_role_groups() -> dict[str, RoleGroup]:
    """Create or refresh the cluster-wide groups (system administrator, auditor)."""
    root_pages = list(Page.get_first_root_node() and [Page.get_first_root_node()])
    root_collection = Collection.get_first_root_node()
    result = {}
    for role in CLUSTER_ROLES:
        role_group = RoleGroup.objects.filter(body=None, role=role).select_related("group").first()
        if role_group is None:
            group, _ = Group.objects.get_or_create(name=str(Role(role).label))
            role_group = RoleGroup.objects.create(group=group, body=None, role=role)
        _set_group_permissions(
            group=role_group.group, role=role,
            pages=root_pages if PAGE_PERMISSIONS[role] else [],
            collection=root_collection if COLLECTION_PERMISSIONS[role] else None,
        )
        result[role] = role_group
    return result
