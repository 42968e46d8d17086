"""Staff's wording of notifications (通知模板): saving and resetting to the default."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import Channel
from ..exceptions import TemplateRejected
from ..kinds import NotificationKind, get_kind
from ..models import NotificationTemplate
from ..rendering import template_problems
from ._common import _audit, _staff_or_none

__all__ = ["reset_notification_template", "save_notification_template"]


def _kind_on_channel(kind: str, channel: str) -> NotificationKind:
    try:
        definition = get_kind(kind)
    except LookupError:
        raise TemplateRejected({"__all__": [_("没有这种通知类型。")]}) from None
    if channel not in definition.sent_channels:
        raise TemplateRejected({"channel": [
            _("“%(kind)s”不通过该渠道发送。") % {"kind": definition.label}]})
    return definition


@transaction.atomic
def save_notification_template(*, kind: str, channel: str, subject: str, body: str, actor,
                               is_active: bool = True) -> NotificationTemplate:
    """Replace the default wording of ``kind`` on ``channel`` with staff's (checked first:
    syntax, variables, length, the code of a one-time-code message)."""
    definition = _kind_on_channel(kind, channel)
    if channel == Channel.SMS:
        subject = ""  # an SMS has no subject line
    problems = template_problems(definition, channel, subject=subject, body=body)
    if problems:
        raise TemplateRejected(problems)
    template = (NotificationTemplate.objects.select_for_update()
                .filter(kind=kind, channel=channel).first())
    values = {"subject": subject, "body": body, "is_active": is_active}
    created = template is None
    if created:
        template = NotificationTemplate(kind=kind, channel=channel)
        changed = list(values)
    else:
        changed = [name for name, value in values.items() if getattr(template, name) != value]
    for name, value in values.items():
        setattr(template, name, value)
    template.updated_by = _staff_or_none(actor)
    template.save()
    _audit("notifications.template_saved", actor=actor, target=template,
           data={"kind": kind, "channel": channel, "created": created, "changed": changed})
    return template


@transaction.atomic
def reset_notification_template(*, kind: str, channel: str, actor) -> bool:
    """恢复默认: delete staff's wording of ``kind`` on ``channel``; False if there was none."""
    _kind_on_channel(kind, channel)
    template = NotificationTemplate.objects.filter(kind=kind, channel=channel).first()
    if template is None:
        return False
    _audit("notifications.template_reset", actor=actor, target=template,
           data={"kind": kind, "channel": channel})
    template.delete()
    return True
