"""What the search index holds (检索文档) and where it comes from.

Each domain app declares its documents in ``<app>/search.py`` (found at start-up):

- ``register_source(SearchSource(...))``: one kind of document, keyed ``"<source>:<id>"``, with
  a function that builds the public documents for some ids (an id it does not return is not
  public any more and leaves the index) and one that yields every public document (rebuild);
- ``register_enricher(fn)``: adds what another app knows to documents built by a source
  (disclosure turns an article with a catalogue record into a 政府信息公开 document with its
  索引号, 文号, category and validity);
- ``watch(model, keys)``: the documents whose content changes when an instance of ``model`` is
  saved or deleted. The search app records those keys in the change log (``IndexChange``) in the
  same transaction as the change, and applies them to the index after commit.

The search app itself imports no domain app: it only knows this registry.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import models

__all__ = [
    "SearchDocument",
    "SearchSource",
    "Watch",
    "all_sources",
    "all_watches",
    "build_documents",
    "enrich",
    "get_source",
    "iter_all_documents",
    "register_enricher",
    "register_source",
    "split_key",
    "watch",
]


@dataclass(frozen=True)
class SearchDocument:
    """One public thing as the index sees it. Text is plain (no HTML); the search app
    normalises and segments it."""

    key: str  # "<source>:<id>", e.g. "page:42", "service_item:7"
    type: str  # a choices.DocumentType value
    title: str
    text: str  # the body as plain text
    url: str  # the public address: a path on the portal ("/banshi/items/X/") or a full URL
    date: datetime.date | None = None  # shown, used for recency and the year facet
    site_id: int | None = None  # sitecluster.ClusterSite
    site_name: str = ""
    column_ids: tuple[int, ...] = ()  # every column page above it (scope "one column")
    body_id: int | None = None  # organizations.Body that publishes or implements it
    body_name: str = ""
    keywords: str = ""  # subtitle, summary, keywords: indexed with the title's weight
    index_number: str = ""  # 索引号 (disclosure documents)
    document_number: str = ""  # 文号
    category: str = ""  # 公开目录分类 (disclosure documents)
    validity: str = ""  # 有效性 label (disclosure documents): 有效, 失效, 废止
    extra: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SearchSource:
    """One kind of document. ``get_documents(ids)`` returns the public documents among ``ids``
    (strings, the part of the key after the colon) with related objects fetched in a fixed
    number of queries; ``iter_documents()`` yields every public document, reading in batches."""

    name: str
    get_documents: Callable[[Sequence[str]], Iterable[SearchDocument]]
    iter_documents: Callable[[], Iterator[SearchDocument]]
    # How many public documents there are (the rebuild's progress bar); one query.
    count_documents: Callable[[], int] | None = None

    def key(self, identifier: object) -> str:
        return f"{self.name}:{identifier}"

    def count(self) -> int:
        return self.count_documents() if self.count_documents is not None else 0


@dataclass(frozen=True)
class Watch:
    """Saving or deleting an instance of ``model`` changes the documents ``keys(instance)``."""

    model: type[models.Model]
    keys: Callable[[models.Model], Iterable[str]]


_SOURCES: dict[str, SearchSource] = {}
_ENRICHERS: list[Callable[[list[SearchDocument]], list[SearchDocument]]] = []
_WATCHES: list[Watch] = []


def register_source(source: SearchSource) -> SearchSource:
    if ":" in source.name or not source.name:
        raise ValueError(f"search source name {source.name!r} must be non-empty without ':'")
    existing = _SOURCES.get(source.name)
    if existing is not None and existing is not source:
        raise ValueError(f"search source {source.name!r} is registered twice")
    _SOURCES[source.name] = source
    return source


def register_enricher(
    enricher: Callable[[list[SearchDocument]], list[SearchDocument]],
) -> Callable[[list[SearchDocument]], list[SearchDocument]]:
    if enricher not in _ENRICHERS:
        _ENRICHERS.append(enricher)
    return enricher


def watch(model: type[models.Model], keys: Callable[[models.Model], Iterable[str]]) -> Watch:
    entry = Watch(model=model, keys=keys)
    if entry not in _WATCHES:
        _WATCHES.append(entry)
    return entry


def all_sources() -> list[SearchSource]:
    return list(_SOURCES.values())


def all_watches() -> list[Watch]:
    return list(_WATCHES)


def get_source(name: str) -> SearchSource | None:
    return _SOURCES.get(name)


def split_key(key: str) -> tuple[str, str]:
    """``"page:42"`` → ``("page", "42")``; a key without a colon gives an empty id."""
    name, _, identifier = key.partition(":")
    return name, identifier


def enrich(documents: list[SearchDocument]) -> list[SearchDocument]:
    for enricher in _ENRICHERS:
        documents = enricher(documents)
    return documents


def build_documents(keys: Iterable[str]) -> tuple[list[SearchDocument], set[str]]:
    """The current public documents for ``keys`` and the keys that are not public (to delete).
    Keys of an unknown source are treated as gone."""
    by_source: dict[str, list[str]] = {}
    for key in keys:
        name, identifier = split_key(key)
        by_source.setdefault(name, []).append(identifier)
    documents: list[SearchDocument] = []
    for name, identifiers in by_source.items():
        source = _SOURCES.get(name)
        if source is not None:
            documents.extend(source.get_documents(identifiers))
    documents = enrich(documents)
    present = {document.key for document in documents}
    requested = {f"{name}:{identifier}" for name, ids in by_source.items() for identifier in ids}
    return documents, requested - present


def iter_all_documents(batch_size: int = 500) -> Iterator[list[SearchDocument]]:
    """Every public document of every source, enriched, in batches (for a rebuild)."""
    for source in all_sources():
        batch: list[SearchDocument] = []
        for document in source.iter_documents():
            batch.append(document)
            if len(batch) >= batch_size:
                yield enrich(batch)
                batch = []
        if batch:
            yield enrich(batch)
