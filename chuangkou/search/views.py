"""The portal's search pages (站内搜索): results, suggestions as you type, and the link a
result goes through so click-through can be counted.

The results page is a GET form that works without JavaScript; the script only fills the
suggestion list of the search box.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit
from chuangkou.sitecluster.queries import site_for_request

from . import actions
from .choices import DocumentType
from .forms import MAX_REQUEST_QUERY_CHARACTERS, SearchForm
from .queries import SearchOutcome, run_search, suggest

__all__ = ["click", "results", "suggestions"]

SEARCHES_PER_MINUTE = 60
SUGGESTIONS_PER_MINUTE = 300
CLICK_SALT = "chuangkou.search.click"
FILTER_NAMES = ("type", "site", "column", "body", "year", "category", "validity")


def _over_limit(request, name: str, limit: int) -> bool:
    address = client_address_from(request) or "unknown"
    return count_hit(f"search:{name}:{address}", window_seconds=60) > limit


def click_url(*, url: str, query: str) -> str:
    token = signing.dumps({"u": url, "q": query[:100]}, salt=CLICK_SALT, compress=True)
    return f"/sousuo/go/?{urlencode({'t': token})}"


def _query_string(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return urlencode({key: value for key, value in merged.items() if value not in ("", None)})


def _facet_links(outcome: SearchOutcome, params: dict) -> list[dict]:
    groups = []
    labels = {"type": _("类型"), "site": _("网站"), "body": _("发布机构"), "year": _("年份"),
              "category": _("公开目录分类"), "validity": _("有效性")}
    for name, counts in outcome.facets.items():
        if not counts:
            continue
        current = str(params.get(name) or "")
        entries = [{
            "label": count.label or count.value,
            "count": count.count,
            "selected": current == count.value,
            "query": _query_string(params, **{name: "" if current == count.value else count.value,
                                              "page": ""}),
        } for count in counts[:12]]
        groups.append({"name": name, "label": labels.get(name, name), "entries": entries,
                       "clear": _query_string(params, **{name: "", "page": ""}) if current else ""})
    return groups


def _with_scope(params):
    """The scope radio buttons (本栏目 / 本站 / 全部网站) as site and column parameters."""
    scope = params.get("scope")
    if scope is None:
        return params
    params = params.copy()
    kind, _separator, identifier = scope.partition(":")
    params.pop("site", None)
    params.pop("column", None)
    params.pop("scope", None)
    if kind in ("site", "column") and identifier:
        params[kind] = identifier
    return params


@require_GET
def results(request):
    """搜索结果: the whole cluster, one site (``site``) or one column (``column``)."""
    form = SearchForm(_with_scope(request.GET))
    context = {"form": form, "cluster_site": site_for_request(request)}
    if _over_limit(request, "results", SEARCHES_PER_MINUTE):
        return render(request, "search/results.html",
                      {**context, "rate_limited": True}, status=429)
    if not form.is_valid():
        # A refused filter is named; the query itself is still searched without filters.
        query = (request.GET.get("q") or "").replace("\x00", "")[:MAX_REQUEST_QUERY_CHARACTERS * 5]
        context["errors"] = [(form.fields[name].label, messages)
                             for name, messages in form.errors.items()]
        outcome = run_search(query=query) if query.strip() else None
        params = {"q": query}
    else:
        data = form.cleaned_data
        params = {name: data.get(name) for name in ("q", *FILTER_NAMES)}
        outcome = run_search(query=data["q"], filters=form.filters(),
                             page=form.page_number()) if data["q"].strip() else None
    if outcome is not None:
        if outcome.page == 1 and not outcome.parsed.is_empty:
            actions.record_search(query=outcome.parsed.text, found=outcome.total)
        query_text = outcome.parsed.text
        context.update({
            "outcome": outcome,
            "hits": [{"hit": hit, "href": click_url(url=hit.url, query=query_text),
                      "type_label": DocumentType(hit.type).label if hit.type in DocumentType.values
                      else hit.type} for hit in outcome.hits],
            "direct_answers": [{"hit": hit, "href": click_url(url=hit.url, query=query_text)}
                               for hit in outcome.direct_answers],
            "best_bets": [{"bet": bet, "href": click_url(url=bet.url, query=query_text)}
                          for bet in outcome.best_bets],
            "facet_groups": _facet_links(outcome, params),
            "previous_query": _query_string(params, page=outcome.page - 1)
            if outcome.page > 1 else "",
            "next_query": _query_string(params, page=outcome.page + 1)
            if outcome.page < outcome.page_count and outcome.hits else "",
            "suggestion_query": _query_string({"q": outcome.suggestion})
            if outcome.suggestion else "",
        })
    context["params"] = params
    return render(request, "search/results.html", context)


@require_GET
def suggestions(request):
    """建议词: JSON for the search box's list as the citizen types."""
    if _over_limit(request, "suggest", SUGGESTIONS_PER_MINUTE):
        return JsonResponse({"error": _("请求过于频繁，请稍后再试。")}, status=429)
    prefix = (request.GET.get("q") or "").strip()
    if len(prefix) > 40:
        return JsonResponse({"suggestions": []})
    return JsonResponse({"suggestions": suggest(prefix)},
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def click(request):
    """A result followed: counted for click-through, then on to the result. Only addresses
    this site signed are followed, so the link cannot send anyone elsewhere."""
    try:
        payload = signing.loads(request.GET.get("t", ""), salt=CLICK_SALT, max_age=7 * 24 * 3600)
        url, query = str(payload["u"]), str(payload.get("q", ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return HttpResponseBadRequest(_("链接无效或已过期。"), content_type="text/plain; charset=utf-8")
    if not (url.startswith("/") and not url.startswith("//")) and not url.startswith(("https://", "http://")):
        return HttpResponseBadRequest(_("链接无效。"), content_type="text/plain; charset=utf-8")
    if query and not _over_limit(request, "click", SEARCHES_PER_MINUTE):
        actions.record_result_click(query=query)
    return HttpResponseRedirect(url)
