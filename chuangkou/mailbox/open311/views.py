"""Open311 GeoReport v2 endpoints over the mailbox (one jurisdiction: ``jurisdiction_id`` is
accepted and ignored, as the spec allows).

GET discovery, services, a service definition, requests and one request need no key; POST
requests needs an ``api_key`` (Open311ApiKey, created in the admin), is rate limited per key
and CSRF-exempt (the key is the authentication, no cookie is used). Errors are the spec's list
of ``{code, description}`` with HTTP 400 (bad request), 403 (missing or wrong api_key), 404
(unknown service or request), 405 (wrong method) and 429 (too many requests).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from chuangkou.core.exceptions import RuleViolation
from chuangkou.core.ratelimit import count_hit

from ..actions.exchange import submit_open311_request
from ..actions.intake import LetterDraft, WriterInput
from ..choices import CLOSED_STATUSES, OPEN_STATUSES
from ..hotline import HTML_TAG, title_from_content
from ..models import Letter
from ..queries.letters import open311_api_key_digest, open311_api_key_for
from . import serializers
from .renderers import render
from .services import parse_service_code, service_catalogue, service_for_code

MAX_REQUESTS = 1000  # "first 1000 requests returned"
DEFAULT_SPAN = timedelta(days=90)  # "defaults to most recent 90 days", "may not span more"
POSTS_PER_MINUTE_PER_KEY = 60
FAILED_KEYS_PER_MINUTE_PER_ADDRESS = 30
TRUE_VALUES = ("1", "true", "yes", "y", "是")
FALSE_VALUES = ("", "0", "false", "no", "n", "否")
# Where an error of ``submit_letter`` goes among the POST arguments.
ARGUMENT_OF_FIELD = {
    "kind": "service_code", "addressed_body": "service_code", "title": "attribute[title]",
    "content": "description", "name": "first_name/last_name", "phone": "phone", "email": "email",
    "latitude": "lat", "longitude": "long", "address_text": "address_string",
}
LETTER_RELATED = ("kind", "addressed_body", "assigned_body")
OFFSET_AS_SPACE = re.compile(r"(T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions)
        self.status = status
        self.descriptions = descriptions


def error_response(error: Open311Error, fmt: str) -> HttpResponse:
    data = serializers.error_data([(error.status, text) for text in error.descriptions])
    return render(data, fmt=fmt, root="errors", status=error.status)


def open311_view(*methods: str):
    """Turn ``Open311Error`` into the spec's error list and refuse other methods (405)."""
    def decorate(view):
        def wrapped(request: HttpRequest, *args, fmt: str, **kwargs):
            try:
                if request.method not in methods:
                    raise Open311Error(405, _("不支持%(method)s请求。") % {"method": request.method})
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = error_response(error, fmt)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response
        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped
    return decorate


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("open311:index")).rstrip("/")


def index(request: HttpRequest) -> HttpResponse:
    """The endpoint root points at the discovery document (Service Discovery: recommended)."""
    return redirect("open311:discovery", fmt="xml")


@open311_view("GET", "HEAD")
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """Service Discovery: the endpoint, its formats and how to get an API key."""
    data = serializers.discovery_data(
        base_url=_base_url(request),
        changeset=getattr(settings, "OPEN311_CHANGESET", "2026-05-01 00:00"),
        contact=getattr(settings, "OPEN311_CONTACT",
                        _("政民互动接口问题请联系本市人民政府办公室政务公开科。")),
        key_service=getattr(settings, "OPEN311_KEY_SERVICE",
                            _("接入密钥（api_key）由政民互动管理员在管理后台“Open311接入密钥”中发放。")),
    )
    return render(data, fmt=fmt, root="discovery")


@open311_view("GET", "HEAD")
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """GET Service List: letter kinds × bodies, and each kind for "不确定"."""
    return render([serializers.service_data(service) for service in service_catalogue()],
                  fmt=fmt, root="services")


@open311_view("GET", "HEAD")
def service_definition(request: HttpRequest, *, service_code: str, fmt: str) -> HttpResponse:
    """GET Service Definition: the optional attributes title and may_publish."""
    service = service_for_code(service_code)
    if service is None:
        raise Open311Error(404, _("服务代码 %(code)s 不存在。") % {"code": service_code})
    return render(serializers.service_definition_data(service), fmt=fmt,
                  root="service_definition")


def _moment(request: HttpRequest, name: str) -> datetime | None:
    text = (request.GET.get(name) or "").strip()
    if not text:
        return None
    try:
        # An unencoded "+" of the offset arrives as a space ("…T00:00:00 08:00").
        moment = parse_datetime(OFFSET_AS_SPACE.sub(r"\1+\2", text))
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time())
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s 不是有效的日期时间，请使用W3C格式，例如 "
                                  "2026-03-01T00:00:00+08:00。") % {"name": name})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _comma_list(request: HttpRequest, name: str) -> list[str]:
    values = []
    for text in request.GET.getlist(name):
        values += [part.strip() for part in text.split(",") if part.strip()]
    return values


def _letters() -> QuerySet[Letter]:
    return Letter.objects.select_related(*LETTER_RELATED)


def _filtered_letters(request: HttpRequest):
    numbers = _comma_list(request, "service_request_id")
    if numbers:  # "This overrides all other arguments."
        return (_letters().filter(number__in=[n.upper() for n in numbers[:MAX_REQUESTS]])
                .order_by("-submitted_at", "-pk"))
    letters = _letters()
    codes = _comma_list(request, "service_code")
    if codes:
        condition = Q()
        for code in codes:
            kind_code, slug = parse_service_code(code)
            part = Q(kind__code=kind_code)
            part &= Q(addressed_body__slug=slug) if slug else Q(addressed_body__isnull=True)
            condition |= part
        letters = letters.filter(condition)
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    if start is None and end is None:
        end = timezone.now()
        start = end - DEFAULT_SPAN
    elif start is None:
        start = end - DEFAULT_SPAN
    elif end is None:
        end = start + DEFAULT_SPAN
    if start > end:
        raise Open311Error(400, _("start_date 不能晚于 end_date。"))
    if end - start > DEFAULT_SPAN:
        raise Open311Error(400, _("查询时间范围不能超过90天。"))
    letters = letters.filter(submitted_at__gte=start, submitted_at__lte=end)
    statuses = {status.lower() for status in _comma_list(request, "status")}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status 只能是 open 或 closed。"))
    if statuses == {"open"}:
        letters = letters.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        letters = letters.filter(status__in=CLOSED_STATUSES)
    return letters.order_by("-submitted_at", "-pk")


@csrf_exempt
@open311_view("GET", "HEAD", "POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """GET Service Requests (filters service_request_id, service_code, start_date, end_date,
    status; the last 90 days and at most 1000 by default) and POST Service Request."""
    if request.method == "POST":
        return _create(request, fmt=fmt)
    letters = list(_filtered_letters(request)[:MAX_REQUESTS])
    return render([serializers.request_data(letter) for letter in letters], fmt=fmt,
                  root="service_requests")


@open311_view("GET", "HEAD")
def request_detail(request: HttpRequest, *, service_request_id: str, fmt: str) -> HttpResponse:
    """GET Service Request: one letter by its number (a list of one, as the spec has it)."""
    letter = _letters().filter(number=service_request_id.strip().upper()).first()
    if letter is None:
        raise Open311Error(404, _("服务请求 %(id)s 不存在。") % {"id": service_request_id})
    return render([serializers.request_data(letter)], fmt=fmt, root="service_requests")


# --- POST requests ------------------------------------------------------------------------------


def _counter_exceeded(key: str, limit: int) -> bool:
    return count_hit(key, window_seconds=60) > limit


def _client(request: HttpRequest):
    plaintext = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    address = request.META.get("REMOTE_ADDR", "")
    minute = int(timezone.now().timestamp() // 60)
    failures_key = f"open311-bad-key:{address}:{minute}"
    if cache.get(failures_key, 0) >= FAILED_KEYS_PER_MINUTE_PER_ADDRESS:
        raise Open311Error(429, _("api_key 错误次数过多，请稍后再试。"))
    if not plaintext:
        raise Open311Error(403, _("缺少 api_key，提交服务请求需要接入密钥。"))
    client = open311_api_key_for(plaintext)
    if client is None:
        _counter_exceeded(failures_key, FAILED_KEYS_PER_MINUTE_PER_ADDRESS)
        raise Open311Error(403, _("api_key 无效或已停用，不能提交服务请求。"))
    rate_key = f"open311-post:{open311_api_key_digest(plaintext)[:16]}:{minute}"
    if _counter_exceeded(rate_key, POSTS_PER_MINUTE_PER_KEY):
        raise Open311Error(429, _("提交过于频繁：每个接入密钥每分钟最多提交%(n)d条，请稍后再试。")
                           % {"n": POSTS_PER_MINUTE_PER_KEY})
    return client


def _flag(value: str, name: str) -> bool:
    text = (value or "").strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise Open311Error(400, _("%(name)s 只能是 1（同意）或 0（不同意）。") % {"name": name})


def _writer_name(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    if (first + last).isascii():
        return " ".join(part for part in (first, last) if part)
    return last + first  # Chinese order: family name first


def _draft_and_writer(request: HttpRequest) -> tuple[LetterDraft, WriterInput, int]:
    data = request.POST
    problems = []
    code = (data.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("缺少 service_code。"))
    service = service_for_code(code)
    if service is None:
        raise Open311Error(404, _("服务代码 %(code)s 不存在。") % {"code": code})
    description = (data.get("description") or "").strip()
    if not description:
        problems.append(_("description：请填写来信内容。"))
    elif len(description) > serializers.DESCRIPTION_MAX_CHARS:
        problems.append(_("description：来信内容不能超过%(n)d个字符（现有%(m)d个）。") % {
            "n": serializers.DESCRIPTION_MAX_CHARS, "m": len(description)})
    title = (data.get("attribute[title]") or "").strip()
    for name, text in (("description", description), ("attribute[title]", title)):
        if HTML_TAG.search(text):
            problems.append(_("%(name)s：不能包含HTML标记，请只提交纯文本。") % {"name": name})
    lat, long = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    if bool(lat) != bool(long):
        problems.append(_("lat/long：经度和纬度须同时提供。"))
    media_url = (data.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=("http", "https"))(media_url)
        except ValidationError:
            problems.append(_("media_url：不是有效的http或https链接。"))
    try:
        may_publish = _flag(data.get("attribute[may_publish]", ""), "attribute[may_publish]")
    except Open311Error as error:
        problems += list(error.descriptions)
        may_publish = False
    if problems:
        raise Open311Error(400, *problems)
    content = description
    if media_url:
        content += "\n\n" + _("相关图片或媒体：%(url)s") % {"url": media_url}
    draft = LetterDraft(
        kind=service.kind, addressed_body=service.body,
        title=title or title_from_content(description), content=content,
        may_publish=may_publish, address_text=(data.get("address_string") or "").strip(),
        latitude=lat or None, longitude=long or None)
    writer = WriterInput(name=_writer_name(data.get("first_name", ""), data.get("last_name", "")),
                         phone=(data.get("phone") or "").strip(),
                         email=(data.get("email") or "").strip())
    return draft, writer, service.reply_working_days


def _create(request: HttpRequest, *, fmt: str) -> HttpResponse:
    client = _client(request)
    draft, writer, days = _draft_and_writer(request)
    try:
        letter = submit_open311_request(client=client, draft=draft, writer=writer)
    except PermissionDenied as error:
        raise Open311Error(403, _("api_key 无效或已停用，不能提交服务请求。")) from error
    except RuleViolation as violation:
        raise Open311Error(400, *[
            f"{ARGUMENT_OF_FIELD.get(name, name)}：{message}"
            for name, messages in violation.errors.items() for message in messages
        ]) from violation
    return render([serializers.submitted_data(letter, reply_working_days=days)], fmt=fmt,
                  root="service_requests")
