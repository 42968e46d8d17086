from chuangkou.core.audit import record_event


def audit(action: str, *, actor=None, target=None, data: dict | None = None, outcome=None):
    """An audit event named ``accounts.<action>``; never put personal data in ``data``."""
    extra = {"outcome": outcome} if outcome is not None else {}
    return record_event(f"accounts.{action}", actor=actor, target=target, data=data or {}, **extra)
