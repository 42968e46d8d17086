"""Chinese text for search (中文分词与规范化): the same normalisation and segmentation at index
and at query time, so what a citizen types meets what was indexed.

- ``normalise``: NFKC (full-width letters and digits become half-width), Traditional to Simplified
  (OpenCC ``t2s``: 養老保險 → 养老保险), lower case, runs of white space collapsed.
- ``index_tokens``: jieba's search mode (``cut_for_search``: 医疗保险 gives 医疗, 保险 and
  医疗保险), so a query for the whole word or a part of it finds the document.
- ``query_tokens``: jieba's precise mode, the longest words, each a term the index holds.
- Government terms (一网通办, 好差评, ...) are added to jieba's dictionary: the shipped list in
  ``data/government_terms.txt`` and the ones administrators add (``GovernmentTerm``), so
  一网通办好差评 segments as 一网通办 / 好差评 rather than 一网通 / 办好 / 差评.

rjieba is jieba's dictionary and algorithm in Rust (about 17x faster here); one tokenizer is
shared per process and replaced whole when the user dictionary changes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import opencc
import rjieba
from pypinyin import Style, lazy_pinyin, pinyin

__all__ = [
    "SHIPPED_TERMS_FILE",
    "character_readings",
    "index_tokens",
    "is_chinese",
    "normalise",
    "normalise_code",
    "pinyin_keys",
    "pinyin_keys_many",
    "query_tokens",
    "set_user_terms",
    "shipped_terms",
    "user_terms_version",
]

SHIPPED_TERMS_FILE = Path(__file__).parent / "data" / "government_terms.txt"

# A token is kept when it holds a letter or digit of any script; punctuation, symbols and space
# carry no meaning for search.
_MEANINGFUL = re.compile(r"\w", re.UNICODE)
_SPACE = re.compile(r"\s+")
_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_lock = threading.Lock()
_tokenizer: rjieba.Jieba | None = None
_user_terms: tuple[str, ...] = ()
_version = 0


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def shipped_terms() -> tuple[str, ...]:
    """The government terms shipped with the platform, one per line (``#`` starts a comment)."""
    lines = SHIPPED_TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.split("#", 1)[0].strip() for line in lines
                 if line.split("#", 1)[0].strip())


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), Traditional to Simplified, lower case, single spaces."""
    if not text:
        return ""
    # Lone surrogates (possible in a JSON body) cannot be encoded for OpenCC: drop them.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = unicodedata.normalize("NFKC", text)
    if _CHINESE.search(text):
        text = _converter().convert(text)
    return _SPACE.sub(" ", text).strip().lower()


def _build(terms: Iterable[str]) -> rjieba.Jieba:
    tokenizer = rjieba.Jieba()
    for term in terms:
        term = normalise(term).replace(" ", "")
        if term:
            tokenizer.add_word(term, None, None)
    return tokenizer


def _current() -> rjieba.Jieba:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _build([*shipped_terms(), *_user_terms])
    return _tokenizer


def set_user_terms(terms: Iterable[str]) -> None:
    """Replace the administrators' terms in this process's dictionary (the shipped terms stay)."""
    global _tokenizer, _user_terms, _version
    new_terms = tuple(sorted({term for term in terms if term}))
    with _lock:
        if new_terms == _user_terms and _tokenizer is not None:
            return
        _tokenizer = _build([*shipped_terms(), *new_terms])
        _user_terms = new_terms
        _version += 1


def user_terms_version() -> int:
    """Changes whenever ``set_user_terms`` changes the dictionary (for caches keyed on it)."""
    return _version


def _keep(tokens: Iterable[str]) -> list[str]:
    # Most tokens are all letters: isalnum() answers them without the regular expression
    # (a sixth of the cost of segmenting a document).
    return [token for token in (token.strip() for token in tokens)
            if token and (token.isalnum() or _MEANINGFUL.search(token))]


def index_tokens(text: str) -> list[str]:
    """The terms a text is indexed under: normalised, jieba search mode, no punctuation."""
    text = normalise(text)
    if not text:
        return []
    return _keep(_current().cut_for_search(text))


def query_tokens(text: str) -> list[str]:
    """The terms of a query: normalised, jieba precise mode, no punctuation."""
    text = normalise(text)
    if not text:
        return []
    return _keep(_current().cut(text))


def is_chinese(text: str) -> bool:
    """True when the text holds at least one Chinese character."""
    return bool(_CHINESE.search(text))


def pinyin_keys(term: str) -> tuple[str, str]:
    """The whole pinyin without tones and the initials of a term: 社保 → ("shebao", "sb").
    Letters and digits in the term are kept as they are; other characters are dropped."""
    syllables = [part for part in lazy_pinyin(normalise(term), errors="default") if part.strip()]
    syllables = ["".join(ch for ch in part if ch.isalnum()) for part in syllables]
    syllables = [part for part in syllables if part]
    return "".join(syllables), "".join(part[0] for part in syllables)


@lru_cache(maxsize=32768)
def character_readings(character: str) -> tuple[str, ...]:
    """Every toneless reading of one Chinese character, the usual one first: 行 → ("xing",
    "hang", "heng"). A typo made with a pinyin input method swaps a character for another of
    the same sound, whichever reading was meant, so "did you mean" compares all of them.
    Anything but a single Chinese character has no reading."""
    if len(character) != 1 or not _CHINESE.match(character):
        return ()
    readings = pinyin(character, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not readings:
        return ()
    return tuple(dict.fromkeys(reading for reading in readings[0] if reading.isalpha()))


def pinyin_keys_many(terms: Iterable[str]) -> list[tuple[str, str]]:
    """``pinyin_keys`` for many normalised terms at once (a vocabulary commit of a rebuild
    holds hundreds of thousands). A term made only of Chinese characters with a single
    reading each cannot depend on the phrase context pypinyin looks at, so its keys are joined
    from the cached readings of its characters; any other term goes through ``pinyin_keys``.
    The result is the same either way (the tests compare both on the jieba dictionary)."""
    keys = []
    for term in terms:
        syllables = []
        for character in term:
            readings = character_readings(character)
            if len(readings) != 1:
                break
            syllables.append(readings[0])
        else:
            if syllables:
                keys.append(("".join(syllables), "".join(part[0] for part in syllables)))
                continue
        keys.append(pinyin_keys(term))
    return keys


_CODE_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "［": "〔", "］": "〕",
                                "（": "〔", "）": "〕", "【": "〔", "】": "〕", "{": "〔", "}": "〕"})


def normalise_code(code: str) -> str:
    """A 索引号 or 文号 as the index keeps it: half-width, Simplified, lower case, no spaces, and
    the year's brackets written one way, so 国办发[2017]47号, 国办发（2017）47号 and
    国办发〔2017〕47号 are one 文号."""
    return normalise(code).translate(_CODE_BRACKETS).replace(" ", "")
