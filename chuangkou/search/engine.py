"""The search engine (检索引擎): one Tantivy index over every public document, kept in
generations under ``SEARCH_INDEX_DIR`` so a rebuild never leaves readers without an index.

Text is segmented here in Python (``text.index_tokens``: normalised, jieba search mode) and
handed to Tantivy as tokens joined by single spaces. Tantivy's ``whitespace`` tokenizer
(registered by default beside ``default``, ``raw`` and a stemmer per language such as
``en_stem``; there is no Chinese one) splits on white space only, without lower-casing or
dropping long tokens, so the index holds exactly the terms ``text.py`` produced and a query
term built by ``text.query_tokens`` meets them (``test_whitespace_tokenizer_keeps_tokens``).

Schema (``SCHEMA_VERSION`` below; a generation written with another version is refused with
``IndexOutdated`` and must be rebuilt):

============  ==================================  ===============================================
field         kind                                holds
============  ==================================  ===============================================
key           text, raw, indexed                  ``"<source>:<id>"``: upsert and delete by term
type          text, raw, indexed, fast            a ``DocumentType`` value: filter, facet
title         text, whitespace, term frequencies  tokens of title + keywords (scored x3)
text          text, whitespace, term frequencies  tokens of title + keywords + body: every term
                                                  of the document, so one posting list decides
                                                  whether a term occurs "in title or text"
codes         text, raw, indexed, several         ``normalise_code`` of 索引号 and 文号
site_id       unsigned, indexed, fast             filter, facet
column_ids    unsigned, indexed, several          every column above the document (scope)
body_id       unsigned, indexed, fast             filter, facet
year          unsigned, indexed, fast             filter, facet
category      text, raw, indexed, fast            公开目录分类: filter, facet
validity      text, raw, indexed, fast            有效性: filter, facet
days          integer, fast                       the date as days since 1970-01-01 (recency)
payload       bytes, stored                       JSON of what a result shows (``Hit``) and the
                                                  first ``SNIPPET_SOURCE_CHARS`` of the body
============  ==================================  ===============================================

Facet and filter fields are dense: a document without a site, body, date, category or validity
holds ``0`` or ``"-"`` (``NO_ID``, ``NO_VALUE``), never a real id (primary keys start at 1) nor
a real label, and left out of the facets. Tantivy reads a dense column about twice as fast as a
sparse one (measured: terms aggregation over category, 80 % of documents without one, 1.2 ms
sparse, 0.6 ms dense per 100,000 matches).

Only term frequencies are indexed (no positions): a ``TermGroup`` alternative is a conjunction
of terms, never a phrase, and positions would double the index.

Scoring: a term scores BM25 over ``title`` boosted ``TITLE_BOOST`` plus BM25 over ``text``; a
document matching a 索引号/文号 in ``codes`` scores ``CODE_SCORE`` on top, so it comes first;
filters are constant-score clauses worth 0. Recency is applied by re-ranking the best
``RERANK_WINDOW`` documents in Python (see ``_recency_factor`` for why not ``weight_by_field``).
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from chuangkou.search.documents import SearchDocument
from chuangkou.search.querying import EngineQuery, EngineResult, FacetCount, Filters, Hit
from chuangkou.search.snippets import highlight, mark
from chuangkou.search.text import index_tokens, normalise, normalise_code

__all__ = [
    "CODE_SCORE",
    "RERANK_WINDOW",
    "SCHEMA_VERSION",
    "TITLE_BOOST",
    "IndexLocked",
    "IndexOutdated",
    "IndexStore",
    "IndexWriting",
    "PreparedDocument",
    "SearchIndex",
    "get_store",
    "prepare_document",
]

SCHEMA_VERSION = 1
VERSION_FILE = "chuangkou-index.json"
TITLE_BOOST = 3.0
# Far above any BM25 sum, so a document found by its 索引号 or 文号 is the first result.
CODE_SCORE = 1000.0
SNIPPET_SOURCE_CHARS = 3000
SNIPPET_LENGTH = 120
RERANK_WINDOW = 200
RECENCY_BOOST = 0.5
RECENCY_HALF_LIFE_DAYS = 365.0
# Facet counts of queries matching at least FACET_CACHE_MIN_MATCHES documents are kept for
# FACET_CACHE_SECONDS (or until the index changes): counting them costs about 2.5 ms per 100,000
# matches, and the queries matching that many are the few most frequent ones (社保, 公积金).
FACET_CACHE_MIN_MATCHES = 20_000
FACET_CACHE_SECONDS = 60.0
FACET_CACHE_SIZE = 256
MAX_GROUPS = 16
MAX_ALTERNATIVES = 8
MAX_TERMS = 8
MAX_HIGHLIGHT_TERMS = 64
# Pages past this many results are not ranked (a crawler asking for page 100,000 would make the
# collector hold that many documents); the total is still counted.
MAX_RANKED = 10_000
FACET_FIELDS = {
    "type": ("type", 20),
    "site": ("site_id", 200),
    "body": ("body_id", 200),
    "year": ("year", 100),
    "category": ("category", 100),
    "validity": ("validity", 20),
}
NO_ID = 0
NO_VALUE = "-"
_EPOCH = datetime.date(1970, 1, 1)
_LOCK_POLL_SECONDS = 0.05


class IndexLocked(Exception):
    """Another writer held the index's write lock for longer than the caller would wait."""


class IndexOutdated(Exception):
    """The index directory was written with another schema version: rebuild it."""


@lru_cache(maxsize=1)
def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("type", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("codes", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("site_id", indexed=True, fast=True)
    builder.add_unsigned_field("column_ids", indexed=True)
    builder.add_unsigned_field("body_id", indexed=True, fast=True)
    builder.add_unsigned_field("year", indexed=True, fast=True)
    builder.add_text_field("category", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("validity", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("days", fast=True)
    builder.add_bytes_field("payload", stored=True)
    return builder.build()


@dataclass(frozen=True)
class PreparedDocument:
    """A document segmented and ready to add: plain data, picklable, so a rebuild can segment
    in worker processes and add in the one process holding the writer."""

    key: str
    type: str
    title_tokens: str
    text_tokens: str
    codes: tuple[str, ...]
    site_id: int | None
    column_ids: tuple[int, ...]
    body_id: int | None
    year: int | None
    days: int | None
    category: str
    validity: str
    payload: bytes


def prepare_document(document: SearchDocument) -> PreparedDocument:
    """Segment and normalise ``document`` for the index (the costly part of indexing)."""
    heading = f"{document.title} {document.keywords}".strip()
    title_tokens = " ".join(index_tokens(heading))
    body_tokens = " ".join(index_tokens(document.text))
    codes = tuple(dict.fromkeys(
        code for code in (normalise_code(document.index_number),
                          normalise_code(document.document_number)) if code))
    payload = {
        "key": document.key,
        "type": document.type,
        "title": document.title,
        "url": document.url,
        "date": document.date.isoformat() if document.date else None,
        "site_id": document.site_id,
        "site_name": document.site_name,
        "body_id": document.body_id,
        "body_name": document.body_name,
        "index_number": document.index_number,
        "document_number": document.document_number,
        "category": document.category,
        "validity": document.validity,
        "text": document.text[:SNIPPET_SOURCE_CHARS],
    }
    return PreparedDocument(
        key=document.key,
        type=document.type,
        title_tokens=title_tokens,
        text_tokens=f"{title_tokens} {body_tokens}".strip(),
        codes=codes,
        site_id=document.site_id,
        column_ids=tuple(document.column_ids),
        body_id=document.body_id,
        year=document.date.year if document.date else None,
        days=(document.date - _EPOCH).days if document.date else None,
        category=document.category,
        validity=document.validity,
        payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
    )


def _tantivy_document(prepared: PreparedDocument) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("key", prepared.key)
    document.add_text("type", prepared.type or NO_VALUE)
    document.add_text("title", prepared.title_tokens)
    document.add_text("text", prepared.text_tokens)
    for code in prepared.codes:
        document.add_text("codes", code)
    for name in ("site_id", "body_id", "year"):
        value = getattr(prepared, name)
        document.add_unsigned(name, value if value is not None and value > 0 else NO_ID)
    for column_id in prepared.column_ids:
        if column_id >= 0:
            document.add_unsigned("column_ids", column_id)
    document.add_text("category", prepared.category or NO_VALUE)
    document.add_text("validity", prepared.validity or NO_VALUE)
    if prepared.days is not None:
        document.add_integer("days", prepared.days)
    document.add_bytes("payload", prepared.payload)
    return document


class IndexWriting:
    """The changes of one ``SearchIndex.writing()`` block; committed together at its end."""

    def __init__(self, writer: tantivy.IndexWriter) -> None:
        self._writer = writer

    def upsert(self, document: SearchDocument) -> None:
        """Add ``document``, replacing the one with the same key if there is one."""
        self.upsert_prepared(prepare_document(document))

    def upsert_many(self, documents: Iterable[SearchDocument]) -> None:
        for document in documents:
            self.upsert(document)

    def upsert_prepared(self, prepared: PreparedDocument) -> None:
        self._writer.delete_documents_by_term("key", prepared.key)
        self._writer.add_document(_tantivy_document(prepared))

    def add_prepared(self, prepared: PreparedDocument) -> None:
        """Add without removing an earlier version: for filling a new, empty generation
        (a rebuild), where there is nothing to replace and a delete per document is waste."""
        self._writer.add_document(_tantivy_document(prepared))

    def delete(self, key: str) -> None:
        self._writer.delete_documents_by_term("key", key)

    def delete_all(self) -> None:
        self._writer.delete_all_documents()


def _recency_factor(days: int | None, today: int) -> float:
    """How much a document's date multiplies its relevance: 1.5 for today, 1.25 a year ago,
    1.06 three years ago, 1 without a date. Newer wins among equally relevant documents, and an
    old document more than 1.5 times as relevant still beats a new one.

    Applied at query time to the best ``RERANK_WINDOW`` documents rather than through Tantivy's
    ``weight_by_field``, which multiplies by ``log2(2 + weight)`` of a value fixed when the
    document was indexed: the age, which changes every day, cannot be expressed that way, and
    it is slower. Measured on 200,000 documents, one term held by 50-100 % of them, CPU time:
    top 200 with ``weight_by_field`` 6.1 ms; top 200 by BM25 then this re-rank 3.4 ms (reading
    200 ``days`` values and sorting in Python: 0.3 ms). Documents beyond the window keep their
    BM25 order, so pages past the 200th result are ranked by relevance alone."""
    if days is None:
        return 1.0
    age = max(today - days, 0)
    return 1.0 + RECENCY_BOOST * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS)


class SearchIndex:
    """One index generation in one directory."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        """Open the index in ``path``, creating it (and the directory) when ``create`` is true;
        otherwise a missing index raises ``FileNotFoundError``."""
        self.path = Path(path)
        if not create and not tantivy.Index.exists(str(self.path)):
            raise FileNotFoundError(f"no search index in {self.path}")
        self.path.mkdir(parents=True, exist_ok=True)
        version_file = self.path / VERSION_FILE
        if version_file.exists():
            version = json.loads(version_file.read_text(encoding="utf-8")).get("schema_version")
            if version != SCHEMA_VERSION:
                raise IndexOutdated(
                    f"{self.path} holds schema version {version}, this code needs "
                    f"{SCHEMA_VERSION}: rebuild the search index")
        self.schema = _schema()
        self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        if not version_file.exists():
            version_file.write_text(json.dumps({"schema_version": SCHEMA_VERSION}),
                                    encoding="utf-8")
        # "commit" reloads the reader when meta.json changes; Tantivy polls the file about
        # twice a second, so another process's commit is visible within a second.
        self._index.config_reader(reload_policy="commit")
        self._facet_cache: OrderedDict[tuple[Any, ...],
                                       tuple[float, dict[str, list[FacetCount]], int]]
        self._facet_cache = OrderedDict()
        self._facet_cache_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<SearchIndex {self.path}>"

    # Writing

    @contextmanager
    def writing(self, *, heap_size: int = 128_000_000,
                threads: int = 1) -> Iterator[IndexWriting]:
        """Changes committed together on normal exit, rolled back on an exception. Tantivy
        allows one writer per index (its own lock file): across processes, take
        ``IndexStore.write_lock`` first. The reader of this process sees the commit at once."""
        writer = self._index.writer(heap_size=heap_size, num_threads=threads)
        try:
            yield IndexWriting(writer)
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            raise
        try:
            writer.commit()
        finally:
            # Waiting for the merges the commit started releases Tantivy's writer lock now,
            # not whenever Python collects the writer; a large merge can take seconds.
            writer.wait_merging_threads()
        self._index.reload()

    @staticmethod
    def tokens_for(document: SearchDocument) -> PreparedDocument:
        """``prepare_document``: may run in a worker process, without an open index."""
        return prepare_document(document)

    # Reading

    def count(self) -> int:
        return self._index.searcher().num_docs

    def doc_freq(self, term: str) -> int:
        """Documents holding the normalised ``term`` in title or text (deleted documents still
        count until their segment is merged)."""
        term = normalise(term)
        if not term:
            return 0
        return self._index.searcher().doc_freq("text", term)

    def terms_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        """Title terms starting with ``prefix``, the most frequent first (suggestions)."""
        prefix = normalise(prefix)
        if not prefix or limit <= 0:
            return []
        found = self._index.searcher().terms_with_prefix("title", prefix, limit=limit)
        return [term for term, _count in found]

    def get(self, key: str) -> Hit | None:
        searcher = self._index.searcher()
        result = searcher.search(Query.term_query(self.schema, "key", key, index_option="basic"),
                                 limit=1, count=False)
        if not result.hits:
            return None
        return self._hit(searcher, result.hits[0][1], 0.0, ())

    def search(self, query: EngineQuery) -> EngineResult:
        built = self._query(query)
        if built is None:
            return EngineResult(total=0, hits=[], facets={})
        searcher = self._index.searcher()
        # With facets, the type facet's counts add up to the total (every document has one
        # type), so the search need not count and Tantivy can skip documents that cannot enter
        # the top (block-max WAND).
        facets, total = (self._cached_facets(searcher, built, query) if query.with_facets
                         else ({}, None))
        offset, limit = max(query.offset, 0), max(query.limit, 0)
        if offset >= MAX_RANKED or limit == 0:
            if total is None:
                total = searcher.search(built, limit=1, count=True).count or 0
            return EngineResult(total=total, hits=[], facets=facets)
        window = min(max(RERANK_WINDOW, offset + limit), MAX_RANKED)
        counting = total is None and query.count_total
        result = searcher.search(built, limit=window, count=counting)
        if total is None:
            total = (result.count or 0) if counting else len(result.hits)
        ranked = self._rerank(searcher, result.hits)[offset:offset + limit]
        terms = (query.highlight_terms or _group_terms(query))[:MAX_HIGHLIGHT_TERMS]
        hits = [self._hit(searcher, address, score, terms) for score, address in ranked]
        return EngineResult(total=total, hits=hits, facets=facets)

    # Internals

    def _term(self, term: str) -> Query:
        """Matches where ``term`` occurs at all, scoring BM25(text) + 3 x BM25(title). ``text``
        holds the title's terms too, so the disjunction matches exactly the documents holding
        ``term`` in ``text``; it costs a third less than "text required, title optional"
        (Tantivy scores a plain union of term scorers faster than a required/optional pair)."""
        return Query.boolean_query([
            (Occur.Should, Query.term_query(self.schema, "text", term, index_option="freq")),
            (Occur.Should, Query.boost_query(
                Query.term_query(self.schema, "title", term, index_option="freq"),
                TITLE_BOOST)),
        ])

    def _query(self, query: EngineQuery) -> Query | None:
        """The Tantivy query, or ``None`` when nothing can match. Beyond ``MAX_GROUPS`` words,
        ``MAX_ALTERNATIVES`` per word and ``MAX_TERMS`` per alternative the rest is ignored: a
        pasted page of text must still be answered within a second (measured on 200,000
        documents: 32 very common words, any of them, 215 ms; 5,000 of them, 6.6 s)."""
        groups: list[Query] = []
        for group in query.groups[:MAX_GROUPS]:
            alternatives: list[Query] = []
            for alternative in group.alternatives[:MAX_ALTERNATIVES]:
                terms = [term for term in dict.fromkeys(normalise(t) for t in alternative)
                         if term][:MAX_TERMS]
                if not terms:
                    continue
                clauses = [self._term(term) for term in terms]
                alternatives.append(clauses[0] if len(clauses) == 1 else Query.boolean_query(
                    [(Occur.Must, clause) for clause in clauses]))
            if alternatives:
                groups.append(alternatives[0] if len(alternatives) == 1 else Query.boolean_query(
                    [(Occur.Should, alternative) for alternative in alternatives]))
        codes = [code for code in dict.fromkeys(normalise_code(c) for c in query.codes)
                 if code][:MAX_GROUPS]
        parts: list[Query] = []
        if groups:
            occur = Occur.Should if query.match_any else Occur.Must
            parts.append(groups[0] if len(groups) == 1 else Query.boolean_query(
                [(occur, group) for group in groups]))
        if codes:
            parts.append(Query.const_score_query(
                Query.term_set_query(self.schema, "codes", codes), CODE_SCORE))
        if not parts:
            return None
        core = parts[0] if len(parts) == 1 else Query.boolean_query(
            [(Occur.Should, part) for part in parts])
        clauses: list[tuple[Occur, Query]] = [(Occur.Must, core)]
        clauses.extend((Occur.Must, Query.const_score_query(clause, 0.0))
                       for clause in self._filters(query.filters))
        for term in list(dict.fromkeys(normalise(t) for t in query.excluded))[:MAX_GROUPS]:
            if term:
                clauses.append((Occur.MustNot, Query.term_query(
                    self.schema, "text", term, index_option="basic")))
        # A boolean query around one required clause costs a quarter more to run.
        return core if len(clauses) == 1 else Query.boolean_query(clauses)

    def _filters(self, filters: Filters) -> list[Query]:
        wanted: list[tuple[str, Any]] = [
            ("type", filters.type or None),
            ("site_id", filters.site_id),
            ("column_ids", filters.column_id),
            ("body_id", filters.body_id),
            ("year", filters.year),
            ("category", filters.category or None),
            ("validity", filters.validity or None),
        ]
        queries = []
        for field_name, value in wanted:
            if value is None:
                continue
            if field_name in ("site_id", "column_ids", "body_id", "year"):
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    value = -1
            if value in (NO_VALUE, NO_ID) or (isinstance(value, int) and value < 0):
                queries.append(Query.empty_query())  # stands for "none": no such site or body
                continue
            queries.append(Query.term_query(self.schema, field_name, value,
                                            index_option="basic"))
        return queries

    def _cached_facets(self, searcher: tantivy.Searcher, built: Query,
                       query: EngineQuery) -> tuple[dict[str, list[FacetCount]], int]:
        """``_facets``, from the cache when the same query was counted less than
        ``FACET_CACHE_SECONDS`` ago on the same index state (``meta.json`` changes with every
        commit). Returns copies: callers fill in labels."""
        try:
            stat = os.stat(self.path / "meta.json")
            version: tuple[int, ...] = (stat.st_mtime_ns, stat.st_ino, searcher.num_docs)
        except OSError:
            version = ()
        key = (version, query.groups, query.codes, query.excluded, query.filters,
               query.match_any)
        now = time.monotonic()
        cached = None
        if version:
            with self._facet_cache_lock:
                cached = self._facet_cache.get(key)
                if cached is not None and now - cached[0] > FACET_CACHE_SECONDS:
                    del self._facet_cache[key]
                    cached = None
                if cached is not None:
                    self._facet_cache.move_to_end(key)
        if cached is None:
            facets, total = self._facets(searcher, built)
            if version and total >= FACET_CACHE_MIN_MATCHES:
                with self._facet_cache_lock:
                    self._facet_cache[key] = (now, facets, total)
                    while len(self._facet_cache) > FACET_CACHE_SIZE:
                        self._facet_cache.popitem(last=False)
        else:
            _stamp, facets, total = cached
        return {name: list(counts) for name, counts in facets.items()}, total

    def _facets(self, searcher: tantivy.Searcher,
                built: Query) -> tuple[dict[str, list[FacetCount]], int]:
        """Counts over every matching document (one aggregation pass), and the total."""
        specification = {name: {"terms": {"field": field_name, "size": size}}
                         for name, (field_name, size) in FACET_FIELDS.items()}
        answer = searcher.aggregate(built, specification)
        facets: dict[str, list[FacetCount]] = {}
        total = 0
        for name in FACET_FIELDS:
            result = answer.get(name) or {}
            buckets = result.get("buckets", [])
            if name == "type":
                total = sum(int(bucket["doc_count"]) for bucket in buckets)
                total += int(result.get("sum_other_doc_count") or 0)
            counts = [FacetCount(value=_facet_value(bucket["key"]),
                                 label=_facet_label(name, bucket["key"]),
                                 count=int(bucket["doc_count"]))
                      for bucket in buckets if bucket.get("doc_count")]
            counts = [count for count in counts
                      if count.value and count.value not in (NO_VALUE, str(NO_ID))]
            if counts:
                counts.sort(key=lambda count, name=name: (-count.count, _tie_order(name, count)))
                facets[name] = counts
        return facets, total

    def _rerank(self, searcher: tantivy.Searcher,
                hits: Sequence[tuple[Any, tantivy.DocAddress]]) -> list[tuple[float, Any]]:
        if not hits:
            return []
        addresses = [address for _score, address in hits]
        days = searcher.fast_field_values("days", addresses)
        today = (datetime.date.today() - _EPOCH).days
        scored = [(float(score) * _recency_factor(day, today), day if day is not None else -1,
                   -position, address)
                  for position, ((score, address), day) in enumerate(zip(hits, days, strict=True))]
        scored.sort(key=lambda item: item[:3], reverse=True)
        return [(score, address) for score, _day, _position, address in scored]

    def _hit(self, searcher: tantivy.Searcher, address: Any, score: float,
             terms: Sequence[str]) -> Hit:
        stored = searcher.doc(address).get_first("payload")
        data = json.loads(bytes(stored)) if stored else {}
        title = data.get("title", "")
        date = data.get("date")
        return Hit(
            key=data.get("key", ""),
            type=data.get("type", ""),
            title=title,
            title_html=mark(title, terms),
            snippet_html=highlight(data.get("text", ""), terms, length=SNIPPET_LENGTH),
            url=data.get("url", ""),
            date=datetime.date.fromisoformat(date) if date else None,
            site_id=data.get("site_id"),
            site_name=data.get("site_name", ""),
            body_id=data.get("body_id"),
            body_name=data.get("body_name", ""),
            index_number=data.get("index_number", ""),
            document_number=data.get("document_number", ""),
            category=data.get("category", ""),
            validity=data.get("validity", ""),
            score=score,
        )


def _group_terms(query: EngineQuery) -> tuple[str, ...]:
    """The terms of the alternatives searched for: what to mark when the query names none."""
    return tuple(dict.fromkeys(term for group in query.groups[:MAX_GROUPS]
                               for alternative in group.alternatives[:MAX_ALTERNATIVES]
                               for term in alternative[:MAX_TERMS]))


def _facet_value(key: Any) -> str:
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    return str(key)


def _tie_order(name: str, count: FacetCount) -> tuple[int, str]:
    """Among equal counts: types in ``DocumentType`` order, newer years first, ids in number
    order, words in code point order."""
    if name == "type":
        from chuangkou.search.choices import DocumentType

        values = list(DocumentType.values)
        return (values.index(count.value) if count.value in values else len(values), count.value)
    if name == "year" and count.value.isdigit():
        return (-int(count.value), "")
    if name in ("site", "body") and count.value.isdigit():
        return (int(count.value), "")
    return (0, count.value)


def _facet_label(name: str, key: Any) -> str:
    """What a person reads: the type's name, the year, the category or validity itself; sites
    and bodies are named by the caller from the database."""
    value = _facet_value(key)
    if name == "type":
        from chuangkou.search.choices import DocumentType

        return str(DocumentType(value).label) if value in DocumentType.values else value
    if name in ("site", "body"):
        return ""
    return value


class IndexStore:
    """``SEARCH_INDEX_DIR``: generations ``gen-<timestamp>/`` and a ``current`` symlink that
    ``publish`` replaces atomically (rename over it), so a rebuild never leaves readers without
    an index. Open indexes keep working after their generation is deleted (Linux keeps deleted
    files that are mapped); ``current()`` notices the flip on its next call."""

    LINK = "current"
    LOCK_FILE = ".write.lock"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._target: str | None = None
        self._index: SearchIndex | None = None

    def __repr__(self) -> str:
        return f"<IndexStore {self.root}>"

    def current(self) -> SearchIndex:
        """The published generation; an empty one is created and published when there is
        none. One ``readlink`` per call finds out whether another process flipped ``current``."""
        error: Exception | None = None
        for _attempt in range(3):
            target = self._read_link()
            if target is None:
                target = self._create_first()
            if target == self._target and self._index is not None:
                return self._index
            with self._lock:
                if target == self._target and self._index is not None:
                    return self._index
                try:
                    index = SearchIndex(self.root / target, create=False)
                except (OSError, ValueError) as failure:
                    error = failure  # flipped and deleted while opening: read the link again
                    continue
                self._target, self._index = target, index
                return index
        raise OSError(f"could not open the current search index in {self.root}") from error

    def new_generation(self) -> SearchIndex:
        """An empty generation, not published."""
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
        return SearchIndex(self.root / f"gen-{stamp}-{uuid.uuid4().hex[:8]}")

    def publish(self, index: SearchIndex) -> None:
        """Make ``index`` the current generation and delete the generations older than it
        (a newer one may be another rebuild still running, so it stays)."""
        if index.path.parent.resolve() != self.root.resolve():
            raise ValueError(f"{index.path} is not a generation of {self.root}")
        temporary = self.root / f".{self.LINK}-{uuid.uuid4().hex}"
        os.symlink(index.path.name, temporary)
        os.replace(temporary, self.root / self.LINK)
        with self._lock:
            self._target, self._index = index.path.name, index
        for generation in self.root.glob("gen-*"):
            if generation.name < index.path.name and generation.is_dir():
                shutil.rmtree(generation, ignore_errors=True)

    @contextmanager
    def write_lock(self, *, timeout: float | None = None) -> Iterator[None]:
        """One writer at a time across processes (and threads: each call opens its own file,
        and ``flock`` locks conflict between open files). Raises ``IndexLocked`` after
        ``timeout`` seconds; ``None`` waits as long as it takes."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / self.LOCK_FILE, "a+b") as lock_file:
            if timeout is None:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
            else:
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise IndexLocked(
                                f"the search index in {self.root} is locked by another "
                                f"writer") from None
                        time.sleep(_LOCK_POLL_SECONDS)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _read_link(self) -> str | None:
        try:
            return os.readlink(self.root / self.LINK)
        except FileNotFoundError:
            return None

    def _create_first(self) -> str:
        """Create and publish an empty generation unless another process did it first."""
        index = self.new_generation()
        try:
            os.symlink(index.path.name, self.root / self.LINK)
        except FileExistsError:
            shutil.rmtree(index.path, ignore_errors=True)
            target = self._read_link()
            if target is None:
                raise OSError(f"{self.root / self.LINK} is not a symlink") from None
            return target
        with self._lock:
            self._target, self._index = index.path.name, index
        return index.path.name


_stores: dict[tuple[int, Path], IndexStore] = {}
_stores_lock = threading.Lock()


def get_store(root: Path | None = None) -> IndexStore:
    """This process's ``IndexStore`` for ``root`` (``settings.SEARCH_INDEX_DIR`` by default).
    Keyed by process id too: a forked worker opens its own index rather than sharing the
    parent's reader threads."""
    if root is None:
        from django.conf import settings

        root = Path(settings.SEARCH_INDEX_DIR)
    key = (os.getpid(), Path(root).absolute())
    store = _stores.get(key)
    if store is None:
        with _stores_lock:
            store = _stores.setdefault(key, IndexStore(key[1]))
    return store


def forget_stores(under: Path) -> None:
    """Drop this process's cached stores below ``under`` (their readers close when unused):
    for test suites that give every test its own index directory."""
    under = Path(under).absolute()
    with _stores_lock:
        for key in [key for key in _stores if key[1].is_relative_to(under)]:
            del _stores[key]
