"""The index vocabulary (检索词表): the terms of the indexed titles with their document
frequency, whole pinyin and initials, for what Tantivy cannot do by itself: find 社保 from
"shebao" or "sb", suggest 养老保险 while a citizen is still typing 养老 or "yangl", and offer
社保 for the typo 社宝 ("did you mean").

Each index generation keeps one beside it (``<index dir>/vocabulary.sqlite3``, stdlib
``sqlite3``), so a rebuild writes a fresh vocabulary together with the fresh index and the flip
of ``current`` switches both. Two tables:

- ``terms(term, frequency, pinyin, initials)``: one row per term worth suggesting (Chinese
  terms of two or more characters, ASCII words of two or more letters and digits holding a
  letter), with indexes on the term (prefix ranges), the pinyin and the initials;
- ``characters(syllable, character, usual, frequency)``: every reading of every Chinese
  character of those terms (``usual`` marks its most common one), so "did you mean" can swap
  one character for a more common one that sounds the same (养老保线 → 养老保险).

Frequencies are counted in memory (a ``Counter`` per batch, pinyin computed once per distinct
term) and written by ``commit`` in one transaction of ``executemany`` upserts. The file is in
WAL mode: readers in other threads and processes keep reading the last committed state while
the writer commits. Each thread gets its own connection (sqlite3 connections are not shared
between threads).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from chuangkou.search.text import (
    character_readings,
    index_tokens,
    is_chinese,
    normalise,
    pinyin_keys,
    pinyin_keys_many,
)

__all__ = ["MAX_TERM_LENGTH", "Vocabulary", "is_suggestible"]

# Longer tokens are runs of digits, codes or jieba's leftovers, never something to suggest.
MAX_TERM_LENGTH = 24

_SCHEMA_VERSION = 1

# A commit of at least this many terms into an empty vocabulary builds the indexes afterwards.
_BULK_ROWS = 10_000
# Page cache of the writing connection during a commit (SQLite's default of 2 MiB makes the
# index updates of a large commit read the same pages again and again).
_WRITE_CACHE_KIB = 65_536

_SCHEMA = """
CREATE TABLE IF NOT EXISTS terms (
    term TEXT PRIMARY KEY,
    frequency INTEGER NOT NULL DEFAULT 0,
    pinyin TEXT NOT NULL DEFAULT '',
    initials TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS characters (
    syllable TEXT NOT NULL,
    character TEXT NOT NULL,
    usual INTEGER NOT NULL DEFAULT 0,
    frequency INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (syllable, character)
) WITHOUT ROWID;
"""
_TERM_INDEXES = (
    "CREATE INDEX IF NOT EXISTS terms_pinyin ON terms (pinyin, frequency)",
    "CREATE INDEX IF NOT EXISTS terms_initials ON terms (initials, frequency)",
    "CREATE INDEX IF NOT EXISTS terms_frequency ON terms (frequency, pinyin, initials)",
)
# How many of the most frequent terms a short prefix is looked for in first (see
# ``Vocabulary._most_frequent``).
_HEAD_TERMS = 4_000

_UPSERT_TERM = """
INSERT INTO terms (term, frequency, pinyin, initials) VALUES (?, MAX(?, 0), ?, ?)
ON CONFLICT (term) DO UPDATE SET frequency = MAX(terms.frequency + excluded.frequency, 0)
"""
# ``excluded.frequency`` above is already floored at 0 by MAX(?, 0), so a removal arrives
# through this separate statement, which may lower the count.
_LOWER_TERM = "UPDATE terms SET frequency = MAX(frequency - ?, 0) WHERE term = ?"

_UPSERT_CHARACTER = """
INSERT INTO characters (syllable, character, usual, frequency) VALUES (?, ?, ?, MAX(?, 0))
ON CONFLICT (syllable, character) DO UPDATE
SET frequency = MAX(characters.frequency + ?, 0)
"""

# The largest code point, used as the open end of a prefix range (term >= p AND term < p+MAX).
_AFTER_EVERYTHING = "\U0010ffff"


def is_suggestible(term: str) -> bool:
    """Whether an (already normalised) index term is worth keeping in the vocabulary: Chinese
    terms of two or more characters (letters and digits may be part of them: 12345热线), ASCII
    words of two or more letters and digits with at least one letter (numbers, years and
    serials would crowd out the words people look for). Single characters are too ambiguous to
    suggest or to stand for a pinyin syllable."""
    if not 2 <= len(term) <= MAX_TERM_LENGTH or not term.isalnum():
        return False
    if is_chinese(term):
        return True
    return term.isascii() and any(character.isalpha() for character in term)


def _prefix_range(prefix: str) -> tuple[str, str]:
    return prefix, prefix + _AFTER_EVERYTHING


def _pinyin_key(key: str) -> str:
    """A pinyin key as typed: lower case, letters only (xi'an and "she bao" become xian and
    shebao; ü typed as v, as pinyin input methods do)."""
    return "".join(character for character in normalise(key) if character.isascii()
                   and character.isalpha())


class Vocabulary:
    """The vocabulary of one index generation; see the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pending: Counter[str] = Counter()
        self._present: set[str] = set()
        self._closed = False
        connection = self._connection()
        # Only a new file is written to here: a reader opening a vocabulary another process is
        # committing to must not wait for the writer's lock.
        if connection.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            connection.executescript(f"BEGIN IMMEDIATE; {_SCHEMA}; {'; '.join(_TERM_INDEXES)};"
                                     f" PRAGMA user_version = {_SCHEMA_VERSION}; COMMIT;")

    # Connections ----------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise sqlite3.ProgrammingError("The vocabulary is closed.")
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def close(self) -> None:
        """Close every connection this object opened (in any thread). Uncommitted counts are
        dropped."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
            self._closed = True
        for connection in connections:
            connection.close()
        self._pending.clear()
        self._present.clear()

    def __enter__(self) -> Vocabulary:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Writing --------------------------------------------------------------------------------

    def add_texts(self, texts: Iterable[str]) -> None:
        """Count each text (one document's title and keywords) once for every distinct term it
        is indexed under that is worth suggesting. Written at ``commit``."""
        for text in texts:
            self.add_document_terms(index_tokens(text))

    def remove_texts(self, texts: Iterable[str]) -> None:
        """Undo ``add_texts`` for documents that were deleted or retitled (counts never drop
        below zero; the terms stay, at frequency 0, for pinyin look-ups)."""
        removed: Counter[str] = Counter()
        for text in texts:
            removed.update({term for term in index_tokens(text) if is_suggestible(term)})
        self._pending.subtract(removed)

    def add_document_terms(self, terms: Iterable[str]) -> None:
        """Like ``add_texts`` for a title already segmented with ``text.index_tokens`` (a
        rebuild has the tokens at hand and need not segment twice)."""
        self._pending.update({term for term in terms if is_suggestible(term)})

    def add_terms(self, terms: Iterable[str]) -> None:
        """Dictionary and synonym terms: present even before any document holds them (so
        "yibao" finds 医保 the day the synonym is entered). Normalised here."""
        for term in terms:
            term = normalise(term).replace(" ", "")
            if is_suggestible(term):
                self._present.add(term)

    def commit(self) -> None:
        """Write the counted terms in one transaction; readers see all of it or none."""
        with self._write_lock:
            pending, self._pending = self._pending, Counter()
            present, self._present = self._present, set()
            for term in present:
                pending.setdefault(term, 0)
            if not pending:
                return
            terms = sorted(pending)  # in key order, so the B-tree inserts append
            chinese = [term for term in terms if is_chinese(term)]
            keys = dict(zip(chinese, pinyin_keys_many(chinese), strict=True))
            term_rows = [(term, pending[term], *keys.get(term, ("", ""))) for term in terms]
            lowered = [(-pending[term], term) for term in terms if pending[term] < 0]
            per_character: Counter[str] = Counter()
            for term in chinese:
                for character in set(term):
                    per_character[character] += pending[term]
            character_rows = [
                (syllable, character, position == 0, count, count)
                for character, count in per_character.items()
                for position, syllable in enumerate(character_readings(character))]
            connection = self._connection()
            connection.execute(f"PRAGMA cache_size = {-_WRITE_CACHE_KIB}")
            with connection:
                # Explicitly, so the index changes below are inside the transaction too (the
                # sqlite3 module opens one by itself only before INSERT, UPDATE and DELETE).
                connection.execute("BEGIN IMMEDIATE")
                # Filling a new vocabulary (a rebuild): building the pinyin indexes once after
                # the rows are in is several times faster than updating them row by row.
                bulk = (len(term_rows) >= _BULK_ROWS and connection.execute(
                    "SELECT 1 FROM terms LIMIT 1").fetchone() is None)
                if bulk:
                    for index in ("terms_pinyin", "terms_initials", "terms_frequency"):
                        connection.execute(f"DROP INDEX IF EXISTS {index}")
                connection.executemany(_UPSERT_TERM, term_rows)
                connection.executemany(_LOWER_TERM, lowered)
                connection.executemany(_UPSERT_CHARACTER, character_rows)
                if bulk:
                    for statement in _TERM_INDEXES:
                        connection.execute(statement)

    # Reading --------------------------------------------------------------------------------

    def frequency(self, term: str) -> int:
        """How many indexed titles hold the term (0 when unknown or only in the dictionary)."""
        row = self._connection().execute("SELECT frequency FROM terms WHERE term = ?",
                                         (normalise(term),)).fetchone()
        return row[0] if row else 0

    def __contains__(self, term: object) -> bool:
        if not isinstance(term, str):
            return False
        return self._connection().execute("SELECT 1 FROM terms WHERE term = ?",
                                          (normalise(term),)).fetchone() is not None

    def __len__(self) -> int:
        return self._connection().execute("SELECT COUNT(*) FROM terms").fetchone()[0]

    def by_pinyin(self, key: str, *, limit: int = 5) -> list[str]:
        """Chinese terms whose whole pinyin ("shebao") or initials ("sb") is exactly ``key``:
        whole-pinyin matches first (a full syllable spelling says more than initials), then
        the most frequent."""
        key = _pinyin_key(key)
        if len(key) < 2 or limit <= 0:
            return []
        connection = self._connection()
        found: dict[str, None] = {}
        for column in ("pinyin", "initials"):
            # Equality on the first column of (column, frequency): read backwards, no sort.
            rows = connection.execute(
                f"SELECT term FROM terms WHERE {column} = ?"  # noqa: S608
                " ORDER BY frequency DESC LIMIT ?", (key, limit))
            found.update(dict.fromkeys(row[0] for row in rows))
        return list(found)[:limit]

    def homophones(self, term: str, *, limit: int = 5) -> list[str]:
        """Other terms with the same whole pinyin, most frequent first (社宝 → 社保)."""
        term = normalise(term).replace(" ", "")
        if not is_chinese(term) or limit <= 0:
            return []
        whole, _initials = pinyin_keys(term)
        if not whole:
            return []
        rows = self._connection().execute(
            "SELECT term FROM terms WHERE pinyin = ? AND term != ?"
            " ORDER BY frequency DESC LIMIT ?", (whole, term, limit))
        return [row[0] for row in rows]

    def same_sound_characters(self, character: str, *, limit: int = 12) -> list[str]:
        """Characters of the vocabulary that share a reading with ``character`` (线 → 险, 县,
        现 ...); ``character`` itself is left out. Characters for which the shared reading is
        their usual one come first (a rare reading, such as 见 read xian, is seldom what a
        typist meant), then the most used."""
        readings = character_readings(character)
        if not readings or limit <= 0:
            return []
        marks = ", ".join("?" for _reading in readings)
        rows = self._connection().execute(
            f"SELECT character FROM characters WHERE syllable IN ({marks})"  # noqa: S608
            " AND character != ? GROUP BY character"
            " ORDER BY MAX(usual) DESC, MAX(frequency) DESC, character LIMIT ?",
            (*readings, character, limit))
        return [row[0] for row in rows]

    def complete(self, prefix: str, *, limit: int = 8) -> list[str]:
        """Terms that continue what is being typed, most frequent first, the prefix itself
        left out:

        - a Chinese prefix: terms starting with it (养老 → 养老保险, 养老金 ...);
        - letters: terms whose whole pinyin starts with them ("yangl" → 养老 ...), then terms
          whose initials do ("ylb" → 养老保险), then ASCII words starting with them;
        - Chinese followed by letters, as a pinyin input method shows it mid-word
          (社保k): terms starting with the Chinese whose pinyin continues with the letters
          (社保卡).
        """
        prefix = normalise(prefix).replace(" ", "").replace("'", "")  # xi'an is xian
        if not prefix or limit <= 0 or len(prefix) > MAX_TERM_LENGTH:
            return []
        if not is_chinese(prefix):
            return self._complete_letters(prefix, limit)
        head = prefix.rstrip("abcdefghijklmnopqrstuvwxyz")
        if head != prefix and is_chinese(head):
            head_pinyin, _initials = pinyin_keys(head)
            return self._most_frequent(
                "term > ? AND term < ? AND pinyin >= ? AND pinyin < ?",
                (*_prefix_range(head), *_prefix_range(head_pinyin + prefix[len(head):])),
                limit, short=False)
        return self._most_frequent("term > ? AND term < ?", _prefix_range(prefix), limit,
                                   short=len(prefix) == 1)

    def _complete_letters(self, prefix: str, limit: int) -> list[str]:
        if not (prefix.isascii() and prefix.isalnum()):
            return []
        found: dict[str, None] = {}
        short = len(prefix) <= 2
        if _pinyin_key(prefix) == prefix:
            for column in ("pinyin", "initials"):
                found.update(dict.fromkeys(self._most_frequent(
                    f"{column} >= ? AND {column} < ?", _prefix_range(prefix), limit,
                    short=short)))
                if len(found) >= limit:
                    break
        if len(found) < limit:
            found.update(dict.fromkeys(self._most_frequent(
                "term > ? AND term < ?", _prefix_range(prefix), limit, short=short)))
        return list(found)[:limit]

    def _most_frequent(self, condition: str, parameters: tuple[str, ...], limit: int, *,
                       short: bool) -> list[str]:
        """The ``limit`` most frequent terms meeting ``condition`` (a range on the term, the
        pinyin or the initials). A short prefix ("s", "中") covers tens of thousands of terms,
        and sorting them all by frequency takes milliseconds; its best matches are nearly
        always among the most frequent terms, so those are looked at first, and the whole
        range only when they hold fewer than ``limit`` matches (then the range is small)."""
        connection = self._connection()
        if short:
            rows = connection.execute(
                "SELECT term FROM (SELECT term, pinyin, initials, frequency FROM terms"  # noqa: S608
                " INDEXED BY terms_frequency ORDER BY frequency DESC LIMIT ?)"
                f" WHERE {condition} ORDER BY frequency DESC, term LIMIT ?",
                (_HEAD_TERMS, *parameters, limit)).fetchall()
            if len(rows) >= limit:
                return [row[0] for row in rows]
        rows = connection.execute(
            f"SELECT term FROM terms WHERE {condition}"  # noqa: S608
            " ORDER BY frequency DESC, term LIMIT ?", (*parameters, limit)).fetchall()
        return [row[0] for row in rows]
