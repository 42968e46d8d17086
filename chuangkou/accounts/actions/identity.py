__all__ = ["confirm_real_name"]


def confirm_real_name(*, account, real_name: str, id_number: str, source: str, actor=None) -> None:
    """Record a confirmed real name (owned by the identity helper)."""
    raise NotImplementedError
