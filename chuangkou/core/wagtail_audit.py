"""Wagtail's own action log, mirrored into our audit trail (审计记录).

Wagtail writes a log entry (``PageLogEntry`` for pages, ``ModelLogEntry`` for other models)
for every page and snippet action on every path: the admin views, ``revision.publish()``,
``page.unpublish()``, the ``publish_scheduled`` command (``wagtail.publish.scheduled`` and
``wagtail.unpublish.scheduled``, with no user), workflow task actions (``wagtail.workflow.*``),
moves, deletions, locks, reverts, copies, renames and view restrictions. Each new entry becomes
one ``AuditEvent`` with the same action name, in the same transaction as the action itself, so
an action that rolls back leaves no record and a record never exists without its action.

The receiver listens to every model's ``post_save`` and keeps the instances of Wagtail's
abstract ``BaseLogEntry``: that covers every model ``log_actions.registry.get_log_entry_models()``
returns, including ones registered by hooks that load after this app, without asking the
registry (which imports every app's ``wagtail_hooks``) while apps are still starting.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_save
from wagtail.models import BaseLogEntry

from .audit import TargetRef, json_safe, record_event
from .choices import AuditOutcome

DISPATCH_UID = "chuangkou.core.wagtail_audit.mirror_log_entry"


def entry_actor(entry: BaseLogEntry):
    """The user Wagtail logged (None for the system: scheduled publishing, commands)."""
    if entry.user_id is None:
        return None
    try:
        return entry.user  # usually the very object Wagtail was given, so no query
    except ObjectDoesNotExist:  # the user has since been deleted (no constraint on the column)
        return None


def entry_target(entry: BaseLogEntry) -> TargetRef:
    """The logged object, named as Wagtail named it: the page's specific type and title, or
    the model instance's type, key and label; it need not exist any more."""
    if hasattr(entry, "page_id"):
        # Wagtail names the type of the instance it was handed, which is the generic Page
        # when the caller had one (publish_scheduled does); the page row knows its own type.
        page = entry._meta.get_field("page").get_cached_value(entry, default=None)
        content_type_id = getattr(page, "content_type_id", None) or entry.content_type_id
        return TargetRef(content_type_id=content_type_id, object_id=str(entry.page_id),
                         label=entry.label or "")
    return TargetRef(content_type_id=entry.content_type_id,
                     object_id=str(getattr(entry, "object_id", "") or ""),
                     label=entry.label or "")


def entry_data(entry: BaseLogEntry) -> dict:
    data = json_safe(entry.data or {})
    if not isinstance(data, dict):
        data = {"value": data}
    data.update({
        "label": entry.label,
        "revision_id": entry.revision_id,
        "log_entry": f"{entry._meta.label_lower}:{entry.pk}",
        "uuid": str(entry.uuid) if entry.uuid else None,
    })
    if entry.user_id is not None and entry_actor(entry) is None:
        data["deleted_user_id"] = entry.user_id
    return data


def mirror_log_entry(sender, instance, created, raw=False, **kwargs):
    if raw or not created or not isinstance(instance, BaseLogEntry):
        return
    record_event(
        instance.action,
        actor=entry_actor(instance),
        target_ref=entry_target(instance),
        outcome=AuditOutcome.SUCCESS,
        data=entry_data(instance),
        occurred_at=instance.timestamp,
    )


def connect() -> None:
    post_save.connect(mirror_log_entry, dispatch_uid=DISPATCH_UID, weak=False)
