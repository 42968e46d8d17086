"""This machine's index replica (索引副本): applying the change log, and rebuilding.

The database holds the source of every document and the change log (``IndexChange``); the index
under ``SEARCH_INDEX_DIR`` is derived data that each application server keeps for itself. A
replica remembers how far it has read (``replica.json`` beside its generations) and applies
newer entries by rebuilding each changed document from the database, so applying an entry twice
is harmless and a replica that was stopped catches up from where it stopped.

On PostgreSQL an id is taken when a row is inserted but becomes visible when its transaction
commits, so a later id can be seen before an earlier one. Ids skipped over are kept as gaps and
looked for again until ``GAP_PATIENCE`` has passed (a transaction that rolled back leaves a gap
for ever).

Keys starting ``wagtail:`` belong to the admin search's own index (``wagtail_backend``).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Max, Q

from . import documents as registry
from .engine import IndexStore, SearchIndex, get_store, prepare_document
from .models import IndexChange
from .queries import load_user_terms
from .vocabulary import Vocabulary

__all__ = [
    "BATCH_SIZE",
    "GAP_PATIENCE",
    "ReplicaState",
    "apply_pending_changes",
    "pending_change_count",
    "rebuild_index",
    "vocabulary_path",
]

logger = logging.getLogger("chuangkou.search.replica")

BATCH_SIZE = 1000
GAP_PATIENCE = 600.0  # seconds: far longer than any transaction of the platform
MAX_GAPS = 10_000
WAGTAIL_PREFIX = "wagtail:"
STATE_FILE = "replica.json"


@dataclass
class ReplicaState:
    cursor: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id → when first missed

    @classmethod
    def load(cls, root: Path) -> ReplicaState:
        try:
            data = json.loads((root / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return cls()
        return cls(cursor=int(data.get("cursor", 0)),
                   gaps={int(key): float(value) for key, value in data.get("gaps", {}).items()})

    def save(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        temporary = root / f".{STATE_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps({"cursor": self.cursor, "gaps": self.gaps}),
                             encoding="utf-8")
        os.replace(temporary, root / STATE_FILE)


def vocabulary_path(index: SearchIndex) -> Path:
    return Path(index.path) / "vocabulary.sqlite3"


def _vocabulary_texts(document: registry.SearchDocument) -> str:
    return f"{document.title} {document.keywords}".strip()


def _apply_keys(index: SearchIndex, keys: list[str]) -> None:
    public = [key for key in keys if not key.startswith(WAGTAIL_PREFIX)]
    admin = [key for key in keys if key.startswith(WAGTAIL_PREFIX)]
    if public:
        built, gone = registry.build_documents(public)
        with index.writing() as writing:
            for key in gone:
                writing.delete(key)
            writing.upsert_many(built)
        if built:
            path = vocabulary_path(index)
            new = not path.exists()
            vocabulary = Vocabulary(path)
            try:
                vocabulary.add_texts(_vocabulary_texts(document) for document in built)
                if new:
                    vocabulary.add_terms(_dictionary_terms())
                vocabulary.commit()
            finally:
                vocabulary.close()
    if admin:
        from .wagtail_backend import apply_changes

        apply_changes(admin)


def _next_batch(state: ReplicaState) -> list[IndexChange]:
    condition = Q(id__gt=state.cursor)
    if state.gaps:
        condition |= Q(id__in=list(state.gaps))
    return list(IndexChange.objects.filter(condition).order_by("id")[:BATCH_SIZE])


def _advance(state: ReplicaState, rows: list[IndexChange], now: float) -> None:
    seen = {row.id for row in rows}
    for identifier in seen:
        state.gaps.pop(identifier, None)
    newest = max((row.id for row in rows if row.id > state.cursor), default=state.cursor)
    for identifier in range(state.cursor + 1, newest):
        if identifier not in seen:
            state.gaps.setdefault(identifier, now)
    state.cursor = newest
    state.gaps = {identifier: since for identifier, since in state.gaps.items()
                  if now - since < GAP_PATIENCE}
    if len(state.gaps) > MAX_GAPS:
        state.gaps = dict(sorted(state.gaps.items())[-MAX_GAPS:])


def apply_pending_changes(*, store: IndexStore | None = None,
                          lock_timeout: float | None = 60.0) -> int:
    """Apply every change logged since this replica last read the log; returns how many log
    entries were read. One writer at a time per machine (the store's lock); a caller that
    cannot get the lock within ``lock_timeout`` seconds leaves the work to the holder."""
    store = store or get_store()
    load_user_terms()
    applied = 0
    with store.write_lock(timeout=lock_timeout):
        state = ReplicaState.load(store.root)
        if state.cursor and latest_change_id() < state.cursor:
            # The log is behind the replica: the database was restored from a backup (or a test
            # rolled back). Read it again from the start; rebuild for a clean index.
            logger.warning("search change log is behind this replica (cursor %s); rereading it",
                           state.cursor)
            state = ReplicaState()
        index = store.current()
        while True:
            gaps_before = dict(state.gaps)
            rows = _next_batch(state)
            if not rows:
                break
            _apply_keys(index, list(dict.fromkeys(row.key for row in rows)))
            _advance(state, rows, time.time())
            state.save(store.root)
            applied += len(rows)
            only_gaps = all(row.id <= state.cursor and row.id in gaps_before for row in rows)
            if len(rows) < BATCH_SIZE or only_gaps:
                break
    return applied


def pending_change_count(*, store: IndexStore | None = None) -> int:
    """How many log entries this replica has not read yet (for the status screen)."""
    store = store or get_store()
    state = ReplicaState.load(store.root)
    return IndexChange.objects.filter(id__gt=state.cursor).count()


def rebuild_index(*, store: IndexStore | None = None,
                  progress: Callable[[int], None] | None = None,
                  batch_size: int = 500) -> int:
    """Build a new generation of the public index from every source and switch to it. Readers
    keep the old generation until the switch; the change log is not skipped (the cursor stays,
    so changes made during the rebuild are applied afterwards). Returns the document count."""
    store = store or get_store()
    load_user_terms()
    count = 0
    with store.write_lock():
        index = store.new_generation()
        vocabulary = Vocabulary(vocabulary_path(index))
        try:
            with index.writing(threads=2) as writing:
                for batch in registry.iter_all_documents(batch_size=batch_size):
                    for document in batch:
                        prepared = prepare_document(document)
                        # A new generation holds nothing to replace: add, don't upsert.
                        writing.add_prepared(prepared)
                        vocabulary.add_document_terms(prepared.title_tokens.split())
                    count += len(batch)
                    if progress is not None:
                        progress(count)
            vocabulary.add_terms(_dictionary_terms())
            vocabulary.commit()
        finally:
            vocabulary.close()
        store.publish(index)
    return count


def _dictionary_terms() -> list[str]:
    from .queries import dictionary_terms

    return dictionary_terms()


def latest_change_id() -> int:
    return IndexChange.objects.aggregate(latest=Max("id"))["latest"] or 0
