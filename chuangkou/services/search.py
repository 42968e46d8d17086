"""What 网上办事 puts in the search index (检索): published service items with their 办事指南,
and published life-event guides (场景式服务). Neither belongs to a site of the cluster: both are
served under /banshi/ on the portal for every site.

- Source ``"service_item"``: title = 事项名称; keywords (weighted like the title) = 简介 and the
  names of its 办事主题; text = 受理条件, 办理流程说明, 设定依据, the materials' and steps'
  names, every 常见问题 with its answer, and the 办理地点; body = 实施主体; date = the day it was
  last changed. ``extra["code"]`` carries the 事项编码.
- Source ``"life_event_guide"``: title, summary and each step's title and description; body = 责任单位.

Saving or deleting an item, one of its materials, steps or FAQs, a theme (its name is a keyword
of its items), changing an item's themes, and saving or deleting a guide or one of its steps
records the documents concerned in the change log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed
from django.urls import reverse
from django.utils import timezone

from chuangkou.search.actions import record_index_changes
from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import SearchDocument, SearchSource, register_source, watch

from .models import (
    GuideStep,
    LifeEventGuide,
    ServiceFAQ,
    ServiceItem,
    ServiceMaterial,
    ServiceStep,
    ServiceTheme,
)

__all__ = [
    "BATCH_SIZE",
    "GUIDE_SOURCE",
    "ITEM_SOURCE",
    "guide_documents",
    "item_documents",
    "iter_guide_documents",
    "iter_item_documents",
]

ITEM_SOURCE = "service_item"
GUIDE_SOURCE = "life_event_guide"
BATCH_SIZE = 500


def _joined(parts: Iterable[str]) -> str:
    return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


def _ids(identifiers: Iterable[str]) -> list[int]:
    """The integer ids among ``identifiers``; anything else names nothing (and is deleted)."""
    return sorted({int(identifier) for identifier in identifiers
                   if str(identifier).isascii() and str(identifier).isdigit()})


def _grouped(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    """``(owner id, *values)`` rows as lists of values per owner, in the rows' order."""
    grouped: dict[int, list[tuple]] = {}
    for owner_id, *values in rows:
        grouped.setdefault(owner_id, []).append(tuple(values))
    return grouped


def _batches(rows: QuerySet, build: Callable[[list[dict]], list[SearchDocument]],
             batch_size: int) -> Iterator[SearchDocument]:
    """Documents of every row of ``rows`` (values with ``pk``, in id order) read ``batch_size``
    at a time (keyset, so a late batch costs what the first did)."""
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        yield from build(batch)
        last = batch[-1]["pk"]


# Service items ---------------------------------------------------------------------------------
#
# Rows are read as values, the lists of each item's guide in one query per list: Django's
# prefetch_related builds a manager per item and list, which cost more than the queries.

_ITEM_FIELDS = ("pk", "code", "name", "summary", "acceptance_conditions", "process_description",
                "legal_basis", "place", "updated_at", "implementing_body_id",
                "implementing_body__name")


def _published_items() -> QuerySet:
    return ServiceItem.objects.filter(is_published=True).order_by("pk").values(*_ITEM_FIELDS)


def _item_documents(items: list[dict]) -> list[SearchDocument]:
    """Documents of ``items`` in four more queries: materials, steps, FAQs and themes."""
    if not items:
        return []
    ids = [item["pk"] for item in items]
    order = ("item_id", "sort_order", "pk")
    materials = _grouped(ServiceMaterial.objects.filter(item_id__in=ids).order_by(*order)
                         .values_list("item_id", "name"))
    steps = _grouped(ServiceStep.objects.filter(item_id__in=ids).order_by(*order)
                     .values_list("item_id", "name"))
    faqs = _grouped(ServiceFAQ.objects.filter(item_id__in=ids).order_by(*order)
                    .values_list("item_id", "question", "answer"))
    themes = _grouped(ServiceItem.themes.through.objects.filter(serviceitem_id__in=ids)
                      .order_by("serviceitem_id", "servicetheme__sort_order", "servicetheme_id")
                      .values_list("serviceitem_id", "servicetheme__name"))
    return [SearchDocument(
        key=f"{ITEM_SOURCE}:{item['pk']}",
        type=DocumentType.SERVICE_ITEM,
        title=item["name"],
        text=_joined([
            item["acceptance_conditions"], item["process_description"], item["legal_basis"],
            *(name for (name,) in materials.get(item["pk"], ())),
            *(name for (name,) in steps.get(item["pk"], ())),
            *(part for faq in faqs.get(item["pk"], ()) for part in faq),
            item["place"],
        ]),
        url=reverse("services:item", args=[item["code"]]),
        date=timezone.localdate(item["updated_at"]),
        body_id=item["implementing_body_id"],
        body_name=item["implementing_body__name"],
        keywords=_joined([item["summary"], *(name for (name,) in themes.get(item["pk"], ()))]),
        extra={"code": item["code"]},
    ) for item in items]


def item_documents(identifiers: Sequence[str]) -> list[SearchDocument]:
    """The published items among ``identifiers`` in five queries, however many there are."""
    ids = _ids(identifiers)
    return _item_documents(list(_published_items().filter(pk__in=ids))) if ids else []


def iter_item_documents(batch_size: int = BATCH_SIZE) -> Iterator[SearchDocument]:
    return _batches(_published_items(), _item_documents, batch_size)


register_source(SearchSource(name=ITEM_SOURCE, get_documents=item_documents,
                             iter_documents=iter_item_documents))


# Life-event guides -------------------------------------------------------------------------------

_GUIDE_FIELDS = ("pk", "title", "slug", "summary", "updated_at", "responsible_body_id",
                 "responsible_body__name")


def _published_guides() -> QuerySet:
    return (LifeEventGuide.objects.filter(is_published=True).order_by("pk")
            .values(*_GUIDE_FIELDS))


def _guide_documents(guides: list[dict]) -> list[SearchDocument]:
    """Documents of ``guides`` in one more query: their steps."""
    if not guides:
        return []
    steps = _grouped(GuideStep.objects.filter(guide_id__in=[guide["pk"] for guide in guides])
                     .order_by("guide_id", "sort_order", "pk")
                     .values_list("guide_id", "title", "description"))
    return [SearchDocument(
        key=f"{GUIDE_SOURCE}:{guide['pk']}",
        type=DocumentType.LIFE_EVENT_GUIDE,
        title=guide["title"],
        text=_joined([guide["summary"],
                      *(part for step in steps.get(guide["pk"], ()) for part in step)]),
        url=reverse("services:guide", args=[guide["slug"]]),
        date=timezone.localdate(guide["updated_at"]),
        body_id=guide["responsible_body_id"],
        body_name=guide["responsible_body__name"],
    ) for guide in guides]


def guide_documents(identifiers: Sequence[str]) -> list[SearchDocument]:
    """The published guides among ``identifiers`` in two queries, however many there are."""
    ids = _ids(identifiers)
    return _guide_documents(list(_published_guides().filter(pk__in=ids))) if ids else []


def iter_guide_documents(batch_size: int = BATCH_SIZE) -> Iterator[SearchDocument]:
    return _batches(_published_guides(), _guide_documents, batch_size)


register_source(SearchSource(name=GUIDE_SOURCE, get_documents=guide_documents,
                             iter_documents=iter_guide_documents))


# What changes the documents ----------------------------------------------------------------------


def _item_key(item: ServiceItem) -> list[str]:
    return [f"{ITEM_SOURCE}:{item.pk}"]


def _item_row_key(row: Model) -> list[str]:
    """A material, step or FAQ belongs to one item's guide."""
    return [f"{ITEM_SOURCE}:{row.item_id}"]


def _theme_keys(theme: ServiceTheme) -> list[str]:
    return [f"{ITEM_SOURCE}:{item_id}"
            for item_id in ServiceItem.themes.through.objects.filter(servicetheme_id=theme.pk)
            .values_list("serviceitem_id", flat=True)]


def _guide_key(guide: LifeEventGuide) -> list[str]:
    return [f"{GUIDE_SOURCE}:{guide.pk}"]


def _guide_step_key(step: GuideStep) -> list[str]:
    return [f"{GUIDE_SOURCE}:{step.guide_id}"]


watch(ServiceItem, _item_key)
watch(ServiceMaterial, _item_row_key)
watch(ServiceStep, _item_row_key)
watch(ServiceFAQ, _item_row_key)
watch(ServiceTheme, _theme_keys)
watch(LifeEventGuide, _guide_key)
watch(GuideStep, _guide_step_key)


def _item_themes_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """An item's themes are keywords of its document. ``item.themes.set(...)`` changes them
    from the item's side (``instance`` is the item); ``theme.items.add(...)`` from the theme's
    (``pk_set`` holds the items). Clearing a theme's items names no items afterwards, so they are
    read before (``pre_clear``)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            record_index_changes(keys=_item_key(instance))
    elif action in ("post_add", "post_remove") and pk_set:
        record_index_changes(keys=[f"{ITEM_SOURCE}:{pk}" for pk in sorted(pk_set)])
    elif action == "pre_clear":
        record_index_changes(keys=_theme_keys(instance))


m2m_changed.connect(_item_themes_changed, sender=ServiceItem.themes.through,
                    dispatch_uid="services.search.item_themes")
