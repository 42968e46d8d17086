"""Saving, publishing and unpublishing life-event guides through the actions."""

import pytest
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.services.actions import (
    GuideData,
    GuideQuestionData,
    GuideStepData,
    publish_life_event_guide,
    save_life_event_guide,
    unpublish_life_event_guide,
)
from chuangkou.services.exceptions import ServicesRuleViolation
from chuangkou.services.models import GuideOption, GuideQuestion, GuideStep, LifeEventGuide

from .factories import make_item

pytestmark = pytest.mark.django_db

MANAGER = Role.SERVICE_ITEM_MANAGER


@pytest.fixture
def items(cluster):
    return {
        "birth": make_item(body=cluster.health, code="GT-BIRTH", name="出生医学证明"),
        "hukou": make_item(body=cluster.district, code="GT-HUKOU", name="新生儿落户"),
        "hidden": make_item(body=cluster.health, code="GT-HIDDEN", name="未公开事项",
                            published=False),
    }


def guide_data(cluster, **overrides) -> GuideData:
    values = {
        "title": "怀孕生育", "slug": "huaiyun", "summary": "从建档到报户口。",
        "responsible_body": cluster.city,
        "questions": (GuideQuestionData(text="是否第一次生育？", options=("是", "否")),
                      GuideQuestionData(text="户籍是否在本市？", help_text="本人或配偶。",
                                        options=("是", "否"))),
        "steps": (GuideStepData(title="领取出生医学证明", item_code="GT-BIRTH"),
                  GuideStepData(title="新生儿落户", item_code="GT-HUKOU",
                                required_options=((1, "是"),)),
                  GuideStepData(title="咨询社区", description="没有对应事项的步骤。",
                                required_options=((0, "是"), (1, "否")))),
    }
    values.update(overrides)
    return GuideData(**values)


def save(cluster, data=None, *, who=("city", MANAGER), guide=None):
    return save_life_event_guide(data=data or guide_data(cluster), actor=cluster.user(*who),
                                 guide=guide)


def test_a_guide_is_created_with_its_questions_options_and_steps(cluster, items):
    guide, created = save(cluster)
    assert created and guide.title == "怀孕生育" and not guide.is_published
    questions = list(guide.questions.order_by("sort_order"))
    assert [question.text for question in questions] == ["是否第一次生育？", "户籍是否在本市？"]
    assert questions[1].help_text == "本人或配偶。"
    assert [option.label for option in questions[0].options.all()] == ["是", "否"]
    steps = list(guide.steps.order_by("sort_order"))
    assert [step.item.code if step.item else None for step in steps] == [
        "GT-BIRTH", "GT-HUKOU", None]
    assert [option.pk for option in steps[1].required_options.all()] == [
        questions[1].options.get(label="是").pk]
    assert {(option.question.sort_order, option.label)
            for option in steps[2].required_options.all()} == {(1, "是"), (2, "否")}
    event = AuditEvent.objects.get(action="services.guide.created")
    assert event.data["slug"] == "huaiyun" and event.data["steps"] == 3


def test_saving_the_same_slug_again_updates_the_guide_and_replaces_its_lists(cluster, items):
    guide, _created = save(cluster)
    data = guide_data(cluster, title="怀孕生育（新）", steps=(
        GuideStepData(title="新生儿落户", item_code="GT-HUKOU"),))
    again, created = save(cluster, data)
    assert not created and again.pk == guide.pk and again.title == "怀孕生育（新）"
    assert LifeEventGuide.objects.count() == 1
    assert list(again.steps.values_list("title", flat=True)) == ["新生儿落户"]
    assert AuditEvent.objects.filter(action="services.guide.updated").count() == 1


def test_unchanged_options_keep_their_keys_so_a_saved_plan_address_still_works(cluster, items):
    guide, _created = save(cluster)
    before = {option.label: option.pk for option in GuideOption.objects.filter(
        question__guide=guide, question__sort_order=1)}
    data = guide_data(cluster, questions=(
        GuideQuestionData(text="是否第一次生育？", options=("否", "是", "不确定")),
        GuideQuestionData(text="户籍是否在本市？", options=("是", "否"))))
    save(cluster, data)
    after = {option.label: option.pk for option in GuideOption.objects.filter(
        question__guide=guide, question__sort_order=1)}
    assert after["是"] == before["是"] and after["否"] == before["否"]
    assert list(GuideOption.objects.filter(question__guide=guide, question__sort_order=1)
                .order_by("sort_order").values_list("label", flat=True)) == ["否", "是", "不确定"]


def test_removed_questions_and_options_are_deleted(cluster, items):
    guide, _created = save(cluster)
    save(cluster, guide_data(cluster, questions=(
        GuideQuestionData(text="是否第一次生育？", options=("是", "否")),), steps=(
        GuideStepData(title="领取出生医学证明", item_code="GT-BIRTH"),)))
    assert GuideQuestion.objects.filter(guide=guide).count() == 1
    assert GuideOption.objects.filter(question__guide=guide).count() == 2


def refused(cluster, data, **kwargs) -> dict:
    with pytest.raises(ServicesRuleViolation) as caught:
        save(cluster, data, **kwargs)
    return caught.value.errors


def test_an_empty_title_is_refused_on_the_title(cluster, items):
    errors = refused(cluster, guide_data(cluster, title="  "))
    assert errors["title"] == ["请填写场景名称。"]
    assert not LifeEventGuide.objects.exists()


def test_an_empty_or_invalid_slug_is_refused_on_the_slug(cluster, items):
    assert "slug" in refused(cluster, guide_data(cluster, slug=""))
    assert "slug" in refused(cluster, guide_data(cluster, slug="不是 标识"))


def test_a_slug_used_by_another_guide_is_refused_when_editing(cluster, items):
    save(cluster)
    other, _created = save(cluster, guide_data(cluster, slug="other"))
    errors = refused(cluster, guide_data(cluster, slug="huaiyun"), guide=other)
    assert "已被另一个场景式服务使用" in errors["slug"][0]


def test_a_new_guide_must_not_take_a_slug_in_use_when_asked_to_create(cluster, items):
    guide, _created = save(cluster)
    with pytest.raises(ServicesRuleViolation) as caught:
        save_life_event_guide(data=guide_data(cluster, title="另一个"),
                              actor=cluster.user("city", MANAGER), must_create=True)
    assert "已被另一个场景式服务使用" in caught.value.errors["slug"][0]
    guide.refresh_from_db()
    assert guide.title == "怀孕生育"


def test_an_unknown_item_code_is_refused_on_that_step(cluster, items):
    errors = refused(cluster, guide_data(cluster, steps=(
        GuideStepData(title="一", item_code="GT-BIRTH"),
        GuideStepData(title="二", item_code="NO-SUCH"))))
    assert errors == {"steps-1-item_code": ["事项编码“NO-SUCH”不存在。"]}
    assert not GuideStep.objects.exists()


def test_a_condition_naming_a_missing_option_is_refused_on_that_step(cluster, items):
    errors = refused(cluster, guide_data(cluster, steps=(
        GuideStepData(title="一", required_options=((0, "也许"),)),
        GuideStepData(title="二", required_options=((5, "是"),)))))
    assert set(errors) == {"steps-0-required_options", "steps-1-required_options"}
    assert "也许" in errors["steps-0-required_options"][0]


def test_a_question_with_fewer_than_two_options_is_refused(cluster, items):
    errors = refused(cluster, guide_data(cluster, questions=(
        GuideQuestionData(text="是否第一次生育？", options=("是", " ")),
        GuideQuestionData(text="户籍是否在本市？", options=("是", "否")))))
    assert errors == {"questions-0-options": ["每个问题至少要有两个选项，每行一个。"]}


def test_duplicate_option_labels_are_refused_even_when_they_differ_in_width(cluster, items):
    errors = refused(cluster, guide_data(cluster, questions=(
        GuideQuestionData(text="是否第一次生育？", options=("是", "否")),
        GuideQuestionData(text="年龄段？", options=("A类", "Ａ类", "B类")))))
    assert "选项不能重复" in errors["questions-1-options"][0]


def test_an_empty_question_and_an_empty_step_title_are_refused_on_their_fields(cluster, items):
    errors = refused(cluster, guide_data(cluster, questions=(
        GuideQuestionData(text="", options=("是", "否")),), steps=(
        GuideStepData(title=" "),)))
    assert errors["questions-0-text"] == ["请填写问题。"]
    assert errors["steps-0-title"] == ["请填写步骤名称。"]


def test_every_problem_is_reported_at_once_and_nothing_is_saved(cluster, items):
    guide, _created = save(cluster)
    errors = refused(cluster, guide_data(cluster, title="", steps=(
        GuideStepData(title="一", item_code="NOPE"),)))
    assert {"title", "steps-0-item_code"} <= set(errors)
    guide.refresh_from_db()
    assert guide.title == "怀孕生育" and guide.steps.count() == 3


@pytest.mark.parametrize("who", [("education", MANAGER), ("city", Role.SERVICE_HANDLER),
                                 ("city", Role.SERVICE_SUPERVISOR),
                                 ("city", Role.SYSTEM_ADMINISTRATOR), ("city", Role.AUDITOR)])
def test_only_a_manager_of_the_responsible_body_may_save_a_guide(cluster, items, who):
    with pytest.raises(PermissionDenied):
        save(cluster, who=who)
    assert not LifeEventGuide.objects.exists()


def test_a_manager_may_not_take_over_another_body_s_guide(cluster, items):
    guide, _created = save(cluster)
    with pytest.raises(PermissionDenied):
        save(cluster, guide_data(cluster, responsible_body=cluster.education),
             who=("education", MANAGER), guide=guide)
    with pytest.raises(PermissionDenied):  # by slug, without naming the guide
        save(cluster, guide_data(cluster, responsible_body=cluster.education),
             who=("education", MANAGER))
    guide.refresh_from_db()
    assert guide.responsible_body == cluster.city


def test_a_manager_of_the_body_saves_guides_of_that_body(cluster, items):
    guide, created = save(cluster, guide_data(cluster, responsible_body=cluster.education,
                                              slug="xuexiao"), who=("education", MANAGER))
    assert created and guide.responsible_body == cluster.education


def test_commands_save_without_an_actor(cluster, items):
    _guide, created = save_life_event_guide(data=guide_data(cluster), actor=None,
                                           check_permission=False)
    assert created
    with pytest.raises(PermissionDenied):
        save_life_event_guide(data=guide_data(cluster), actor=None)


def test_publishing_shows_the_guide_and_is_audited(cluster, items):
    guide, _created = save(cluster)
    guide = publish_life_event_guide(guide=guide, actor=cluster.user("city", MANAGER))
    assert guide.is_published
    assert AuditEvent.objects.filter(action="services.guide.published").count() == 1
    guide = unpublish_life_event_guide(guide=guide, actor=cluster.user("city", MANAGER))
    assert not LifeEventGuide.objects.get(pk=guide.pk).is_published
    assert AuditEvent.objects.filter(action="services.guide.unpublished").count() == 1


def test_a_guide_without_steps_cannot_be_published(cluster, items):
    guide, _created = save(cluster, guide_data(cluster, steps=()))
    with pytest.raises(ServicesRuleViolation) as caught:
        publish_life_event_guide(guide=guide, actor=cluster.user("city", MANAGER))
    assert caught.value.errors == {"__all__": ["公开前至少要有一个办事步骤。"]}
    assert not LifeEventGuide.objects.get(pk=guide.pk).is_published


def test_a_guide_pointing_at_an_unpublished_item_cannot_be_published(cluster, items):
    guide, _created = save(cluster, guide_data(cluster, steps=(
        GuideStepData(title="一", item_code="GT-HIDDEN"),)))
    with pytest.raises(ServicesRuleViolation) as caught:
        publish_life_event_guide(guide=guide, actor=cluster.user("city", MANAGER))
    assert "未公开事项" in caught.value.errors["__all__"][0]


def test_a_published_guide_cannot_be_saved_with_an_unpublished_item(cluster, items):
    guide, _created = save(cluster)
    publish_life_event_guide(guide=guide, actor=cluster.user("city", MANAGER))
    errors = refused(cluster, guide_data(cluster, steps=(
        GuideStepData(title="一", item_code="GT-HIDDEN"),)))
    assert "未公开事项" in errors["steps"][0]


def test_only_managers_of_the_body_publish_and_unpublish(cluster, items):
    guide, _created = save(cluster)
    for who in (("education", MANAGER), ("city", Role.SERVICE_SUPERVISOR), None):
        actor = cluster.user(*who) if who else None
        with pytest.raises(PermissionDenied):
            publish_life_event_guide(guide=guide, actor=actor)
    publish_life_event_guide(guide=guide, actor=cluster.user("city", MANAGER))
    with pytest.raises(PermissionDenied):
        unpublish_life_event_guide(guide=guide, actor=cluster.user("education", MANAGER))
    assert LifeEventGuide.objects.get(pk=guide.pk).is_published
