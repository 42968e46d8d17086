"""The one way to write an audit record."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .choices import AuditOutcome
from .context import current_client_address
from .models import AuditEvent


def record_event(
    action: str,
    *,
    actor=None,
    target: models.Model | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit record; the client address comes from the current request."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False)
        if target is not None
        else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        client_address=current_client_address(),
        outcome=outcome,
        data=data or {},
    )
