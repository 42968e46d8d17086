"""Request context that audit records need (the client address, the signed-in user) without
threading the request through every action or signal receiver."""

from contextvars import ContextVar

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)
request_user: ContextVar[object | None] = ContextVar("request_user", default=None)


def current_client_address() -> str | None:
    return client_address.get()


def current_request_user():
    """The user of the request being handled (possibly anonymous), or None outside one."""
    return request_user.get()
