"""我的主页 (我的政府一站通): one page with everything of the signed-in citizen's — the sections
every app registers (applications, letters, bookings, ratings to give, pinned services,
suggestions, reminders, subscriptions, messages), each item with its status and next deadline.

Every page here shows personal data: never stored by a cache (``private``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from chuangkou.sitecluster.queries import site_for_request

from ..choices import IdentityLevel
from ..decorators import citizen_required
from ..homepage import gather_homepage_sections

__all__ = ["homepage", "page_context", "private"]


def page_context(request: HttpRequest, **extra) -> dict:
    """The context of a citizen page: the portal's chrome plus ``extra``."""
    return {"cluster_site": site_for_request(request), **extra}


def private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


@require_GET
@citizen_required
def homepage(request: HttpRequest) -> HttpResponse:
    account = request.citizen
    sections = gather_homepage_sections(user=request.user)
    return private(render(request, "accounts/homepage/index.html", page_context(
        request, account=account, sections=sections,
        level=IdentityLevel(account.identity_level),
        needs_contact=account.identity_level == IdentityLevel.UNVERIFIED,
        needs_real_name=account.identity_level == IdentityLevel.VERIFIED_CONTACT,
        action_count=sum(1 for section in sections for item in section.items
                         if item.needs_action))))
