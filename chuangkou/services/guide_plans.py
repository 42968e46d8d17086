"""A life-event guide's answers turned into the citizen's own plan (场景式服务). Pure: no ORM.

The idea comes from GOV.UK's step-by-step navigation ("Learn to drive a car: step by step"):
a life event such as having a child touches several services of several bodies, and a citizen
should not have to work out which of them apply, in which order, and which papers to bring.
A guide asks a few questions (是否第一次生育? 户籍是否在本市?); each step of the guide names
the answers it applies to (none: it always applies); the answers select the steps, and the
steps' service items give the personal list of what to do, in order, with the materials
merged so that the same paper (居民身份证, 户口簿) is listed once with every item that needs
it, and the time and trips to the office the whole journey takes.

``queries.guides.guide_structure`` reads a guide into the dataclasses below;
``resolve_plan(structure, answers)`` is the whole rule, so it is tested without a database.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import MaterialForm

__all__ = [
    "GuidePlan",
    "GuideStructure",
    "ItemSummary",
    "MaterialSummary",
    "MergedMaterial",
    "OptionSummary",
    "PlannedStep",
    "QuestionSummary",
    "StepSummary",
    "chinese_ordinal",
    "material_key",
    "merge_material_forms",
    "parse_answers",
    "resolve_plan",
]

ANSWER_PARAMETER = re.compile(r"^q(\d{1,9})$")
NUMBER = re.compile(r"^\d{1,9}$")
DIGITS = "零一二三四五六七八九"


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True, kw_only=True)
class MaterialSummary:
    name: str
    form: str = MaterialForm.ORIGINAL
    copies: int = 1
    is_required: bool = True


@dataclass(frozen=True, kw_only=True)
class ItemSummary:
    """What a plan needs of a service item: its name and code for the link, its time limit
    and visits for the totals, and its materials for the merged list."""

    pk: int
    code: str
    name: str
    body_name: str = ""
    promised_days: int = 0
    visits_required: int = 1
    applies_online: bool = False
    materials: tuple[MaterialSummary, ...] = ()


@dataclass(frozen=True, kw_only=True)
class OptionSummary:
    pk: int
    label: str


@dataclass(frozen=True, kw_only=True)
class QuestionSummary:
    pk: int
    text: str
    help_text: str = ""
    options: tuple[OptionSummary, ...] = ()

    def option(self, pk: int) -> OptionSummary | None:
        return next((option for option in self.options if option.pk == pk), None)


@dataclass(frozen=True, kw_only=True)
class StepSummary:
    pk: int
    title: str
    description: str = ""
    item: ItemSummary | None = None
    required_option_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, kw_only=True)
class GuideStructure:
    """A guide's questions (in order, with their options) and steps (in order)."""

    questions: tuple[QuestionSummary, ...] = ()
    steps: tuple[StepSummary, ...] = ()

    def question(self, pk: int) -> QuestionSummary | None:
        return next((question for question in self.questions if question.pk == pk), None)


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True, kw_only=True)
class PlannedStep:
    number: int
    step: StepSummary

    @property
    def ordinal(self) -> str:
        return chinese_ordinal(self.number)


@dataclass(frozen=True, kw_only=True)
class MergedMaterial:
    """One paper to bring, however many items ask for it."""

    name: str
    form: str
    copies: int
    is_required: bool
    item_names: tuple[str, ...]
    electronic_too: bool = False

    @property
    def form_label(self) -> str:
        label = str(MaterialForm(self.form).label)
        if self.electronic_too:
            return _("%(form)s；另需电子材料") % {"form": label}
        return label


@dataclass(frozen=True, kw_only=True)
class GuidePlan:
    steps: tuple[PlannedStep, ...] = ()
    items: tuple[ItemSummary, ...] = ()
    materials: tuple[MergedMaterial, ...] = ()
    total_promised_days: int = 0
    visits: int = 0
    unanswered: tuple[QuestionSummary, ...] = ()
    ignored: tuple[tuple[int, int], ...] = ()
    chosen: Mapping[int, int] = field(default_factory=dict)

    @property
    def is_complete(self) -> bool:
        return not self.unanswered

    @property
    def zero_visits(self) -> bool:
        """零跑动: nothing of the plan needs a trip to an office."""
        return bool(self.items) and self.visits == 0

    @property
    def online_items(self) -> tuple[ItemSummary, ...]:
        return tuple(item for item in self.items if item.applies_online)


# --------------------------------------------------------------------------- rules


def chinese_ordinal(number: int) -> str:
    """第一步, 第二步 … 第十步, 第十一步 … 第九十九步 (then Arabic digits)."""
    if number < 1 or number > 99:
        return _("第%(number)d步") % {"number": number}
    tens, units = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else DIGITS[tens]) + "十"
    if units:
        text += DIGITS[units]
    return _("第%(number)s步") % {"number": text}


def material_key(name: str) -> str:
    """Two material names are the same paper when they differ only in width (full-width
    letters, digits and brackets) or whitespace: ``居民身份证（原件）`` and ``居民身份证 (原件)``."""
    normalised = unicodedata.normalize("NFKC", name)
    return "".join(normalised.split()).casefold()


def merge_material_forms(forms: set[str]) -> tuple[str, bool]:
    """The form a merged material is brought in, and whether an electronic copy is also
    asked for. One item wanting the original and another a copy means bringing both."""
    original = bool(forms & {MaterialForm.ORIGINAL, MaterialForm.ORIGINAL_AND_COPY})
    copy = bool(forms & {MaterialForm.COPY, MaterialForm.ORIGINAL_AND_COPY})
    electronic = MaterialForm.ELECTRONIC in forms
    if original and copy:
        return MaterialForm.ORIGINAL_AND_COPY, electronic
    if original:
        return MaterialForm.ORIGINAL, electronic
    if copy:
        return MaterialForm.COPY, electronic
    return MaterialForm.ELECTRONIC, False


def parse_answers(parameters: Mapping[str, str]) -> tuple[dict[int, int], list[str]]:
    """Answers from a query string (``q12=34`` → question 12, option 34). Parameters that do
    not have that shape are returned as ``rejected`` (names only) and otherwise ignored."""
    answers: dict[int, int] = {}
    rejected: list[str] = []
    for name, value in parameters.items():
        match = ANSWER_PARAMETER.match(name)
        if match is None:
            if name.startswith("q"):
                rejected.append(name)
            continue
        value = (value or "").strip()
        if not value:
            continue  # an unanswered radio group sends nothing; an empty value is the same
        if not NUMBER.match(value):
            rejected.append(name)
            continue
        answers[int(match.group(1))] = int(value)
    return answers, rejected


def _step_applies(step: StepSummary, chosen: set[int]) -> bool:
    return step.required_option_ids <= chosen


def _merge_materials(items: tuple[ItemSummary, ...]) -> tuple[MergedMaterial, ...]:
    order: list[str] = []
    groups: dict[str, dict] = {}
    for item in items:
        for material in item.materials:
            key = material_key(material.name)
            group = groups.get(key)
            if group is None:
                order.append(key)
                group = groups[key] = {"name": material.name.strip(), "forms": set(),
                                       "copies": 0, "required": False, "items": []}
            group["forms"].add(material.form)
            group["copies"] = max(group["copies"], material.copies)
            group["required"] = group["required"] or material.is_required
            if item.name not in group["items"]:
                group["items"].append(item.name)
    merged = []
    for key in order:
        group = groups[key]
        form, electronic_too = merge_material_forms(group["forms"])
        merged.append(MergedMaterial(
            name=group["name"], form=form, copies=group["copies"],
            is_required=group["required"], item_names=tuple(group["items"]),
            electronic_too=electronic_too))
    return tuple(merged)


def resolve_plan(structure: GuideStructure, answers: Mapping[int, int]) -> GuidePlan:
    """The citizen's plan for ``answers`` (question pk → option pk).

    A step is in the plan when every option it requires was chosen (a step requiring
    nothing always is). An answer naming an unknown question, or an option that is not one
    of that question's, is ignored and reported in ``ignored``; questions without a valid
    answer are listed in ``unanswered`` (steps depending on them are left out until they are
    answered). Items appear once, in the order of the first step that needs them; the totals
    assume the items are done one after another.
    """
    chosen: dict[int, int] = {}
    ignored: list[tuple[int, int]] = []
    for question_pk, option_pk in answers.items():
        question = structure.question(question_pk)
        if question is None or question.option(option_pk) is None:
            ignored.append((question_pk, option_pk))
            continue
        chosen[question_pk] = option_pk
    chosen_options = set(chosen.values())
    unanswered = tuple(question for question in structure.questions
                       if question.pk not in chosen)

    steps = tuple(PlannedStep(number=number, step=step) for number, step in enumerate(
        (step for step in structure.steps if _step_applies(step, chosen_options)), start=1))
    items: list[ItemSummary] = []
    seen: set[int] = set()
    for planned in steps:
        item = planned.step.item
        if item is not None and item.pk not in seen:
            seen.add(item.pk)
            items.append(item)
    items_tuple = tuple(items)
    return GuidePlan(
        steps=steps, items=items_tuple, materials=_merge_materials(items_tuple),
        total_promised_days=sum(item.promised_days for item in items_tuple),
        visits=sum(item.visits_required for item in items_tuple),
        unanswered=unanswered, ignored=tuple(ignored), chosen=chosen)
