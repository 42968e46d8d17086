"""The eight Jiangmen life-event guides of the demo, loaded on the fixture's cluster.

The demo names bodies by the sitecluster demo's slugs (``dongcheng-donghu``, ``justice`` …),
which the test cluster does not have, so the loader is given a ``body_for_slug`` mapping onto
the cluster's bodies (and a street office made here).
"""

import itertools

import pytest

from chuangkou.organizations.choices import BodyKind
from chuangkou.organizations.tests.factories import make_body
from chuangkou.services.completeness import missing_elements
from chuangkou.services.demo.guide_items import GUIDE_ITEMS
from chuangkou.services.demo.guides import DEMO_GUIDES, load_guides_demo
from chuangkou.services.guide_plans import resolve_plan
from chuangkou.services.models import GuideStep, LifeEventGuide, ServiceItem
from chuangkou.services.queries import guide_structure

pytestmark = pytest.mark.django_db

JIANGMEN = ["结婚登记", "怀孕生育", "小孩上学", "户籍办理", "养老保险", "交通出行", "人才引进",
            "旅游观光"]


@pytest.fixture
def body_for_slug(cluster):
    street = make_body(parent=cluster.district, name="示例市东城区东湖街道办事处",
                       slug="test-donghu", kind=BodyKind.STREET_OFFICE)
    justice = make_body(parent=cluster.city, name="示例市司法局", slug="test-justice")
    bodies = {"city": cluster.city, "education": cluster.education, "health": cluster.health,
              "justice": justice, "dongcheng": cluster.district, "dongcheng-donghu": street}
    return bodies.__getitem__


def test_the_eight_jiangmen_guides_are_loaded_and_published(cluster, body_for_slug):
    result = load_guides_demo(body_for_slug=body_for_slug)
    assert [guide.title for guide in result.guides] == JIANGMEN
    assert str(result) == f"场景式服务 8 个（新建 8 个），涉及事项 {len(GUIDE_ITEMS)} 项"
    for guide in LifeEventGuide.objects.all():
        assert guide.is_published and guide.responsible_body == cluster.city
        assert 2 <= guide.questions.count() <= 4, guide.title
        assert 3 <= guide.steps.count() <= 7, guide.title
        for question in guide.questions.all():
            assert question.options.count() >= 2


def test_every_step_points_at_a_published_complete_guide_item(cluster, body_for_slug):
    load_guides_demo(body_for_slug=body_for_slug)
    assert not GuideStep.objects.filter(item__isnull=True).exists()
    used = ServiceItem.objects.filter(guide_steps__isnull=False).distinct()
    assert used.count() == len(GUIDE_ITEMS)
    for item in used.prefetch_related("materials", "steps"):
        assert item.code.startswith("GUIDE-") and item.is_published
        assert missing_elements(item, materials=list(item.materials.all()),
                                steps=list(item.steps.all())) == [], item.code


def test_loading_twice_changes_nothing(cluster, body_for_slug):
    first = {guide.slug: guide.pk
             for guide in load_guides_demo(body_for_slug=body_for_slug).guides}
    counts = (LifeEventGuide.objects.count(), GuideStep.objects.count(),
              ServiceItem.objects.count())
    again = load_guides_demo(body_for_slug=body_for_slug)
    second = {guide.slug: guide.pk for guide in again.guides}
    assert again.created == 0
    assert first == second
    assert counts == (LifeEventGuide.objects.count(), GuideStep.objects.count(),
                      ServiceItem.objects.count())


def test_the_birth_guide_merges_the_identity_card_and_household_register(cluster,
                                                                         body_for_slug):
    load_guides_demo(body_for_slug=body_for_slug)
    guide = LifeEventGuide.objects.get(slug="huaiyun-shengyu")
    structure = guide_structure(guide)
    answers = {question.pk: question.options[0].pk for question in structure.questions}
    plan = resolve_plan(structure, answers)
    assert plan.is_complete and len(plan.steps) >= 5
    names = [material.name for material in plan.materials]
    assert names.count("居民身份证") == 1 and names.count("户口簿") == 1
    identity = next(material for material in plan.materials if material.name == "居民身份证")
    assert len(identity.item_names) >= 3
    assert identity.form_label == "原件和复印件"


def test_every_combination_of_answers_gives_a_plan_with_steps(cluster, body_for_slug):
    load_guides_demo(body_for_slug=body_for_slug)
    for guide in LifeEventGuide.objects.all():
        structure = guide_structure(guide)
        for combination in itertools.product(*(question.options
                                               for question in structure.questions)):
            plan = resolve_plan(structure, {
                question.pk: option.pk
                for question, option in zip(structure.questions, combination, strict=True)})
            assert plan.steps and plan.items, (guide.title, [o.label for o in combination])


def test_the_birth_guide_asks_the_questions_the_brief_names():
    texts = {title: [question.text for question in questions]
             for _slug, title, _summary, questions, _steps in DEMO_GUIDES}
    assert "是否第一次生育？" in texts["怀孕生育"]
    assert "夫妻一方户籍是否在本市？" in texts["怀孕生育"]
    assert "是否参加生育保险（职工医保）？" in texts["怀孕生育"]
