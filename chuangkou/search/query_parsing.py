"""Query understanding (检索式解析): from what a citizen typed to what the engine looks for.

``parse_query`` turns the text of the search box into ``TermGroup``s, one per word, each with
the alternatives that may stand for it: the word, the pieces the index may hold it under, its
synonyms (医保 = 医疗保险) and, for a word typed in pinyin, the Chinese terms it spells
("shebao", "sb" → 社保). ``to_engine_query`` adds filters and paging. ``did_you_mean`` offers a
corrected query when one found little (养老保线 → 养老保险), ``complete`` the suggestions as
you type.

Nothing a citizen types raises: quotes, brackets, ``+ * ? ~ ^ :``, AND/OR/NOT, emoji, control
characters and lone surrogates are taken apart or dropped, and the text is cut to
``MAX_QUERY_CHARACTERS`` before any work is done, so a 10,000-character query parses in about a
millisecond. There is no query syntax to get wrong: every word is required, a word written
``-失业`` (or after NOT) is excluded, and that is all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from chuangkou.search.querying import EngineQuery, Filters, TermGroup
from chuangkou.search.text import (
    index_tokens,
    normalise,
    normalise_code,
    query_tokens,
    user_terms_version,
)
from chuangkou.search.vocabulary import Vocabulary

__all__ = [
    "MAX_ALTERNATIVES",
    "MAX_PINYIN_EXPANSIONS",
    "MAX_QUERY_CHARACTERS",
    "MAX_TERM_GROUPS",
    "STOP_WORDS",
    "ParsedQuery",
    "complete",
    "did_you_mean",
    "parse_query",
    "synonym_map",
    "to_engine_query",
]

# Long enough for a pasted document title with its 文号 (titles of State Council documents run
# to about 60 characters); anything longer is cut before it is looked at.
MAX_QUERY_CHARACTERS = 100
# Words beyond these are dropped: a query of more words finds nothing more useful and costs
# the engine a clause per word.
MAX_TERM_GROUPS = 12
# Alternatives of one word (itself, its pieces, synonyms and their pieces, pinyin readings).
MAX_ALTERNATIVES = 16
MAX_PINYIN_EXPANSIONS = 5

# Words that carry no meaning in a query; kept when nothing else is left (a search for 的).
STOP_WORDS = frozenset({"的", "了", "和", "与", "及", "或", "在", "是", "之", "等",
                        "the", "a", "an", "of", "and", "or"})

# Upper-case operators of common search syntax; they are not words here.
_OPERATORS = frozenset({"AND", "OR", "NOT", "&&", "||"})
_NEGATION = frozenset({"NOT"})
# Opening quotation marks and the mark that closes each (after NFKC: ＂ is ").
_QUOTES = {'"': '"', "“": "”", "”": "”", "「": "」", "『": "』", "《": "》", "〈": "〉",
           "‘": "’", "'": "'"}
_MINUS = "-−﹣"  # hyphen-minus, minus sign, small hyphen-minus (－ is - after NFKC)
_SPACE = re.compile(r"\s+")
_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# 文号 (GB/T 9704-2012 7.2.4 发文字号): 机关代字, the year in brackets (〔〕 by the standard; [],
# (), 【】 as typed), the sequence number and 号 — "国办发〔2017〕47号".
_DOCUMENT_NUMBER = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff]+)\s*[\[(〔【{]\s*((?:19|20)\d\d)\s*[\])〕】}]\s*(\d{1,6})\s*号")
# 索引号 (政府信息公开目录系统实施指引): the 18-character 统一社会信用代码, the year and a
# sequence number — "11330100000000002x/2026-00003" (lower case after normalise).
_INDEX_NUMBER = re.compile(
    r"(?<![0-9a-z])([0-9a-z]{18})\s*/\s*((?:19|20)\d\d)\s*-\s*(\d{1,8})(?!\d)")
# The longest 机关代字 looked at (京政办发, 国务院办公厅 ...).
_MAX_AGENCY_CHARACTERS = 12

# A word is corrected only when a same-sounding term is at least this many times as frequent.
_CORRECTION_RATIO = 10
_SAME_SOUND_CHARACTERS = 12
# Document frequencies one "did you mean" may ask the engine for.
_MAX_FREQUENCY_LOOKUPS = 400


@dataclass(frozen=True)
class ParsedQuery:
    """What a query asks for. ``groups`` are in the order typed; ``text`` is the normalised,
    cut query a "did you mean" or a statistic starts from."""

    raw: str
    text: str
    groups: tuple[TermGroup, ...] = ()
    excluded: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    highlight_terms: tuple[str, ...] = ()
    truncated: bool = False
    # (word, the Chinese terms its pinyin was read as), for notes like “shebao：社保”.
    expansions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing to search for (no word and no 文号/索引号): an operator-only or
        punctuation-only query, or only excluded words."""
        return not self.groups and not self.codes


@dataclass(frozen=True)
class _Piece:
    text: str
    excluded: bool


def synonym_map(groups: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every term of the synonym groups mapped to the other terms of its group. A group is one
    ``Synonym.terms`` string ("医保，医疗保险", "社保、社会保险 社会保障"), split on , ， 、 ; ；
    and white space; terms are normalised (養老 and 养老 are one term). Groups that share a
    term are one group: 社保=社会保险 and 社会保险=社会保障 make 社保 a synonym of 社会保障."""
    parent: dict[str, str] = {}

    def root(term: str) -> str:
        while parent[term] != term:
            parent[term] = parent[parent[term]]
            term = parent[term]
        return term

    for group in groups:
        terms = [normalise(term).replace(" ", "")
                 for term in re.split(r"[,，、;；=＝\s]+", normalise(group or ""))]
        terms = [term for term in dict.fromkeys(terms) if term]
        for term in terms:
            parent.setdefault(term, term)
        for term in terms[1:]:
            parent[root(term)] = root(terms[0])
    members: dict[str, list[str]] = {}
    for term in parent:
        members.setdefault(root(term), []).append(term)
    return {term: tuple(other for other in members[root(term)] if other != term)
            for term in parent if len(members[root(term)]) > 1}


def parse_query(raw: str, *, synonyms: Mapping[str, Sequence[str]] | None = None,
                vocabulary: Vocabulary | None = None) -> ParsedQuery:
    """Parse what a citizen typed; see the module docstring. ``synonyms`` comes from
    ``synonym_map``; without ``vocabulary`` pinyin words stay as typed."""
    raw = raw if isinstance(raw, str) else ""
    synonyms = synonyms or {}
    cut, truncated = _cut(raw)
    text = normalise(cut)
    if not text:
        return ParsedQuery(raw=raw, text="", truncated=truncated)

    words: list[str] = []
    excluded: list[str] = []
    included_pieces: list[str] = []
    for piece in _pieces(unicodedata.normalize("NFKC", cut)):
        normalised = normalise(piece.text)
        piece_words = _words(normalised)
        if piece.excluded:
            excluded.extend(word for word in piece_words if word not in STOP_WORDS)
        else:
            words.extend(piece_words)
            included_pieces.append(normalised)
    meaningful = [word for word in words if word not in STOP_WORDS]
    words = list(dict.fromkeys(meaningful or words))
    words = _merge_adjacent(words, synonyms, vocabulary)[:MAX_TERM_GROUPS]

    groups = []
    expansions = []
    highlights: dict[str, None] = {}
    for word in words:
        group, expanded, marked = _group(word, synonyms, vocabulary)
        groups.append(group)
        highlights.update(dict.fromkeys(marked))
        if expanded:
            expansions.append((word, expanded))
    codes = _codes(" ".join(included_pieces))
    searched = set(words)
    excluded = [word for word in dict.fromkeys(excluded) if word not in searched]
    return ParsedQuery(
        raw=raw, text=text, groups=tuple(groups), excluded=tuple(excluded), codes=codes,
        highlight_terms=tuple(sorted(highlights, key=len, reverse=True)),
        truncated=truncated, expansions=tuple(expansions))


def to_engine_query(parsed: ParsedQuery, *, filters: Filters | None = None, offset: int = 0,
                    limit: int = 10, with_facets: bool = True,
                    match_any: bool = False) -> EngineQuery:
    """What the engine runs for a parsed query (an empty query matches nothing)."""
    return EngineQuery(
        groups=parsed.groups, excluded=parsed.excluded, codes=parsed.codes,
        filters=filters or Filters(), offset=max(offset, 0), limit=max(limit, 0),
        with_facets=with_facets, match_any=match_any, highlight_terms=parsed.highlight_terms)


def did_you_mean(parsed: ParsedQuery, *, vocabulary: Vocabulary,
                 frequency: Callable[[str], int]) -> str | None:
    """A corrected query text for a query that found little (the caller decides when), or
    None when nothing better is known.

    Citizens type with pinyin input methods, so a typo is a character of the same sound: 社宝
    for 社保, 养老保线 for 养老保险. Each Chinese word of two or more characters that the
    index holds rarely or never (``frequency`` is the engine's document frequency) is replaced
    by the most frequent term that sounds the same: first a vocabulary term with the same
    whole pinyin, then the word with one character swapped for a same-sounding character of
    the vocabulary. A word is replaced only when the replacement is at least
    ``_CORRECTION_RATIO`` times as frequent. jieba cuts some typos into a single character and
    a word (公基金 → 公 / 基金), so a run of two or three words holding a single character is
    also tried as one word. Single characters alone, pinyin and other words are kept."""
    words = [group.source for group in parsed.groups]
    known: dict[str, int] = {}

    def looked_up(term: str) -> int:
        # Each term once; past the budget a term counts as absent, so nothing is replaced by
        # it and a long query of rare characters cannot make hundreds of index look-ups.
        if term not in known:
            if len(known) >= _MAX_FREQUENCY_LOOKUPS:
                return 0
            known[term] = max(frequency(term), 0)
        return known[term]

    corrections: dict[int, tuple[int, str]] = {}  # first word: (words replaced, replacement)
    position = 0
    while position < len(words):
        for length in (3, 2, 1):
            span = words[position:position + length]
            if len(span) < length or not all(_is_han_word(word) for word in span):
                continue
            if length > 1 and not any(len(word) == 1 for word in span):
                continue
            joined = "".join(span)
            if len(joined) < 2:
                continue
            replacement = _correction(joined, vocabulary=vocabulary, frequency=looked_up)
            if replacement:
                corrections[position] = (length, replacement)
                position += length
                break
        else:
            position += 1
    if not corrections:
        return None
    # Corrected in the text as typed (other words, spacing and excluded words kept); when a
    # word cannot be found there (it was merged or cut), the words are written out instead.
    corrected = parsed.text
    for start, (length, replacement) in corrections.items():
        span = words[start:start + length]
        pattern = re.compile(r"\s*".join(re.escape(word) for word in span))
        corrected, replaced = pattern.subn(replacement, corrected, count=1)
        if not replaced:
            corrected = " ".join(
                corrections[index][1] if index in corrections else word
                for index, word in enumerate(words)
                if not any(start < index < start + length
                           for start, (length, _replacement) in corrections.items()))
            break
    corrected = normalise(corrected)
    return corrected if corrected and corrected != parsed.text else None


def complete(prefix: str, *, vocabulary: Vocabulary, limit: int = 8) -> list[str]:
    """Suggestions as you type: whole queries continuing ``prefix`` (Traditional, full-width,
    Chinese, pinyin, initials or Chinese with a pinyin tail as an input method shows it).
    The last word typed is completed from the vocabulary and what precedes it is kept: 办理養老
    → 办理养老保险; when the whole last word continues nothing, its last pieces are tried
    (养老保 → 养老 + 保险). Pinyin typed syllable by syllable is tried joined first (yang lao
    → 养老)."""
    if not isinstance(prefix, str) or limit <= 0:
        return []
    cut, _truncated = _cut(prefix)
    text = normalise(cut)
    if not text:
        return []
    head, _space, last = text.rpartition(" ")
    # Words already typed in pinyin are shown as the Chinese they spell (zhengfu xinx → 政府
    # 信息…), as an input method would have written them.
    kept = "".join(f"{(_pinyin_readings(word, vocabulary) or (word,))[0]} "
                   if _is_pinyin_word(word) else f"{word} " for word in head.split(" ") if word)
    # (what is kept before the completion, the word completed)
    candidates: list[tuple[str, str]] = [(kept, last)]
    syllables = bool(head) and all(word.isascii() and word.isalpha() for word in text.split(" "))
    if syllables:
        candidates.insert(0, ("", text.replace(" ", "")))  # "yang lao", syllable by syllable
    tokens = query_tokens(last)
    if len(tokens) > 1 and "".join(tokens) == last:
        for start in range(1, len(tokens)):
            tail = "".join(tokens[start:])
            if _is_han_word(tail):
                candidates.append((kept + last[:-len(tail)], tail))
    suggestions: dict[str, None] = {}
    for before, word in candidates:
        for term in vocabulary.complete(word, limit=limit):
            if before + term != text:
                suggestions.setdefault(before + term)
        if len(suggestions) >= limit or (syllables and suggestions):
            break
    return list(suggestions)[:limit]


# Parsing -------------------------------------------------------------------------------------

def _cut(raw: str) -> tuple[str, bool]:
    """The query without invisible characters, white space collapsed, cut to
    ``MAX_QUERY_CHARACTERS``; and whether anything was cut."""
    head = raw[:MAX_QUERY_CHARACTERS * 4]
    cleaned = _SPACE.sub(" ", "".join(_visible(character) for character in head)).strip()
    truncated = len(cleaned) > MAX_QUERY_CHARACTERS or bool(raw[len(head):].strip())
    return cleaned[:MAX_QUERY_CHARACTERS].strip(), truncated


def _visible(character: str) -> str:
    """Control characters separate words (a pasted tab or line break); format characters
    (zero-width space, joiners, byte-order mark), lone surrogates (which OpenCC cannot encode),
    private-use and unassigned code points are dropped."""
    category = unicodedata.category(character)
    if category == "Cc":
        return " "
    if category in ("Cf", "Cs", "Co", "Cn"):
        return ""
    return character


def _pieces(text: str) -> list[_Piece]:
    """Split the (NFKC, case-kept) query into pieces: white-space separated runs, quoted text
    as one piece, a leading - or a preceding NOT marking a piece excluded; AND, OR and NOT
    themselves are no pieces."""
    pieces: list[_Piece] = []
    position, length = 0, len(text)
    negate_next = False
    while position < length:
        if text[position].isspace():
            position += 1
            continue
        excluded = negate_next
        negate_next = False
        if text[position] in _MINUS:
            while position < length and text[position] in _MINUS:
                position += 1
            if position >= length or text[position].isspace():
                continue
            excluded = True
        if text[position] in _QUOTES:
            closing = text.find(_QUOTES[text[position]], position + 1)
            end = length if closing < 0 else closing
            pieces.append(_Piece(text[position + 1:end], excluded))
            position = end + 1
            continue
        end = position
        while end < length and not text[end].isspace():
            end += 1
        piece = text[position:end]
        position = end
        if piece in _OPERATORS:
            negate_next = piece in _NEGATION
            continue
        pieces.append(_Piece(piece, excluded))
    return pieces


def _words(normalised: str) -> list[str]:
    """The words of one normalised piece. jieba splits query syntax (+ * ? ~ ^ : brackets,
    quotes) off the words and ``query_tokens`` drops it; the few compounds its dictionary
    keeps whole (c++, c#, 50%) it keeps whole in the index too, so they are left alone. A word
    needs a letter or a digit (jieba keeps a lone _ as a token)."""
    return [word for word in query_tokens(normalised)
            if any(character.isalnum() for character in word)]


def _merge_adjacent(words: list[str], synonyms: Mapping[str, Sequence[str]],
                    vocabulary: Vocabulary | None) -> list[str]:
    """Join neighbouring words that form one synonym term (jieba may cut an administrator's
    社会保障卡 as 社会保障 / 卡) or, typed syllable by syllable, one pinyin term ("she bao")."""
    han = [_is_han_word(word) for word in words]
    pinyin = [vocabulary is not None and _is_pinyin_word(word) for word in words]
    merged: list[str] = []
    position = 0
    while position < len(words):
        length = 1
        for span_length in range(min(4, len(words) - position), 1, -1):
            end = position + span_length
            joined = "".join(words[position:end])
            if all(han[position:end]) and joined in synonyms:
                length = span_length
                break
            if vocabulary is not None and all(pinyin[position:end]) \
                    and vocabulary.by_pinyin(joined, limit=1):
                length = span_length
                break
        merged.append("".join(words[position:position + length]))
        position += length
    return merged


def _group(word: str, synonyms: Mapping[str, Sequence[str]],
           vocabulary: Vocabulary | None) -> tuple[TermGroup, tuple[str, ...], list[str]]:
    """The group of one word, the Chinese terms its pinyin was read as, and what to mark."""
    alternatives: dict[tuple[str, ...], None] = {}
    marked: list[str] = [word]

    def add(term: str) -> None:
        alternatives.setdefault((term,))
        marked.append(term)
        parts = _parts(term, user_terms_version())
        if parts:
            alternatives.setdefault(parts)
            marked.extend(parts)

    add(word)
    for synonym in synonyms.get(word, ()):
        add(synonym)
    expanded: tuple[str, ...] = ()
    if vocabulary is not None and _is_pinyin_word(word):
        expanded = _pinyin_readings(word, vocabulary)
        for term in expanded:
            add(term)
            for synonym in synonyms.get(term, ()):
                add(synonym)
    group = TermGroup(alternatives=tuple(list(alternatives)[:MAX_ALTERNATIVES]), source=word)
    return group, expanded, marked


def _pinyin_readings(word: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The Chinese terms a letters-only word spells in pinyin or initials. A word the titles
    hold literally at least as often as its best reading is a word of its own (pdf, gdp) and
    is not read as pinyin."""
    readings = vocabulary.by_pinyin(word, limit=MAX_PINYIN_EXPANSIONS)
    if not readings:
        return ()
    literal = vocabulary.frequency(word)
    if literal and literal >= vocabulary.frequency(readings[0]):
        return ()
    return tuple(readings)


@lru_cache(maxsize=8192)
def _parts(word: str, _dictionary_version: int) -> tuple[str, ...]:
    """The pieces the index may hold ``word`` under when it is not one of its terms: jieba's
    search mode indexes 政府信息公开条例 as 政府, 信息, 公开, 条例 and the whole, so a query
    for 政府信息公开 matches as 政府 + 信息 + 公开. A cover of the word by its own search-mode
    tokens, longest from the left (backtracking when that leads nowhere); () when there is
    none. Cached per dictionary version (the cut changes with the government terms)."""
    tokens = {token for token in index_tokens(word) if token != word}
    if not tokens:
        return ()
    by_start: dict[int, list[str]] = {}
    for token in tokens:
        start = word.find(token)
        while start >= 0:
            by_start.setdefault(start, []).append(token)
            start = word.find(token, start + 1)
    for candidates in by_start.values():
        candidates.sort(key=len, reverse=True)
    dead_ends: set[int] = set()

    def cover(position: int) -> list[str] | None:
        if position == len(word):
            return []
        if position in dead_ends:
            return None
        for token in by_start.get(position, ()):
            rest = cover(position + len(token))
            if rest is not None:
                return [token, *rest]
        dead_ends.add(position)
        return None

    parts = cover(0)
    return tuple(parts) if parts and len(parts) > 1 else ()


def _codes(text: str) -> tuple[str, ...]:
    """The 文号 and 索引号 in the (normalised) query, as ``normalise_code`` writes them. Where a
    文号 runs into the words before it (关于国办发〔2017〕47号), each way of reading the
    机关代字 from a word boundary is offered (关于国办发…, 国办发…): a code matches only a
    document holding exactly that number, so the wrong readings match nothing."""
    codes: dict[str, None] = {}
    for match in _DOCUMENT_NUMBER.finditer(text):
        agency, year, number = match.groups()
        agency = agency[-_MAX_AGENCY_CHARACTERS:]
        tokens = query_tokens(agency)
        starts = [0]
        if "".join(tokens) == agency:
            offset = 0
            for token in tokens[:-1]:
                offset += len(token)
                starts.append(offset)
        for start in starts:
            if len(agency) - start >= 2:
                codes.setdefault(normalise_code(f"{agency[start:]}〔{year}〕{number}号"))
    for match in _INDEX_NUMBER.finditer(text):
        credit_code, year, sequence = match.groups()
        codes.setdefault(normalise_code(f"{credit_code}/{year}-{sequence}"))
    return tuple(codes)


# Correction ----------------------------------------------------------------------------------

def _correction(word: str, *, vocabulary: Vocabulary,
                frequency: Callable[[str], int]) -> str | None:
    """The most frequent same-sounding replacement of ``word``, if it is markedly more
    frequent than the word itself."""
    floor = frequency(word) * _CORRECTION_RATIO

    def best(candidates: Iterable[str]) -> str | None:
        scored = [(frequency(candidate), candidate) for candidate in dict.fromkeys(candidates)
                  if candidate != word]
        scored = [(count, candidate) for count, candidate in scored
                  if count > 0 and count >= floor]
        return max(scored)[1] if scored else None

    found = best(vocabulary.homophones(word))
    if found:
        return found
    return best(word[:position] + character + word[position + 1:]
                for position in range(len(word))
                for character in vocabulary.same_sound_characters(
                    word[position], limit=_SAME_SOUND_CHARACTERS))


def _is_han_word(word: str) -> bool:
    return _HAN_WORD.fullmatch(word) is not None


def _is_pinyin_word(word: str) -> bool:
    return len(word) >= 2 and word.isascii() and word.isalpha()
