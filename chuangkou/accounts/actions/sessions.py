__all__ = ["sign_in_citizen"]


def sign_in_citizen(*, request, account, via_identity_provider: bool = False) -> None:
    """Start a citizen's session (owned by the sign-in helper; see its module docstring)."""
    raise NotImplementedError
