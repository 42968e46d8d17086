from __future__ import annotations

from ..choices import IDENTITY_LEVEL_ORDER, AccountStatus
from ..models import CitizenAccount

__all__ = ["citizen_account_of", "identity_level", "is_citizen", "level_at_least"]


def citizen_account_of(user) -> CitizenAccount | None:
    """The active citizen account of a signed-in user, or None (anonymous, staff, closed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        account = user.citizen_account
    except CitizenAccount.DoesNotExist:
        return None
    return account if account.status == AccountStatus.ACTIVE else None


def is_citizen(user) -> bool:
    return citizen_account_of(user) is not None


def identity_level(user) -> str | None:
    """The ``IdentityLevel`` of a citizen, or None for anyone who is not one."""
    account = citizen_account_of(user)
    return account.identity_level if account else None


def level_at_least(have: str | None, need: str) -> bool:
    if have is None:
        return False
    return IDENTITY_LEVEL_ORDER.index(have) >= IDENTITY_LEVEL_ORDER.index(need)
