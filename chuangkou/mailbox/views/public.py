"""Public side of the government mailbox (政民互动): write a letter, the receipt shown once,
the lookup by number and query code, the writer's letter page with the rating form, a signed-in
citizen's letters, the published letters and the public statistics.

Views parse input and call actions; what a writer may see is decided here only in the sense of
"whose letter is this": the session's grants (number + code, or this session wrote it) or the
signed-in account that wrote it. Any other request gets 404, never 403, so a number's existence
is not confirmed. Every page is kept out of the anonymous page cache (``private``); pages with
personal data or a form are not stored at all (``no-store``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangkou.accounts.decorators import citizen_required
from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit, is_over_limit
from chuangkou.sitecluster.queries import site_for_path

from .. import actions, queries
from ..choices import LetterStatus, ReplyStatus
from ..exceptions import MailboxRuleViolation
from ..forms.public import (
    LetterForm,
    PublishedFilterForm,
    QueryForm,
    RatingForm,
    StatisticsYearForm,
)
from ..masking import mask_name
from ..models import Letter, LetterAttachment, LetterKind, LetterReply

LETTERS_PER_HOUR_PER_ADDRESS = 10
LETTERS_PER_HOUR_PER_ACCOUNT = 5
LOOKUPS_PER_HOUR_PER_ADDRESS = 30
PUBLISHED_PER_PAGE = 20
GRANTS_SESSION_KEY = "mailbox_letter_grants"
RECEIPT_SESSION_KEY = "mailbox_letter_receipt"
RATED_SESSION_KEY = "mailbox_letter_rated"
RATE_WINDOW_SECONDS = 3600


# --- Helpers ---------------------------------------------------------------------------------


def _counter_key(name: str, who: str) -> str:
    return f"mailbox-{name}-rate:{who}"


def _count(key: str) -> int:
    return count_hit(key, window_seconds=RATE_WINDOW_SECONDS)


def _writing_keys(request: HttpRequest) -> list[tuple[str, int]]:
    """The counters a new letter counts against, with their hourly limits."""
    keys = [(_counter_key("letters", client_address_from(request) or "unknown"),
             getattr(settings, "MAILBOX_LETTERS_PER_HOUR_PER_ADDRESS",
                     LETTERS_PER_HOUR_PER_ADDRESS))]
    if request.user.is_authenticated:
        keys.append((_counter_key("account-letters", str(request.user.pk)),
                     getattr(settings, "MAILBOX_LETTERS_PER_HOUR_PER_ACCOUNT",
                             LETTERS_PER_HOUR_PER_ACCOUNT)))
    return keys


def _lookup_rate_limited(request: HttpRequest) -> bool:
    """Every lookup attempt counts (a guessed code is an attempt too)."""
    key = _counter_key("lookups", client_address_from(request) or "unknown")
    limit = getattr(settings, "MAILBOX_LOOKUPS_PER_HOUR_PER_ADDRESS",
                    LOOKUPS_PER_HOUR_PER_ADDRESS)
    return _count(key) > limit


def _private(response: HttpResponse) -> HttpResponse:
    # Personal data, query results and forms with tokens: never stored by the page cache, a
    # proxy or the browser.
    patch_cache_control(response, no_store=True, private=True, no_cache=True, max_age=0)
    return response


def _uncached(response: HttpResponse) -> HttpResponse:
    # Public pages that change when a letter is answered or published, which does not move the
    # page cache's generation clock: revalidated every time, never kept by a shared cache.
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response


def _context(**extra) -> dict:
    return {"cluster_site": site_for_path("/"), **extra}


def _grant(request: HttpRequest, letter: Letter) -> None:
    granted = set(request.session.get(GRANTS_SESSION_KEY, []))
    granted.add(letter.pk)
    request.session[GRANTS_SESSION_KEY] = sorted(granted)


def _may_see(request: HttpRequest, letter: Letter) -> bool:
    if letter.pk in request.session.get(GRANTS_SESSION_KEY, []):
        return True
    user = request.user
    return bool(user.is_authenticated and letter.user_id is not None
                and letter.user_id == user.pk)


def _writers_letter(request: HttpRequest, number: str) -> Letter:
    """The letter with ``number`` if this request may see it as its writer; 404 otherwise,
    whether or not the number exists."""
    letter = (Letter.objects.select_related("kind", "addressed_body", "assigned_body", "writer",
                                            "rating", "merged_into")
              .filter(number="".join((number or "").split()).upper()).first())
    if letter is None or not _may_see(request, letter):
        raise Http404
    return letter


def _approved_reply(letter: Letter) -> tuple[LetterReply | None, object]:
    """The reply the writer sees: the letter's own approved reply, or for a merged duplicate
    the reply of the letter it joined; with the date it was answered."""
    target = queries.root_letter(letter) if letter.status == LetterStatus.MERGED else letter
    reply = (LetterReply.objects.select_related("body")
             .filter(letter=target, status=ReplyStatus.APPROVED).first())
    return reply, (letter.answered_on or target.answered_on if reply else None)


def _identity_gate(request: HttpRequest, kind: LetterKind | None) -> HttpResponse | None:
    """A kind that asks its writer to sign in at a level: the visitor below it goes to the
    citizen sign-in (and comes back) or gets the page naming the level needed; None lets them
    write."""
    if kind is None or not queries.identity_shortfall(kind, request.user):
        return None
    return citizen_required(lambda request: None, level=kind.required_identity)(request)


def _writer_name(letter: Letter) -> str:
    writer = getattr(letter, "writer", None)
    return mask_name(writer.name) if writer is not None and writer.name else ""


def _letter_page(request: HttpRequest, letter: Letter, *, rating_form: RatingForm | None = None,
                 status: int = 200) -> HttpResponse:
    reply, answered_on = _approved_reply(letter)
    rating = getattr(letter, "rating", None)
    if rating is None and rating_form is None and letter.status == LetterStatus.ANSWERED:
        rating_form = RatingForm()
    rated_now = request.session.pop(RATED_SESSION_KEY, None) == letter.number
    return _private(render(request, "mailbox/public/letter.html", _context(
        letter=letter, reply=reply, answered_on=answered_on, rating=rating,
        rating_form=rating_form if rating is None else None, rated_now=rated_now,
        writer_name=_writer_name(letter), attachments=list(letter.attachments.all()),
        events=queries.timeline_of(letter, for_writer=True)), status=status))


# --- Pages -----------------------------------------------------------------------------------


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """政民互动: the letter kinds with their time limits, where to go, whom to write to."""
    return _uncached(render(request, "mailbox/public/landing.html", _context(
        kinds=list(queries.active_letter_kinds()),
        bodies=list(queries.addressable_bodies()))))


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """我要写信: a plain form that works without JavaScript and without an image CAPTCHA."""
    slug = request.GET.get("body", "")
    preselected = queries.addressable_bodies().filter(slug=slug).first() if slug else None
    kind_code = request.GET.get("kind", "")
    preselected_kind = (queries.active_letter_kinds().filter(code=kind_code).first()
                        if kind_code else None)
    status = 200
    if request.method == "POST":
        form = LetterForm(request.POST, request.FILES)
        counters = _writing_keys(request)
        if refused := _identity_gate(request, form.chosen_kind()):
            return _private(refused)
        if any(is_over_limit(key, limit) for key, limit in counters):
            form.add_error(None, _("提交过于频繁：同一网络地址每小时最多提交%(address)d封信，"
                                   "同一账号每小时最多%(account)d封。请一小时后再试，"
                                   "或拨打12345热线。") % {
                "address": counters[0][1],
                "account": getattr(settings, "MAILBOX_LETTERS_PER_HOUR_PER_ACCOUNT",
                                   LETTERS_PER_HOUR_PER_ACCOUNT)})
            status = 429
        elif form.is_valid():
            try:
                letter, code = actions.submit_letter(
                    draft=form.letter_draft(), writer=form.writer_input(),
                    form_token=form.cleaned_data["form_token"],
                    user=request.user if request.user.is_authenticated else None,
                    attachments=form.cleaned_data["attachments"])
            except MailboxRuleViolation as error:
                for field, messages in error.errors.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
                status = 400
            else:
                if code is not None:
                    for key, _limit in counters:
                        _count(key)
                    request.session[RECEIPT_SESSION_KEY] = {"number": letter.number,
                                                            "code": code}
                # The same form sent again (a double click, a reload): the session that holds
                # the form token is the writer's; show the receipt again, without the code.
                _grant(request, letter)
                return redirect("mailbox:receipt", number=letter.number)
        else:
            status = 400
    else:
        if refused := _identity_gate(request, preselected_kind):
            return _private(refused)
        form = LetterForm(preselected_body=preselected, preselected_kind=preselected_kind)
    return _private(render(request, "mailbox/public/write.html",
                           _context(form=form, preselected=preselected), status=status))


@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """回执: the number and, this once, the query code; only for the session that wrote it."""
    letter = _writers_letter(request, number)
    shown = request.session.get(RECEIPT_SESSION_KEY) or {}
    code = None
    if shown.get("number") == letter.number:
        code = shown["code"]
        del request.session[RECEIPT_SESSION_KEY]
    return _private(render(request, "mailbox/public/receipt.html",
                           _context(letter=letter, code=code)))


@require_http_methods(["GET", "POST"])
def query(request: HttpRequest) -> HttpResponse:
    """信件查询: number and query code in a POST body (never in a URL); one message for every
    wrong pair, so it tells nobody which part was wrong."""
    form = QueryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _lookup_rate_limited(request):
            form.add_error(None, _("查询过于频繁：同一网络地址每小时最多查询%(count)d次，"
                                   "请一小时后再试。") % {"count": getattr(
                                       settings, "MAILBOX_LOOKUPS_PER_HOUR_PER_ADDRESS",
                                       LOOKUPS_PER_HOUR_PER_ADDRESS)})
            status = 429
        elif form.is_valid():
            letter = queries.letter_by_number_and_code(form.cleaned_data["number"],
                                                       form.cleaned_data["code"])
            if letter is not None:
                _grant(request, letter)
                return redirect("mailbox:letter", number=letter.number)
            form.add_error(None, _("信件编号或查询码不正确，请核对回执后重新输入。"))
            status = 400
        else:
            status = 400
    return _private(render(request, "mailbox/public/query.html", _context(form=form),
                           status=status))


@require_GET
def letter(request: HttpRequest, number: str) -> HttpResponse:
    """信件办理情况: status, the writer's timeline, the reply, the rating form."""
    return _letter_page(request, _writers_letter(request, number))


@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    """满意度评价 of an answered letter, once."""
    letter = _writers_letter(request, number)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.rate_letter(letter=letter, level=form.cleaned_data["level"],
                                comment=form.cleaned_data["comment"])
        except MailboxRuleViolation as error:
            for field, messages in error.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            request.session[RATED_SESSION_KEY] = letter.number
            return redirect("mailbox:letter", number=letter.number)
    letter = _writers_letter(request, number)  # fresh: the action may have changed nothing
    if getattr(letter, "rating", None) is not None:
        return redirect("mailbox:letter", number=letter.number)
    return _letter_page(request, letter, rating_form=form, status=400)


@require_GET
def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """附件, only to the letter's writer (stored outside the public media root)."""
    letter = _writers_letter(request, number)
    item = LetterAttachment.objects.filter(letter=letter, pk=pk).first()
    if item is None:
        raise Http404
    response = FileResponse(item.file.open("rb"), as_attachment=True,
                            filename=item.original_name, content_type=item.content_type)
    return _private(response)


@require_GET
@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的来信: the letters a citizen wrote while signed in (letters written without signing in
    are found by number and query code)."""
    letters = list(queries.letters_of_user(request.user).select_related("rating"))
    return _private(render(request, "mailbox/public/mine.html", _context(letters=letters)))


@require_GET
def published(request: HttpRequest) -> HttpResponse:
    """信件公开: published letters, 20 a page, by body, kind and a keyword in the title."""
    form = PublishedFilterForm(request.GET or None)
    letters = queries.published_letters()
    if form.is_bound:
        form.is_valid()  # an unknown body or kind is ignored; the valid filters still apply
        chosen = form.cleaned_data
        if chosen.get("body") is not None:
            letters = letters.filter(assigned_body=chosen["body"])
        if chosen.get("kind") is not None:
            letters = letters.filter(kind=chosen["kind"])
        for word in (chosen.get("q") or "").split():
            letters = letters.filter(published_title__icontains=word)
    page_obj = Paginator(letters, PUBLISHED_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    query_without_page = kept.urlencode() + "&" if kept else ""
    return _uncached(render(request, "mailbox/public/published_list.html", _context(
        form=form, page_obj=page_obj, query_without_page=query_without_page)))


@require_GET
def published_letter(request: HttpRequest, number: str) -> HttpResponse:
    """One published letter: 受理日期, 答复日期, 答复部门, 答复内容 and the masked letter."""
    letter = queries.published_letters().filter(
        number="".join((number or "").split()).upper()).first()
    if letter is None:
        raise Http404
    reply = (LetterReply.objects.select_related("body")
             .filter(letter=letter, status=ReplyStatus.APPROVED).first())
    return _uncached(render(request, "mailbox/public/published_detail.html", _context(
        letter=letter, reply_body=reply.body if reply else letter.assigned_body)))


@dataclass(frozen=True)
class _StatisticsLine:
    body_name: str
    received: int
    answered: int
    reply_rate: str
    on_time_rate: str
    satisfaction_rate: str
    average_handling_days: str


def _percent(value) -> str:
    """A rate of ``letter_statistics`` (a percentage with one decimal, None for 0/0)."""
    return "—" if value is None else f"{value}%"


def _days(value) -> str:
    return "—" if value is None else str(value)


def _line(row, name: str) -> _StatisticsLine:
    return _StatisticsLine(
        body_name=name, received=row.received, answered=row.answered,
        reply_rate=_percent(row.reply_rate), on_time_rate=_percent(row.on_time_rate),
        satisfaction_rate=_percent(row.satisfaction_rate),
        average_handling_days=_days(row.average_handling_days))


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """来信办理情况统计: per body, for a year (the current one unless chosen)."""
    today = timezone.localdate()
    year = StatisticsYearForm(request.GET or None).selected_year()
    first_year = Letter.objects.aggregate(first=Min("year"))["first"] or today.year
    years = list(range(max(today.year, year), min(first_year, year) - 1, -1))
    rows = queries.letter_statistics(year=year, group_by=("body",))
    lines = [_line(row, row.label) for row in rows]
    total = _line(queries.statistics_total(rows), _("合计")) if rows else None
    return _uncached(render(request, "mailbox/public/statistics.html", _context(
        year=year, years=years, rows=lines, total=total, today=today)))
