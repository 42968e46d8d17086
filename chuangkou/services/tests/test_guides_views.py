"""Public pages of life-event guides: the list, the questions form and the personal plan."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.services.actions import (
    GuideData,
    GuideQuestionData,
    GuideStepData,
    publish_life_event_guide,
    save_life_event_guide,
)
from chuangkou.services.choices import MaterialForm, OnlineDepth
from chuangkou.services.models import GuideOption, GuideQuestion, ServiceMaterial

from .factories import make_item

pytestmark = pytest.mark.django_db


def make_guide(cluster, *, slug="huaiyun", title="怀孕生育", publish=True, steps=None,
               questions=None, summary="从建档到报户口。"):
    data = GuideData(
        title=title, slug=slug, summary=summary, responsible_body=cluster.city,
        questions=questions or (
            GuideQuestionData(text="是否第一次生育？", options=("是", "否")),
            GuideQuestionData(text="户籍是否在本市？", help_text="本人或配偶。",
                              options=("是", "否"))),
        steps=steps or (
            GuideStepData(title="生育登记", item_code="GV-REG",
                          description="网上即可办理。"),
            GuideStepData(title="新生儿落户", item_code="GV-HUKOU",
                          required_options=((1, "是"),)),
            GuideStepData(title="办理居住证", item_code="GV-RES", required_options=((1, "否"),)),
            GuideStepData(title="第一孩说明", required_options=((0, "是"), (1, "是")))))
    guide, _created = save_life_event_guide(data=data, actor=None, check_permission=False)
    if publish:
        guide = publish_life_event_guide(guide=guide, actor=None, check_permission=False)
    return guide


@pytest.fixture
def items(cluster):
    registration = make_item(body=cluster.district, code="GV-REG", name="生育登记",
                             online_depth=OnlineDepth.FULLY_ONLINE, promised_days=0,
                             visits_required=0)
    hukou = make_item(body=cluster.district, code="GV-HUKOU", name="新生儿出生登记",
                      online_depth=OnlineDepth.INFORMATION, promised_days=5, legal_days=10,
                      visits_required=1)
    residence = make_item(body=cluster.district, code="GV-RES", name="居住证申领",
                          online_depth=OnlineDepth.FORMS, promised_days=10, legal_days=15)
    # make_item gives each 居民身份证 (original) and 转学申请表 (electronic upload).
    ServiceMaterial.objects.create(item=hukou, name="户口簿", form=MaterialForm.ORIGINAL,
                                   sort_order=3)
    ServiceMaterial.objects.create(item=registration, name="户口簿", form=MaterialForm.COPY,
                                   copies=2, sort_order=3)
    return {"registration": registration, "hukou": hukou, "residence": residence}


def answers_for(guide, *labels) -> dict[str, str]:
    """Query parameters answering the guide's questions in order with ``labels``."""
    params = {}
    for question, label in zip(guide.questions.order_by("sort_order"), labels, strict=False):
        params[f"q{question.pk}"] = str(question.options.get(label=label).pk)
    return params


def test_the_list_shows_published_guides_with_their_question_count(client, cluster, items):
    make_guide(cluster)
    make_guide(cluster, slug="draft", title="草稿场景", publish=False)
    response = client.get(reverse("services:guides"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "怀孕生育" in page and "回答2个问题" in page and "共4个办事步骤" in page
    assert "草稿场景" not in page
    assert reverse("services:guide", args=["huaiyun"]) in page
    assert "no-cache" in response["Cache-Control"]


def test_the_list_takes_the_same_number_of_queries_however_many_guides(client, cluster, items):
    make_guide(cluster)
    client.get(reverse("services:guides"))  # the site chrome is cached after the first page
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("services:guides"))
    for number in range(5):
        make_guide(cluster, slug=f"guide-{number}", title=f"场景{number}")
    with CaptureQueriesContext(connection) as six:
        assert client.get(reverse("services:guides")).content.decode().count("回答2个问题") == 6
    assert len(six) == len(one)


def test_an_unpublished_or_unknown_guide_is_404(client, cluster, items):
    make_guide(cluster, slug="draft", publish=False)
    assert client.get(reverse("services:guide", args=["draft"])).status_code == 404
    assert client.get(reverse("services:guide", args=["no-such"])).status_code == 404


def test_the_questions_are_radio_groups_in_fieldsets_and_no_plan_is_shown_yet(client, cluster,
                                                                              items):
    guide = make_guide(cluster)
    response = client.get(reverse("services:guide", args=[guide.slug]))
    page = response.content.decode()
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    question = guide.questions.get(sort_order=1)
    assert '<form method="get"' in page
    assert "<legend>是否第一次生育？</legend>" in page
    assert f'type="radio" name="q{question.pk}"' in page
    assert page.count("<fieldset") >= 2
    assert "本人或配偶。" in page
    assert "我的办事计划" not in page


def test_answers_give_the_ordered_steps_with_links_to_the_items(client, cluster, items):
    guide = make_guide(cluster)
    response = client.get(reverse("services:guide", args=[guide.slug]),
                          answers_for(guide, "是", "是"))
    page = response.content.decode()
    assert "我的办事计划" in page
    steps = re.findall(r"<h4>(第.步)：([^<]+)</h4>", page)
    assert steps == [("第一步", "生育登记"), ("第二步", "新生儿落户"), ("第三步", "第一孩说明")]
    assert reverse("services:item", args=["GV-REG"]) in page
    assert reverse("services:item", args=["GV-HUKOU"]) in page
    assert "居住证申领" not in page
    # The chosen answers stay checked so the citizen can change one and update the plan.
    option = GuideOption.objects.get(question__guide=guide, question__sort_order=2, label="是")
    assert re.search(rf'value="{option.pk}"[^>]*checked', page)


def test_the_plan_merges_materials_and_says_which_items_need_them(client, cluster, items):
    guide = make_guide(cluster)
    page = client.get(reverse("services:guide", args=[guide.slug]),
                      answers_for(guide, "否", "是")).content.decode()
    table = page[page.index("材料清单"):]
    assert table.count(">居民身份证</th>") == 1
    assert table.count(">户口簿</th>") == 1
    row = re.search(r">户口簿</th><td>([^<]+)</td><td>(\d+)</td><td>[^<]+</td><td>([^<]+)</td>",
                    table)
    assert row.groups() == ("原件和复印件", "2", "生育登记、新生儿出生登记")


def test_the_plan_shows_promised_days_visits_and_online_application_links(client, cluster,
                                                                          items):
    guide = make_guide(cluster)
    page = client.get(reverse("services:guide", args=[guide.slug]),
                      answers_for(guide, "否", "是")).content.decode()
    assert "合计约5个工作日" in page
    assert "合计最多1次" in page
    assert reverse("services:apply", args=["GV-REG"]) in page
    assert reverse("services:apply", args=["GV-HUKOU"]) not in page
    assert f'href="{reverse("services:guide", args=[guide.slug])}">重新选择' in page


def test_a_plan_of_online_items_only_is_zero_visits(client, cluster, items):
    guide = make_guide(cluster, steps=(GuideStepData(title="生育登记", item_code="GV-REG"),))
    page = client.get(reverse("services:guide", args=[guide.slug]),
                      answers_for(guide, "是", "是")).content.decode()
    assert "零跑动" in page and "均为即办件" in page


def test_unanswered_questions_are_listed_with_a_message_not_an_error(client, cluster, items):
    guide = make_guide(cluster)
    response = client.get(reverse("services:guide", args=[guide.slug]),
                          answers_for(guide, "是"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "还有1个问题没有回答" in page
    unanswered = guide.questions.get(sort_order=2)
    assert f'href="#guide_q{unanswered.pk}_0">户籍是否在本市？' in page
    assert re.findall(r"<h4>(第.步)：([^<]+)</h4>", page) == [("第一步", "生育登记")]


def test_submitting_without_any_answer_shows_the_unconditional_steps(client, cluster, items):
    guide = make_guide(cluster)
    page = client.get(reverse("services:guide", args=[guide.slug]),
                      {"plan": "1"}).content.decode()
    assert "我的办事计划" in page and "还有2个问题没有回答" in page


@pytest.mark.parametrize("params", [
    {"q1x": "2"}, {"qabc": "1"}, {"q5": "abc"}, {"q999999": "1"}, {"q5": "-1"},
    {"q5": "99999999999999999999"}, {"q": ""}, {"q5": "<script>"},
])
def test_bad_query_parameters_never_fail(client, cluster, items, params):
    guide = make_guide(cluster)
    response = client.get(reverse("services:guide", args=[guide.slug]), params)
    assert response.status_code == 200
    assert "我的办事计划" in response.content.decode()


def test_answers_naming_unknown_options_are_ignored_with_a_notice(client, cluster, items):
    guide = make_guide(cluster)
    first, second = guide.questions.order_by("sort_order")
    other_option = second.options.get(label="否")
    page = client.get(reverse("services:guide", args=[guide.slug]), {
        f"q{first.pk}": str(other_option.pk), "q999999": "5", f"q{second.pk}": "abc"},
    ).content.decode()
    assert "有3个回答无法识别" in page
    assert "还有2个问题没有回答" in page


def test_a_step_whose_item_was_withdrawn_keeps_its_title_without_a_link(client, cluster, items):
    guide = make_guide(cluster)
    items["registration"].is_published = False
    items["registration"].save()
    page = client.get(reverse("services:guide", args=[guide.slug]),
                      answers_for(guide, "否", "是")).content.decode()
    assert "第一步：生育登记" in page
    assert reverse("services:item", args=["GV-REG"]) not in page
    assert reverse("services:apply", args=["GV-REG"]) not in page


def test_the_plan_page_takes_the_same_number_of_queries_however_big_the_guide(
        client, cluster, items):
    small = make_guide(cluster, slug="small", steps=(GuideStepData(title="一",
                                                                   item_code="GV-REG"),))
    params = answers_for(small, "是", "是")
    client.get(reverse("services:guides"))  # the site chrome is cached after the first page
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("services:guide", args=[small.slug]), params)
    for number in range(6):
        make_item(body=cluster.health, code=f"GV-MORE{number}", name=f"事项{number}")
    big = make_guide(cluster, slug="big", questions=tuple(
        GuideQuestionData(text=f"问题{number}", options=("是", "否", "不确定"))
        for number in range(5)), steps=tuple(
        GuideStepData(title=f"步骤{number}", item_code=f"GV-MORE{number}",
                      required_options=((number % 5, "是"),)) for number in range(6)))
    params = answers_for(big, *["是"] * 5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("services:guide", args=[big.slug]), params).content.decode()
    assert "第六步" in page
    assert len(many) == len(few)


def test_citizen_visible_text_from_staff_is_escaped(client, cluster, items):
    guide = make_guide(cluster, title="<script>alert(1)</script>生育",
                       summary="<b>粗体</b>", questions=(
                           GuideQuestionData(text="<img src=x onerror=alert(2)>？",
                                             options=("<i>是</i>", "否")),),
                       steps=(GuideStepData(title="<script>步骤</script>", item_code="GV-REG",
                                            description="<a href=javascript:x>说明</a>"),))
    question = GuideQuestion.objects.get(guide=guide)
    option = question.options.get(label="<i>是</i>")
    page = client.get(reverse("services:guide", args=[guide.slug]),
                      {f"q{question.pk}": str(option.pk)}).content.decode()
    body = page.split("</head>")[-1]
    for raw in ("<script>alert(1)", "<b>粗体", "<img src=x", "<i>是</i>", "<script>步骤",
                "<a href=javascript"):
        assert raw not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;生育" in body
    listing = client.get(reverse("services:guides")).content.decode().split("</head>")[-1]
    assert "<script>alert(1)" not in listing and "&lt;b&gt;粗体" in listing


def test_guide_pages_answer_get_only(client, cluster, items):
    guide = make_guide(cluster)
    assert client.post(reverse("services:guide", args=[guide.slug])).status_code == 405
    assert client.post(reverse("services:guides")).status_code == 405


def test_the_page_prints_without_the_form(client, cluster, items):
    guide = make_guide(cluster)
    page = client.get(reverse("services:guide", args=[guide.slug]),
                      answers_for(guide, "是", "是")).content.decode()
    assert "@media print" in page and "form.guide-questions" in page
