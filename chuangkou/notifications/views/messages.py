"""我的消息: a citizen's in-site messages under /yonghu/messages/. Only the signed-in citizen's
own messages exist here: another's number answers 404. Pages are never stored by a cache."""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangkou.accounts.decorators import citizen_required
from chuangkou.sitecluster.queries import site_for_path

from .. import actions, queries

PER_PAGE = 20


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def _page(request: HttpRequest, template: str, **context) -> HttpResponse:
    return _private(render(request, template, {"cluster_site": site_for_path("/"), **context}))


def safe_link(request: HttpRequest, url: str) -> str:
    """The message's link if it stays on this site (a path or this host), else nothing."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


@require_GET
@citizen_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.messages_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "notifications/public/inbox.html", page=page,
                 unread=queries.unread_message_count(request.user))


@require_GET
@citizen_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = queries.message_of(request.user, pk)
    if message is None:
        raise Http404
    was_unread = message.read_at is None
    actions.mark_message_read(message=message, actor=request.user)
    return _page(request, "notifications/public/message.html", message=message,
                 was_unread=was_unread, link=safe_link(request, message.url))


@require_POST
@citizen_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = actions.mark_all_messages_read(user=request.user)
    if count:
        flash.success(request, _("已将%(count)d条消息标为已读。") % {"count": count})
    return redirect("notifications:inbox")
