"""Public side of applications: the online form of an item, the receipt shown once, the
lookup by number and query code, the applicant's application page (timeline, supplement,
payment instructions, withdrawal, rating) and uploads. A citizen's list is 我的网上办事
(``views.customisation``).

Whose application is this: ``views.access`` (the session's grants or the account that made
it); any other request gets 404 whether or not the number exists. Pages with personal data or
a form are never stored (``private``).
"""

import contextlib
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangkou.accounts import queries as account_queries
from chuangkou.core.masking import mask_name, mask_phone

from .. import actions, queries
from ..choices import OPEN_APPLICATION_STATUSES, ApplicationStatus, Audience, RequiredIdentity
from ..exceptions import ServicesRuleViolation
from ..forms.applications import (
    QueryForm,
    SupplementForm,
    WithdrawForm,
    build_application_form,
)
from ..forms.ratings import RatingForm
from ..models import ApplicationUpload, ServiceItem
from ..queries.ratings import may_rate
from ..rules import identity_satisfies
from .access import application_for_request, grant_application
from .common import count, over_limit, private, public_context

APPLICATIONS_PER_HOUR = 10
LOOKUPS_PER_HOUR = 30
RECEIPT_SESSION_KEY = "services_application_receipt"


def _applying_item(code: str) -> ServiceItem:
    item = (ServiceItem.objects.select_related("implementing_body")
            .prefetch_related("form_fields", "materials")
            .filter(code=code, is_published=True, online_depth__gte=3).first())
    if item is None:
        raise Http404
    return item


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """网上申请: the item's online form."""
    item = _applying_item(code)
    user = request.user if request.user.is_authenticated else None
    need = item.required_identity
    if need != RequiredIdentity.NONE and user is None:
        return _login_redirect(request)
    have = queries.applicant_identity_level(user)
    if not identity_satisfies(have, need):
        return private(render(request, "services/public/apply.html", public_context(
            services_section="items", item=item, form=None,
            identity_needed=RequiredIdentity(need).label, identity_need=need,
            identity_have=RequiredIdentity(have).label,
            is_citizen=account_queries.is_citizen(user)), status=403))
    enterprise = _acting_enterprise(request, item)
    form_class = build_application_form(item, enterprise=enterprise)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        limit = getattr(settings, "SERVICES_APPLICATIONS_PER_HOUR_PER_ADDRESS",
                        APPLICATIONS_PER_HOUR)
        if over_limit(request, "applications", "SERVICES_APPLICATIONS_PER_HOUR_PER_ADDRESS",
                      APPLICATIONS_PER_HOUR):
            form.add_error(None, _("提交过于频繁：同一网络地址每小时最多提交%(n)d件申请，"
                                   "请一小时后再试。") % {"n": limit})
            status = 429
        elif form.is_valid():
            try:
                applicant = form.applicant_input()
                application, query_code = actions.submit_application(
                    item=item, applicant=applicant, answers=form.answers(),
                    uploads=form.uploads(), user=user,
                    form_token=form.cleaned_data["form_token"],
                    enterprise=enterprise if applicant.kind == Audience.ENTERPRISE else None)
            except ServicesRuleViolation as violation:
                form.add_violation(violation.errors)
                status = 400
            else:
                if query_code is not None:
                    count(request, "applications")
                    request.session[RECEIPT_SESSION_KEY] = {"number": application.number,
                                                            "code": query_code}
                # The session holding the form token is the applicant's (a double click or a
                # reload): the receipt again, without the code.
                grant_application(request, application)
                return redirect("services:receipt", number=application.number)
        else:
            status = 400
    else:
        form = form_class()
    return private(render(request, "services/public/apply.html", public_context(
        services_section="items", item=item, form=form, enterprise=enterprise),
        status=status))


def _acting_enterprise(request: HttpRequest, item: ServiceItem):
    """The verified enterprise the signed-in citizen acts for (法人), when the item is one
    enterprises apply for; None otherwise."""
    if item.audience not in (Audience.ENTERPRISE, Audience.BOTH):
        return None
    if not account_queries.is_citizen(request.user):
        return None
    return account_queries.acting_enterprise(request)


@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """回执: the number and, this once, the query code."""
    application = application_for_request(request, _number(number),
                                          queries.applicant_applications())
    shown = request.session.get(RECEIPT_SESSION_KEY) or {}
    code = None
    if shown.get("number") == application.number:
        code = shown["code"]
        del request.session[RECEIPT_SESSION_KEY]
    return private(render(request, "services/public/receipt.html", public_context(
        services_section="query", application=application, code=code)))


@require_http_methods(["GET", "POST"])
def query(request: HttpRequest) -> HttpResponse:
    """办件查询: number and query code (in the POST body, never in a URL); one message for
    every wrong pair."""
    form = QueryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limit = getattr(settings, "SERVICES_LOOKUPS_PER_HOUR_PER_ADDRESS", LOOKUPS_PER_HOUR)
        if over_limit(request, "lookups", "SERVICES_LOOKUPS_PER_HOUR_PER_ADDRESS",
                      LOOKUPS_PER_HOUR):
            form.add_error(None, _("查询过于频繁：同一网络地址每小时最多查询%(n)d次，"
                                   "请一小时后再试。") % {"n": limit})
            status = 429
        else:
            count(request, "lookups")  # every attempt counts, a guessed code too
            if form.is_valid():
                application = queries.application_by_number_and_code(
                    form.cleaned_data["number"], form.cleaned_data["code"])
                if application is not None:
                    grant_application(request, application)
                    return redirect("services:application", number=application.number)
                form.add_error(None, _("办件编号或查询码不正确，请核对回执后重新输入。"))
            status = 400
    return private(render(request, "services/public/query.html", public_context(
        services_section="query", form=form), status=status))


def _rating_context(application) -> dict:
    can_rate = bool(may_rate(application))
    return {"can_rate": can_rate, "rating_form": RatingForm() if can_rate else None}


def _application_page(request: HttpRequest, application, *, supplement_form=None,
                      withdraw_form=None, status: int = 200) -> HttpResponse:
    details = getattr(application, "applicant", None)
    open_ = application.status in OPEN_APPLICATION_STATUSES
    supplementing = application.status == ApplicationStatus.SUPPLEMENT_REQUESTED
    context = public_context(
        services_section="query", application=application,
        applicant_name=mask_name(details.name) if details else "",
        applicant_phone=mask_phone(details.phone) if details else "",
        enterprise_name=details.enterprise_name if details else "",
        events=queries.applicant_timeline(application),
        uploads=list(application.uploads.all()),
        payment=queries.pending_payment(application),
        payments=list(application.payments.all()),
        supplement_form=(supplement_form or SupplementForm()) if supplementing else None,
        withdraw_form=(withdraw_form or WithdrawForm()) if open_ else None,
        **_rating_context(application))
    return private(render(request, "services/public/application.html", context,
                          status=status))


def _number(number: str) -> str:
    return "".join((number or "").split()).upper()


def _own_application(request: HttpRequest, number: str):
    return application_for_request(request, _number(number), queries.applicant_applications())


@require_GET
def application(request: HttpRequest, number: str) -> HttpResponse:
    """办件详情 for its applicant."""
    return _application_page(request, _own_application(request, number))


@require_POST
def supplement(request: HttpRequest, number: str) -> HttpResponse:
    """补正材料."""
    found = _own_application(request, number)
    form = SupplementForm(request.POST, request.FILES)
    if found.status != ApplicationStatus.SUPPLEMENT_REQUESTED:
        return redirect("services:application", number=found.number)
    if form.is_valid():
        try:
            actions.submit_supplement(
                application=found, uploads=form.cleaned_data["uploads"],
                note=form.cleaned_data["note"],
                user=request.user if request.user.is_authenticated else None)
        except ServicesRuleViolation as violation:
            for field, messages in violation.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("services:application", number=found.number)
    return _application_page(request, _own_application(request, number),
                             supplement_form=form, status=400)


@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """撤回申请 (POST only)."""
    found = _own_application(request, number)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        # Decided meanwhile: the page shows the state.
        with contextlib.suppress(ServicesRuleViolation):
            actions.withdraw_application(
                application=found, reason=form.cleaned_data["reason"],
                user=request.user if request.user.is_authenticated else None)
        return redirect("services:application", number=found.number)
    return _application_page(request, found, withdraw_form=form, status=400)


@require_GET
def application_upload(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """One uploaded file, only to the applicant (stored outside the public media root)."""
    found = _own_application(request, number)
    upload = get_object_or_404(ApplicationUpload, application=found, pk=pk)
    try:
        handle = upload.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=upload.original_name,
                            content_type=upload.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)
