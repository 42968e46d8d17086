"""The kinds of notification the platform sends. Each app declares its own in
``<app>/notification_kinds.py`` (found at start-up), with default wording that staff may replace
per channel in the admin (通知模板).

Templates use Django's template language, rendered without HTML escaping (e-mail and SMS are
plain text; the portal escapes in-site messages when it shows them). ``variables`` documents what
the sending code passes, for the template editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise

from .choices import Channel

__all__ = ["NotificationKind", "all_kinds", "get_kind", "register_kind"]


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise
    subject: str | Promise
    body: str | Promise
    sms: str | Promise = ""
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.SMS, Channel.SITE)
    variables: dict[str, str | Promise] = field(default_factory=dict)
    # Holds secrets (one-time codes): the body is wiped from the delivery record once sent and
    # never goes to the in-site inbox.
    sensitive: bool = False
    # Sent whatever the recipient's channel preferences are (codes, security notices).
    mandatory: bool = False

    @property
    def sent_channels(self) -> tuple[str, ...]:
        """The channels this kind can actually go out on (a sensitive kind never reaches the
        in-site inbox)."""
        return tuple(channel for channel in self.channels
                     if not (self.sensitive and channel == Channel.SITE))

    def default_subject(self, channel: str) -> str:
        return "" if channel == Channel.SMS else str(self.subject)

    def default_body(self, channel: str) -> str:
        if channel == Channel.SMS and self.sms:
            return str(self.sms)
        return str(self.body)


_REGISTRY: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> NotificationKind:
    existing = _REGISTRY.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {kind.code!r} is declared twice")
    _REGISTRY[kind.code] = kind
    return kind


def get_kind(code: str) -> NotificationKind:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown notification kind {code!r}") from None


def all_kinds() -> list[NotificationKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.code)
