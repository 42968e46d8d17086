"""The shapes passed between query parsing, the engine and the views: what to look for
(``EngineQuery``) and what was found (``EngineResult``). Plain data, no behaviour."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

__all__ = [
    "FACET_NAMES",
    "EngineQuery",
    "EngineResult",
    "FacetCount",
    "Filters",
    "Hit",
    "TermGroup",
]

# The facets a result page offers, in the order it shows them.
FACET_NAMES = ("type", "site", "body", "year", "category", "validity")


@dataclass(frozen=True)
class TermGroup:
    """One word of the query and what else may stand for it. A document matches the group
    when it holds every term of at least one alternative: the word itself (``("社保",)``), a
    synonym (``("社会保险",)``), the Chinese terms a pinyin word stands for, or the parts the
    index may hold a long word under (``("政府", "信息", "公开")``). Terms are normalised."""

    alternatives: tuple[tuple[str, ...], ...]
    source: str = ""  # the word as parsed from the query (for highlighting, "did you mean")


@dataclass(frozen=True)
class Filters:
    type: str = ""
    site_id: int | None = None
    column_id: int | None = None
    body_id: int | None = None
    year: int | None = None
    category: str = ""
    validity: str = ""


@dataclass(frozen=True)
class EngineQuery:
    """Every group must match (or any, with ``match_any``); ``excluded`` terms must not; a
    document whose 索引号 or 文号 equals one of ``codes`` matches whatever the groups say.
    No groups and no codes match nothing."""

    groups: tuple[TermGroup, ...] = ()
    excluded: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    offset: int = 0
    limit: int = 10
    with_facets: bool = True
    match_any: bool = False
    highlight_terms: tuple[str, ...] = ()  # normalised terms to mark in titles and snippets
    # False: ``total`` is not needed (direct answers), so matches past the top need not be
    # counted and Tantivy may skip them; ``total`` is then only a lower bound.
    count_total: bool = True


@dataclass(frozen=True)
class Hit:
    key: str
    type: str
    title: str
    title_html: str  # escaped, matches wrapped in <mark>
    snippet_html: str  # escaped, about 120 characters around the best match, in <mark>
    url: str
    date: datetime.date | None
    site_id: int | None
    site_name: str
    body_id: int | None
    body_name: str
    index_number: str = ""
    document_number: str = ""
    category: str = ""
    validity: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class FacetCount:
    value: str  # what the filter takes (a type value, an id as text, a year)
    label: str  # what a person reads (类型名, site name, body name, "2025")
    count: int


@dataclass(frozen=True)
class EngineResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
