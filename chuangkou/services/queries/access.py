"""Who may act on what in online services: the object-level half of the role table.

Model permissions (``organizations.permissions``) say which kinds of thing a role handles;
these functions say on which bodies. Item managers and handlers act in the bodies they hold
the role in; supervisors in those bodies and every body below them. Superusers are not
special-cased: they act through roles like everyone else (三员分立).
"""

from django.db.models import Q, QuerySet

from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import bodies_at_or_below, bodies_of

from ..models import ServiceApplication, ServiceItem

__all__ = [
    "applications_visible_to",
    "handled_bodies",
    "items_managed_by",
    "managed_bodies",
    "may_handle_at",
    "may_manage_body",
    "may_supervise_body",
    "may_use_services_admin",
    "supervised_bodies",
]


def _staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def managed_bodies(user) -> QuerySet[Body]:
    """Bodies whose items, online forms and bookable resources ``user`` keeps (事项管理员)."""
    if not (_staff(user) and user.has_perm("services.manage_service_items")):
        return Body.objects.none()
    return bodies_of(user, roles=(Role.SERVICE_ITEM_MANAGER,))


def handled_bodies(user) -> QuerySet[Body]:
    """Bodies at which ``user`` accepts and handles applications (办件人员)."""
    if not (_staff(user) and user.has_perm("services.handle_service_applications")):
        return Body.objects.none()
    return bodies_of(user, roles=(Role.SERVICE_HANDLER,))


def supervised_bodies(user) -> QuerySet[Body]:
    """Bodies ``user`` supervises (督办): where they hold the role and every body below."""
    if not (_staff(user) and user.has_perm("services.supervise_services")):
        return Body.objects.none()
    return bodies_at_or_below(user, roles=(Role.SERVICE_SUPERVISOR,))


def may_manage_body(user, body: Body) -> bool:
    return body is not None and managed_bodies(user).filter(pk=body.pk).exists()


def may_handle_at(user, body: Body) -> bool:
    return body is not None and handled_bodies(user).filter(pk=body.pk).exists()


def may_supervise_body(user, body: Body) -> bool:
    return body is not None and supervised_bodies(user).filter(pk=body.pk).exists()


def may_use_services_admin(user) -> bool:
    return _staff(user) and any(user.has_perm(f"services.{codename}") for codename in (
        "manage_service_items", "manage_life_event_guides", "handle_service_applications",
        "supervise_services", "manage_bookings", "manage_back_office_systems"))


def applications_visible_to(user) -> QuerySet[ServiceApplication]:
    """Applications a staff member may see: those now at, decided by, or passing through a
    body they handle for, and everything at or below the bodies they supervise."""
    handled = list(handled_bodies(user).values_list("pk", flat=True))
    supervised = list(supervised_bodies(user).values_list("pk", flat=True))
    if not handled and not supervised:
        return ServiceApplication.objects.none()
    condition = Q(pk__in=[])
    if handled:
        condition |= (Q(current_body__in=handled) | Q(item__implementing_body__in=handled)
                      | Q(hops__body__in=handled))
    if supervised:
        condition |= Q(current_body__in=supervised) | Q(item__implementing_body__in=supervised)
    return ServiceApplication.objects.filter(
        pk__in=ServiceApplication.objects.filter(condition).values("pk"))


def items_managed_by(user) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(implementing_body__in=managed_bodies(user))
