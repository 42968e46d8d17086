"""Reads of life-event guides (场景式服务): the public list, one guide's structure for the plan
resolver, and the guides a staff member may edit."""

from django.db.models import Count, Prefetch, QuerySet

from ..guide_plans import (
    GuideStructure,
    ItemSummary,
    MaterialSummary,
    OptionSummary,
    QuestionSummary,
    StepSummary,
)
from ..models import (
    GuideOption,
    GuideQuestion,
    GuideStep,
    LifeEventGuide,
    ServiceItem,
    ServiceMaterial,
)
from .access import managed_bodies

__all__ = [
    "guide_structure",
    "guides_editable_by",
    "may_edit_guide",
    "may_manage_guides",
    "published_guide",
    "published_guides",
    "published_items_for_guides",
]


def published_guides() -> QuerySet[LifeEventGuide]:
    """Published guides in display order, each with ``question_count`` and ``step_count``."""
    return (LifeEventGuide.objects.filter(is_published=True)
            .select_related("responsible_body")
            .annotate(question_count=Count("questions", distinct=True),
                      step_count=Count("steps", distinct=True))
            .order_by("sort_order", "pk"))


def published_guide(slug: str) -> LifeEventGuide | None:
    return (LifeEventGuide.objects.filter(is_published=True, slug=slug)
            .select_related("responsible_body").first())


def _item_summary(item: ServiceItem) -> ItemSummary:
    return ItemSummary(
        pk=item.pk, code=item.code, name=item.name, body_name=item.implementing_body.name,
        promised_days=item.promised_time_limit_days, visits_required=item.visits_required,
        applies_online=item.applies_online,
        materials=tuple(MaterialSummary(name=material.name, form=material.form,
                                        copies=material.copies,
                                        is_required=material.is_required)
                        for material in item.materials.all()))


def guide_structure(guide: LifeEventGuide, *, public: bool = True) -> GuideStructure:
    """The guide's questions and steps in five queries, however many there are.

    On the public side a step whose item has since been withdrawn from the catalogue keeps
    its title and description but names no item (an unpublished item has no page to link).
    """
    questions = (GuideQuestion.objects.filter(guide=guide)
                 .prefetch_related(Prefetch("options",
                                            queryset=GuideOption.objects.order_by("sort_order",
                                                                                  "pk")))
                 .order_by("sort_order", "pk"))
    steps = (GuideStep.objects.filter(guide=guide)
             .select_related("item__implementing_body")
             .prefetch_related(
                 Prefetch("item__materials",
                          queryset=ServiceMaterial.objects.order_by("sort_order", "pk")),
                 Prefetch("required_options", queryset=GuideOption.objects.only("pk",
                                                                                "question_id")))
             .order_by("sort_order", "pk"))
    return GuideStructure(
        questions=tuple(QuestionSummary(
            pk=question.pk, text=question.text, help_text=question.help_text,
            options=tuple(OptionSummary(pk=option.pk, label=option.label)
                          for option in question.options.all()))
            for question in questions),
        steps=tuple(StepSummary(
            pk=step.pk, title=step.title, description=step.description,
            item=(_item_summary(step.item) if step.item is not None
                  and (step.item.is_published or not public) else None),
            required_option_ids=frozenset(option.pk for option in step.required_options.all()))
            for step in steps),
    )


def may_manage_guides(user) -> bool:
    """Whether ``user`` keeps guides at all (the menu and the list)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.has_perm("services.manage_life_event_guides")
                and managed_bodies(user).exists())


def guides_editable_by(user) -> QuerySet[LifeEventGuide]:
    """Guides whose responsible body ``user`` manages, with their counts."""
    if not (getattr(user, "is_authenticated", False)
            and user.has_perm("services.manage_life_event_guides")):
        return LifeEventGuide.objects.none()
    return (LifeEventGuide.objects.filter(responsible_body__in=managed_bodies(user))
            .select_related("responsible_body")
            .annotate(question_count=Count("questions", distinct=True),
                      step_count=Count("steps", distinct=True))
            .order_by("sort_order", "pk"))


def may_edit_guide(user, guide: LifeEventGuide) -> bool:
    return guides_editable_by(user).filter(pk=guide.pk).exists()


def published_items_for_guides() -> QuerySet[ServiceItem]:
    """The items a guide step may point at: the published catalogue, by code."""
    return (ServiceItem.objects.filter(is_published=True)
            .select_related("implementing_body").only("pk", "code", "name",
                                                      "implementing_body__name")
            .order_by("code"))
