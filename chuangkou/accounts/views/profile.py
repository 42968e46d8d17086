"""个人信息 for the citizen (个人信息保护法 第四十五、四十六、四十七条): see their data (masked
unless they ask to see it in full), correct what they may, download all of it as JSON, close
the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuangkou.core.admin_views import apply_rule_violation

from .. import actions
from ..decorators import citizen_required
from ..exceptions import AccountsRuleViolation
from ..forms.profile import CloseAccountForm, ProfileForm
from ..queries.enterprises import memberships_of, sole_administrator_enterprises
from ..queries.personal_data import (
    contact_lines,
    mask_id_number,
    masked_name,
    personal_data_of,
)
from .identity import render_private

__all__ = ["close_account", "download", "edit_profile", "profile"]


def _context(**extra) -> dict:
    return {"account_section": "profile", **extra}


@require_http_methods(["GET", "POST"])
@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    """我的个人信息. The contacts are masked; "显示完整信息" (POST) shows them in full to the
    citizen on this one response."""
    account = request.citizen
    data = personal_data_of(account)
    reveal = request.method == "POST"
    confirmed = data is not None and data.real_name_verified_at is not None
    return render_private(request, "accounts/profile/profile.html", _context(
        account=account, data=data, reveal=reveal, contacts=contact_lines(data, reveal=reveal),
        confirmed=confirmed,
        real_name=(data.real_name if reveal else masked_name(data.real_name)) if confirmed else "",
        id_number=(data.id_number if reveal else mask_id_number(data.id_number))
        if confirmed else "",
        memberships=memberships_of(account)))


@require_http_methods(["GET", "POST"])
@citizen_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    """更正个人信息: nickname, address and how to be notified."""
    account = request.citizen
    data = personal_data_of(account)
    initial = {"display_name": account.display_name, "address": data.address if data else "",
               "notify_by_email": account.notify_by_email, "notify_by_sms": account.notify_by_sms,
               "notify_in_site": account.notify_in_site}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_profile(account=account, **form.cleaned_data)
            except AccountsRuleViolation as violation:
                apply_rule_violation(form, violation)
            else:
                messages.success(request, _("个人信息已更新。"))
                return redirect("accounts:profile")
        status = 400
    return render_private(request, "accounts/profile/edit.html", _context(form=form),
                          status=status)


@require_POST
@citizen_required
def download(request: HttpRequest) -> HttpResponse:
    """下载我的数据 (POST): everything held about the citizen, as a JSON attachment."""
    exported = actions.download_personal_data(account=request.citizen)
    body = json.dumps(exported, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@citizen_required
def close_account(request: HttpRequest) -> HttpResponse:
    """注销账号: what closing means, the password to confirm it; afterwards the citizen is
    signed out and told it is done."""
    account = request.citizen
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.close_citizen_account(account=account,
                                              password=form.cleaned_data["password"])
            except AccountsRuleViolation as violation:
                apply_rule_violation(form, violation)
            else:
                logout(request)
                return render_private(request, "accounts/profile/closed.html", {})
        status = 400
    return render_private(request, "accounts/profile/close.html", _context(
        form=form, blocking=sole_administrator_enterprises(account)), status=status)
