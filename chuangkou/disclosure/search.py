"""What the disclosure catalogue adds to the search index (检索): an article with a catalogue
record (公开目录条目) is a 政府信息公开 document, found and filtered by its 索引号, 文号,
category (公开目录分类) and validity (有效性), published under the record's body (发布机构).

Only records whose 公开属性 is 主动公开 are public metadata. The enricher never adds a document:
it turns article documents the site cluster built (public pages only) into disclosure documents.
A page whose record is 依申请公开 or 不予公开 must not be on the website at all (条例 第十四条至
第十六条; publication of such a page is refused), so if one is live anyway its document is dropped
rather than indexed: the index narrows what is public, never widens it.
"""

from __future__ import annotations

import dataclasses

from django.db.models.signals import pre_save

from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import SearchDocument, register_enricher, split_key, watch

from .choices import DisclosureAttribute, Validity
from .models import CatalogueCategory, DisclosureRecord

__all__ = ["PAGE_SOURCE", "disclosure_documents"]

PAGE_SOURCE = "page"  # the site cluster's source of article documents


def _page_id(document: SearchDocument) -> int | None:
    name, identifier = split_key(document.key)
    return int(identifier) if name == PAGE_SOURCE and identifier.isascii() and identifier.isdigit() else None


def disclosure_documents(documents: list[SearchDocument]) -> list[SearchDocument]:
    """``documents`` with every article that has a catalogue record made a disclosure document
    (one query for the whole batch); articles with a withheld record are left out."""
    page_ids = {page_id for document in documents if (page_id := _page_id(document)) is not None}
    if not page_ids:
        return documents
    records = {
        row["page_id"]: row
        for row in DisclosureRecord.objects.filter(page_id__in=page_ids).values(
            "page_id", "attribute", "index_number", "document_number", "validity", "summary",
            "body_id", "body__name", "category__name")
    }
    enriched = []
    for document in documents:
        record = records.get(_page_id(document))
        if record is None:
            enriched.append(document)
        elif record["attribute"] == DisclosureAttribute.PROACTIVE:
            enriched.append(dataclasses.replace(
                document,
                type=DocumentType.DISCLOSURE_DOCUMENT,
                index_number=record["index_number"],
                document_number=record["document_number"],
                category=record["category__name"],
                validity=str(Validity(record["validity"]).label),
                body_id=record["body_id"],
                body_name=record["body__name"],
                # 内容概述 describes the document as its summary does: weighted like the title.
                keywords=" ".join(part for part in (document.keywords, record["summary"].strip())
                                  if part),
            ))
    return enriched


register_enricher(disclosure_documents)


def _record_keys(record: DisclosureRecord) -> list[str]:
    return [f"{PAGE_SOURCE}:{record.page_id}"] if record.page_id else []


def _remember_category_name(sender, instance: CatalogueCategory, raw=False, **kwargs) -> None:
    instance._search_name_before = None if raw or instance.pk is None else (
        CatalogueCategory.objects.filter(pk=instance.pk).values_list("name", flat=True).first())


def _category_keys(category: CatalogueCategory) -> list[str]:
    """A renamed category changes every document filed under it; switching it on or off or
    reordering it changes none."""
    if category.__dict__.pop("_search_name_before", None) == category.name:
        return []
    return [f"{PAGE_SOURCE}:{page_id}" for page_id in
            DisclosureRecord.objects.filter(category_id=category.pk, page__isnull=False)
            .values_list("page_id", flat=True)]


watch(DisclosureRecord, _record_keys)
pre_save.connect(_remember_category_name, sender=CatalogueCategory,
                 dispatch_uid="disclosure.search.category_name")
watch(CatalogueCategory, _category_keys)
