"""Reads of 服务定制: a citizen's pins, followed themes, started guides and the suggestions
(为您推荐) made from them. Every read takes a fixed number of queries, however many pins,
themes, guides or steps there are (the homepage has a query-count test)."""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from ..choices import ApplicationStatus
from ..guide_plans import (
    GuideStructure,
    ItemSummary,
    OptionSummary,
    QuestionSummary,
    StepSummary,
    resolve_plan,
)
from ..models import (
    GuideOption,
    GuideProgress,
    GuideQuestion,
    GuideStep,
    LifeEventGuide,
    ServiceApplication,
    ServiceInterest,
    ServiceItem,
    ServicePin,
)
from ..suggestions import (
    MAX_SUGGESTIONS,
    GuideStepCandidate,
    Suggestion,
    ThemeCandidate,
    rank_suggestions,
)

__all__ = [
    "StartedGuide",
    "Suggestions",
    "applied_item_ids",
    "guide_structures",
    "interest_theme_ids",
    "is_pinned",
    "pinned_services",
    "started_guides",
    "suggestions_for",
]

# A theme's items considered for suggestions: enough to fill the list after exclusions.
THEME_CANDIDATES = 40


def pinned_services(user) -> list[ServicePin]:
    """我的收藏 in the citizen's order, with each item and its body."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(ServicePin.objects.filter(user=user, item__is_published=True)
                .select_related("item", "item__implementing_body")
                .order_by("position", "pk"))


def is_pinned(user, item: ServiceItem) -> bool:
    return bool(getattr(user, "is_authenticated", False)
                and ServicePin.objects.filter(user=user, item=item).exists())


def interest_theme_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(ServiceInterest.objects.filter(user=user).values_list("theme_id", flat=True))


def applied_item_ids(user) -> set[int]:
    """Items the citizen applied for (a withdrawn or refused application does not count)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(ServiceApplication.objects.filter(user=user)
               .exclude(status__in=(ApplicationStatus.WITHDRAWN, ApplicationStatus.REFUSED))
               .values_list("item_id", flat=True))


def guide_structures(guide_ids) -> dict[int, GuideStructure]:
    """The structure of several guides at once (four queries, whatever their number), for
    the plan resolver. Only what a suggestion needs: items without their materials; a step
    whose item is withdrawn from the catalogue names no item."""
    guide_ids = list(guide_ids)
    if not guide_ids:
        return {}
    questions = defaultdict(list)
    for question in (GuideQuestion.objects.filter(guide_id__in=guide_ids)
                     .prefetch_related(Prefetch("options", queryset=GuideOption.objects
                                                .order_by("sort_order", "pk")))
                     .order_by("sort_order", "pk")):
        questions[question.guide_id].append(QuestionSummary(
            pk=question.pk, text=question.text, help_text=question.help_text,
            options=tuple(OptionSummary(pk=option.pk, label=option.label)
                          for option in question.options.all())))
    steps = defaultdict(list)
    for step in (GuideStep.objects.filter(guide_id__in=guide_ids)
                 .select_related("item__implementing_body")
                 .prefetch_related(Prefetch("required_options",
                                            queryset=GuideOption.objects.only("pk",
                                                                              "question_id")))
                 .order_by("sort_order", "pk")):
        item = step.item
        steps[step.guide_id].append(StepSummary(
            pk=step.pk, title=step.title, description=step.description,
            item=(ItemSummary(pk=item.pk, code=item.code, name=item.name,
                              body_name=item.implementing_body.name,
                              promised_days=item.promised_time_limit_days,
                              visits_required=item.visits_required,
                              applies_online=item.applies_online)
                  if item is not None and item.is_published else None),
            required_option_ids=frozenset(option.pk for option in step.required_options.all())))
    return {pk: GuideStructure(questions=tuple(questions[pk]), steps=tuple(steps[pk]))
            for pk in guide_ids}


@dataclass(frozen=True)
class StartedGuide:
    """A guide the citizen started, with the address of their plan to continue it."""

    guide: LifeEventGuide
    progress: GuideProgress
    plan_url: str
    remaining_steps: int = 0


@dataclass(frozen=True)
class Suggestions:
    started: list[StartedGuide] = field(default_factory=list)
    items: list[Suggestion] = field(default_factory=list)


def _plan_url(guide: LifeEventGuide, chosen: dict[int, int]) -> str:
    query = urlencode([(f"q{question}", option) for question, option in sorted(chosen.items())])
    return f"{reverse('services:guide', args=[guide.slug])}?{query}"


def started_guides(user) -> list[tuple[LifeEventGuide, GuideProgress]]:
    """Published guides the citizen answered, the most recently answered first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [(progress.guide, progress) for progress in
            GuideProgress.objects.filter(user=user, guide__is_published=True)
            .select_related("guide").order_by("-updated_at", "-pk")]


def suggestions_for(user, *, pinned_ids: set[int] | None = None,
                    limit: int = MAX_SUGGESTIONS) -> Suggestions:
    """为您推荐: the guides the citizen started (to continue) and up to ``limit`` items — the
    steps of those guides not yet applied for, then items of the themes they follow
    (``suggestions.rank_suggestions``). Pinned and applied-for items are left out."""
    if not getattr(user, "is_authenticated", False):
        return Suggestions()
    if pinned_ids is None:
        pinned_ids = set(ServicePin.objects.filter(user=user).values_list("item_id", flat=True))
    excluded = pinned_ids | applied_item_ids(user)
    started = started_guides(user)
    structures = guide_structures(guide.pk for guide, _progress in started)
    steps: list[GuideStepCandidate] = []
    started_list: list[StartedGuide] = []
    for guide, progress in started:
        plan = resolve_plan(structures[guide.pk], progress.chosen())
        remaining = 0
        for planned in plan.steps:
            item = planned.step.item
            if item is None:
                continue
            remaining += item.pk not in excluded
            steps.append(GuideStepCandidate(
                item_id=item.pk, code=item.code, name=item.name, guide_slug=guide.slug,
                guide_title=guide.title, guide_updated_at=progress.updated_at,
                step_number=planned.number))
        started_list.append(StartedGuide(guide=guide, progress=progress,
                                          plan_url=_plan_url(guide, plan.chosen),
                                          remaining_steps=remaining))
    themes = interest_theme_ids(user)
    theme_items: list[ThemeCandidate] = []
    if themes:
        rows = (ServiceItem.objects.filter(is_published=True, themes__in=themes)
                .exclude(pk__in=excluded)
                .annotate(matched=Count("themes", filter=Q(themes__in=themes), distinct=True))
                .order_by("-matched", "sort_order", "code")
                .values_list("pk", "code", "name", "matched")[:THEME_CANDIDATES])
        theme_items = [ThemeCandidate(item_id=pk, code=code, name=name, matched_themes=matched,
                                      catalogue_position=position)
                       for position, (pk, code, name, matched) in enumerate(rows)]
    return Suggestions(started=started_list, items=rank_suggestions(
        guide_steps=steps, theme_items=theme_items, excluded_item_ids=excluded, limit=limit))
