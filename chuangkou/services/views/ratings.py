"""Public side of 好差评: the published figures (好差评公示) and the applicant's rating of a
decided application.

Rating is reached only through the application the request may see (query code grant,
session or account: ``views.access``); any other number is 404. A rating is made once, so a
repeated submission finds the first rating and says so instead of saving a second.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangkou.core.admin_views import apply_rule_violation
from chuangkou.organizations.models import Body

from .. import actions
from ..exceptions import ServicesRuleViolation
from ..forms.ratings import RatingForm, RatingsFilterForm
from ..models import ServiceApplication, ServiceRating
from ..queries import ratings as queries
from ..rules import DISSATISFIED_LEVELS
from .access import application_for_request
from .common import count, over_limit, private, public_context, uncached

__all__ = ["rate", "ratings"]

TOP_ITEMS = 20
RECENT_DISSATISFIED = 20
RATINGS_PER_HOUR_PER_ADDRESS = 20


@require_GET
def ratings(request: HttpRequest):
    """好差评公示: figures per body and for the most rated items, the record of recent 差评
    with their rectification, for a chosen body and year."""
    bodies = Body.objects.filter(
        pk__in=ServiceRating.objects.order_by().values("body_id")).order_by("path")
    form = RatingsFilterForm(request.GET or None, bodies=bodies)
    body = year = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            body, year = form.cleaned_data["body"], form.cleaned_data["year"]
        else:
            status = 400
    context = public_context(
        services_section="ratings", filter_form=form, body=body, year=year,
        total=queries.rating_summary_total(year=year, body=body),
        body_rows=queries.rating_summaries(group_by="body", year=year, body=body),
        item_rows=queries.rating_summaries(group_by="item", year=year, body=body,
                                           limit=TOP_ITEMS),
        recent=queries.recent_dissatisfied(year=year, body=body, limit=RECENT_DISSATISFIED),
        rectification_days=settings.SERVICES_RECTIFICATION_WORKING_DAYS,
        today=timezone.localdate())
    return uncached(render(request, "services/public/ratings.html", context, status=status))


def _form_page(request, application, form, *, status: int):
    context = public_context(services_section="query", application=application,
                             rating_form=form)
    return private(render(request, "services/public/rating_form_page.html", context,
                          status=status))


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, number: str):
    """评价 (POST): rate the application; GET only leads back to the application page."""
    application = application_for_request(
        request, number, ServiceApplication.objects.select_related("item__implementing_body"))
    back = reverse("services:application", args=[application.number])
    if request.method == "GET":
        return private(redirect(back))
    if not queries.may_rate(application):
        if ServiceRating.objects.filter(application=application).exists():
            messages.info(request, _("该办件已评价，感谢您的评价。"))
        else:
            messages.error(request, _("办件办结后才能评价。"))
        return private(redirect(back))
    form = RatingForm(request.POST)
    if over_limit(request, "ratings", "SERVICES_RATINGS_PER_HOUR_PER_ADDRESS",
                  RATINGS_PER_HOUR_PER_ADDRESS):
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请一小时后再试。"))
        return _form_page(request, application, form, status=429)
    count(request, "ratings")
    if not form.is_valid():
        return _form_page(request, application, form, status=400)
    try:
        rating = actions.rate_application(application=application, rating=form.rating_input(),
                                          user=request.user)
    except ServicesRuleViolation as violation:
        apply_rule_violation(form, violation)
        return _form_page(request, application, form, status=400)
    if rating.level in DISSATISFIED_LEVELS:
        messages.success(request, _("感谢您的评价。我们将对您的差评进行回访和整改，并公示整改结果。"))
    else:
        messages.success(request, _("感谢您的评价。"))
    return private(redirect(back))
