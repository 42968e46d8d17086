"""Reads of the search domain: running a search the way the portal and the API show it (best
bets, direct answers, results with facets, "did you mean"), suggestions as you type, what
administrators tuned, and the analytics reports.

What administrators tune (government terms, synonyms, best bets) is read through the cache under
a version that every change bumps, so each process notices within one request.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.db.models import F, FloatField, QuerySet, Sum, Value
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from . import text
from .choices import DocumentType
from .engine import get_store
from .models import BestBet, GovernmentTerm, QueryStatistic, Synonym
from .query_parsing import (
    ParsedQuery,
    complete,
    did_you_mean,
    parse_query,
    synonym_map,
    to_engine_query,
)
from .querying import EngineResult, FacetCount, Filters, Hit
from .vocabulary import Vocabulary

__all__ = [
    "DIRECT_ANSWER_LIMIT",
    "MAX_PAGE",
    "PER_PAGE",
    "BestBetResult",
    "SearchOutcome",
    "best_bets_for",
    "click_through_report",
    "dictionary_terms",
    "load_user_terms",
    "run_search",
    "suggest",
    "synonyms",
    "top_queries",
    "zero_result_queries",
]

PER_PAGE = 10
MAX_PAGE = 100  # deeper pages are refused: nobody reads result 1,001, crawlers do
DIRECT_ANSWER_LIMIT = 3
# Fewer hits than this and the page offers "did you mean" (if a better query is known).
FEW_RESULTS = 3
TUNING_VERSION_KEY = "search:tuning-version"
TUNING_TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class BestBetResult:
    title: str
    url: str
    description: str


@dataclass
class SearchOutcome:
    """One page of results, with everything the result page and the API show."""

    parsed: ParsedQuery
    filters: Filters
    page: int
    per_page: int
    result: EngineResult
    best_bets: list[BestBetResult] = field(default_factory=list)
    direct_answers: list[Hit] = field(default_factory=list)
    suggestion: str | None = None  # 您是不是要找
    partial: bool = False  # no document held every word: showing those that hold some

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def page_count(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.result.total / self.per_page)))

    @property
    def hits(self) -> list[Hit]:
        return self.result.hits

    @property
    def facets(self) -> dict[str, list[FacetCount]]:
        return self.result.facets


# -- what administrators tune --------------------------------------------------------------


def tuning_version() -> int:
    version = cache.get(TUNING_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(TUNING_VERSION_KEY, version, timeout=None)
    return int(version)


def _cached(name: str, compute):
    key = f"search:{name}:{tuning_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TUNING_TIMEOUT)
    return value


def government_terms() -> list[str]:
    return _cached("terms", lambda: list(GovernmentTerm.objects.values_list("term", flat=True)))


def load_user_terms() -> None:
    """Give this process's segmenter the administrators' terms (cheap when unchanged)."""
    text.set_user_terms(government_terms())


def synonyms() -> dict[str, tuple[str, ...]]:
    return _cached("synonyms", lambda: synonym_map(
        Synonym.objects.filter(is_active=True).values_list("terms", flat=True)))


def dictionary_terms() -> list[str]:
    """Terms the vocabulary must know even before a document holds them (for pinyin)."""
    terms = {*text.shipped_terms(), *government_terms()}
    for term, others in synonyms().items():
        terms.add(term)
        terms.update(others)
    return sorted(terms)


def _best_bet_table() -> dict[str, list[BestBetResult]]:
    table: dict[str, list[BestBetResult]] = {}
    bets = BestBet.objects.filter(is_active=True).select_related("page").order_by("sort_order", "id")
    for bet in bets:
        if bet.page_id is not None and not bet.page.live:
            continue
        url = bet.page.url if bet.page_id is not None else bet.url
        if not url:
            continue
        result = BestBetResult(title=bet.title or (bet.page.title if bet.page_id else url),
                               url=url, description=bet.description)
        for line in bet.queries.splitlines():
            query = text.normalise(line)
            if query:
                table.setdefault(query, []).append(result)
    return table


def best_bets_for(query_text: str) -> list[BestBetResult]:
    """The pinned results whose trigger equals the query (normalised: any script, any width)."""
    return _cached("best-bets", _best_bet_table).get(text.normalise(query_text), [])


# -- searching -----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _vocabulary(path: str) -> Vocabulary:
    return Vocabulary(Path(path))


def current_vocabulary() -> Vocabulary:
    index = get_store().current()
    return _vocabulary(str(Path(index.path) / "vocabulary.sqlite3"))


def _fill_labels(result: EngineResult) -> EngineResult:
    """Site and body facets come from the index as ids; name them from the database."""
    from chuangkou.organizations.models import Body
    from chuangkou.sitecluster.models import ClusterSite

    facets = dict(result.facets)
    for name, model, attribute in (("site", ClusterSite, "name"), ("body", Body, "name")):
        counts = facets.get(name)
        if not counts:
            continue
        ids = [int(count.value) for count in counts if count.value.isdigit()]
        names = dict(model.objects.filter(pk__in=ids).values_list("pk", attribute))
        facets[name] = [replace(count, label=names.get(int(count.value), count.label or "—"))
                        for count in counts if count.value.isdigit()
                        and int(count.value) in names]
    return replace(result, facets=facets)


def run_search(*, query: str, filters: Filters | None = None, page: int = 1,
               per_page: int = PER_PAGE, with_facets: bool = True) -> SearchOutcome:
    """Search the way the portal shows it. On the first page: best bets, then service items
    matching the query as direct answers (搜索即服务), then results; if nothing holds every
    word, documents holding some of them (``partial``); if little is found, a better query
    when the vocabulary knows one (``suggestion``)."""
    filters = filters or Filters()
    load_user_terms()
    index = get_store().current()
    vocabulary = current_vocabulary()
    parsed = parse_query(query, synonyms=synonyms(), vocabulary=vocabulary)
    page = max(1, page)
    offset = (page - 1) * per_page
    if parsed.is_empty:
        return SearchOutcome(parsed=parsed, filters=filters, page=page, per_page=per_page,
                             result=EngineResult(total=0, hits=[], facets={}))
    beyond = page > MAX_PAGE  # an empty page, but with the true total and facets
    engine_query = to_engine_query(parsed, filters=filters, offset=0 if beyond else offset,
                                   limit=per_page, with_facets=with_facets)
    result = index.search(engine_query)
    if beyond:
        result = replace(result, hits=[])
    partial = False
    if result.total == 0 and len(parsed.groups) > 1:
        result = index.search(replace(engine_query, match_any=True))
        partial = result.total > 0
        if beyond:
            result = replace(result, hits=[])
    outcome = SearchOutcome(parsed=parsed, filters=filters, page=page, per_page=per_page,
                            result=_fill_labels(result) if with_facets else result,
                            partial=partial)
    if page == 1:
        outcome.best_bets = best_bets_for(parsed.text)
        if not filters.type or filters.type == DocumentType.SERVICE_ITEM:
            answers = index.search(replace(to_engine_query(
                parsed, filters=Filters(type=DocumentType.SERVICE_ITEM), limit=DIRECT_ANSWER_LIMIT,
                with_facets=False), count_total=False))
            pinned = {bet.url for bet in outcome.best_bets}
            outcome.direct_answers = [hit for hit in answers.hits if hit.url not in pinned]
    if result.total < FEW_RESULTS or partial:
        outcome.suggestion = did_you_mean(parsed, vocabulary=vocabulary,
                                          frequency=index.doc_freq)
    return outcome


def suggest(prefix: str, *, limit: int = 8) -> list[str]:
    """Suggestions as you type, for a Chinese or pinyin prefix."""
    if not prefix.strip():
        return []
    load_user_terms()
    return complete(prefix[:40], vocabulary=current_vocabulary(), limit=limit)


# -- analytics -----------------------------------------------------------------------------


def _since(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def top_queries(*, days: int = 30, limit: int = 50) -> QuerySet:
    """The most searched queries of the last ``days`` days, with their zero-result and click
    counts and click-through rate."""
    return (QueryStatistic.objects.filter(day__gte=_since(days)).values("query")
            .annotate(total_searches=Sum("searches"), total_zero=Sum("zero_result_searches"),
                      total_clicks=Sum("clicks"))
            # A click counted just after midnight can have no search on its day: no rate.
            .annotate(click_through=Cast(F("total_clicks"), FloatField())
                      / NullIf(Cast(F("total_searches"), FloatField()), Value(0.0)))
            .order_by("-total_searches", "query")[:limit])


def zero_result_queries(*, days: int = 30, limit: int = 50) -> QuerySet:
    """Queries that found nothing, most frequent first: what citizens look for and the portal
    lacks (or words the synonyms should cover)."""
    return (QueryStatistic.objects.filter(day__gte=_since(days), zero_result_searches__gt=0)
            .values("query").annotate(total_zero=Sum("zero_result_searches"),
                                      total_searches=Sum("searches"))
            .order_by("-total_zero", "query")[:limit])


def click_through_report(*, days: int = 30) -> dict[str, float | int]:
    totals = QueryStatistic.objects.filter(day__gte=_since(days)).aggregate(
        searches=Sum("searches"), zero=Sum("zero_result_searches"), clicks=Sum("clicks"))
    searches = totals["searches"] or 0
    return {
        "searches": searches,
        "zero_result_searches": totals["zero"] or 0,
        "clicks": totals["clicks"] or 0,
        "click_through": (totals["clicks"] or 0) / searches if searches else 0.0,
        "zero_result_rate": (totals["zero"] or 0) / searches if searches else 0.0,
    }

