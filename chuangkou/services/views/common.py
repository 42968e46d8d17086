"""What every public services view shares: the site chrome's context, cache headers and
rate limits. Pages with a form or personal data are never stored (``private``); public
listings that change when staff act are revalidated every time (``uncached``)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit, is_over_limit
from chuangkou.sitecluster.queries import site_for_path

RATE_WINDOW_SECONDS = 3600


def public_context(**extra) -> dict:
    """The template context of a public services page: the portal's chrome plus ``extra``."""
    return {"cluster_site": site_for_path("/"), **extra}


def private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def uncached(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response


def address_key(request: HttpRequest, name: str) -> str:
    return f"services-{name}-rate:{client_address_from(request) or 'unknown'}"


def over_limit(request: HttpRequest, name: str, setting: str, default: int) -> bool:
    """Whether this address already used up the hourly limit ``name`` (without counting)."""
    return is_over_limit(address_key(request, name), getattr(settings, setting, default))


def count(request: HttpRequest, name: str) -> int:
    return count_hit(address_key(request, name), window_seconds=RATE_WINDOW_SECONDS)
