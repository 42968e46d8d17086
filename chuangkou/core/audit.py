"""The one way to write an audit record."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .choices import AuditOutcome
from .context import current_client_address
from .models import AuditEvent


@dataclass(frozen=True)
class TargetRef:
    """The object an event concerns, named without loading it (it may be gone already: a
    deleted page, a removed permission row)."""

    content_type_id: int | None
    object_id: str
    label: str


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON types (dates, decimals, UUIDs and lazy strings become text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def record_event(
    action: str,
    *,
    actor=None,
    target: models.Model | None = None,
    target_ref: TargetRef | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    data: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Append an audit record; the client address comes from the current request.

    Name the object either as ``target`` (an instance) or as ``target_ref``.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if target is not None:
        target_ref = TargetRef(
            content_type_id=ContentType.objects.get_for_model(target, for_concrete_model=False).pk,
            object_id=str(target.pk),
            label=str(target),
        )
    extra = {"occurred_at": occurred_at} if occurred_at is not None else {}
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=actor.get_username()[:150] if is_user else "",
        action=action[:80],
        target_type_id=target_ref.content_type_id if target_ref else None,
        target_id=target_ref.object_id[:64] if target_ref else "",
        target_label=target_ref.label[:255] if target_ref else "",
        client_address=current_client_address(),
        outcome=outcome,
        data=data or {},
        **extra,
    )
