"""服务定制 on the public site: 收藏 on an item's page, and 我的网上办事 (/banshi/mine/): my
applications, my pins in my order (上移/下移 buttons, no JavaScript), the themes I follow and
the suggestions made for me. Citizens only (``accounts.decorators.citizen_required``)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangkou.accounts.decorators import citizen_required
from chuangkou.core.admin_views import apply_rule_violation

from .. import actions, queries
from ..choices import DECIDED_APPLICATION_STATUSES
from ..exceptions import ServicesRuleViolation
from ..forms.customisation import InterestsForm, MovePinForm
from ..models import ServiceItem, ServiceTheme
from .common import private, public_context

__all__ = ["mine", "move_pin", "pin", "unpin"]


def _published_item(code: str) -> ServiceItem:
    item = ServiceItem.objects.filter(code=code, is_published=True).first()
    if item is None:
        raise Http404
    return item


def _flash(request: HttpRequest, violation: ServicesRuleViolation) -> None:
    for texts in violation.errors.values():
        for text in texts:
            messages.error(request, text)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = default
    return private(redirect(target))


def _mine_page(request: HttpRequest, *, interests_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    themes = list(ServiceTheme.objects.order_by("audience", "sort_order", "pk"))
    applications = list(queries.applications_of_user(user).select_related("rating"))
    pins = queries.pinned_services(user)
    suggestions = queries.suggestions_for(user, pinned_ids={pin.item_id for pin in pins})
    context = public_context(
        services_section="mine", applications=applications,
        rateable=[application for application in applications
                  if application.status in DECIDED_APPLICATION_STATUSES
                  and getattr(application, "rating", None) is None],
        pins=pins, suggestions=suggestions,
        interests_form=interests_form or InterestsForm(
            themes=themes, chosen=queries.interest_theme_ids(user)))
    return private(render(request, "services/public/mine.html", context, status=status))


@require_http_methods(["GET", "POST"])
@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的网上办事; a POST saves the themes followed (关注的主题)."""
    if request.method == "GET":
        return _mine_page(request)
    themes = list(ServiceTheme.objects.order_by("audience", "sort_order", "pk"))
    form = InterestsForm(request.POST, themes=themes)
    if form.is_valid():
        try:
            actions.set_service_interests(user=request.user, themes=form.chosen_themes())
        except ServicesRuleViolation as violation:
            apply_rule_violation(form, violation)
        else:
            messages.success(request, _("已保存您关注的主题。"))
            return private(redirect(f"{reverse('services:mine')}#suggestions"))
    return _mine_page(request, interests_form=form, status=400)


@require_http_methods(["GET", "POST"])
@citizen_required
def pin(request: HttpRequest, code: str) -> HttpResponse:
    """收藏 (POST). A GET — the way back after signing in — leads to the item's page."""
    item = _published_item(code)
    item_url = reverse("services:item", args=[item.code])
    if request.method == "GET":
        return private(redirect(item_url))
    try:
        actions.pin_service(user=request.user, item=item)
    except ServicesRuleViolation as violation:
        _flash(request, violation)
    else:
        messages.success(request, _("已收藏“%(name)s”，可在我的主页和“我的网上办事”中找到。")
                         % {"name": item.name})
    return _back(request, item_url)


@require_http_methods(["POST"])
@citizen_required
def unpin(request: HttpRequest, code: str) -> HttpResponse:
    """取消收藏 (POST)."""
    item = _published_item(code)
    if actions.unpin_service(user=request.user, item=item):
        messages.success(request, _("已取消收藏“%(name)s”。") % {"name": item.name})
    return _back(request, f"{reverse('services:mine')}#pins")


@require_http_methods(["POST"])
@citizen_required
def move_pin(request: HttpRequest, code: str) -> HttpResponse:
    """上移/下移 a pin (POST)."""
    item = _published_item(code)
    form = MovePinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择上移或下移。"))
    else:
        try:
            actions.move_pinned_service(user=request.user, item=item,
                                        direction=form.cleaned_data["direction"])
        except ServicesRuleViolation as violation:
            _flash(request, violation)
    return private(redirect(f"{reverse('services:mine')}#pins"))
