"""好差评 public pages: rating one's own decided application (and nobody else's), the form's
errors, the rate limit, and the published figures with escaping and masking."""

import itertools
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.ratings import RatingInput
from ..choices import ApplicationStatus
from ..forms.ratings import RatingForm
from ..models import RectificationCase, ServiceRating
from ..views.access import APPLICATION_GRANTS_KEY
from .factories import make_application, make_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
_addresses = itertools.count(1)
GOOD = {"level": "5", "efficiency": "4", "guide_accuracy": "5", "convenience": "4",
        "usability": "3", "comment": "办事很方便"}


@pytest.fixture
def client():
    # Each test its own address: the rate-limit counters live in the shared cache.
    address = f"10.{os.getpid() % 250}.{next(_addresses) % 250}.{next(_addresses) % 250}"
    client = Client(REMOTE_ADDR=address)
    yield client
    cache.delete(f"services-ratings-rate:{address}")


def grant(client, application):
    session = client.session
    session[APPLICATION_GRANTS_KEY] = [application.number]
    session.save()


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education)


@pytest.fixture
def decided(item):
    return make_application(item=item, status=ApplicationStatus.DELIVERED)


def rate_url(application):
    return reverse("services:rate", args=[application.number])


def test_a_rating_is_saved_and_leads_back_to_the_application(client, decided):
    grant(client, decided)
    response = client.post(rate_url(decided), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("services:application", args=[decided.number])
    assert "no-store" in response["Cache-Control"]
    rating = ServiceRating.objects.get(application=decided)
    assert (rating.level, rating.efficiency, rating.usability, rating.comment) == (
        5, 4, 3, "办事很方便")
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["感谢您的评价。"]


def test_a_signed_in_applicant_rates_their_own_application(client, cluster, item):
    citizen = cluster.user("education", Role.EDITOR)  # any account: the application is theirs
    application = make_application(item=item, status=ApplicationStatus.APPROVED, user=citizen)
    client.force_login(citizen)
    assert client.post(rate_url(application), {**GOOD, "level": "1"}).status_code == 302
    assert RectificationCase.objects.filter(rating__application=application).exists()


def test_get_leads_to_the_application_page(client, decided):
    grant(client, decided)
    response = client.get(rate_url(decided))
    assert response.status_code == 302
    assert response["Location"] == reverse("services:application", args=[decided.number])


def test_someone_elses_or_an_unknown_number_is_404(client, cluster, item, decided):
    other = make_application(item=item, status=ApplicationStatus.DELIVERED,
                             user=cluster.user("health", Role.EDITOR))
    grant(client, decided)
    assert client.post(rate_url(other), GOOD).status_code == 404
    assert client.get(rate_url(other)).status_code == 404
    assert client.post(reverse("services:rate", args=["BJ2026999999"]), GOOD).status_code == 404
    client.force_login(cluster.user("education", Role.EDITOR))
    assert client.post(rate_url(other), GOOD).status_code == 404
    assert not ServiceRating.objects.filter(application=other).exists()


@pytest.mark.parametrize(("field", "name"), [("level", "整体满意度"), ("efficiency", "办事效率"),
                                             ("guide_accuracy", "办事指南精确度"),
                                             ("convenience", "办事便捷度"),
                                             ("usability", "平台操作性")])
def test_a_missing_or_wrong_indicator_is_named(client, decided, field, name):
    grant(client, decided)
    for value in ("", "9", "满意"):
        response = client.post(rate_url(decided), {**GOOD, field: value})
        assert response.status_code == 400
        page = response.content.decode()
        assert f"请为“{name}”选择一个评价等级" in page or f"“{name}”只能从五个等级" in page
        assert 'href="#rating-' in page  # the error summary links to the group
    assert not ServiceRating.objects.exists()


def test_a_comment_over_500_characters_is_refused(client, decided):
    grant(client, decided)
    response = client.post(rate_url(decided), {**GOOD, "comment": "长" * 501})
    assert response.status_code == 400
    assert "评价内容不能超过500个字" in response.content.decode()
    assert not ServiceRating.objects.exists()


def test_an_undecided_application_cannot_be_rated(client, item):
    application = make_application(item=item, status=ApplicationStatus.IN_PROGRESS)
    grant(client, application)
    response = client.post(rate_url(application), GOOD)
    assert response.status_code == 302 and not ServiceRating.objects.exists()
    assert [str(m) for m in response.wsgi_request._messages] == ["办件办结后才能评价。"]


def test_a_second_rating_is_not_saved(client, decided):
    grant(client, decided)
    client.post(rate_url(decided), GOOD)
    response = client.post(rate_url(decided), {**GOOD, "level": "1"})
    assert response.status_code == 302
    assert ServiceRating.objects.get().level == 5
    assert not RectificationCase.objects.exists()


def test_too_many_ratings_from_one_address_get_429(client, decided, settings):
    settings.SERVICES_RATINGS_PER_HOUR_PER_ADDRESS = 1
    grant(client, decided)
    assert client.post(rate_url(decided), {**GOOD, "level": ""}).status_code == 400
    response = client.post(rate_url(decided), GOOD)
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert not ServiceRating.objects.exists()


def test_the_rating_form_partial_has_a_fieldset_per_indicator(decided, rf):
    html = render_to_string("services/public/_rating_form.html",
                            {"application": decided, "rating_form": RatingForm()},
                            request=rf.get("/"))
    assert html.count("<fieldset") == 5
    assert html.count('type="radio"') == 25
    for name in ("整体满意度", "办事效率", "办事指南精确度", "办事便捷度", "平台操作性", "非常不满意"):
        assert name in html
    assert f'action="{rate_url(decided)}"' in html
    assert '<label for="rating-comment"' in html


# --------------------------------------------------------------------------- 好差评公示


@pytest.fixture
def published(cluster):
    item = make_item(body=cluster.education, name="<script>alert(1)</script>转学", code="X1")
    other = make_item(body=cluster.health, name="医师执业注册", code="X2")
    with time_machine.travel(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI), tick=False):
        for level in (5, 4):
            actions.rate_application(
                application=make_application(item=item, status=ApplicationStatus.DELIVERED),
                rating=RatingInput(level=level, efficiency=level, guide_accuracy=level,
                                   convenience=level, usability=level))
        bad = actions.rate_application(
            application=make_application(item=item, status=ApplicationStatus.DELIVERED),
            rating=RatingInput(level=1, efficiency=1, guide_accuracy=1, convenience=1,
                               usability=1,
                               comment="<script>steal()</script>身份证11010519491231002X"))
        actions.rate_application(
            application=make_application(item=other, status=ApplicationStatus.DELIVERED),
            rating=RatingInput(level=2, efficiency=2, guide_accuracy=2, convenience=2,
                               usability=2))
    return {"item": item, "other": other, "bad": bad}


def test_the_public_page_shows_figures_and_the_rectification_record(client, cluster, published):
    response = client.get(reverse("services:ratings"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    assert "好差评公示" in page and cluster.education.name in page
    assert "66.7%" in page  # 2 of 3 good at the education bureau
    assert "11010519491231002X" not in page and "1101**********002X" in page
    assert "李建华" not in page and "13912345678" not in page
    assert 'aria-current="page">好差评' in page


def test_citizen_and_item_text_is_escaped(client, published):
    page = client.get(reverse("services:ratings")).content.decode()
    assert "<script>" not in page
    assert "&lt;script&gt;steal()&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;转学" in page


def test_the_page_filters_by_body_and_year(client, cluster, published):
    page = client.get(reverse("services:ratings"), {"body": "health"}).content.decode()
    assert "医师执业注册" in page and "转学" not in page
    response = client.get(reverse("services:ratings"), {"year": "2025"})
    assert response.status_code == 200
    assert "暂无差评" in response.content.decode()
    assert client.get(reverse("services:ratings"), {"body": "nowhere"}).status_code == 400
    assert client.get(reverse("services:ratings"), {"year": "abc"}).status_code == 400


def test_removed_ratings_are_counted_apart(client, cluster, published):
    appeal = actions.submit_rating_appeal(
        rating=published["bad"], actor=cluster.user("education", Role.SERVICE_HANDLER),
        reason="申请人误将其他部门的事项评价给本单位。")
    actions.decide_rating_appeal(appeal=appeal,
                                 actor=cluster.user("city", Role.SERVICE_SUPERVISOR),
                                 uphold=True, note="经核实属误评。")
    response = client.get(reverse("services:ratings"))
    total = response.context["total"]
    assert (total.count, total.removed, total.dissatisfied) == (3, 1, 1)
    page = response.content.decode()
    assert "steal()" not in page and "100.0%" in page


def test_the_public_page_queries_do_not_grow_with_rows(client, cluster, published,
                                                      django_assert_max_num_queries):
    url = reverse("services:ratings")
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    first = len(captured)
    with time_machine.travel(datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI), tick=False):
        for body in (cluster.health, cluster.district, cluster.city):
            for level in (1, 5):
                actions.rate_application(
                    application=make_application(item=make_item(body=body),
                                                 status=ApplicationStatus.DELIVERED),
                    rating=RatingInput(level=level, efficiency=level, guide_accuracy=level,
                                       convenience=level, usability=level, comment="慢"))
    with django_assert_max_num_queries(first):
        client.get(url)
