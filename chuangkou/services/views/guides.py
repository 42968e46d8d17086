"""Public side of life-event guides (场景式服务): the list, and one guide's questions with,
once answered, the citizen's own plan.

The questions are a GET form so that a plan has an address (to bookmark, share or print)
and works without JavaScript; the printable version is the same page with print styles.
Nothing here is personal, but the plan depends on the query string: revalidated every time.
A signed-in citizen's answers are kept (``record_guide_progress``) for their homepage.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chuangkou.accounts import queries as account_queries

from .. import queries
from ..actions.customisation import record_guide_progress
from ..forms.guides import GuideAnswersForm
from ..guide_plans import parse_answers, resolve_plan
from .common import public_context, uncached

SHOW_PARAMETER = "plan"


@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    guides = list(queries.published_guides())
    return uncached(render(request, "services/public/guide_list.html", public_context(
        services_section="guides", guides=guides)))


@require_GET
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = queries.published_guide(slug)
    if guide is None:
        raise Http404
    structure = queries.guide_structure(guide)
    answers, rejected = parse_answers(request.GET)
    asked = bool(answers or rejected) or SHOW_PARAMETER in request.GET
    plan = resolve_plan(structure, answers) if asked else None
    if plan is not None and plan.chosen and account_queries.is_citizen(request.user):
        # Answering is browsing (a GET form, so a plan has an address); keeping the answers
        # lets the citizen's homepage offer to continue. Idempotent, and only their own.
        record_guide_progress(user=request.user, guide=guide, answers=plan.chosen)
    form = GuideAnswersForm(structure, chosen=plan.chosen if plan else None)
    return uncached(render(request, "services/public/guide.html", public_context(
        services_section="guides", guide=guide, structure=structure, form=form, plan=plan,
        not_understood=len(rejected) + (len(plan.ignored) if plan else 0),
        show_parameter=SHOW_PARAMETER)))
