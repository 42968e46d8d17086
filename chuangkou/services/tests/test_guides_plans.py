"""The life-event plan resolver (guide_plans.resolve_plan): which steps apply, the items once
each, merged materials, totals and what was left unanswered. Pure: no database."""

import pytest

from chuangkou.services.choices import MaterialForm
from chuangkou.services.guide_plans import (
    GuideStructure,
    ItemSummary,
    MaterialSummary,
    OptionSummary,
    QuestionSummary,
    StepSummary,
    chinese_ordinal,
    material_key,
    merge_material_forms,
    parse_answers,
    resolve_plan,
)

ORIGINAL, COPY = MaterialForm.ORIGINAL, MaterialForm.COPY
BOTH, ELECTRONIC = MaterialForm.ORIGINAL_AND_COPY, MaterialForm.ELECTRONIC

# 怀孕生育: q1 是否第一次生育 (11 是 / 12 否); q2 户籍是否在本市 (21 是 / 22 否);
# q3 是否参加生育保险 (31 是 / 32 否).
Q1 = QuestionSummary(pk=1, text="是否第一次生育？", options=(
    OptionSummary(pk=11, label="是"), OptionSummary(pk=12, label="否")))
Q2 = QuestionSummary(pk=2, text="户籍是否在本市？", options=(
    OptionSummary(pk=21, label="是"), OptionSummary(pk=22, label="否")))
Q3 = QuestionSummary(pk=3, text="是否参加生育保险？", options=(
    OptionSummary(pk=31, label="是"), OptionSummary(pk=32, label="否")))

REGISTRATION = ItemSummary(pk=100, code="SY-1", name="生育登记", promised_days=0,
                           visits_required=0, applies_online=True, materials=(
                               MaterialSummary(name="居民身份证", form=ORIGINAL),
                               MaterialSummary(name="户口簿", form=COPY),
                               MaterialSummary(name="结婚证", form=COPY)))
BIRTH_CERTIFICATE = ItemSummary(pk=101, code="SY-2", name="出生医学证明", promised_days=0,
                                visits_required=1, materials=(
                                    MaterialSummary(name="居民身份证", form=COPY),
                                    MaterialSummary(name="结婚证", form=COPY, copies=2)))
HUKOU = ItemSummary(pk=102, code="HJ-1", name="新生儿落户", promised_days=3,
                    visits_required=1, materials=(
                        MaterialSummary(name="居民身份证", form=ORIGINAL),
                        MaterialSummary(name="户口簿", form=ORIGINAL),
                        MaterialSummary(name="出生医学证明", form=ORIGINAL)))
RESIDENCE = ItemSummary(pk=103, code="HJ-2", name="居住证", promised_days=10,
                        visits_required=1, materials=(
                            MaterialSummary(name="居民身份证 ", form=ORIGINAL),
                            MaterialSummary(name="照片", form=ELECTRONIC, is_required=False)))
ALLOWANCE = ItemSummary(pk=104, code="SY-3", name="生育津贴", promised_days=15,
                        visits_required=0, applies_online=True, materials=(
                            MaterialSummary(name="出生医学证明", form=COPY),
                            MaterialSummary(name="银行账户", form=ELECTRONIC)))

STRUCTURE = GuideStructure(
    questions=(Q1, Q2, Q3),
    steps=(
        StepSummary(pk=1, title="生育登记", item=REGISTRATION),
        StepSummary(pk=2, title="办理居住证", item=RESIDENCE, required_option_ids=frozenset({22})),
        StepSummary(pk=3, title="领取出生医学证明", item=BIRTH_CERTIFICATE),
        StepSummary(pk=4, title="新生儿落户", item=HUKOU, required_option_ids=frozenset({21})),
        StepSummary(pk=5, title="第一孩奖励说明", required_option_ids=frozenset({11, 21})),
        StepSummary(pk=6, title="申领生育津贴", item=ALLOWANCE,
                    required_option_ids=frozenset({31})),
        StepSummary(pk=7, title="再次确认登记信息", item=REGISTRATION,
                    required_option_ids=frozenset({12})),
    ),
)


def titles(plan):
    return [planned.step.title for planned in plan.steps]


def material(plan, name):
    return next(entry for entry in plan.materials if entry.name.strip() == name)


def test_steps_without_conditions_always_apply_and_are_numbered_in_order():
    plan = resolve_plan(STRUCTURE, {1: 12, 2: 22, 3: 32})
    assert titles(plan) == ["生育登记", "办理居住证", "领取出生医学证明", "再次确认登记信息"]
    assert [planned.number for planned in plan.steps] == [1, 2, 3, 4]
    assert [planned.ordinal for planned in plan.steps] == ["第一步", "第二步", "第三步", "第四步"]


def test_a_step_with_several_conditions_applies_only_when_every_one_was_chosen():
    assert "第一孩奖励说明" in titles(resolve_plan(STRUCTURE, {1: 11, 2: 21, 3: 32}))
    assert "第一孩奖励说明" not in titles(resolve_plan(STRUCTURE, {1: 11, 2: 22, 3: 32}))
    assert "第一孩奖励说明" not in titles(resolve_plan(STRUCTURE, {1: 12, 2: 21, 3: 32}))


def test_items_appear_once_in_the_order_of_the_first_step_needing_them():
    plan = resolve_plan(STRUCTURE, {1: 12, 2: 21, 3: 31})
    assert [item.code for item in plan.items] == ["SY-1", "SY-2", "HJ-1", "SY-3"]


def test_the_same_material_of_several_items_is_listed_once_with_every_item():
    plan = resolve_plan(STRUCTURE, {1: 11, 2: 21, 3: 31})
    names = [entry.name for entry in plan.materials]
    assert names.count("居民身份证") == 1
    assert material(plan, "居民身份证").item_names == ("生育登记", "出生医学证明", "新生儿落户")
    assert names == ["居民身份证", "户口簿", "结婚证", "出生医学证明", "银行账户"]


def test_original_for_one_item_and_copy_for_another_become_original_and_copy():
    plan = resolve_plan(STRUCTURE, {1: 11, 2: 21, 3: 31})
    assert material(plan, "居民身份证").form == BOTH
    assert material(plan, "户口簿").form == BOTH
    assert material(plan, "出生医学证明").form_label == "原件和复印件"
    assert material(plan, "结婚证").form == COPY


def test_the_largest_copy_count_is_kept():
    plan = resolve_plan(STRUCTURE, {1: 11, 2: 21, 3: 32})
    assert material(plan, "结婚证").copies == 2


def test_names_differing_in_width_or_whitespace_are_the_same_material():
    assert material_key("居民身份证（原件）") == material_key("居民身份证 (原件)")
    assert material_key("ＡＢＣ 证明") == material_key("abc证明")
    plan = resolve_plan(STRUCTURE, {1: 12, 2: 22, 3: 32})
    assert [entry.name for entry in plan.materials].count("居民身份证") == 1


def test_a_material_is_required_when_any_item_requires_it():
    plan = resolve_plan(STRUCTURE, {1: 12, 2: 22, 3: 32})
    assert material(plan, "照片").is_required is False
    assert material(plan, "居民身份证").is_required is True


@pytest.mark.parametrize(("forms", "expected"), [
    ({ORIGINAL}, (ORIGINAL, False)),
    ({COPY}, (COPY, False)),
    ({ORIGINAL, COPY}, (BOTH, False)),
    ({BOTH, COPY}, (BOTH, False)),
    ({ELECTRONIC}, (ELECTRONIC, False)),
    ({ELECTRONIC, COPY}, (COPY, True)),
    ({ORIGINAL, COPY, ELECTRONIC}, (BOTH, True)),
])
def test_material_forms_merge_to_what_covers_every_item(forms, expected):
    assert merge_material_forms(forms) == expected


def test_an_electronic_copy_asked_besides_paper_is_said_in_the_label():
    structure = GuideStructure(steps=(
        StepSummary(pk=1, title="一", item=ItemSummary(pk=1, code="A", name="甲", materials=(
            MaterialSummary(name="申请表", form=COPY),))),
        StepSummary(pk=2, title="二", item=ItemSummary(pk=2, code="B", name="乙", materials=(
            MaterialSummary(name="申请表", form=ELECTRONIC),))),
    ))
    plan = resolve_plan(structure, {})
    assert plan.materials[0].form_label == "复印件；另需电子材料"


def test_promised_days_and_visits_add_up_over_the_items_once_each():
    plan = resolve_plan(STRUCTURE, {1: 12, 2: 21, 3: 31})
    # SY-1 appears in two steps but counts once: 0 + 0 + 3 + 15 days, 0 + 1 + 1 + 0 visits.
    assert plan.total_promised_days == 18
    assert plan.visits == 2
    assert not plan.zero_visits


def test_a_plan_of_items_needing_no_visit_is_zero_visits():
    structure = GuideStructure(steps=(StepSummary(pk=1, title="登记", item=REGISTRATION),
                                      StepSummary(pk=2, title="津贴", item=ALLOWANCE)))
    plan = resolve_plan(structure, {})
    assert plan.visits == 0 and plan.zero_visits
    assert [item.code for item in plan.online_items] == ["SY-1", "SY-3"]


def test_a_plan_without_items_is_not_called_zero_visits():
    plan = resolve_plan(GuideStructure(steps=(StepSummary(pk=1, title="了解政策"),)), {})
    assert plan.items == () and not plan.zero_visits and titles(plan) == ["了解政策"]


def test_unanswered_questions_are_listed_and_their_conditional_steps_left_out():
    plan = resolve_plan(STRUCTURE, {1: 11})
    assert [question.pk for question in plan.unanswered] == [2, 3]
    assert not plan.is_complete
    assert titles(plan) == ["生育登记", "领取出生医学证明"]


def test_a_complete_answer_set_has_nothing_unanswered():
    plan = resolve_plan(STRUCTURE, {1: 11, 2: 21, 3: 31})
    assert plan.is_complete and plan.unanswered == () and plan.ignored == ()


def test_unknown_questions_and_options_of_another_question_are_ignored_and_reported():
    plan = resolve_plan(STRUCTURE, {1: 11, 2: 31, 99: 11, 3: 999})
    assert set(plan.ignored) == {(2, 31), (99, 11), (3, 999)}
    assert plan.chosen == {1: 11}
    assert [question.pk for question in plan.unanswered] == [2, 3]
    assert "申领生育津贴" not in titles(plan)  # 31 was given for question 2: not a choice


def test_no_answers_give_the_unconditional_steps_and_every_question_unanswered():
    plan = resolve_plan(STRUCTURE, {})
    assert titles(plan) == ["生育登记", "领取出生医学证明"]
    assert len(plan.unanswered) == 3


def test_an_empty_guide_gives_an_empty_plan():
    plan = resolve_plan(GuideStructure(), {1: 2})
    assert plan.steps == () and plan.materials == () and plan.ignored == ((1, 2),)
    assert plan.total_promised_days == 0 and plan.is_complete


@pytest.mark.parametrize(("number", "text"), [
    (1, "第一步"), (2, "第二步"), (9, "第九步"), (10, "第十步"), (11, "第十一步"),
    (20, "第二十步"), (23, "第二十三步"), (99, "第九十九步"), (100, "第100步"),
])
def test_steps_are_numbered_in_chinese(number, text):
    assert chinese_ordinal(number) == text


def test_query_parameters_become_answers_and_bad_ones_are_rejected():
    answers, rejected = parse_answers({"q12": "34", "q13": " 36 ", "q14": "", "q15": "abc",
                                       "qx": "1", "plan": "1", "q16": "-3", "page": "2",
                                       "q17": "9" * 12})
    assert answers == {12: 34, 13: 36}
    assert sorted(rejected) == ["q15", "q16", "q17", "qx"]


def test_parsed_unknown_ids_reach_the_resolver_and_are_ignored_there():
    answers, rejected = parse_answers({"q1": "11", "q2": "999999"})
    plan = resolve_plan(STRUCTURE, answers)
    assert rejected == [] and plan.ignored == ((2, 999999),)
