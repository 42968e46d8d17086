"""Public side of 依申请公开 (外网受理、外网反馈): choose a body, apply, see the receipt once,
look an application up by number and query code, the signed-in applicant's own list, and the
response attachments. Handling happens only in the staff admin (专网办理)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import body_tree
from chuangkou.sitecluster.queries import site_for_path

from ..actions import submit_online_application
from ..forms.applications import ApplicationForm, LookupForm
from ..models import DisclosureApplication, ResponseAttachment
from ..queries import applications as queries

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
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, name="apply", limit=APPLICATIONS_PER_HOUR_PER_ADDRESS):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            application, code = submit_online_application(
                body=body, applicant=form.applicant(), request=form.information_request(),
                form_token=form.cleaned_data["form_token"], user=request.user)
            if code is not None:
                request.session[RECEIPT_SESSION_KEY] = {"number": application.number,
                                                        "code": code}
            return redirect("disclosure:application_receipt", number=application.number)
        else:
            status = 400
    return _private(render(request, "disclosure/applications/apply.html",
                           _context(form=form, body=body), status=status))


@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """回执: the number and, this once, the query code."""
    application = get_object_or_404(DisclosureApplication.objects.select_related("body"),
                                    number=number)
    shown = request.session.get(RECEIPT_SESSION_KEY) or {}
    code = None
    if shown.get("number") == application.number:
        code = shown["code"]
        del request.session[RECEIPT_SESSION_KEY]
        _grant(request, [application])
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


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """我的申请: a signed-in applicant's own applications."""
    return _private(render(request, "disclosure/applications/mine.html",
                           _context(applications=queries.applications_of_user(request.user))))


@login_required
@require_GET
def mine_detail(request: HttpRequest, number: str) -> HttpResponse:
    application = get_object_or_404(queries.applications_of_user(request.user), number=number)
    chain = queries.transfer_chain(application)
    return _private(render(request, "disclosure/applications/status.html",
                           _context(views=_status_view(chain))))


def _may_download(request: HttpRequest, application: DisclosureApplication) -> bool:
    if application.pk in request.session.get(GRANTS_SESSION_KEY, []):
        return True
    user = request.user
    if user.is_authenticated and application.user_id == user.pk:
        return True
    return queries.may_handle_applications(user, application.body)


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
