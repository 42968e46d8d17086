"""Full-page cache for anonymous visitors, and the generation clock that makes it fresh.

Every cached page is stored under the current *publication generation*. Publishing,
unpublishing, moving, deleting or editing a live page advances the generation (after the
transaction commits), so every page rendered before the change stops being served at once:
the page itself, its column listings, site homes, feeds and sitemaps. One cluster-wide
generation is deliberately coarse: a page's listing can appear on another site's home
(信息报送 adoption, portal aggregation), and a wrong "which pages are affected" guess would
serve stale government information, which is worse than re-rendering a warm cache.

The clock must be shared by every worker process: with Redis configured it is a Redis
counter; otherwise it is a file under ``VAR_DIR`` whose identity (inode, mtime) changes on
every advance, read with one ``stat`` per request.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

PAGE_CACHE_ALIAS = "pages"
GENERATION_KEY = "publishing:generation"

# Paths that are never cached whatever the response: the admin, the API, downloads whose
# permissions are checked per request, and citizen forms.
# The mailbox (/hudong/) and Open311 answer from live letter states that no page publication
# advances the generation for.
UNCACHED_PREFIXES = ("/admin/", "/api/", "/documents/", "/static/", "/media/", "/zhaocuo/",
                     "/healthz", "/hudong/", "/open311/", "/banshi/", "/yonghu/")
# Query parameters a cached page may carry (pagination); any other query goes to the app.
CACHEABLE_QUERY_PARAMETERS = frozenset({"page"})
# Headers never replayed from the cache.
UNSTORED_HEADERS = frozenset({"set-cookie", "date"})


class GenerationClock:
    """A cluster-wide counter of publications, readable cheaply on every request."""

    def current(self) -> str:
        raise NotImplementedError

    def advance(self) -> str:
        raise NotImplementedError


class FileGenerationClock(GenerationClock):
    """The generation is the identity of a file; ``advance`` atomically replaces it."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def current(self) -> str:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return self.advance()
        return f"{status.st_ino}.{status.st_mtime_ns}"

    def advance(self) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".generation-")
        with os.fdopen(handle, "w") as stream:
            stream.write(str(time.time_ns()))
        os.replace(temporary, self.path)
        status = os.stat(self.path)
        return f"{status.st_ino}.{status.st_mtime_ns}"


class CacheGenerationClock(GenerationClock):
    """The generation is a counter in a shared cache (Redis), for several servers."""

    def __init__(self, alias: str = "default"):
        self.alias = alias

    # A lost counter (Redis restarted or evicted it) starts again from the clock, never from
    # a small number: pages cached under an earlier generation with that number may survive.

    def current(self) -> str:
        cache = caches[self.alias]
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            value = cache.get(GENERATION_KEY)
        return str(value)

    def advance(self) -> str:
        cache = caches[self.alias]
        try:
            return str(cache.incr(GENERATION_KEY))
        except ValueError:
            value = time.time_ns()
            cache.set(GENERATION_KEY, value, timeout=None)
            return str(value)


_clock_lock = threading.Lock()
_clock: GenerationClock | None = None


def generation_clock() -> GenerationClock:
    global _clock
    if _clock is None:
        with _clock_lock:
            if _clock is None:
                if getattr(settings, "REDIS_URL", ""):
                    _clock = CacheGenerationClock()
                else:
                    _clock = FileGenerationClock(Path(settings.VAR_DIR) / "page-generation")
    return _clock


def reset_generation_clock() -> None:
    """Forget the configured clock (settings changed, e.g. in tests)."""
    global _clock
    _clock = None


def advance_generation() -> str:
    """Make every cached page stale; called after a publication-level change commits."""
    return generation_clock().advance()


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    last_modified: str


def is_cacheable_request(*, method: str, path: str, query: dict, cookies: dict) -> bool:
    """Whether a request may be answered from, and stored into, the anonymous page cache."""
    if method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in cookies:
        return False
    if path.startswith(UNCACHED_PREFIXES):
        return False
    return set(query) <= CACHEABLE_QUERY_PARAMETERS


def cache_key(*, generation: str, host: str, path: str, query_string: str) -> str:
    digest = hashlib.sha256(f"{host}\n{path}\n{query_string}".encode()).hexdigest()
    return f"page:{generation}:{digest}"


def entity_tag(body: bytes) -> str:
    """A strong validator: the SHA-256 of the exact bytes sent (RFC 9110 section 8.8.3)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(timestamp: float | None = None) -> str:
    return formatdate(timestamp if timestamp is not None else time.time(), usegmt=True)


def page_cache():
    return caches[PAGE_CACHE_ALIAS]
