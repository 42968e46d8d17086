"""Highlighted titles and snippets (标题高亮与摘要) for search results.

A citizen who searched 養老保險 must see 养老保险 marked in a Simplified text, and a search for
养老保险 must mark 養老保險 in a Traditional one, so matching is done on the normalised form of
the text (``text.normalise``: NFKC, Traditional to Simplified, lower case) while the characters
shown are the original ones. A per-character mapping ties the two together: normalisation may
turn one character into several (NFKC: ⑴ → "(1)", ㈱ → "(株)"), so each normalised character
remembers the original character it came from.

Titles and letters are written by citizens: everything shown is HTML-escaped, and the only markup
these functions produce is ``<mark>`` around matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import NamedTuple

from chuangkou.search.text import normalise

__all__ = ["ELLIPSIS", "SAFE_CHARACTERS", "highlight", "mark"]

ELLIPSIS = "…"

# White space stands in the normalised text as a private-use character: ``normalise`` would
# otherwise collapse runs of spaces and break the one-to-one mapping, and no search term holds
# white space or a private-use character, so a match never spans it.
_SPACE_STAND_IN = "\ue000"
_SPACE_RUN = re.compile(r"\s+")
# A window starts after the end of a sentence when one is close before the first match, so a
# snippet begins like a sentence rather than in the middle of a word.
_SENTENCE_END = frozenset("。！？；!?;\n")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


# Characters that NFKC and lower-casing leave as they are, which make up nearly all of a
# Chinese government text: CJK ideographs (base and extension A), printable ASCII except upper
# case and space, and the Chinese punctuation NFKC keeps (、。〃〈〉《》「」『』【】‘’“”·—). Only
# the runs of other characters (full-width punctuation and letters, upper case, white space) are
# looked up, which makes normalising 3,000 characters about three times faster than translating
# every character (``test_safe_characters_are_left_alone_by_normalisation`` checks the list).
SAFE_CHARACTERS = (r"\u3400-\u4dbf\u4e00-\u9fff\x21-\x40\x5b-\x7e\u3001-\u3003"
                   r"\u3008-\u3011\u2018-\u201d\u00b7\u2014")  # regular expression ranges
_MAY_CHANGE = re.compile(f"[^{SAFE_CHARACTERS}]+")


class _CharacterTable(dict[int, int | str]):
    """``str.translate`` table: each character to its NFKC, lower-case form, white space to the
    stand-in. Filled on first sight of a character, so only characters that occur are
    computed."""

    def __missing__(self, codepoint: int) -> int | str:
        character = chr(codepoint)
        if character.isspace():
            value: int | str = _SPACE_STAND_IN
        else:
            normalised = unicodedata.normalize("NFKC", character).lower()
            value = codepoint if normalised == character else normalised
        self[codepoint] = value
        return value


_TABLE = _CharacterTable()


class _Match(NamedTuple):
    start: int  # original character positions, end exclusive
    end: int
    term: int  # index of the term matched


def _translate_run(run: re.Match[str]) -> str:
    return run.group().translate(_TABLE)


def _normalised_with_mapping(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, for each of its characters, the position of the original
    character it came from (``None`` when the two line up one to one)."""
    translated = _MAY_CHANGE.sub(_translate_run, text)
    mapping: list[int] | None = None
    if len(translated) != len(text):
        mapping = []
        for position, character in enumerate(text):
            piece = _TABLE[ord(character)]
            mapping.extend([position] * (len(piece) if isinstance(piece, str) else 1))
    # Traditional to Simplified is the one step left; OpenCC keeps lengths for nearly all text,
    # and ``normalise`` is the same function the index used. If the lengths differ (a phrase
    # conversion that changed length, or NFKC composing across characters) the mapping would be
    # wrong, so matching falls back to the text without that step.
    converted = normalise(translated)
    if len(converted) == len(translated):
        return converted, mapping
    return translated, mapping


@lru_cache(maxsize=512)
def _normalised_terms(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The distinct normalised terms (cached: every hit of a result page is marked with the
    same ones)."""
    unique: list[str] = []
    for term in terms:
        for part in normalise(term).split(" "):
            if part and part not in unique:
                unique.append(part)
    return tuple(unique)


def _find_matches(text: str, terms: Sequence[str]) -> list[_Match]:
    """Non-overlapping occurrences, leftmost first and the longest term where several start at
    one place (医疗保险 rather than 医疗). Latin letters and digits match whole words only (a
    search for "tax" does not mark "taxation"). ``str.find`` per term: five times faster than
    one regular expression alternating the terms."""
    unique = _normalised_terms(tuple(terms))
    if not unique or not text:
        return []
    normalised, mapping = _normalised_with_mapping(text)
    found: list[tuple[int, int, int]] = []
    for number, term in enumerate(unique):
        whole_word = _ASCII_WORD.fullmatch(term) is not None
        start = normalised.find(term)
        while start >= 0:
            end = start + len(term)
            if not whole_word or not (
                    (start > 0 and _is_latin(normalised[start - 1]))
                    or (end < len(normalised) and _is_latin(normalised[end]))):
                found.append((start, -len(term), number))
            start = normalised.find(term, start + 1)
    found.sort()
    matches: list[_Match] = []
    covered = 0
    for start, negative_length, number in found:
        end = start - negative_length
        if start < covered:
            continue
        covered = end
        if mapping is not None:
            start, end = mapping[start], mapping[end - 1] + 1
            if matches and start < matches[-1].end:
                continue  # two normalised characters from one original one
        matches.append(_Match(start, end, number))
    return matches


def _render(text: str, matches: Sequence[_Match], start: int, end: int) -> str:
    """Escaped ``text[start:end]`` with the matches inside it marked, white space collapsed."""
    parts: list[str] = []
    position = start
    for match in matches:
        if match.start < start or match.end > end:
            continue
        parts.append(escape(_SPACE_RUN.sub(" ", text[position:match.start])))
        parts.append(f"<mark>{escape(text[match.start:match.end])}</mark>")
        position = match.end
    parts.append(escape(_SPACE_RUN.sub(" ", text[position:end])))
    return "".join(parts)


def mark(text: str, terms: Sequence[str]) -> str:
    """The whole ``text`` escaped, each occurrence of a term wrapped in ``<mark>`` (titles)."""
    return _render(text, _find_matches(text, terms), 0, len(text)).strip()


def _is_latin(character: str) -> bool:
    return character.isascii() and character.isalnum()


def _best_window(matches: Sequence[_Match], length: int) -> tuple[int, int]:
    """The first and last (exclusive) match of the run of matches fitting in ``length``
    characters that holds the most distinct terms, then the most matches, then comes first."""
    best = (0, 1)
    best_key = (0, 0)
    counts: dict[int, int] = {}
    last = 0
    for first in range(len(matches)):
        while last < len(matches) and matches[last].end - matches[first].start <= length:
            counts[matches[last].term] = counts.get(matches[last].term, 0) + 1
            last += 1
        if last > first:
            key = (len(counts), last - first)
            if key > best_key:
                best_key, best = key, (first, last)
            term = matches[first].term
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
        else:
            last = first + 1  # a single match longer than the window
    return best


def highlight(text: str, terms: Sequence[str], *, length: int = 120) -> str:
    """An escaped snippet of about ``length`` characters of ``text``: the stretch holding the
    most distinct terms (the beginning when none occurs), matches in ``<mark>``, "…" where the
    text was cut."""
    text = text.strip()
    if not text:
        return ""
    length = max(length, 1)
    matches = _find_matches(text, terms)
    if len(text) <= length:
        return _render(text, matches, 0, len(text))
    if not matches:
        start, end = 0, length
    else:
        first, last = _best_window(matches, length)
        span_start, span_end = matches[first].start, matches[last - 1].end
        slack = max(length - (span_end - span_start), 0)
        start = max(span_start - slack // 2, 0)
        end = min(max(start + length, span_end), len(text))
        start = max(min(start, end - length), 0)
        # Begin at a sentence when one ends a little before the first match, and never in
        # the middle of a Latin word or number.
        for position in range(span_start - 1, start - 1, -1):
            if text[position] in _SENTENCE_END:
                end = min(max(position + 1 + length, span_end), len(text))
                start = position + 1
                break
        while 0 < start < span_start and _is_latin(text[start - 1]) and _is_latin(text[start]):
            start += 1
        while span_end < end < len(text) and _is_latin(text[end - 1]) and _is_latin(text[end]):
            end -= 1
    body = _render(text, matches, start, end).strip()
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return f"{prefix}{body}{suffix}"
