"""How notifications reach a signed-up citizen. The accounts domain knows their addresses and
preferences; it answers through the Wagtail hook ``notification_recipient``
(``fn(user) -> Recipient | None``), so this app imports no domain above it."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail import hooks

from .choices import Channel

__all__ = ["Recipient", "recipient_for"]


@dataclass(frozen=True)
class Recipient:
    email: str = ""
    mobile: str = ""
    # The channels the person chose to receive (their preferences); mandatory kinds ignore it.
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.SMS, Channel.SITE)
    # A closed account receives nothing.
    is_reachable: bool = True


def recipient_for(user) -> Recipient | None:
    for resolver in hooks.get_hooks("notification_recipient"):
        recipient = resolver(user)
        if recipient is not None:
            return recipient
    return None
