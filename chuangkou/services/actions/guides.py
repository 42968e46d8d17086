"""Life-event guides (场景式服务): save a guide with its questions, options and steps in one
go, publish and unpublish it.

A guide is saved whole from a ``GuideData`` (the admin form, the demo loader and any future
import build one). Steps name their item by code and their conditions by (question index,
option label), so data can be written before any row exists.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangkou.organizations.models import Body

from ..choices import Audience
from ..exceptions import ServicesRuleViolation
from ..guide_plans import material_key
from ..models import GuideOption, GuideQuestion, GuideStep, LifeEventGuide, ServiceItem
from ..queries.access import may_manage_body
from ._common import _audit

__all__ = [
    "GuideData",
    "GuideQuestionData",
    "GuideStepData",
    "publish_life_event_guide",
    "save_life_event_guide",
    "unpublish_life_event_guide",
]

MIN_OPTIONS = 2


@dataclass(frozen=True, kw_only=True)
class GuideQuestionData:
    text: str
    help_text: str = ""
    options: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GuideStepData:
    """One step; ``required_options`` are (question index in ``GuideData.questions``,
    option label) pairs, all of which must be chosen for the step to apply."""

    title: str
    description: str = ""
    item_code: str = ""
    required_options: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class GuideData:
    title: str
    slug: str
    responsible_body: Body
    summary: str = ""
    audience: str = Audience.PERSON
    sort_order: int = 0
    questions: tuple[GuideQuestionData, ...] = ()
    steps: tuple[GuideStepData, ...] = ()


def _check_may_edit(actor, body: Body | None) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False)
            and actor.has_perm("services.manage_life_event_guides")
            and may_manage_body(actor, body)):
        raise PermissionDenied


def _validation_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [message for item in items for message in item.messages]
                for name, items in error.error_dict.items()}
    return {"__all__": list(error.messages)}


def _validate(data: GuideData, guide: LifeEventGuide | None) -> tuple[dict, dict[str, ServiceItem]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    exclude = []
    if not data.title.strip():
        add("title", _("请填写场景名称。"))
        exclude.append("title")
    if not data.slug.strip():
        add("slug", _("请填写标识（小写字母、数字和连字符，用于网址）。"))
        exclude.append("slug")
    candidate = LifeEventGuide(
        title=data.title.strip(), slug=data.slug.strip(), summary=data.summary.strip(),
        audience=data.audience, responsible_body=data.responsible_body,
        sort_order=data.sort_order)
    try:
        candidate.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        for name, messages in _validation_messages(error).items():
            for message in messages:
                add(name, message)
    clash = LifeEventGuide.objects.filter(slug=data.slug.strip())
    if guide is not None:
        clash = clash.exclude(pk=guide.pk)
    if data.slug.strip() and clash.exists():
        add("slug", _("标识“%(slug)s”已被另一个场景式服务使用。") % {"slug": data.slug.strip()})

    labels_by_question: list[set[str]] = []
    for index, question in enumerate(data.questions):
        prefix = f"questions-{index}"
        if not question.text.strip():
            add(f"{prefix}-text", _("请填写问题。"))
        elif len(question.text.strip()) > 200:
            add(f"{prefix}-text", _("问题不能超过200个字。"))
        if len(question.help_text.strip()) > 300:
            add(f"{prefix}-help_text", _("说明不能超过300个字。"))
        labels = [label.strip() for label in question.options if label.strip()]
        keys = [material_key(label) for label in labels]
        if len(labels) < MIN_OPTIONS:
            add(f"{prefix}-options", _("每个问题至少要有两个选项，每行一个。"))
        duplicates = sorted({label for label, key in zip(labels, keys, strict=True)
                             if keys.count(key) > 1})
        if duplicates:
            add(f"{prefix}-options", _("同一问题的选项不能重复：%(labels)s。") % {
                "labels": "、".join(duplicates)})
        too_long = [label for label in labels if len(label) > 100]
        if too_long:
            add(f"{prefix}-options", _("每个选项不能超过100个字。"))
        labels_by_question.append(set(keys))

    codes = {step.item_code.strip() for step in data.steps if step.item_code.strip()}
    items = {item.code: item for item in ServiceItem.objects.filter(code__in=codes)}
    for index, step in enumerate(data.steps):
        prefix = f"steps-{index}"
        if not step.title.strip():
            add(f"{prefix}-title", _("请填写步骤名称。"))
        elif len(step.title.strip()) > 100:
            add(f"{prefix}-title", _("步骤名称不能超过100个字。"))
        code = step.item_code.strip()
        if code and code not in items:
            add(f"{prefix}-item_code", _("事项编码“%(code)s”不存在。") % {"code": code})
        for question_index, label in step.required_options:
            if not (0 <= question_index < len(data.questions)
                    and material_key(label) in labels_by_question[question_index]):
                add(f"{prefix}-required_options",
                    _("适用条件引用的选项“%(label)s”不存在（问题或选项已修改，请先保存问题再选择条件）。")
                    % {"label": label})
    return errors, items


def _publication_problems(*, step_count: int, items: list[ServiceItem]) -> list[str]:
    problems = []
    if step_count == 0:
        problems.append(_("公开前至少要有一个办事步骤。"))
    unpublished = [item.name for item in items if not item.is_published]
    if unpublished:
        problems.append(_("以下事项尚未公开，不能用于已公开的场景式服务：%(names)s。") % {
            "names": "、".join(unpublished)})
    return problems


def _save_questions(guide: LifeEventGuide, data: GuideData) -> list[dict[str, GuideOption]]:
    """Questions kept by position and options by label, so a saved plan's address (which
    names option keys) survives edits that do not touch them."""
    existing = list(guide.questions.order_by("sort_order", "pk").prefetch_related("options"))
    options_by_question: list[dict[str, GuideOption]] = []
    for index, question_data in enumerate(data.questions):
        if index < len(existing):
            question = existing[index]
            question.text = question_data.text.strip()
            question.help_text = question_data.help_text.strip()
            question.sort_order = index + 1
            question.save()
        else:
            question = GuideQuestion.objects.create(
                guide=guide, text=question_data.text.strip(),
                help_text=question_data.help_text.strip(), sort_order=index + 1)
        kept = {material_key(option.label): option for option in question.options.all()}
        options: dict[str, GuideOption] = {}
        for order, label in enumerate(
                (label.strip() for label in question_data.options if label.strip()), start=1):
            key = material_key(label)
            option = kept.pop(key, None)
            if option is None:
                option = GuideOption.objects.create(question=question, label=label,
                                                    sort_order=order)
            elif (option.label, option.sort_order) != (label, order):
                option.label, option.sort_order = label, order
                option.save()
            options[key] = option
        if kept:
            GuideOption.objects.filter(pk__in=[option.pk for option in kept.values()]).delete()
        options_by_question.append(options)
    removed = [question.pk for question in existing[len(data.questions):]]
    if removed:
        GuideQuestion.objects.filter(pk__in=removed).delete()
    return options_by_question


@transaction.atomic
def save_life_event_guide(*, data: GuideData, actor, guide: LifeEventGuide | None = None,
                          check_permission: bool = True,
                          must_create: bool = False) -> tuple[LifeEventGuide, bool]:
    """Create or replace a guide whole: its fields, questions, options and steps.

    Idempotent on ``data.slug`` when ``guide`` is not given (the demo loader runs it again
    and again). Errors name fields as the admin form does: ``title``, ``questions-1-options``,
    ``steps-0-item_code``. A published guide must stay publishable (at least one step, every
    item published). ``check_permission=False`` is for commands only. ``must_create`` (the
    admin's "new guide" form) refuses a slug already in use instead of updating that guide.
    """
    if guide is None:
        guide = LifeEventGuide.objects.select_for_update().filter(slug=data.slug.strip()).first()
        if guide is not None and must_create:
            raise ServicesRuleViolation({"slug": [
                _("标识“%(slug)s”已被另一个场景式服务使用。") % {"slug": data.slug.strip()}]})
    else:
        guide = LifeEventGuide.objects.select_for_update().get(pk=guide.pk)
    if check_permission:
        _check_may_edit(actor, data.responsible_body)
        if guide is not None:
            _check_may_edit(actor, guide.responsible_body)
    errors, items = _validate(data, guide)
    if not errors and guide is not None and guide.is_published:
        problems = _publication_problems(step_count=len(data.steps), items=list(items.values()))
        if problems:
            errors["steps"] = problems
    if errors:
        raise ServicesRuleViolation(errors)

    created = guide is None
    if created:
        guide = LifeEventGuide()
    guide.title = data.title.strip()
    guide.slug = data.slug.strip()
    guide.summary = data.summary.strip()
    guide.audience = data.audience
    guide.responsible_body = data.responsible_body
    guide.sort_order = data.sort_order
    guide.save()

    options_by_question = _save_questions(guide, data)
    guide.steps.all().delete()
    for order, step_data in enumerate(data.steps, start=1):
        step = GuideStep.objects.create(
            guide=guide, title=step_data.title.strip(), description=step_data.description.strip(),
            item=items.get(step_data.item_code.strip()), sort_order=order)
        if step_data.required_options:
            step.required_options.set([
                options_by_question[question_index][material_key(label)]
                for question_index, label in step_data.required_options])

    _audit("services.guide.created" if created else "services.guide.updated", actor=actor,
           target=guide, data={"slug": guide.slug, "questions": len(data.questions),
                               "steps": len(data.steps)})
    return guide, created


@transaction.atomic
def publish_life_event_guide(*, guide: LifeEventGuide, actor,
                             check_permission: bool = True) -> LifeEventGuide:
    """Show the guide on the site; it needs at least one step and only published items.
    ``check_permission=False`` is for commands only (the demo loader)."""
    guide = LifeEventGuide.objects.select_for_update().get(pk=guide.pk)
    if check_permission:
        _check_may_edit(actor, guide.responsible_body)
    if guide.is_published:
        return guide
    items = list(ServiceItem.objects.filter(guide_steps__guide=guide).distinct())
    problems = _publication_problems(step_count=guide.steps.count(), items=items)
    if problems:
        raise ServicesRuleViolation({"__all__": problems})
    guide.is_published = True
    guide.save(update_fields=["is_published", "updated_at"])
    _audit("services.guide.published", actor=actor, target=guide, data={"slug": guide.slug})
    return guide


@transaction.atomic
def unpublish_life_event_guide(*, guide: LifeEventGuide, actor) -> LifeEventGuide:
    guide = LifeEventGuide.objects.select_for_update().get(pk=guide.pk)
    _check_may_edit(actor, guide.responsible_body)
    if not guide.is_published:
        return guide
    guide.is_published = False
    guide.save(update_fields=["is_published", "updated_at"])
    _audit("services.guide.unpublished", actor=actor, target=guide, data={"slug": guide.slug})
    return guide
