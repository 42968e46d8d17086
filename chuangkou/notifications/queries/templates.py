"""The notification kinds and staff's wording of them, for the template editor."""

from __future__ import annotations

from dataclasses import dataclass

from ..choices import Channel
from ..kinds import NotificationKind, all_kinds, get_kind
from ..models import NotificationTemplate

__all__ = ["KindOverview", "kind_overview", "template_for"]


@dataclass(frozen=True)
class KindOverview:
    kind: NotificationKind
    channels: list[tuple[str, str, NotificationTemplate | None]]

    @property
    def overridden(self) -> bool:
        return any(template is not None for _channel, _label, template in self.channels)


def kind_overview() -> list[KindOverview]:
    """Every registered kind with, per channel it is sent on, staff's template if any (one
    query for all)."""
    templates = {(template.kind, template.channel): template
                 for template in NotificationTemplate.objects.select_related("updated_by")}
    return [KindOverview(kind=kind, channels=[
        (channel, Channel(channel).label, templates.get((kind.code, channel)))
        for channel in kind.sent_channels]) for kind in all_kinds()]


def template_for(kind: str, channel: str) -> tuple[NotificationKind, NotificationTemplate | None]:
    """The kind (LookupError if unknown) and staff's template of it on ``channel``, if any."""
    definition = get_kind(kind)
    return definition, NotificationTemplate.objects.filter(kind=kind, channel=channel).first()
