"""Anonymous full-page cache with HTTP validators (ETag, Last-Modified).

Placed first in ``MIDDLEWARE`` so a cached page is answered before sessions, users or URL
resolution are touched. What is cacheable, and when a cached page stops being served, is
decided in :mod:`chuangkou.publishing.freshness`.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import parse_http_date_safe

from . import freshness

CACHE_CONTROL = "public, no-cache"


def _matches_validators(request, *, etag: str, last_modified: str) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in candidates or "*" in candidates
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        since = parse_http_date_safe(if_modified_since)
        modified = parse_http_date_safe(last_modified)
        return since is not None and modified is not None and modified <= since
    return False


def _not_modified(*, etag: str, last_modified: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _replay(request, page: freshness.CachedPage) -> HttpResponse:
    if _matches_validators(request, etag=page.etag, last_modified=page.last_modified):
        return _not_modified(etag=page.etag, last_modified=page.last_modified)
    response = HttpResponse(page.body, status=page.status)
    for name, value in page.headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _is_storable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store"))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("chuangkou.bypass_page_cache") or not freshness.is_cacheable_request(
            method=request.method, path=request.path, query=request.GET,
            cookies=request.COOKIES,
        ):
            return self.get_response(request)

        enabled = settings.PAGE_CACHE_ENABLED
        key = None
        if enabled:
            key = freshness.cache_key(
                generation=freshness.generation_clock().current(),
                host=request.META.get("HTTP_HOST", ""),
                path=request.path,
                query_string=request.META.get("QUERY_STRING", ""),
            )
            cached = freshness.page_cache().get(key)
            if cached is not None:
                return _replay(request, cached)

        response = self.get_response(request)
        if not _is_storable(response):
            return response

        etag = freshness.entity_tag(response.content)
        last_modified = freshness.http_date()
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        response["Cache-Control"] = CACHE_CONTROL
        if enabled:
            headers = tuple(
                (name, value) for name, value in response.items()
                if name.lower() not in freshness.UNSTORED_HEADERS
            )
            freshness.page_cache().set(
                key,
                freshness.CachedPage(status=response.status_code, headers=headers,
                                     body=response.content, etag=etag,
                                     last_modified=last_modified),
                settings.PAGE_CACHE_TIMEOUT,
            )
            response["X-Page-Cache"] = "miss"
        if _matches_validators(request, etag=etag, last_modified=last_modified):
            return _not_modified(etag=etag, last_modified=last_modified)
        return response
