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


def bodies_at_or_below(user, *, roles: tuple[str, ...]) -> QuerySet[Body]:
    """Bodies in which ``user`` holds one of ``roles``, and every body below them in the tree
    (a city government's supervisor oversees its departments, districts and streets)."""
    from django.db.models import Q

    paths = list(bodies_of(user, roles=roles).values_list("path", flat=True))
    if not paths:
        return Body.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Body.objects.filter(condition).order_by("path")


def has_cluster_role(user, role: str) -> bool:
    """True if ``user`` holds a cluster-wide role (system administrator, auditor)."""
    if role not in CLUSTER_ROLES or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=role).exists()


def roles_of(user, *, body: Body) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, body=body).values_list("role", flat=True))


def _page_and_ancestor_paths(page) -> list[str]:
    steplen = type(page).steplen
    return [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]


def bodies_managing(page) -> QuerySet[Body]:
    """Bodies whose managed pages include ``page`` or one of its ancestors (栏目责任制)."""
    paths = _page_and_ancestor_paths(page)
    return Body.objects.filter(
        pk__in=Body.managed_pages.through.objects.filter(page__path__in=paths)
        .values("body_id")
    ).order_by("path")


def holds_role_for_page(user, *, role: str, page) -> bool:
    """True if ``user`` holds ``role`` in a body that manages ``page`` (or an ancestor)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    managing = Body.managed_pages.through.objects.filter(
        page__path__in=_page_and_ancestor_paths(page)).values("body_id")
    return Membership.objects.filter(user=user, role=role, body_id__in=managing).exists()
