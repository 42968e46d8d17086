"""Fixed-window rate limits on the shared cache (Redis in production): how many times a key
(an address, an account, an API key) did something in the current window."""

from django.core.cache import cache

__all__ = ["count_hit", "is_over_limit"]


def count_hit(key: str, *, window_seconds: int = 3600) -> int:
    """Count one more hit on ``key`` and return the count in the current window."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def is_over_limit(key: str, limit: int) -> bool:
    """Whether ``key`` already reached ``limit`` hits in the current window (not counting)."""
    return (cache.get(key) or 0) >= limit
