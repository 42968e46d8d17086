"""The client of the government identity provider (统一身份认证平台) over OpenID Connect.

authlib's Django integration speaks the protocol: discovery from
``<issuer>/.well-known/openid-configuration``, state, nonce and PKCE verifier kept in the
session, the code exchanged server-to-server, the ID token's signature checked against the
provider's JWKS and its ``iss``, ``aud``, ``exp`` and ``nonce`` validated. This module builds that
client from the ``ACCOUNTS_OIDC_*`` settings (again whenever they change; an empty issuer switches
single sign-on off) and turns every way the exchange can fail into an ``IdentityProviderError``
that the views show as a page with a clear message, never a 500.

What the claims mean for our accounts is decided in ``actions.oidc``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

__all__ = [
    "AuthorizationInvalid",
    "IdentityProviderError",
    "IdentityTokenInvalid",
    "ProviderRefused",
    "ProviderSettings",
    "ProviderSwitchedOff",
    "ProviderUnreachable",
    "SignInCancelled",
    "begin_authorization",
    "finish_authorization",
    "identity_provider_context",
    "provider_settings",
    "safe_next_url",
]

logger = logging.getLogger(__name__)

CLIENT_NAME = "government_identity_provider"
SETTING_NAMES = frozenset({
    "ACCOUNTS_OIDC_ISSUER", "ACCOUNTS_OIDC_CLIENT_ID", "ACCOUNTS_OIDC_CLIENT_SECRET",
    "ACCOUNTS_OIDC_SCOPES", "ACCOUNTS_OIDC_PROVIDER_NAME", "ACCOUNTS_OIDC_TIMEOUT_SECONDS",
})
DEFAULT_TIMEOUT_SECONDS = 10.0
# What the session remembers per authorization in flight (by state): where to go afterwards and
# whether the signed-in citizen is linking rather than signing in. Bounded, oldest dropped.
PENDING_SESSION_KEY = "accounts.oidc_pending"
MAX_PENDING = 5


class IdentityProviderError(Exception):
    """The sign-in through the identity provider did not complete. ``status`` is the HTTP status
    of the page that says so, ``reason`` the word in the audit record."""

    status = 400
    reason = "invalid_request"
    title = _("统一身份认证登录未完成")
    message = _("登录请求无效，请重新登录。")


class ProviderSwitchedOff(IdentityProviderError):
    status = 404
    reason = "switched_off"
    title = _("未启用统一身份认证")
    message = _("本网站未启用统一身份认证平台登录，请使用手机号码或电子邮箱和密码登录。")


class SignInCancelled(IdentityProviderError):
    status = 400
    reason = "cancelled"
    title = _("您已取消登录")
    message = _("您在统一身份认证平台取消了登录，未登录本网站。如需办理业务，请重新登录。")


class AuthorizationInvalid(IdentityProviderError):
    """Unknown or reused state, no code, or a code the provider no longer accepts."""

    status = 400
    reason = "invalid_request"
    title = _("登录请求无效或已过期")
    message = _("本次登录请求无效或已过期（例如重复提交、在其他窗口已完成登录），请重新登录。")


class IdentityTokenInvalid(IdentityProviderError):
    """The ID token's signature or claims did not verify, or it is missing."""

    status = 400
    reason = "invalid_token"
    title = _("身份凭证校验失败")
    message = _("统一身份认证平台返回的身份凭证未通过校验，未登录本网站。请重新登录。")


class ProviderUnreachable(IdentityProviderError):
    status = 502
    reason = "unreachable"
    title = _("统一身份认证平台暂时无法访问")
    message = _("暂时无法连接统一身份认证平台，请稍后再试，或使用手机号码或电子邮箱和密码登录。")


class ProviderRefused(IdentityProviderError):
    """The provider answered, but not in a way we can use: it refused our client (wrong secret),
    reported an error, or its discovery document names another issuer."""

    status = 502
    reason = "provider_refused"
    title = _("统一身份认证平台未完成认证")
    message = _("统一身份认证平台未能完成本次认证，请稍后再试，或使用手机号码或电子邮箱和密码登录。"
                "如问题持续存在，请联系网站管理员。")


@dataclass(frozen=True)
class ProviderSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    name: str
    timeout: float

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def provider_settings() -> ProviderSettings | None:
    """The configured provider, or None when single sign-on is switched off (no issuer)."""
    issuer = (settings.ACCOUNTS_OIDC_ISSUER or "").strip().rstrip("/")
    if not issuer:
        return None
    scopes = settings.ACCOUNTS_OIDC_SCOPES.split()
    if "openid" not in scopes:
        # Without it there is no ID token and nothing would prove who signed in.
        scopes.insert(0, "openid")
    return ProviderSettings(
        issuer=issuer,
        client_id=settings.ACCOUNTS_OIDC_CLIENT_ID,
        client_secret=settings.ACCOUNTS_OIDC_CLIENT_SECRET,
        scopes=" ".join(scopes),
        name=settings.ACCOUNTS_OIDC_PROVIDER_NAME,
        timeout=float(getattr(settings, "ACCOUNTS_OIDC_TIMEOUT_SECONDS",
                              DEFAULT_TIMEOUT_SECONDS)),
    )


_lock = threading.Lock()
_client = None


def _provider_client(config: ProviderSettings):
    global _client
    with _lock:
        if _client is None:
            _client = OAuth().register(
                CLIENT_NAME,
                client_id=config.client_id,
                client_secret=config.client_secret,
                server_metadata_url=config.metadata_url,
                client_kwargs={"scope": config.scopes, "code_challenge_method": "S256",
                               "default_timeout": config.timeout},
            )
        return _client


@receiver(setting_changed)
def _forget_client_when_settings_change(*, setting, **kwargs) -> None:
    global _client
    if setting in SETTING_NAMES:
        with _lock:
            _client = None


def _metadata(client, config: ProviderSettings) -> dict:
    """The provider's discovery document, checked to name the configured issuer (OpenID Connect
    Discovery 1.0 §4.3: otherwise another server could pass its tokens off as the provider's)."""
    try:
        metadata = client.load_server_metadata()
    except requests.RequestException as error:
        raise ProviderUnreachable from error
    except ValueError as error:
        raise ProviderRefused from error
    if str(metadata.get("issuer", "")).rstrip("/") != config.issuer:
        client.server_metadata.clear()
        raise ProviderRefused
    return metadata


def safe_next_url(request: HttpRequest, url: str | None) -> str:
    """``url`` if it stays on this site, else an empty string."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


def identity_provider_context(request: HttpRequest) -> dict[str, Any]:
    """Template context of the sign-in page's button (``accounts/includes/
    identity_provider_button.html``): the provider's name and the start URL carrying the page's
    own ``next``, or ``identity_provider: None`` when single sign-on is off."""
    config = provider_settings()
    if config is None:
        return {"identity_provider": None}
    start_url = reverse("accounts:oidc_start")
    next_url = safe_next_url(request, request.GET.get("next"))
    if next_url:
        start_url = f"{start_url}?{urlencode({'next': next_url})}"
    return {"identity_provider": {"name": config.name, "start_url": start_url}}


def begin_authorization(request: HttpRequest, *, redirect_uri: str,
                        pending: dict[str, Any]) -> str:
    """The provider's authorization URL to send the browser to. authlib keeps state, nonce and
    PKCE verifier in the session; ``pending`` (next URL, link intent) is kept beside them under
    the same state and handed back by ``finish_authorization``."""
    config = provider_settings()
    if config is None:
        raise ProviderSwitchedOff
    client = _provider_client(config)
    _metadata(client, config)
    try:
        authorization = client.create_authorization_url(redirect_uri)
    except requests.RequestException as error:
        raise ProviderUnreachable from error
    except (AuthlibBaseError, RuntimeError, ValueError) as error:
        raise ProviderRefused from error
    client.save_authorize_data(request, redirect_uri=redirect_uri, **authorization)
    in_flight = dict(request.session.get(PENDING_SESSION_KEY, {}))
    in_flight[authorization["state"]] = pending
    request.session[PENDING_SESSION_KEY] = dict(list(in_flight.items())[-MAX_PENDING:])
    return authorization["url"]


def _take_pending(request: HttpRequest, state: str | None) -> dict[str, Any] | None:
    in_flight = dict(request.session.get(PENDING_SESSION_KEY, {}))
    pending = in_flight.pop(state, None) if state else None
    request.session[PENDING_SESSION_KEY] = in_flight
    return pending


def finish_authorization(request: HttpRequest) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Complete the provider's redirect back to us: ``(issuer, claims, pending)``.

    The claims are the verified ID token's, completed from the UserInfo endpoint when the
    provider has one (OpenID Connect Core §5.3; its ``sub`` must be the ID token's)."""
    config = provider_settings()
    if config is None:
        raise ProviderSwitchedOff
    state = request.GET.get("state")
    pending = _take_pending(request, state)
    error = request.GET.get("error")
    if error == "access_denied":
        raise SignInCancelled
    if error:
        raise ProviderRefused
    client = _provider_client(config)
    if (pending is None or not request.GET.get("code")
            or client.framework.get_state_data(request.session, state) is None):
        raise AuthorizationInvalid
    metadata = _metadata(client, config)
    try:
        token = client.authorize_access_token(request)
    except requests.RequestException as error:
        raise ProviderUnreachable from error
    except MismatchingStateError as error:
        raise AuthorizationInvalid from error
    except OAuthError as error:
        if getattr(error, "error", "") == "invalid_grant":
            raise AuthorizationInvalid from error
        raise ProviderRefused from error
    except (JoseError, AuthlibBaseError, ValueError, TypeError, KeyError) as error:
        logger.warning("identity provider ID token rejected: %s", type(error).__name__)
        raise IdentityTokenInvalid from error
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise IdentityTokenInvalid
    if metadata.get("userinfo_endpoint"):
        claims = {**_userinfo(client, token, subject=claims["sub"]), **claims}
    return metadata["issuer"].rstrip("/"), claims, pending


def _userinfo(client, token: dict, *, subject: str) -> dict[str, Any]:
    try:
        userinfo = dict(client.userinfo(token=token))
    except requests.HTTPError as error:
        raise ProviderRefused from error
    except requests.RequestException as error:
        raise ProviderUnreachable from error
    except (AuthlibBaseError, ValueError) as error:
        raise ProviderRefused from error
    if userinfo.get("sub") != subject:
        raise IdentityTokenInvalid
    return userinfo
