"""Public side of 依申请公开 (外网受理、外网反馈): choose a body, apply, see the receipt once,
look an application up by number and query code, the signed-in applicant's own list, and the
response attachments. Handling happens only in the staff admin (专网办理)."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangkou.accounts.decorators import citizen_required
from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import body_tree
from chuangkou.sitecluster.queries import site_for_path

from ..actions import submit_online_application
from ..exceptions import DisclosureRuleViolation
from ..forms.applications import ApplicationForm, LookupForm
from ..models import DisclosureApplication, ResponseAttachment
from ..queries import applications as queries
from ..queries import citizens as citizen_queries

APPLICATIONS_PER_HOUR_PER_ADDRESS = 10
LOOKUPS_PER_HOUR_PER_ADDRESS = 30
GRANTS_SESSION_KEY = "disclosure_application_grants"
RECEIPT_SESSION_KEY = "disclosure_application_receipt"


def _rate_limited(request: HttpRequest, *, name: str, limit: int) -> bool:
    key = f"disclosure-{name}-rate:{client_address_from(request)}"
    return count_hit(key, window_seconds=3600) > limit


def _private(response: HttpResponse) -> HttpResponse:
    # Personal data and query results: never stored by the page cache, a proxy or the browser.
    patch_cache_control(response, no_store=True, private=True, no_cache=True, max_age=0)
    return response


def _context(**extra) -> dict:
    return {"cluster_site": site_for_path("/"), **extra}


def _grant(request: HttpRequest, applications: list[DisclosureApplication]) -> None:
    granted = set(request.session.get(GRANTS_SESSION_KEY, []))
    granted.update(application.pk for application in applications)
    request.session[GRANTS_SESSION_KEY] = sorted(granted)


def _may_see(request: HttpRequest, application: DisclosureApplication) -> bool:
    """The applicant: this session applied or looked it up with the query code, or the
    signed-in account applied."""
    if application.pk in request.session.get(GRANTS_SESSION_KEY, []):
        return True
    user = request.user
    return bool(user.is_authenticated and application.user_id == user.pk)


def _identity_gate(request: HttpRequest) -> HttpResponse | None:
    """When the online form asks for an identity level, a visitor below it goes to the citizen
    sign-in (and comes back) or gets the page naming the level needed; None lets them apply."""
    if not citizen_queries.application_identity_shortfall(request.user):
        return None
    return citizen_required(lambda request: None,
                            level=citizen_queries.required_application_identity())(request)


def _status_view(chain: list[DisclosureApplication]) -> list[dict]:
    """What the applicant sees of each application of a transfer chain (外网反馈)."""
    views = []
    for application in chain:
        response = getattr(application, "response", None) if application.closed_on else None
        views.append({
            "application": application,
            "events": queries.timeline_of(application, for_applicant=True),
            "response": response,
            "attachments": list(response.attachments.all()) if response else [],
            "applicant_name": queries.mask_name(application.applicant.name),
        })
    return views


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """依申请公开: choose the body that holds the information."""
    return render(request, "disclosure/applications/landing.html",
                  _context(bodies=body_tree()))


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, body_slug: str) -> HttpResponse:
    """政府信息公开申请表 (条例 第二十九条), a plain form that works without JavaScript."""
    body = get_object_or_404(Body, slug=body_slug)
    if refused := _identity_gate(request):
        return _private(refused)
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, name="apply", limit=APPLICATIONS_PER_HOUR_PER_ADDRESS):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            try:
                application, code = submit_online_application(
                    body=body, applicant=form.applicant(), request=form.information_request(),
                    form_token=form.cleaned_data["form_token"], user=request.user)
            except DisclosureRuleViolation as error:
                for field, messages in error.errors.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
                status = 400
            else:
                if code is not None:
                    request.session[RECEIPT_SESSION_KEY] = {"number": application.number,
                                                            "code": code}
                # The same form sent again (a double click, a reload): the session holding the
                # form token is the applicant's; the receipt is shown again, without the code.
                _grant(request, [application])
                return redirect("disclosure:application_receipt", number=application.number)
        else:
            status = 400
    return _private(render(request, "disclosure/applications/apply.html",
                           _context(form=form, body=body), status=status))


@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """回执: the number and, this once, the query code; only to the applicant (404 to anyone
    else, whether or not the number exists)."""
    application = get_object_or_404(DisclosureApplication.objects.select_related("body"),
                                    number=number)
    if not _may_see(request, application):
        raise Http404
    shown = request.session.get(RECEIPT_SESSION_KEY) or {}
    code = None
    if shown.get("number") == application.number:
        code = shown["code"]
        del request.session[RECEIPT_SESSION_KEY]
    return _private(render(request, "disclosure/applications/receipt.html",
                           _context(application=application, code=code)))


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """申请查询: number and query code in a POST body (never in a URL)."""
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, name="lookup", limit=LOOKUPS_PER_HOUR_PER_ADDRESS):
            form.add_error(None, _("查询过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            application = queries.find_application(form.cleaned_data["number"],
                                                   form.cleaned_data["code"])
            if application is not None:
                chain = queries.transfer_chain(application)
                _grant(request, chain)
                return _private(render(request, "disclosure/applications/status.html",
                                       _context(views=_status_view(chain))))
            form.add_error(None, _("申请编号或查询码不正确。"))
            status = 400
        else:
            status = 400
    return _private(render(request, "disclosure/applications/lookup.html",
                           _context(form=form), status=status))


@require_GET
@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的申请: the applications a citizen made while signed in (the others are found by
    number and query code)."""
    rows = [{"application": application, "step": citizen_queries.next_step(application)}
            for application in queries.applications_of_user(request.user)]
    return _private(render(request, "disclosure/applications/mine.html", _context(rows=rows)))


@require_GET
@citizen_required
def mine_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One of my applications; another citizen's number is a 404."""
    application = get_object_or_404(queries.applications_of_user(request.user),
                                    number=(number or "").strip().upper())
    chain = queries.transfer_chain(application)
    return _private(render(request, "disclosure/applications/status.html",
                           _context(views=_status_view(chain))))


def _may_download(request: HttpRequest, application: DisclosureApplication) -> bool:
    return _may_see(request, application) or queries.may_handle_applications(
        request.user, application.body)


@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """答复附件, only to the applicant (number and code in this session, or signed in) and the
    body's disclosure staff; stored outside the public media root."""
    item = get_object_or_404(ResponseAttachment.objects.select_related(
        "response__application__body"), pk=pk)
    if not _may_download(request, item.response.application):
        raise Http404
    response = FileResponse(item.file.open("rb"), as_attachment=True,
                            filename=item.file.name.rsplit("/", 1)[-1])
    _private(response)
    return response
