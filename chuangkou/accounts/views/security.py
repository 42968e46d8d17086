"""账号安全 (/yonghu/security/): change the password; add, change or verify the mobile number
and e-mail address; see where the account is signed in and sign out everywhere.

One page; each form posts to its own URL and, when refused, the page comes back with that form
and its messages (no JavaScript needed)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.models import Session
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from ..actions import (
    change_password,
    confirm_contact_change,
    resend_verification_code,
    sign_out_citizen,
    sign_out_everywhere,
    start_contact_change,
    verify_contact,
)
from ..actions.registration import contact_label, pending_contact_change
from ..choices import ContactKind, IdentityLevel
from ..contacts import mask_contact
from ..decorators import citizen_required
from ..exceptions import AccountsRuleViolation
from ..forms.registration import CodeForm, ContactChangeForm, PasswordChangeForm
from ..models import CitizenAccount, CitizenSession, PersonalData
from .registration import apply_refusal, render_private

__all__ = ["security", "security_change_contact", "security_confirm_contact",
           "security_password", "security_send_code", "security_sign_out_everywhere",
           "security_verify_contact"]

DATABASE_SESSION_ENGINES = ("django.contrib.sessions.backends.db",
                            "django.contrib.sessions.backends.cached_db")


def _live_sessions(account: CitizenAccount) -> list[CitizenSession]:
    """The account's recorded sessions that have not ended (30 minutes idle ends one); with a
    database session store, checked in one query."""
    rows = list(CitizenSession.objects.filter(account=account).order_by("-signed_in_at"))
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES and rows:
        live = set(Session.objects.filter(session_key__in=[row.session_key for row in rows],
                                          expire_date__gt=timezone.now())
                   .values_list("session_key", flat=True))
        rows = [row for row in rows if row.session_key in live]
    return rows


def _kind_or_404(kind: str) -> str:
    if kind not in ContactKind.values:
        raise Http404
    return kind


def _contact_sections(account: CitizenAccount, personal_data: PersonalData | None,
                      bound: dict) -> list[dict]:
    sections = []
    for kind in (ContactKind.MOBILE, ContactKind.EMAIL):
        value = getattr(personal_data, kind, "") if personal_data else ""
        verified_at = getattr(personal_data, f"{kind}_verified_at", None) if personal_data else None
        pending = pending_contact_change(account, kind)
        sections.append({
            "kind": kind,
            "label": contact_label(kind),
            "masked": mask_contact(kind, value) if value else "",
            "verified_at": verified_at,
            "pending_masked": mask_contact(kind, pending) if pending else "",
            "change_form": bound.get(f"{kind}-change") or ContactChangeForm(
                contact_kind=kind, prefix=f"{kind}-change"),
            "confirm_form": bound.get(f"{kind}-confirm") or (
                CodeForm(prefix=f"{kind}-confirm") if pending else None),
            "verify_form": bound.get(f"{kind}-verify") or (
                CodeForm(prefix=f"{kind}-verify") if value and verified_at is None else None),
        })
    return sections


def _security_page(request: HttpRequest, *, status: int = 200, **bound) -> HttpResponse:
    account = request.citizen
    personal_data = PersonalData.objects.filter(account=account).first()
    unverified = (account.identity_level == IdentityLevel.UNVERIFIED and personal_data
                  and personal_data.email_verified_at is None
                  and personal_data.mobile_verified_at is None)
    return render_private(request, "accounts/security/security.html", {
        "account": account,
        "account_section": "security",
        "contacts": _contact_sections(account, personal_data, bound),
        "password_form": bound.get("password") or PasswordChangeForm(prefix="password"),
        "sessions": _live_sessions(account),
        "current_session_key": request.session.session_key,
        "purge_at": (account.created_at + timedelta(hours=settings.ACCOUNTS_UNVERIFIED_TTL_HOURS)
                     if unverified else None),
        "minutes": settings.ACCOUNTS_CODE_LIFETIME_MINUTES,
    }, status=status)


def _back(kind: str = "") -> HttpResponse:
    anchor = f"#{kind}" if kind else ""
    return redirect(reverse("accounts:security") + anchor)


@require_GET
@citizen_required
def security(request: HttpRequest) -> HttpResponse:
    return _security_page(request)


@sensitive_post_parameters("password-current_password", "password-new_password",
                           "password-new_password_confirm")
@require_POST
@citizen_required
def security_password(request: HttpRequest) -> HttpResponse:
    """修改密码: this session stays signed in, every other one ends."""
    form = PasswordChangeForm(request.POST, prefix="password")
    if not form.is_valid():
        return _security_page(request, status=400, password=form)
    try:
        change_password(account=request.citizen,
                        current_password=form.cleaned_data["current_password"],
                        new_password=form.cleaned_data["new_password"], request=request)
    except AccountsRuleViolation as refusal:
        return _security_page(request, status=apply_refusal(form, refusal), password=form)
    messages.success(request, _("密码已修改，其他设备上的登录已全部退出。"))
    return _back()


@require_POST
@citizen_required
def security_change_contact(request: HttpRequest, kind: str) -> HttpResponse:
    """添加或更换 the mobile number or e-mail address: a code goes to the new one."""
    kind = _kind_or_404(kind)
    form = ContactChangeForm(request.POST, contact_kind=kind, prefix=f"{kind}-change")
    if not form.is_valid():
        return _security_page(request, status=400, **{f"{kind}-change": form})
    try:
        start_contact_change(account=request.citizen, contact_kind=kind,
                             new_contact=form.cleaned_data["new_contact"])
    except AccountsRuleViolation as refusal:
        return _security_page(request, status=apply_refusal(form, refusal),
                              **{f"{kind}-change": form})
    messages.success(request, _("验证码已发送至%(contact)s，请在%(minutes)d分钟内填写。") % {
        "contact": mask_contact(kind, form.cleaned_data["new_contact"]),
        "minutes": settings.ACCOUNTS_CODE_LIFETIME_MINUTES})
    return _back(kind)


@require_POST
@citizen_required
def security_confirm_contact(request: HttpRequest, kind: str) -> HttpResponse:
    """The code sent to the new address: it becomes the account's verified address."""
    kind = _kind_or_404(kind)
    form = CodeForm(request.POST, prefix=f"{kind}-confirm")
    if not form.is_valid():
        return _security_page(request, status=400, **{f"{kind}-confirm": form})
    try:
        confirm_contact_change(account=request.citizen, contact_kind=kind,
                               code=form.cleaned_data["code"])
    except AccountsRuleViolation as refusal:
        return _security_page(request, status=apply_refusal(form, refusal),
                              **{f"{kind}-confirm": form})
    messages.success(request, _("%(label)s已更换并验证。") % {"label": contact_label(kind)})
    return _back(kind)


@require_POST
@citizen_required
def security_send_code(request: HttpRequest, kind: str) -> HttpResponse:
    """发送验证码 to the account's own address that is not verified yet."""
    kind = _kind_or_404(kind)
    try:
        resend_verification_code(account=request.citizen, contact_kind=kind)
    except AccountsRuleViolation as refusal:
        messages.error(request, " ".join(message for messages_ in refusal.errors.values()
                                         for message in messages_))
    else:
        messages.success(request, _("验证码已发送，请在%(minutes)d分钟内填写。")
                         % {"minutes": settings.ACCOUNTS_CODE_LIFETIME_MINUTES})
    return _back(kind)


@require_POST
@citizen_required
def security_verify_contact(request: HttpRequest, kind: str) -> HttpResponse:
    """The code sent to the account's own address: the address is verified."""
    kind = _kind_or_404(kind)
    form = CodeForm(request.POST, prefix=f"{kind}-verify")
    if not form.is_valid():
        return _security_page(request, status=400, **{f"{kind}-verify": form})
    try:
        verify_contact(account=request.citizen, contact_kind=kind,
                       code=form.cleaned_data["code"])
    except AccountsRuleViolation as refusal:
        return _security_page(request, status=apply_refusal(form, refusal),
                              **{f"{kind}-verify": form})
    messages.success(request, _("%(label)s验证成功。") % {"label": contact_label(kind)})
    return _back(kind)


@require_POST
@citizen_required
def security_sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """退出所有设备, this one included."""
    ended = sign_out_everywhere(account=request.citizen)
    sign_out_citizen(request=request)
    messages.success(request, _("已退出所有设备上的登录（共%(count)d处），请重新登录。")
                     % {"count": ended})
    return redirect("accounts:sign_in")
