"""实名认证 for the citizen: where they stand, and the request form.

Every citizen page here is personal: never stored by a cache, and rendered in the portal's
chrome (``render_private``), which the enterprise and profile pages share.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangkou.core.admin_views import apply_rule_violation
from chuangkou.sitecluster.queries import site_for_path

from ..actions.identity import request_real_name
from ..choices import IdentityLevel, RealNameRequestStatus
from ..decorators import citizen_required
from ..exceptions import AccountsRuleViolation
from ..forms.identity import RealNameRequestForm
from ..queries.citizens import level_at_least
from ..queries.personal_data import (
    latest_real_name_request,
    mask_id_number,
    masked_name,
    personal_data_of,
)

__all__ = ["identity", "render_private"]


def render_private(request: HttpRequest, template: str, context: dict, *,
                   status: int = 200) -> HttpResponse:
    response = render(request, template, {"cluster_site": site_for_path("/"), **context},
                      status=status)
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


@require_http_methods(["GET", "POST"])
@citizen_required
def identity(request: HttpRequest) -> HttpResponse:
    """实名认证: the account's level, its confirmed name (masked), the latest request and,
    unless one is pending, the form to ask for (or correct) the real name."""
    account = request.citizen
    latest = latest_real_name_request(account)
    pending = latest is not None and latest.status == RealNameRequestStatus.PENDING
    may_request = (not pending and level_at_least(account.identity_level,
                                                  IdentityLevel.VERIFIED_CONTACT))
    form = RealNameRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if may_request and form.is_valid():
            try:
                request_real_name(account=account, real_name=form.cleaned_data["real_name"],
                                  id_number=form.cleaned_data["id_number"])
            except AccountsRuleViolation as violation:
                apply_rule_violation(form, violation)
            else:
                messages.success(request, _("实名认证申请已提交，工作人员核验后会通知您。"))
                return redirect("accounts:identity")
        elif not may_request:
            form.add_error(None, _("您有待核验的申请，或尚未验证手机号码或电子邮箱，暂不能提交。"))
        status = 400
    data = personal_data_of(account)
    confirmed = data is not None and data.real_name_verified_at is not None
    return render_private(request, "accounts/identity/identity.html", {
        "account": account, "form": form, "latest": latest, "pending": pending,
        "may_request": may_request, "confirmed": confirmed,
        "masked_real_name": masked_name(data.real_name) if confirmed else "",
        "masked_id_number": mask_id_number(data.id_number) if confirmed else "",
        "real_name_source": data.get_real_name_source_display() if confirmed else "",
        "verified_at": data.real_name_verified_at if confirmed else None,
    }, status=status)
