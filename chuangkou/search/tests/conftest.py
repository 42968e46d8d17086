"""Fixtures of the search tests: each test gets its own index directory, with applying after
commit switched on (the rest of the suite only writes the change log)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from chuangkou.search.engine import IndexStore, get_store
from chuangkou.search.replica import apply_pending_changes, rebuild_index


@dataclass
class SearchIndexFixture:
    root: Path
    store: IndexStore

    def apply(self) -> int:
        """Apply the change log as the worker would after the test's changes committed."""
        return apply_pending_changes(store=self.store)

    def rebuild(self) -> int:
        return rebuild_index(store=self.store)

    @property
    def index(self):
        return self.store.current()


@pytest.fixture
def search_index(settings, tmp_path) -> SearchIndexFixture:
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.SEARCH_APPLY_AFTER_COMMIT = True
    return SearchIndexFixture(root=settings.SEARCH_INDEX_DIR,
                              store=get_store(settings.SEARCH_INDEX_DIR))


@pytest.fixture(autouse=True)
def _fresh_tuning_version():
    """Terms, synonyms and best bets are cached under a version; a rolled-back test's rows must
    not be served to the next test from the cache."""
    from django.core.cache import cache

    from chuangkou.search.queries import TUNING_VERSION_KEY, tuning_version

    cache.set(TUNING_VERSION_KEY, tuning_version() + 1, timeout=None)
