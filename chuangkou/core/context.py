"""Request context that audit records need (the client address) without threading the
request through every action."""

from contextvars import ContextVar

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def current_client_address() -> str | None:
    return client_address.get()
