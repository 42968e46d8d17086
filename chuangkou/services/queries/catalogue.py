"""Reads of the service catalogue (事项目录): the public lists with their filters, one item's
whole guide, the landing page's counts and the item manager's admin list.

Every read fetches what its page shows up front, so the number of queries does not grow with
the number of items.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from chuangkou.organizations.models import Body

from ..choices import Audience
from ..completeness import missing_elements
from ..models import BookableResource, ServiceItem, ServiceMaterial, ServiceTheme, UserChannel
from .access import managed_bodies

__all__ = [
    "ManagedItemRow",
    "bodies_with_published_items",
    "channels_with_counts",
    "item_for_public",
    "items_for_manager",
    "published_items",
    "themes_with_counts",
]


def published_items(*, body: Body | None = None, include_below: bool = False,
                    theme: ServiceTheme | None = None, audience: str | None = None,
                    channel: UserChannel | None = None, kind: str | None = None,
                    depth: int | None = None, q: str = "") -> QuerySet[ServiceItem]:
    """Published items matching every filter given, in catalogue order.

    ``audience`` person or enterprise also finds items for both (个人和法人).
    """
    items = ServiceItem.objects.filter(is_published=True)
    if body is not None:
        items = (items.filter(implementing_body__path__startswith=body.path) if include_below
                 else items.filter(implementing_body=body))
    if theme is not None:
        items = items.filter(themes=theme)
    if channel is not None:
        items = items.filter(channels=channel)
    if audience in (Audience.PERSON, Audience.ENTERPRISE):
        items = items.filter(audience__in=(audience, Audience.BOTH))
    elif audience == Audience.BOTH:
        items = items.filter(audience=Audience.BOTH)
    if kind:
        items = items.filter(kind=kind)
    if depth:
        items = items.filter(online_depth=depth)
    q = (q or "").strip()
    if q:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q)
                             | Q(summary__icontains=q))
    return items.select_related("implementing_body").order_by("sort_order", "code")


def item_for_public(code: str) -> ServiceItem | None:
    """The published item ``code`` with everything its guide page shows, or None."""
    return (ServiceItem.objects.filter(code=code, is_published=True)
            .select_related("implementing_body")
            .prefetch_related(
                Prefetch("materials", queryset=ServiceMaterial.objects.select_related(
                    "blank_form", "example").order_by("sort_order", "pk")),
                "steps", "faqs", "themes", "channels",
                Prefetch("bookable_resources",
                         queryset=BookableResource.objects.filter(is_published=True)
                         .order_by("name", "pk"),
                         to_attr="published_resources"))
            .first())


def themes_with_counts(*, audience: str | None = None) -> list[ServiceTheme]:
    """Themes (of one audience, or all) with ``item_count`` (published items), one query."""
    themes = ServiceTheme.objects.annotate(
        item_count=Count("items", filter=Q(items__is_published=True), distinct=True))
    if audience:
        themes = themes.filter(audience=audience)
    return list(themes.order_by("audience", "sort_order", "pk"))


def channels_with_counts() -> list[UserChannel]:
    return list(UserChannel.objects.annotate(
        item_count=Count("items", filter=Q(items__is_published=True), distinct=True))
        .order_by("sort_order", "pk"))


def bodies_with_published_items() -> list[Body]:
    """Bodies that publish at least one item, in tree order, with ``item_count``."""
    return list(Body.objects.annotate(
        item_count=Count("service_items", filter=Q(service_items__is_published=True)))
        .filter(item_count__gt=0).order_by("path"))


@dataclass(frozen=True)
class ManagedItemRow:
    item: ServiceItem
    missing: list[str]


def items_for_manager(user, *, body: Body | None = None, published: bool | None = None,
                      depth: int | None = None, incomplete: bool | None = None,
                      q: str = "") -> list[ManagedItemRow]:
    """The items ``user`` keeps (事项管理员), each with the guide elements it lacks; filtered by
    body, published state, depth, completeness (缺要素) and text."""
    items = ServiceItem.objects.filter(implementing_body__in=managed_bodies(user))
    if body is not None:
        items = items.filter(implementing_body=body)
    if published is not None:
        items = items.filter(is_published=published)
    if depth:
        items = items.filter(online_depth=depth)
    q = (q or "").strip()
    if q:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q)
                             | Q(summary__icontains=q))
    items = (items.select_related("implementing_body")
             .prefetch_related(Prefetch("materials", queryset=ServiceMaterial.objects.only(
                 "pk", "item_id", "name")), "steps")
             .order_by("implementing_body__path", "sort_order", "code"))
    rows = [ManagedItemRow(item=item, missing=missing_elements(
        item, materials=item.materials.all(), steps=item.steps.all())) for item in items]
    if incomplete is True:
        rows = [row for row in rows if row.missing]
    elif incomplete is False:
        rows = [row for row in rows if not row.missing]
    return rows
