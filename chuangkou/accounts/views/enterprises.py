"""我的单位 (企业一站通) for the citizen: their enterprises, registering one, acting for one,
the administrators' member management and accepting an invitation.

An enterprise the citizen is not a member of does not exist for them (404); a member who is
not an administrator is told the member pages are for administrators (403).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuangkou.core.admin_views import apply_rule_violation

from .. import actions
from ..choices import EnterpriseRole, IdentityLevel
from ..decorators import citizen_required
from ..exceptions import AccountsRuleViolation
from ..forms.enterprises import ActingForm, EnterpriseRegistrationForm, InviteForm, MemberRoleForm
from ..models import EnterpriseInvitation, EnterpriseMembership
from ..queries.enterprises import (
    acting_enterprise,
    enterprise_members,
    enterprises_of,
    membership_of,
    memberships_of,
    open_invitation_for_token,
    open_invitations,
)
from ..queries.personal_data import contact_lines
from .identity import render_private

__all__ = ["accept_invitation", "act", "enterprise", "enterprises", "invite", "leave",
           "members", "register", "remove_member", "revoke_invitation", "set_member_role"]


def _context(**extra) -> dict:
    return {"account_section": "enterprises", **extra}


def _member_or_404(request, pk: int) -> EnterpriseMembership:
    membership = membership_of(request.citizen, pk)
    if membership is None:
        raise Http404
    return membership


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@require_http_methods(["GET"])
@citizen_required
def enterprises(request: HttpRequest) -> HttpResponse:
    """我的单位: every enterprise the citizen belongs to, whom they act for now."""
    verified = enterprises_of(request.citizen)
    acting = acting_enterprise(request)
    form = ActingForm(initial={"enterprise": acting.pk if acting else ""}, enterprises=verified)
    return render_private(request, "accounts/enterprises/list.html", _context(
        account=request.citizen, memberships=memberships_of(request.citizen), acting=acting,
        acting_form=form, may_register=request.citizen.identity_level == IdentityLevel.REAL_NAME))


@require_POST
@citizen_required
def act(request: HttpRequest) -> HttpResponse:
    """切换办理身份 (POST): act for one of my verified enterprises, or as myself."""
    form = ActingForm(request.POST, enterprises=enterprises_of(request.citizen))
    if form.is_valid():
        try:
            actions.switch_acting_enterprise(request=request, account=request.citizen,
                                             enterprise=form.chosen())
        except AccountsRuleViolation as violation:
            for message_list in violation.errors.values():
                for message in message_list:
                    messages.error(request, message)
        else:
            chosen = form.chosen()
            messages.success(request, _("您现在以“%(name)s”的身份办理事项。") % {"name": chosen.name}
                             if chosen else _("您现在以个人身份办理事项。"))
    else:
        for message in form.errors.get("enterprise", []):
            messages.error(request, message)
    return redirect(_back(request, reverse("accounts:enterprises")))


@require_http_methods(["GET", "POST"])
@citizen_required(level=IdentityLevel.REAL_NAME)
def register(request: HttpRequest) -> HttpResponse:
    form = EnterpriseRegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = actions.register_enterprise(account=request.citizen, **form.cleaned_data)
            except AccountsRuleViolation as violation:
                apply_rule_violation(form, violation)
            else:
                messages.success(request, _("法人账号已提交，工作人员核验营业执照信息后会通知您。"))
                return redirect("accounts:enterprise", pk=created.pk)
        status = 400
    return render_private(request, "accounts/enterprises/register.html",
                          _context(form=form), status=status)


@require_http_methods(["GET"])
@citizen_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my enterprises: its details, my role, and leaving it."""
    membership = _member_or_404(request, pk)
    return render_private(request, "accounts/enterprises/detail.html", _context(
        membership=membership, enterprise=membership.enterprise,
        is_administrator=membership.role == EnterpriseRole.ADMINISTRATOR))


def _administrator_or_403(request, pk: int):
    membership = _member_or_404(request, pk)
    if membership.role != EnterpriseRole.ADMINISTRATOR:
        return membership, render_private(
            request, "accounts/enterprises/administrators_only.html",
            _context(enterprise=membership.enterprise), status=403)
    return membership, None


def _members_page(request, membership, *, form=None, status=200) -> HttpResponse:
    enterprise_ = membership.enterprise
    rows = [(member, contact_lines(getattr(member.account, "personal_data", None)))
            for member in enterprise_members(enterprise_)]
    return render_private(request, "accounts/enterprises/members.html", _context(
        enterprise=enterprise_, membership=membership, rows=rows,
        invitations=open_invitations(enterprise_), form=form or InviteForm(),
        roles=EnterpriseRole), status=status)


@require_http_methods(["GET"])
@citizen_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """成员管理 (administrators only): members with masked contacts, open invitations, the
    invitation form."""
    membership, refused = _administrator_or_403(request, pk)
    return refused or _members_page(request, membership)


@require_POST
@citizen_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    membership, refused = _administrator_or_403(request, pk)
    if refused:
        return refused
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = actions.invite_enterprise_member(
                enterprise=membership.enterprise, inviter=request.citizen, **form.cleaned_data)
        except AccountsRuleViolation as violation:
            apply_rule_violation(form, violation)
        else:
            messages.success(request, _("邀请已发送至%(contact)s，%(days)d天内有效。") % {
                "contact": invitation.masked_contact, "days": actions.INVITATION_DAYS})
            return redirect("accounts:enterprise_members", pk=pk)
    return _members_page(request, membership, form=form, status=400)


def _refusal_messages(request, violation: AccountsRuleViolation) -> None:
    for message_list in violation.errors.values():
        for message in message_list:
            messages.error(request, message)


def _other_membership_or_404(membership, membership_pk: int) -> EnterpriseMembership:
    target = EnterpriseMembership.objects.filter(pk=membership_pk,
                                                 enterprise=membership.enterprise).first()
    if target is None:
        raise Http404
    return target


@require_POST
@citizen_required
def remove_member(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership, refused = _administrator_or_403(request, pk)
    if refused:
        return refused
    target = _other_membership_or_404(membership, membership_pk)
    try:
        actions.remove_enterprise_member(enterprise=membership.enterprise,
                                         actor=request.citizen, membership=target)
    except AccountsRuleViolation as violation:
        _refusal_messages(request, violation)
    else:
        messages.success(request, _("已移除该成员。"))
        if target.pk == membership.pk:
            return redirect("accounts:enterprises")
    return redirect("accounts:enterprise_members", pk=pk)


@require_POST
@citizen_required
def set_member_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership, refused = _administrator_or_403(request, pk)
    if refused:
        return refused
    target = _other_membership_or_404(membership, membership_pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择角色：管理员或经办人。"))
        return redirect("accounts:enterprise_members", pk=pk)
    try:
        actions.set_enterprise_member_role(enterprise=membership.enterprise,
                                           actor=request.citizen, membership=target,
                                           role=form.cleaned_data["role"])
    except AccountsRuleViolation as violation:
        _refusal_messages(request, violation)
    else:
        messages.success(request, _("已更改该成员的角色。"))
        if target.pk == membership.pk and form.cleaned_data["role"] != EnterpriseRole.ADMINISTRATOR:
            return redirect("accounts:enterprise", pk=pk)
    return redirect("accounts:enterprise_members", pk=pk)


@require_POST
@citizen_required
def revoke_invitation(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    membership, refused = _administrator_or_403(request, pk)
    if refused:
        return refused
    invitation = EnterpriseInvitation.objects.filter(pk=invitation_pk,
                                                     enterprise=membership.enterprise).first()
    if invitation is None:
        raise Http404
    try:
        actions.revoke_enterprise_invitation(enterprise=membership.enterprise,
                                             actor=request.citizen, invitation=invitation)
    except AccountsRuleViolation as violation:
        _refusal_messages(request, violation)
    else:
        messages.success(request, _("邀请已撤销。"))
    return redirect("accounts:enterprise_members", pk=pk)


@require_POST
@citizen_required
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member_or_404(request, pk)
    try:
        actions.leave_enterprise(account=request.citizen, enterprise=membership.enterprise)
    except AccountsRuleViolation as violation:
        _refusal_messages(request, violation)
        return redirect("accounts:enterprise", pk=pk)
    messages.success(request, _("您已退出%(name)s。") % {"name": membership.enterprise.name})
    return redirect("accounts:enterprises")


@require_http_methods(["GET", "POST"])
@citizen_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """接受邀请: the page names the enterprise and the role; the POST accepts. The token in
    the address is never sent on to another site (no referrer)."""
    invitation = open_invitation_for_token(token)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            membership = actions.accept_enterprise_invitation(account=request.citizen,
                                                              token=token)
        except AccountsRuleViolation as violation:
            error = " ".join(message for messages_ in violation.errors.values()
                             for message in messages_)
            status = 400
        else:
            messages.success(request, _("您已加入%(name)s。") % {
                "name": membership.enterprise.name})
            return redirect("accounts:enterprise", pk=membership.enterprise_id)
    elif invitation is None:
        status = 404
    response = render_private(request, "accounts/enterprises/invitation.html", _context(
        invitation=invitation, error=error), status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response
