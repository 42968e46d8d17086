"""Reads of the disclosure catalogue (公开目录): categories, records, the public listing and
the 条例 第二十六条 dashboard."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from wagtail.models import Page

from chuangkou.core.calendar import WorkingCalendar
from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.models import Body, Membership
from chuangkou.organizations.queries import bodies_managing, bodies_of, has_cluster_role

from ..catalogue_rules import (
    may_define_sector_kinds,
    uses_local_government_categories,
    uses_statutory_categories,
    working_days_left,
)
from ..choices import CategoryScheme, DisclosureAttribute
from ..models import CatalogueCategory, DisclosurePlatformPage, DisclosureRecord

__all__ = [
    "CATEGORY_KEEPING_ROLES",
    "RECORD_KEEPING_ROLES",
    "PendingDisclosure",
    "bodies_in_scope",
    "bodies_keeping_categories",
    "bodies_keeping_records",
    "catalogue_records",
    "categories_for",
    "category_tree",
    "category_with_descendants",
    "pending_disclosures",
    "platform_categories",
    "platform_of",
    "published_record_for_page",
    "record_for_page",
    "record_keeping_bodies_for_page",
    "records_of_bodies",
    "supervising_department",
]

# Who keeps a body's catalogue records: its disclosure staff, and the editors, reviewers and
# site administrators who write the pages (they may also need to edit the page itself).
RECORD_KEEPING_ROLES = (Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD, Role.EDITOR,
                        Role.REVIEWER, Role.SITE_ADMINISTRATOR)
CATEGORY_KEEPING_ROLES = (Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD,
                          Role.SITE_ADMINISTRATOR)


def _is_system_administrator(user) -> bool:
    return has_cluster_role(user, Role.SYSTEM_ADMINISTRATOR)


def bodies_keeping_records(user) -> QuerySet[Body]:
    """Bodies whose catalogue records ``user`` may see and keep (all for system administrators)."""
    if _is_system_administrator(user):
        return Body.objects.order_by("path")
    return bodies_of(user, roles=RECORD_KEEPING_ROLES)


def bodies_keeping_categories(user) -> QuerySet[Body]:
    """Bodies whose own catalogue categories ``user`` may change."""
    if _is_system_administrator(user):
        return Body.objects.order_by("path")
    return bodies_of(user, roles=CATEGORY_KEEPING_ROLES)


def record_keeping_bodies_for_page(user, page: Page) -> QuerySet[Body]:
    """Bodies managing ``page`` in which ``user`` may keep its catalogue record: disclosure
    staff of the body, or editors, reviewers and site administrators who may edit the page.
    System administrators keep records for every managing body."""
    managing = bodies_managing(page)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Body.objects.none()
    if _is_system_administrator(user):
        return managing
    roles = [Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD]
    if page.permissions_for_user(user).can_edit():
        roles += [Role.EDITOR, Role.REVIEWER, Role.SITE_ADMINISTRATOR]
    members = Membership.objects.filter(user=user, role__in=roles).values("body_id")
    return managing.filter(pk__in=members)


def supervising_department(body: Body) -> Body | None:
    """The nearest ancestor of ``body`` that supervises a sector (主管部门)."""
    for ancestor in reversed(list(body.get_ancestors())):
        if may_define_sector_kinds(ancestor.kind):
            return ancestor
    return None


def categories_for(body: Body) -> QuerySet[CatalogueCategory]:
    """The active categories ``body`` may file a document under.

    - the statutory ones (条例 第二十条; 第二十一条 only for city and district governments
      and their departments), not for public institutions (第五十五条);
    - the body's own sub-categories and, for a supervising department, its sector kinds;
    - for a public institution, the institution kinds of its nearest supervising department.
    """
    condition = Q(pk__in=[])
    if uses_statutory_categories(body.kind):
        statutory = Q(body__isnull=True, scheme=CategoryScheme.STATUTORY)
        if not uses_local_government_categories(body.kind):
            statutory &= Q(local_government_only=False)
        condition |= statutory | Q(body=body, scheme=CategoryScheme.STATUTORY)
    if may_define_sector_kinds(body.kind):
        condition |= Q(body=body, scheme=CategoryScheme.SECTOR_SUPERVISION)
    if body.kind == BodyKind.PUBLIC_INSTITUTION:
        department = supervising_department(body)
        if department is not None:
            condition |= Q(body=department, scheme=CategoryScheme.INSTITUTION)
        condition |= Q(body=body, scheme=CategoryScheme.INSTITUTION)
    categories = CatalogueCategory.objects.filter(condition, is_active=True)
    return categories.select_related("parent").order_by("scheme", "sort_order", "pk")


def bodies_in_scope(body: Body) -> QuerySet[Body]:
    """A platform's body and every body below it: the city's platform lists the whole city."""
    return Body.objects.filter(path__startswith=body.path).order_by("path")


def platform_categories(body: Body) -> list[CatalogueCategory]:
    """The categories a platform's catalogue navigates: those of ``body`` plus the own
    categories of every body below it, active only."""
    scope = bodies_in_scope(body)
    condition = Q(body__in=scope)
    if uses_statutory_categories(body.kind):
        statutory = Q(body__isnull=True, scheme=CategoryScheme.STATUTORY)
        if not uses_local_government_categories(body.kind):
            statutory &= Q(local_government_only=False)
        condition |= statutory
    return list(CatalogueCategory.objects.filter(condition, is_active=True)
                .order_by("scheme", "sort_order", "pk"))


@dataclass(frozen=True)
class CategoryNode:
    category: CatalogueCategory
    children: tuple["CategoryNode", ...]


def category_tree(categories: list[CatalogueCategory]) -> list[CategoryNode]:
    """Nest a flat list of categories by parent; a category whose parent is absent from the
    list becomes a root."""
    present = {category.pk for category in categories}
    children: dict[int | None, list[CatalogueCategory]] = {}
    for category in categories:
        parent = category.parent_id if category.parent_id in present else None
        children.setdefault(parent, []).append(category)

    def build(parent_id: int | None) -> tuple[CategoryNode, ...]:
        return tuple(CategoryNode(category, build(category.pk))
                     for category in children.get(parent_id, []))

    return list(build(None))


def category_with_descendants(category: CatalogueCategory) -> list[int]:
    """The primary keys of ``category`` and every sub-category below it (any depth)."""
    found, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(CatalogueCategory.objects.filter(parent_id__in=frontier)
                        .values_list("pk", flat=True))
        found.extend(frontier)
    return found


def _records() -> QuerySet[DisclosureRecord]:
    return DisclosureRecord.objects.select_related("body", "category", "page",
                                                   "replaced_by", "replaced_by__page")


def catalogue_records(
    *,
    bodies: QuerySet[Body],
    category_ids: list[int] | None = None,
    theme: str = "",
    genre: str = "",
    year: int | None = None,
    validity: str = "",
    search: str = "",
) -> QuerySet[DisclosureRecord]:
    """The public catalogue: proactive records whose page is live, newest first.

    ``search`` matches 名称, 文号, 索引号 and 内容概述 (contains, case-insensitive).
    """
    records = _records().filter(attribute=DisclosureAttribute.PROACTIVE, page__live=True,
                                body__in=bodies)
    if category_ids:
        records = records.filter(category_id__in=category_ids)
    if theme:
        records = records.filter(theme=theme)
    if genre:
        records = records.filter(genre=genre)
    if year:
        records = records.filter(written_on__year=year)
    if validity:
        records = records.filter(validity=validity)
    if search:
        records = records.filter(Q(title__icontains=search) | Q(document_number__icontains=search)
                                 | Q(index_number__icontains=search)
                                 | Q(summary__icontains=search))
    return records.order_by("-written_on", "-pk")


def record_for_page(page: Page) -> DisclosureRecord | None:
    """The catalogue record of ``page``, whatever its attribute."""
    return _records().filter(page_id=page.pk).first()


def published_record_for_page(page: Page) -> DisclosureRecord | None:
    """The record shown on ``page``: only a proactive one (others are never published)."""
    return _records().filter(page_id=page.pk, attribute=DisclosureAttribute.PROACTIVE).first()


def records_of_bodies(bodies: QuerySet[Body]) -> QuerySet[DisclosureRecord]:
    """Every record of ``bodies`` for the staff index, newest registration first."""
    return _records().filter(body__in=bodies).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class PendingDisclosure:
    """A proactive document formed but not yet published, with its 第二十六条 deadline."""

    record: DisclosureRecord
    working_days_left: int

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0

    @property
    def overdue_working_days(self) -> int:
        return max(-self.working_days_left, 0)


def pending_disclosures(*, bodies: QuerySet[Body], today: date,
                        calendar: WorkingCalendar) -> list[PendingDisclosure]:
    """Proactive records not yet published (待公开信息), the earliest due (the overdue) first."""
    records = (_records().filter(body__in=bodies, attribute=DisclosureAttribute.PROACTIVE,
                                 published_on__isnull=True)
               .order_by("disclosure_due_on", "pk"))
    return [PendingDisclosure(record, working_days_left(today, record.disclosure_due_on,
                                                        calendar=calendar))
            for record in records]


def platform_of(body: Body) -> DisclosurePlatformPage | None:
    return DisclosurePlatformPage.objects.filter(body=body).first()
