"""Single sign-on with the government identity provider (统一身份认证): the start that sends the
browser to the provider, the callback it comes back to, and the page of one's links (绑定) with
link and unlink buttons.

Every way the sign-in can fail ends on a page saying what happened and what to do, with 400
(cancelled, stale or forged request, unverifiable token), 403/409 (a rule refused it), 404
(switched off), 429 (too many attempts) or 502 (the provider is down or refused us); nothing is
created before the provider's answer has been verified."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit, is_over_limit
from chuangkou.sitecluster.queries import site_for_path

from ..actions.oidc import (
    link_identity_provider,
    record_identity_provider_failure,
    sign_in_from_identity_provider,
    unlink_external_identity,
)
from ..decorators import citizen_required
from ..exceptions import AccountsRuleViolation, IdentityProviderRefused, SignInRefused
from ..oidc import (
    AuthorizationInvalid,
    IdentityProviderError,
    begin_authorization,
    finish_authorization,
    provider_settings,
    safe_next_url,
)
from ..queries import citizen_account_of
from ..queries.oidc import external_identities_of, external_identity_of

__all__ = ["callback", "link", "links", "start", "unlink"]

STARTS_PER_HOUR_PER_ADDRESS = 60
RATE_WINDOW_SECONDS = 3600
REFUSAL_STATUS = {"closed": 403, "refused": 403, "invalid_claims": 400}
REFUSAL_STATUS_DEFAULT = 409


def _context(**extra) -> dict:
    return {"cluster_site": site_for_path("/"), **extra}


def _provider_name() -> str:
    config = provider_settings()
    return config.name if config else settings.ACCOUNTS_OIDC_PROVIDER_NAME


def _problem_page(request: HttpRequest, *, title: str, problems: list[str], status: int,
                  retry: bool) -> HttpResponse:
    return render(request, "accounts/oidc/problem.html", _context(
        title=title, problems=problems, retry=retry and provider_settings() is not None,
        provider_name=_provider_name()), status=status)


def _error_page(request: HttpRequest, error: IdentityProviderError) -> HttpResponse:
    return _problem_page(request, title=str(error.title), problems=[str(error.message)],
                         status=error.status, retry=error.status != 404)


def _reason(refusal: SignInRefused) -> str:
    return refusal.reason if isinstance(refusal, IdentityProviderRefused) else "refused"


def _refusal_page(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    problems = [message for field_messages in refusal.errors.values()
                for message in field_messages]
    return _problem_page(request, title=_("无法通过统一身份认证登录"), problems=problems,
                         status=REFUSAL_STATUS.get(_reason(refusal), REFUSAL_STATUS_DEFAULT),
                         retry=False)


def _rate_key(request: HttpRequest) -> str:
    return f"accounts-oidc-start:{client_address_from(request) or 'unknown'}"


def _too_many_starts(request: HttpRequest) -> HttpResponse | None:
    limit = getattr(settings, "ACCOUNTS_OIDC_STARTS_PER_HOUR_PER_ADDRESS",
                    STARTS_PER_HOUR_PER_ADDRESS)
    key = _rate_key(request)
    if is_over_limit(key, limit):
        return _problem_page(request, title=_("登录尝试过于频繁"),
                             problems=[_("您的网络地址在一小时内发起统一身份认证登录的次数过多，"
                                         "请一小时后再试。")],
                             status=429, retry=False)
    count_hit(key, window_seconds=RATE_WINDOW_SECONDS)
    return None


def _redirect_to_provider(request: HttpRequest, pending: dict) -> HttpResponse:
    if (refused := _too_many_starts(request)) is not None:
        return refused
    try:
        url = begin_authorization(
            request, redirect_uri=request.build_absolute_uri(reverse("accounts:oidc_callback")),
            pending=pending)
    except IdentityProviderError as error:
        if error.status != 404:
            record_identity_provider_failure(reason=error.reason, issuer=_issuer())
        return _error_page(request, error)
    return redirect(url)


def _issuer() -> str:
    config = provider_settings()
    return config.issuer if config else ""


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """统一身份认证登录: off to the provider, coming back to ``next`` (if it is on this site)."""
    return _redirect_to_provider(
        request, {"next": safe_next_url(request, request.GET.get("next")), "link": ""})


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back: verify its answer, then sign in (or link)."""
    try:
        issuer, claims, pending = finish_authorization(request)
    except IdentityProviderError as error:
        if error.status != 404:
            record_identity_provider_failure(reason=error.reason, issuer=_issuer())
        return _error_page(request, error)
    if pending.get("link"):
        return _finish_link(request, issuer=issuer, claims=claims, account_id=pending["link"])
    try:
        sign_in_from_identity_provider(request=request, issuer=issuer, claims=claims)
    except SignInRefused as refusal:
        record_identity_provider_failure(reason=_reason(refusal), issuer=issuer)
        return _refusal_page(request, refusal)
    return redirect(safe_next_url(request, pending.get("next")) or reverse("accounts:homepage"))


def _finish_link(request: HttpRequest, *, issuer: str, claims: dict,
                 account_id: str) -> HttpResponse:
    account = citizen_account_of(request.user)
    if account is None or str(account.public_id) != account_id:
        # Signed out, or signed in as someone else, since the link was asked for.
        return _error_page(request, AuthorizationInvalid())
    try:
        link_identity_provider(account=account, issuer=issuer, claims=claims)
    except SignInRefused as refusal:
        record_identity_provider_failure(reason=_reason(refusal), issuer=issuer)
        return _refusal_page(request, refusal)
    messages.success(request, _("已绑定%(name)s账号，今后可用它登录本网站。")
                     % {"name": _provider_name()})
    return redirect("accounts:oidc_links")


def _links_page(request: HttpRequest, *, problems: list[str] | None = None,
                status: int = 200) -> HttpResponse:
    config = provider_settings()
    identities = list(external_identities_of(request.citizen))
    linked_here = config is not None and any(item.issuer == config.issuer
                                             for item in identities)
    return render(request, "accounts/oidc/links.html", _context(
        identities=identities, provider=config, can_link=config is not None and not linked_here,
        has_password=request.user.has_usable_password(), problems=problems or []),
        status=status)


@never_cache
@citizen_required
@require_GET
def links(request: HttpRequest) -> HttpResponse:
    """统一身份认证绑定: the account's links, each with an unlink button, and a link button."""
    return _links_page(request)


@never_cache
@citizen_required
@require_POST
def link(request: HttpRequest) -> HttpResponse:
    """Start linking the signed-in account to the provider (a POST, so no other site can)."""
    return _redirect_to_provider(
        request, {"next": "", "link": str(request.citizen.public_id)})


@never_cache
@citizen_required
@require_POST
def unlink(request: HttpRequest, identity_id: int) -> HttpResponse:
    """解除绑定 of one of the account's own links; another account's link is 404."""
    identity = external_identity_of(request.citizen, identity_id)
    if identity is None:
        raise Http404
    try:
        unlink_external_identity(account=request.citizen, identity=identity)
    except AccountsRuleViolation as refusal:
        return _links_page(request, status=400, problems=[
            message for field_messages in refusal.errors.values() for message in field_messages])
    messages.success(request, _("已解除绑定。"))
    return redirect("accounts:oidc_links")
