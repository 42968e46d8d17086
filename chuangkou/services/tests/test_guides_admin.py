"""场景式服务 in the admin: the permission table for every route, and the create/edit page
with its questions and steps formsets, publishing and unpublishing, all through the actions.

The guide belongs to the city government (责任单位 city). Who gets what:

| who                                   | list | add | edit / publish / unpublish |
|---------------------------------------|------|-----|----------------------------|
| anonymous                             | 302 to login (every route)               |
| 事项管理员 of city                     | 200  | 200 | 200                        |
| 事项管理员 of another body             | 200  | 200 | 404 (never the guide)      |
| every other role of every body        | 403  | 403 | 403                        |
"""

import pytest
from django.test import Client
from django.urls import reverse

from chuangkou.organizations.choices import Role
from chuangkou.services.actions import (
    GuideData,
    GuideQuestionData,
    GuideStepData,
    save_life_event_guide,
)
from chuangkou.services.models import GuideOption, LifeEventGuide

from .factories import make_item
from .role_tables import everyone, who_id

pytestmark = pytest.mark.django_db

MANAGER = Role.SERVICE_ITEM_MANAGER
BODIES = ("city", "education", "health", "dongcheng")
EVERYONE = everyone(BODIES, every_role_in=("city", "education"))


@pytest.fixture
def guide(cluster):
    make_item(body=cluster.health, code="GA-BIRTH", name="出生医学证明")
    make_item(body=cluster.district, code="GA-HUKOU", name="新生儿落户")
    make_item(body=cluster.district, code="GA-HIDDEN", name="未公开事项", published=False)
    guide, _created = save_life_event_guide(data=GuideData(
        title="怀孕生育", slug="huaiyun", responsible_body=cluster.city,
        questions=(GuideQuestionData(text="是否第一次生育？", options=("是", "否")),
                   GuideQuestionData(text="户籍是否在本市？", options=("是", "否"))),
        steps=(GuideStepData(title="领取出生医学证明", item_code="GA-BIRTH"),
               GuideStepData(title="新生儿落户", item_code="GA-HUKOU",
                             required_options=((1, "是"),)))),
        actor=None, check_permission=False)
    return guide


def client_for(cluster, who) -> Client:
    client = Client()
    if who is not None:
        client.force_login(cluster.user(*who))
    return client


def routes(guide):
    yield "list", reverse("services_guides")
    yield "add", reverse("services_guide_add")
    yield "edit", reverse("services_guide_edit", args=[guide.pk])
    yield "publish", reverse("services_guide_publish", args=[guide.pk])
    yield "unpublish", reverse("services_guide_unpublish", args=[guide.pk])


def expected(who, route: str) -> int:
    if who is None:
        return 302
    body, role = who
    if role != MANAGER:
        return 403
    if route in {"list", "add"}:
        return 200
    return 200 if body == "city" else 404


@pytest.mark.parametrize("who", EVERYONE, ids=who_id)
def test_every_route_answers_every_role_as_the_table_says(cluster, guide, who):
    client = client_for(cluster, who)
    wrong = []
    for name, url in routes(guide):
        response = client.get(url)
        if response.status_code != expected(who, name):
            wrong.append((name, response.status_code, expected(who, name)))
        if who is None:
            assert "/login/" in response.url
    assert not wrong, wrong


@pytest.mark.parametrize("who", [("education", MANAGER), ("city", Role.SERVICE_HANDLER),
                                 ("city", Role.SERVICE_SUPERVISOR),
                                 ("city", Role.SYSTEM_ADMINISTRATOR), ("city", Role.AUDITOR)])
def test_posts_from_anyone_but_the_body_s_manager_change_nothing(cluster, guide, who):
    client = client_for(cluster, who)
    for route in ("services_guide_edit", "services_guide_publish"):
        response = client.post(reverse(route, args=[guide.pk]),
                               form_data(cluster, title="改掉的标题"))
        assert response.status_code in (403, 404)
    guide.refresh_from_db()
    assert guide.title == "怀孕生育" and not guide.is_published
    page = client.get(reverse("services_guides")).content.decode()
    assert "怀孕生育" not in page


def test_the_list_shows_only_the_guides_the_manager_may_edit(cluster, guide):
    save_life_event_guide(data=GuideData(title="小孩上学", slug="xuexiao",
                                         responsible_body=cluster.education),
                          actor=None, check_permission=False)
    city_page = client_for(cluster, ("city", MANAGER)).get(reverse("services_guides"))
    assert "怀孕生育" in city_page.content.decode()
    assert "小孩上学" not in city_page.content.decode()
    education_page = client_for(cluster, ("education", MANAGER)).get(reverse("services_guides"))
    assert "小孩上学" in education_page.content.decode()
    assert "怀孕生育" not in education_page.content.decode()


def management(prefix: str, total: int, initial: int) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def form_data(cluster, *, questions=(), steps=(), initial_questions=0, initial_steps=0,
              **fields) -> dict:
    data = {"title": "结婚登记", "slug": "jiehun", "summary": "婚前检查到户口迁移。",
            "audience": "person", "responsible_body": str(cluster.city.pk), "sort_order": "3"}
    data.update(fields)
    data.update(management("questions", len(questions), initial_questions))
    for index, question in enumerate(questions):
        data.update({f"questions-{index}-{key}": value for key, value in question.items()})
    data.update(management("steps", len(steps), initial_steps))
    for index, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{index}-{key}"] = value
    return data


def test_a_manager_creates_a_guide_with_questions_and_steps(cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    response = client.post(reverse("services_guide_add"), form_data(
        cluster, questions=[{"text": "是否做婚检？", "options": "是\n否\n\n"},
                            {"text": "", "options": ""}],
        steps=[{"title": "婚前医学检查", "item_code": "GA-BIRTH", "description": "免费。"},
               {"title": "", "item_code": ""}]))
    created = LifeEventGuide.objects.get(slug="jiehun")
    assert response.status_code == 302
    assert response.url == reverse("services_guide_edit", args=[created.pk])
    assert created.responsible_body == cluster.city and created.sort_order == 3
    assert [option.label for option in GuideOption.objects.filter(question__guide=created)] == [
        "是", "否"]
    assert list(created.steps.values_list("title", "item__code")) == [("婚前医学检查",
                                                                       "GA-BIRTH")]


def test_the_edit_page_shows_the_saved_guide_and_conditions_as_question_option_pairs(
        cluster, guide):
    page = client_for(cluster, ("city", MANAGER)).get(
        reverse("services_guide_edit", args=[guide.pk])).content.decode()
    assert 'value="怀孕生育"' in page
    assert "是\n否</textarea>" in page
    assert "户籍是否在本市？ — 是" in page
    yes = GuideOption.objects.get(question__guide=guide, question__sort_order=2, label="是")
    assert f'<option value="{yes.pk}" selected>' in page
    assert "请先保存" in page
    assert 'value="GA-HIDDEN"' not in page  # only published items are offered


def existing_form_data(cluster, guide, **fields):
    first, second = guide.questions.order_by("sort_order")
    yes = second.options.get(label="是")
    fields = {"title": "怀孕生育", "slug": "huaiyun", **fields}
    return form_data(
        cluster,
        questions=[{"text": first.text, "options": "是\n否"},
                   {"text": second.text, "options": "是\n否"}],
        steps=[{"title": "领取出生医学证明", "item_code": "GA-BIRTH"},
               {"title": "新生儿落户", "item_code": "GA-HUKOU",
                "required_options": [str(yes.pk)]}],
        initial_questions=2, initial_steps=2, **fields)


def test_editing_keeps_the_conditions_and_changes_the_fields(cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    data = existing_form_data(cluster, guide, title="怀孕和生育")
    first = guide.questions.get(sort_order=1)
    data["steps-0-required_options"] = [str(first.options.get(label="否").pk)]
    response = client.post(reverse("services_guide_edit", args=[guide.pk]), data)
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.title == "怀孕和生育"
    steps = list(guide.steps.order_by("sort_order"))
    assert [option.label for option in steps[0].required_options.all()] == ["否"]
    assert [(option.question.text, option.label) for option in steps[1].required_options.all()
            ] == [("户籍是否在本市？", "是")]


def test_deleting_a_question_drops_it_and_a_condition_on_it_is_refused_on_the_step(
        cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    data = existing_form_data(cluster, guide)
    data["questions-1-DELETE"] = "on"
    response = client.post(reverse("services_guide_edit", args=[guide.pk]), data)
    assert response.status_code == 200
    step_form = response.context["step_formset"].forms[1]
    assert "请先保存问题再选择条件" in step_form.errors["required_options"][0]
    assert guide.questions.count() == 2
    data.pop("steps-1-required_options")
    assert client.post(reverse("services_guide_edit", args=[guide.pk]), data).status_code == 302
    assert guide.questions.count() == 1


def test_a_question_with_one_option_is_refused_on_its_options(cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    data = existing_form_data(cluster, guide)
    data["questions-0-options"] = "是"
    response = client.post(reverse("services_guide_edit", args=[guide.pk]), data)
    assert response.status_code == 200
    assert response.context["question_formset"].forms[0].errors["options"] == [
        "每个问题至少要有两个选项，每行一个。"]
    assert "保存未成功" in response.content.decode()


def test_duplicate_options_found_by_the_action_land_on_that_question(cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    data = existing_form_data(cluster, guide)
    data["questions-0-options"] = "是\n否\n是 "
    response = client.post(reverse("services_guide_edit", args=[guide.pk]), data)
    assert response.status_code == 200
    assert "选项不能重复" in response.context["question_formset"].forms[0].errors["options"][0]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "请填写场景名称。"),
    ("slug", "不 合 法", "标识只能由字母、数字、下划线和连字符组成。"),
    ("sort_order", "-1", "排序号不能小于0。"),
    ("sort_order", "abc", "排序号只能是整数。"),
])
def test_each_guide_field_error_is_shown_on_its_field(cluster, guide, field, value, message):
    response = client_for(cluster, ("city", MANAGER)).post(
        reverse("services_guide_add"), form_data(cluster, **{field: value}))
    assert response.status_code == 200
    assert response.context["guide_form"].errors[field] == [message]
    assert not LifeEventGuide.objects.filter(slug="jiehun").exists()


def test_a_slug_of_another_guide_is_refused_on_the_slug(cluster, guide):
    response = client_for(cluster, ("city", MANAGER)).post(
        reverse("services_guide_add"), form_data(cluster, slug="huaiyun"))
    assert response.status_code == 200
    assert "已被另一个场景式服务使用" in response.context["guide_form"].errors["slug"][0]


def test_a_body_the_manager_does_not_keep_cannot_be_chosen(cluster, guide):
    response = client_for(cluster, ("city", MANAGER)).post(
        reverse("services_guide_add"),
        form_data(cluster, responsible_body=str(cluster.education.pk)))
    assert response.status_code == 200
    assert response.context["guide_form"].errors["responsible_body"] == ["只能选择您维护的单位。"]


def test_an_unpublished_item_cannot_be_chosen_for_a_step(cluster, guide):
    response = client_for(cluster, ("city", MANAGER)).post(
        reverse("services_guide_add"), form_data(cluster, steps=[
            {"title": "一", "item_code": "GA-HIDDEN"}]))
    assert response.status_code == 200
    assert response.context["step_formset"].forms[0].errors["item_code"] == [
        "请从已公开的事项中选择。"]


def test_publishing_and_unpublishing_go_through_the_confirmation(cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    url = reverse("services_guide_publish", args=[guide.pk])
    assert "确定公开“怀孕生育”吗" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert LifeEventGuide.objects.get(pk=guide.pk).is_published
    edit = client.get(reverse("services_guide_edit", args=[guide.pk])).content.decode()
    assert reverse("services:guide", args=["huaiyun"]) in edit
    assert client.post(reverse("services_guide_unpublish", args=[guide.pk])).status_code == 302
    assert not LifeEventGuide.objects.get(pk=guide.pk).is_published


def test_publishing_a_guide_without_steps_shows_why(cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    client.post(reverse("services_guide_add"), form_data(cluster))
    created = LifeEventGuide.objects.get(slug="jiehun")
    response = client.post(reverse("services_guide_publish", args=[created.pk]))
    assert response.status_code == 200
    assert "公开前至少要有一个办事步骤。" in response.content.decode()
    assert not LifeEventGuide.objects.get(pk=created.pk).is_published


def test_staff_text_is_escaped_in_the_admin(cluster, guide):
    client = client_for(cluster, ("city", MANAGER))
    client.post(reverse("services_guide_add"), form_data(
        cluster, title="<script>alert(1)</script>"))
    page = client.get(reverse("services_guides")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_menu_shows_the_guides_item_only_to_item_managers(cluster):
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from chuangkou.services.hooks.menu import services_menu

    def shown(who):
        request = client_for(cluster, who).get(reverse("wagtailadmin_home")).wsgi_request
        return {item.name for item in services_menu.menu_items_for_request(request)}

    assert "services-guides" in shown(("education", MANAGER))
    for role in (Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR, Role.SYSTEM_ADMINISTRATOR,
                 Role.AUDITOR, Role.EDITOR):
        assert "services-guides" not in shown(("city", role)), role
