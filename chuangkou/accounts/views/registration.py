"""注册, 登录, 退出 and 找回密码 on the portal (/yonghu/).

Registration and password reset answer the same whether or not an account has the address
(enumeration-safe); the address typed is remembered for the next step in the session,
encrypted (``core.crypto``), and only ever shown masked. Every page here is private: never
stored by a cache."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from chuangkou.core.crypto import DecryptionFailed, decrypt, encrypt
from chuangkou.core.middleware import client_address_from
from chuangkou.sitecluster.queries import site_for_path

from ..actions import (
    authenticate_citizen,
    confirm_registration,
    register_citizen,
    request_password_reset,
    resend_registration_code,
    reset_password,
    sign_in_citizen,
    sign_out_citizen,
)
from ..actions.codes import check_hourly_limits
from ..actions.registration import contact_label
from ..choices import ContactKind
from ..contacts import mask_contact
from ..exceptions import AccountsRuleViolation, CodeRateLimited
from ..forms.registration import (
    CodeForm,
    RegistrationForm,
    ResetConfirmForm,
    ResetRequestForm,
    SignInForm,
)
from ..oidc import identity_provider_context, safe_next_url
from ..queries import is_citizen

__all__ = ["register", "register_resend", "register_verify", "reset", "reset_confirm",
           "reset_resend", "sign_in", "sign_out"]

REGISTRATION_SESSION_KEY = "accounts.registration"
RESET_SESSION_KEY = "accounts.password_reset"
SIGN_INS_PER_HOUR_PER_ADDRESS = 30


# --- What the pages of the accounts app share --------------------------------------------------


def render_private(request: HttpRequest, template: str, context: dict, *,
                   status: int = 200) -> HttpResponse:
    """A page with the portal's chrome that no cache may keep (forms, personal data)."""
    response = render(request, template, {"cluster_site": site_for_path("/"), **context},
                      status=status)
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def apply_refusal(form, refusal: AccountsRuleViolation) -> int:
    """Put the action's messages on the form's fields; the HTTP status to answer with."""
    for field, messages_ in refusal.errors.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)
    return 429 if isinstance(refusal, CodeRateLimited) else 400


def homepage_url() -> str:
    try:
        return reverse("accounts:homepage")
    except NoReverseMatch:
        return "/"


@dataclass(frozen=True)
class PendingContact:
    kind: str
    contact: str

    @property
    def masked(self) -> str:
        return mask_contact(self.kind, self.contact)

    @property
    def label(self) -> str:
        return contact_label(self.kind)


def remember_contact(request: HttpRequest, key: str, *, kind: str, contact: str) -> None:
    request.session[key] = {"kind": kind, "contact": encrypt(contact)}


def recall_contact(request: HttpRequest, key: str) -> PendingContact | None:
    stored = request.session.get(key)
    if not isinstance(stored, dict) or stored.get("kind") not in ContactKind.values:
        return None
    try:
        contact = decrypt(str(stored.get("contact", "")))
    except DecryptionFailed:
        return None
    return PendingContact(kind=stored["kind"], contact=contact) if contact else None


def _lifetime() -> int:
    return settings.ACCOUNTS_CODE_LIFETIME_MINUTES


# --- Registration -----------------------------------------------------------------------------


@sensitive_post_parameters("password", "password_confirm")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """注册: mobile number or e-mail address, password, consent; then a code to the address."""
    if is_citizen(request.user):
        return redirect(homepage_url())
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                register_citizen(contact_kind=data["contact_kind"], contact=data["contact"],
                                 password=data["password"], display_name=data["display_name"])
            except AccountsRuleViolation as refusal:
                status = apply_refusal(form, refusal)
            else:
                remember_contact(request, REGISTRATION_SESSION_KEY, kind=data["contact_kind"],
                                 contact=data["contact"])
                return redirect("accounts:register_verify")
        else:
            status = 400
    return render_private(request, "accounts/registration/register.html", {"form": form},
                          status=status)


@require_http_methods(["GET", "POST"])
def register_verify(request: HttpRequest) -> HttpResponse:
    """输入验证码: the code sent to the address just registered (shown masked)."""
    pending = recall_contact(request, REGISTRATION_SESSION_KEY)
    if pending is None:
        messages.info(request, _("请先填写注册信息。"))
        return redirect("accounts:register")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                confirm_registration(contact_kind=pending.kind, contact=pending.contact,
                                     code=form.cleaned_data["code"])
            except AccountsRuleViolation as refusal:
                status = apply_refusal(form, refusal)
            else:
                request.session.pop(REGISTRATION_SESSION_KEY, None)
                messages.success(request, _("%(label)s验证成功，注册完成，请登录。")
                                 % {"label": pending.label})
                return redirect("accounts:sign_in")
        else:
            status = 400
    return render_private(request, "accounts/registration/register_verify.html", {
        "form": form, "pending": pending, "minutes": _lifetime()}, status=status)


@require_POST
def register_resend(request: HttpRequest) -> HttpResponse:
    """重新获取验证码 for the registration in progress."""
    pending = recall_contact(request, REGISTRATION_SESSION_KEY)
    if pending is None:
        return redirect("accounts:register")
    try:
        resend_registration_code(contact_kind=pending.kind, contact=pending.contact)
    except CodeRateLimited as refusal:
        messages.error(request, " ".join(refusal.errors.get("__all__", [])))
    else:
        messages.success(request, _("新的验证码已发送至%(contact)s，之前的验证码作废。")
                         % {"contact": pending.masked})
    return redirect("accounts:register_verify")


# --- Sign-in and sign-out ---------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    return (safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
            or homepage_url())


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """登录 with a mobile number or e-mail address and password; back to ``next`` if it is on
    this site. One message for every wrong case; a locked identifier is told how long."""
    next_url = _next_url(request)
    if request.method == "GET" and is_citizen(request.user):
        return redirect(next_url)
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limit = getattr(settings, "ACCOUNTS_SIGN_INS_PER_HOUR_PER_ADDRESS",
                        SIGN_INS_PER_HOUR_PER_ADDRESS)
        try:
            check_hourly_limits([(
                f"accounts-sign-ins-address:{client_address_from(request) or 'unknown'}", limit,
                _("登录尝试过于频繁：同一网络地址每小时最多尝试%(limit)d次，"
                  "请%(minutes)d分钟后再试。"))])
        except CodeRateLimited as refusal:
            status = apply_refusal(form, refusal)
        else:
            if form.is_valid():
                try:
                    account = authenticate_citizen(identifier=form.cleaned_data["identifier"],
                                                   password=form.cleaned_data["password"])
                except AccountsRuleViolation as refusal:
                    status = apply_refusal(form, refusal)
                else:
                    sign_in_citizen(request=request, account=account)
                    return redirect(next_url)
            else:
                status = 400
    next_field = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    return render_private(request, "accounts/registration/sign_in.html", {
        "form": form, "next": next_field, **identity_provider_context(request)}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """退出 (POST only, so no link or image can sign anyone out)."""
    if request.user.is_authenticated:
        sign_out_citizen(request=request)
    messages.success(request, _("您已安全退出。"))
    return redirect("/")


# --- Password reset ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """找回密码: the address the code goes to (the same answer whether or not it has an
    account)."""
    form = ResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            try:
                request_password_reset(identifier=identifier)
            except AccountsRuleViolation as refusal:
                status = apply_refusal(form, refusal)
            else:
                remember_contact(request, RESET_SESSION_KEY,
                                 kind=form.cleaned_data["identifier_kind"], contact=identifier)
                return redirect("accounts:reset_confirm")
        else:
            status = 400
    return render_private(request, "accounts/registration/reset.html", {"form": form},
                          status=status)


@sensitive_post_parameters("new_password", "new_password_confirm")
@require_http_methods(["GET", "POST"])
def reset_confirm(request: HttpRequest) -> HttpResponse:
    """The code and the new password; every session of the account ends."""
    pending = recall_contact(request, RESET_SESSION_KEY)
    if pending is None:
        return redirect("accounts:reset")
    form = ResetConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reset_password(identifier=pending.contact, code=form.cleaned_data["code"],
                               new_password=form.cleaned_data["new_password"])
            except AccountsRuleViolation as refusal:
                status = apply_refusal(form, refusal)
            else:
                request.session.pop(RESET_SESSION_KEY, None)
                messages.success(request, _("密码已重置，所有设备上的登录已退出，请使用新密码登录。"))
                return redirect("accounts:sign_in")
        else:
            status = 400
    return render_private(request, "accounts/registration/reset_confirm.html", {
        "form": form, "pending": pending, "minutes": _lifetime()}, status=status)


@require_POST
def reset_resend(request: HttpRequest) -> HttpResponse:
    """重新获取 the reset code."""
    pending = recall_contact(request, RESET_SESSION_KEY)
    if pending is None:
        return redirect("accounts:reset")
    try:
        request_password_reset(identifier=pending.contact)
    except AccountsRuleViolation as refusal:
        messages.error(request, " ".join(message for messages_ in refusal.errors.values()
                                         for message in messages_))
    else:
        messages.success(request, _("如果%(contact)s已注册，新的验证码已发送，之前的验证码作废。")
                         % {"contact": pending.masked})
    return redirect("accounts:reset_confirm")
