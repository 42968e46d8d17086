"""Reads about bodies and staff roles."""

from django.db.models import QuerySet

from .models import Body, Membership
from .permissions import CLUSTER_ROLES


def body_tree() -> QuerySet[Body]:
    """Every body in tree order (depth-first), for listings and the API."""
    return Body.objects.order_by("path")


def bodies_of(user, *, roles: tuple[str, ...] | None = None) -> QuerySet[Body]:
    """Bodies in which ``user`` holds one of ``roles`` (any role when None)."""
    if not getattr(user, "is_authenticated", False):
        return Body.objects.none()
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return Body.objects.filter(pk__in=memberships.values("body_id")).order_by("path")


def has_cluster_role(user, role: str) -> bool:
    """True if ``user`` holds a cluster-wide role (system administrator, auditor)."""
    if role not in CLUSTER_ROLES or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=role).exists()


def roles_of(user, *, body: Body) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, body=body).values_list("role", flat=True))
