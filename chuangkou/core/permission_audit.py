"""Role and permission changes, audited whichever path made them (权限变更审计).

Receivers on:

- ``Group.permissions`` (either side): ``permission.group_permissions.add|remove|clear``,
  one record per group;
- ``User.groups`` (either side): ``permission.user_groups.add|remove|clear``, one per user;
- ``User.user_permissions``: ``permission.user_permissions.add|remove|clear``, one per user;
- a user's ``is_superuser``, ``is_staff`` or ``is_active`` changing on save (or a new user
  created as superuser or staff): ``permission.user_flags.change``;
- groups created or deleted: ``permission.group.add|delete``;
- Wagtail's ``GroupPagePermission`` and ``GroupCollectionPermission`` rows created, changed or
  deleted: ``permission.group_page_permission.add|change|delete`` and
  ``permission.group_collection_permission.add|change|delete``, with the group as the target.

The actor is the user Wagtail's log context names (every admin view sets it), else the user of
the current request, else none (a management command).

Double records: changes our own actions make (``organizations.actions``: memberships, body
role groups) are audited there in domain terms (``membership.added``) *and* here, as a second,
more technical record of the exact groups and permissions touched. They are not suppressed:
telling the two paths apart would need the actions to mark their work, and a second record
costs nothing an auditor minds.

Not seen by any receiver, because Django sends no signal for them: ``bulk_create`` and
queryset ``update()``. ``organizations.actions`` writes page and collection permissions with
``bulk_create`` (its own records cover those) and, when it re-syncs a role group, first deletes
the group's rows (recorded here as deletions) and then re-creates them in bulk (not recorded).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from wagtail.log_actions import get_active_log_context
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from .audit import record_event
from .context import current_request_user

USER_FLAGS = ("is_superuser", "is_staff", "is_active")
SNAPSHOT = "_audit_user_flags"
CLEARED = "_audit_cleared_pks"


def current_actor():
    """Who is making the change: Wagtail's log context user, else the request's user."""
    user = get_active_log_context().user or current_request_user()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def permission_labels(pks) -> list[str]:
    return [f"{app}.{codename}" for app, codename in Permission.objects.filter(pk__in=pks)
            .order_by("content_type__app_label", "codename")
            .values_list("content_type__app_label", "codename")]


def group_labels(pks) -> list[dict]:
    return [{"id": pk, "name": name}
            for pk, name in Group.objects.filter(pk__in=pks).order_by("name").values_list("pk", "name")]


def _m2m_receiver(*, owner_model, related_label, describe, prefix):
    """A receiver for one many-to-many relation, recording per owner (the group or user whose
    rights changed), whichever side the change was made from."""

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        verb = action.split("_", 1)[1]  # add, remove, clear
        if action == "pre_clear":
            # What is about to be cleared, read before the rows go.
            if reverse:
                owners = list(owner_model.objects.filter(**{related_label: instance}))
                setattr(instance, CLEARED, {"owners": owners})
            else:
                related = getattr(instance, related_label)
                setattr(instance, CLEARED, {"pks": list(related.values_list("pk", flat=True))})
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        actor = current_actor()
        if not reverse:
            if action == "post_clear":
                pks = getattr(instance, CLEARED, {}).get("pks", [])
            else:
                pks = sorted(pk_set or ())
            # Nothing to name means nothing changed hands (e.g. rows restored by a fixture
            # loader before the permissions they point at exist).
            if pks and (described := describe(pks)):
                record_event(f"{prefix}.{verb}", actor=actor, target=instance,
                             data={related_key(prefix): described})
            return
        # Reverse side: ``instance`` is the permission or group that was given or taken.
        if action == "post_clear":
            owners = getattr(instance, CLEARED, {}).get("owners", [])
        else:
            owners = list(owner_model.objects.filter(pk__in=pk_set or ()))
        for owner in owners:
            record_event(f"{prefix}.{verb}", actor=actor, target=owner,
                         data={related_key(prefix): describe([instance.pk])})

    return receiver


def related_key(prefix: str) -> str:
    return "groups" if prefix.endswith("user_groups") else "permissions"


def snapshot_user_flags(sender, instance, **kwargs):
    # Only fields already loaded: reading a deferred one would cost a query per instance.
    setattr(instance, SNAPSHOT, {flag: instance.__dict__.get(flag) for flag in USER_FLAGS})


def audit_user_flags(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not set(update_fields) & set(USER_FLAGS):
        return  # e.g. the last_login update on every sign-in
    before = getattr(instance, SNAPSHOT, {})
    after = {flag: instance.__dict__.get(flag) for flag in USER_FLAGS}
    if created:
        changes = {flag: {"before": None, "after": True}
                   for flag in ("is_superuser", "is_staff") if after.get(flag)}
    else:
        changes = {flag: {"before": before.get(flag), "after": after[flag]}
                   for flag in USER_FLAGS
                   if flag in instance.__dict__ and before.get(flag) is not None
                   and before.get(flag) != after[flag]}
    setattr(instance, SNAPSHOT, after)
    if changes:
        record_event("permission.user_flags.change", actor=current_actor(), target=instance,
                     data={"created": created, "changes": changes})


def audit_group_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record_event("permission.group.add", actor=current_actor(), target=instance,
                     data={"name": instance.name})


def audit_group_deleted(sender, instance, **kwargs):
    record_event("permission.group.delete", actor=current_actor(), target=instance,
                 data={"name": instance.name})


def _object_permission_receivers(model, *, prefix, scope_field):
    """post_save and post_delete receivers for a Wagtail group-object permission row."""

    def describe(row) -> dict:
        scope_model = row._meta.get_field(scope_field).related_model
        scope_id = getattr(row, f"{scope_field}_id")
        scope = scope_model._default_manager.filter(pk=scope_id).first()
        permission = (Permission.objects.filter(pk=row.permission_id)
                      .values_list("content_type__app_label", "codename").first())
        return {
            scope_field: {"id": scope_id, "label": str(scope) if scope is not None else ""},
            "permission": ".".join(permission) if permission else row.permission_id,
            "row_id": row.pk,
        }

    def record(row, verb):
        group = Group.objects.filter(pk=row.group_id).first()
        data = describe(row)
        if group is None:
            data["group_id"] = row.group_id
        record_event(f"{prefix}.{verb}", actor=current_actor(), target=group, data=data)

    def saved(sender, instance, created, raw=False, **kwargs):
        if not raw:
            record(instance, "add" if created else "change")

    def deleted(sender, instance, **kwargs):
        record(instance, "delete")

    return saved, deleted


_RECEIVERS = []  # the closures are connected weakly; this keeps them alive


def connect() -> None:
    User = get_user_model()
    m2m = (
        (Group.permissions.through, Group, "permissions", permission_labels,
         "permission.group_permissions"),
        (User.groups.through, User, "groups", group_labels, "permission.user_groups"),
        (User.user_permissions.through, User, "user_permissions", permission_labels,
         "permission.user_permissions"),
    )
    for through, owner_model, related_label, describe, prefix in m2m:
        receiver = _m2m_receiver(owner_model=owner_model, related_label=related_label,
                                 describe=describe, prefix=prefix)
        _RECEIVERS.append(receiver)
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"audit:{prefix}")

    post_init.connect(snapshot_user_flags, sender=User, dispatch_uid="audit:user_flags_init")
    post_save.connect(audit_user_flags, sender=User, dispatch_uid="audit:user_flags")
    post_save.connect(audit_group_saved, sender=Group, dispatch_uid="audit:group_saved")
    post_delete.connect(audit_group_deleted, sender=Group, dispatch_uid="audit:group_deleted")

    for model, prefix, scope_field in (
        (GroupPagePermission, "permission.group_page_permission", "page"),
        (GroupCollectionPermission, "permission.group_collection_permission", "collection"),
    ):
        saved, deleted = _object_permission_receivers(model, prefix=prefix,
                                                      scope_field=scope_field)
        _RECEIVERS.extend((saved, deleted))
        post_save.connect(saved, sender=model, dispatch_uid=f"audit:{prefix}:save")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"audit:{prefix}:delete")
