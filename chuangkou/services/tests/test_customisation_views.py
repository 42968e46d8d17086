"""服务定制 pages: 收藏 on an item's page, 我的网上办事 with its order buttons and followed
themes, and the guide page keeping a citizen's answers; every route against anonymous, a
citizen, another citizen and staff."""

import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import ApplicationStatus
from ..models import GuideProgress, ServiceInterest, ServicePin
from .citizens_support import make_guide, theme
from .factories import make_application, make_item

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


@pytest.fixture
def client():
    number = next(_addresses)
    return Client(REMOTE_ADDR=f"10.88.{number // 250}.{number % 250 + 1}")


@pytest.fixture
def citizen():
    return make_citizen()


@pytest.fixture
def items(cluster):
    return [make_item(body=cluster.education, name=name) for name in
            ("义务教育阶段转学申请", "教师资格认定", "学生资助申请")]


def pinned_names(user):
    return list(ServicePin.objects.filter(user=user).order_by("position")
                .values_list("item__name", flat=True))


def test_the_item_page_offers_signing_in_to_anonymous_and_pinning_to_citizens(
        client, cluster, citizen, items):
    page = reverse("services:item", args=[items[0].code])
    anonymous = client.get(page).content.decode()
    assert f'{reverse("accounts:sign_in")}?next=' in anonymous and "登录后收藏" in anonymous
    assert reverse("services:pin", args=[items[0].code]) not in anonymous
    client.force_login(cluster.user("education", Role.EDITOR))
    staff = client.get(page).content.decode()
    assert "收藏" not in staff
    client.force_login(citizen.user)
    before = client.get(page).content.decode()
    assert f'action="{reverse("services:pin", args=[items[0].code])}"' in before
    response = client.post(reverse("services:pin", args=[items[0].code]))
    assert response.status_code == 302 and response["Location"] == page
    assert pinned_names(citizen.user) == ["义务教育阶段转学申请"]
    after = client.get(page).content.decode()
    assert "已收藏" in after and reverse("services:unpin", args=[items[0].code]) in after
    unpinned = client.post(reverse("services:unpin", args=[items[0].code]), {"next": page})
    assert unpinned["Location"] == page and not ServicePin.objects.exists()
    elsewhere = client.post(reverse("services:pin", args=[items[0].code]),
                            {"next": "https://evil.example.com/"})
    assert elsewhere["Location"] == page


def test_pinning_needs_a_citizen_a_post_and_a_published_item(client, cluster, citizen, items):
    url = reverse("services:pin", args=[items[0].code])
    anonymous = client.post(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:sign_in"))
    client.force_login(cluster.user("education", Role.SERVICE_HANDLER))
    assert client.post(url).status_code == 403
    client.force_login(citizen.user)
    assert client.get(url)["Location"] == reverse("services:item", args=[items[0].code])
    hidden = make_item(body=cluster.education, published=False)
    assert client.post(reverse("services:pin", args=[hidden.code])).status_code == 404
    assert not ServicePin.objects.exists()


def test_posts_without_the_csrf_token_are_refused(cluster, citizen, items):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen.user)
    assert strict.post(reverse("services:pin", args=[items[0].code])).status_code == 403
    assert strict.post(reverse("services:mine"), {}).status_code == 403
    assert not ServicePin.objects.exists()


def test_mine_orders_pins_with_buttons_and_removes_them(client, citizen, items):
    for item in items:
        actions.pin_service(user=citizen.user, item=item)
    client.force_login(citizen.user)
    page = client.get(reverse("services:mine")).content.decode()
    assert page.index("义务教育阶段转学申请") < page.index("教师资格认定") < page.index("学生资助申请")
    assert page.count('name="direction" value="up"') == 2
    assert page.count('name="direction" value="down"') == 2
    moved = client.post(reverse("services:move_pin", args=[items[2].code]),
                        {"direction": "up"})
    assert moved.status_code == 302 and moved["Location"].endswith("#pins")
    assert pinned_names(citizen.user) == ["义务教育阶段转学申请", "学生资助申请", "教师资格认定"]
    client.post(reverse("services:move_pin", args=[items[0].code]), {"direction": "sideways"})
    assert pinned_names(citizen.user)[0] == "义务教育阶段转学申请"
    client.post(reverse("services:unpin", args=[items[0].code]))
    assert pinned_names(citizen.user) == ["学生资助申请", "教师资格认定"]


def test_another_citizen_never_sees_or_moves_my_pins(client, citizen, items):
    actions.pin_service(user=citizen.user, item=items[0])
    actions.pin_service(user=citizen.user, item=items[1])
    mine_application = make_application(item=items[0], user=citizen.user)
    other = make_citizen()
    client.force_login(other.user)
    page = client.get(reverse("services:mine")).content.decode()
    assert "教师资格认定" not in page and mine_application.number not in page
    client.post(reverse("services:move_pin", args=[items[1].code]), {"direction": "up"})
    client.post(reverse("services:unpin", args=[items[0].code]))
    assert pinned_names(citizen.user) == ["义务教育阶段转学申请", "教师资格认定"]
    assert not ServicePin.objects.filter(user=other.user).exists()


def test_mine_is_for_citizens_only(client, cluster):
    url = reverse("services:mine")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign_in"))
    client.force_login(cluster.user("education", Role.SERVICE_SUPERVISOR))
    assert client.get(url).status_code == 403


def test_mine_lists_my_applications_and_those_to_rate(client, citizen, items):
    waiting = make_application(item=items[0], user=citizen.user,
                               status=ApplicationStatus.DELIVERED)
    client.force_login(citizen.user)
    page = client.get(reverse("services:mine")).content.decode()
    assert waiting.number in page
    assert f'{reverse("services:application", args=[waiting.number])}#rating' in page


def test_choosing_followed_themes(client, citizen):
    jiaoyu, shengyu = theme("jiaoyu"), theme("shengyu")
    client.force_login(citizen.user)
    page = client.get(reverse("services:mine")).content.decode()
    assert "个人办事" in page and "法人办事" in page and 'type="checkbox"' in page
    saved = client.post(reverse("services:mine"),
                        {"themes_person": [str(jiaoyu.pk), str(shengyu.pk)]})
    assert saved.status_code == 302
    assert set(ServiceInterest.objects.filter(user=citizen.user)
               .values_list("theme__slug", flat=True)) == {"jiaoyu", "shengyu"}
    refused = client.post(reverse("services:mine"), {"themes_person": ["999999"]})
    assert refused.status_code == 400
    assert "所选主题不存在" in refused.content.decode()
    assert ServiceInterest.objects.filter(user=citizen.user).count() == 2


def test_the_guide_page_keeps_a_citizens_answers_and_nobody_elses(client, cluster, citizen, items):
    guide, question, yes = make_guide(cluster.education, items)
    url = reverse("services:guide", args=[guide.slug])
    assert client.get(url, {f"q{question.pk}": yes.pk}).status_code == 200
    client.force_login(cluster.user("education", Role.EDITOR))
    client.get(url, {f"q{question.pk}": yes.pk})
    assert not GuideProgress.objects.exists()
    client.force_login(citizen.user)
    client.get(url)
    assert not GuideProgress.objects.exists()
    client.get(url, {f"q{question.pk}": yes.pk})
    assert GuideProgress.objects.get(user=citizen.user).chosen() == {question.pk: yes.pk}
    page = client.get(reverse("services:mine")).content.decode()
    assert "继续：小孩上学" in page


def test_mine_takes_the_same_queries_for_few_or_many_pins_and_applications(
        client, cluster, items):
    def fill(user, copies):
        for number in range(copies):
            item = make_item(body=cluster.health, name=f"健康服务{number}")
            actions.pin_service(user=user, item=item)
            make_application(item=item, user=user, status=ApplicationStatus.DELIVERED)
            make_application(item=items[number % 3], user=user)
        actions.set_service_interests(user=user, themes=[theme("jiaoyu")])

    few, many = make_citizen(), make_citizen()
    fill(few.user, 1)
    fill(many.user, 5)
    client.force_login(few.user)
    client.get(reverse("services:mine"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("services:mine"))
    client.force_login(many.user)
    client.get(reverse("services:mine"))
    with CaptureQueriesContext(connection) as second:
        page = client.get(reverse("services:mine"))
    assert "健康服务4" in page.content.decode()
    assert len(second.captured_queries) == len(first.captured_queries)
