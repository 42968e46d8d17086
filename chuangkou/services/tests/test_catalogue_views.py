"""Public catalogue pages: the landing page, the list with filters, pagination and pretty URLs,
an item's full guide and its printable page; 404s, escaping and query counts."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model

from chuangkou.organizations.tests.factories import make_body

from ..choices import Audience, DeliveryMethod, OnlineDepth, ServiceItemKind
from ..models import BookableResource, ServiceFAQ, ServiceItem, ServiceTheme, UserChannel
from .factories import make_item

pytestmark = pytest.mark.django_db


def tagged(item, *themes, channels=()):
    for audience, slug in themes:
        item.themes.add(ServiceTheme.objects.get(audience=audience, slug=slug))
    for slug in channels:
        item.channels.add(UserChannel.objects.get(slug=slug))
    return item


def listed_codes(response) -> list[str]:
    return [item.code for item in response.context["page_obj"] or []]


# --------------------------------------------------------------------------- landing


def test_landing_shows_themes_channels_and_bodies_with_counts(client, cluster):
    tagged(make_item(body=cluster.education, name="转学申请"), ("person", "jiaoyu"),
           channels=("shimin",))
    make_item(body=cluster.health, published=False)

    response = client.get(reverse("services:landing"))

    assert response.status_code == 200
    page = response.content.decode()
    assert len(response.context["person_themes"]) == 10
    assert len(response.context["enterprise_themes"]) == 12
    assert len(response.context["channels"]) == 6
    assert [body.slug for body in response.context["bodies"]] == ["education"]
    assert reverse("services:theme_items", args=["person", "jiaoyu"]) in page
    assert reverse("services:channel_items", args=["shimin"]) in page
    assert reverse("services:body_items", args=["education"]) in page
    for name in ("services:guides", "services:query", "services:bookings", "services:ratings"):
        assert reverse(name) in page
    assert f'action="{reverse("services:items")}"' in page
    assert "个人办事" in page and "法人办事" in page and "用户频道" in page
    assert "no-cache" in response["Cache-Control"]


def test_landing_uses_a_fixed_number_of_queries(client, cluster):
    make_item(body=cluster.education)
    client.get(reverse("services:landing"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("services:landing"))
    for body in (cluster.health, cluster.district, cluster.city):
        tagged(make_item(body=body), ("person", "jiaoyu"), ("enterprise", "sheli"),
               channels=("qiye",))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("services:landing"))
    assert len(many) == len(few)


# --------------------------------------------------------------------------- the list


def test_list_rows_show_body_kind_depth_time_and_visits(client, cluster):
    make_item(body=cluster.education, code="L-0001", name="即办事项", promised_days=0,
              visits_required=0, online_depth=OnlineDepth.FULLY_ONLINE)
    make_item(body=cluster.education, code="L-0002", name="承诺事项", promised_days=7,
              visits_required=2)

    response = client.get(reverse("services:items"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "即办件" in page and "7个工作日" in page
    assert "零跑动" in page and "2次" in page
    assert "4级" in page and "示例市教育局" in page and "公共服务" in page
    assert reverse("services:item", args=["L-0001"]) in page
    assert '<th scope="col">事项名称</th>' in page
    assert 'class="table-scroll" tabindex="0" role="region"' in page


def test_list_filters_by_each_parameter(client, cluster):
    street = make_body(parent=cluster.district, name="东城区东湖街道办事处", slug="donghu")
    district_item = make_item(body=cluster.district, code="F-0001")
    street_item = make_item(body=street, code="F-0002", audience=Audience.ENTERPRISE,
                            kind=ServiceItemKind.ADMINISTRATIVE_LICENSING,
                            online_depth=OnlineDepth.FULLY_ONLINE, name="食品经营许可")
    tagged(street_item, ("enterprise", "zhunying"), channels=("qiye",))
    url = reverse("services:items")

    assert listed_codes(client.get(url, {"body": "dongcheng"})) == [district_item.code]
    assert sorted(listed_codes(client.get(url, {"body": "dongcheng", "below": "on"}))) == [
        district_item.code, street_item.code]
    assert listed_codes(client.get(url, {"theme": "enterprise:zhunying"})) == [
        street_item.code]
    assert listed_codes(client.get(url, {"audience": "enterprise"})) == [street_item.code]
    assert listed_codes(client.get(url, {"channel": "qiye"})) == [street_item.code]
    assert listed_codes(client.get(url, {"kind": "licensing"})) == [street_item.code]
    assert listed_codes(client.get(url, {"depth": "4"})) == [street_item.code]
    assert listed_codes(client.get(url, {"q": "食品"})) == [street_item.code]


def test_an_unknown_filter_value_is_reported_and_ignored(client, cluster):
    item = make_item(body=cluster.education)

    response = client.get(reverse("services:items"), {"body": "nowhere", "depth": "9",
                                                      "theme": "<script>x</script>"})

    assert response.status_code == 200
    assert listed_codes(response) == [item.code]
    page = response.content.decode()
    assert "实施主体中没有“nowhere”" in page
    assert "<script>x</script>" not in page
    assert 'class="error-summary"' in page


def test_the_filter_form_has_a_label_for_every_input(client, cluster):
    page = client.get(reverse("services:items")).content.decode()
    for name in ("q", "body", "below", "theme", "audience", "channel", "kind", "depth"):
        assert f'for="id_{name}"' in page and f'id="id_{name}"' in page


def test_pages_past_the_end_show_an_empty_page_with_a_message(client, cluster):
    make_item(body=cluster.education)

    response = client.get(reverse("services:items"), {"page": "5"})

    assert response.status_code == 200
    assert response.context["past_end"]
    assert "没有这一页" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "", "-1x"])
def test_a_page_that_is_not_a_number_shows_the_first_page(client, cluster, page):
    item = make_item(body=cluster.education)
    response = client.get(reverse("services:items"), {"page": page})
    assert response.status_code == 200
    assert listed_codes(response) == [item.code]


def test_the_list_is_paginated_twenty_per_page_keeping_the_filters(client, cluster):
    for number in range(21):
        make_item(body=cluster.education, code=f"P-{number:04d}", sort_order=number)

    first = client.get(reverse("services:items"), {"body": "education"})
    second = client.get(reverse("services:items"), {"body": "education", "page": "2"})

    assert len(listed_codes(first)) == 20
    assert listed_codes(second) == ["P-0020"]
    assert "?body=education&amp;page=2" in first.content.decode()


def test_the_list_uses_the_same_number_of_queries_for_few_and_many_items(client, cluster):
    make_item(body=cluster.education)
    client.get(reverse("services:items"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("services:items"))
    for body in (cluster.health, cluster.district, cluster.city):
        for _ in range(3):
            make_item(body=body)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("services:items"))
    assert len(listed_codes(response)) == 10
    assert len(many) == len(few)


def test_pretty_urls_list_by_theme_channel_and_body_with_a_heading(client, cluster):
    item = tagged(make_item(body=cluster.education), ("person", "jiaoyu"), channels=("shimin",))
    make_item(body=cluster.health)

    by_theme = client.get(reverse("services:theme_items", args=["person", "jiaoyu"]))
    by_channel = client.get(reverse("services:channel_items", args=["shimin"]))
    by_body = client.get(reverse("services:body_items", args=["education"]))

    assert listed_codes(by_theme) == [item.code]
    assert "教育科研" in by_theme.context["heading"]
    assert listed_codes(by_channel) == [item.code]
    assert "市民" in by_channel.context["heading"]
    assert listed_codes(by_body) == [item.code]
    assert "示例市教育局" in by_body.context["heading"]
    assert "theme" not in by_theme.context["form"].fields


@pytest.mark.parametrize("url", [
    "/banshi/themes/person/no-such-theme/", "/banshi/themes/martians/jiaoyu/",
    "/banshi/channels/nowhere/", "/banshi/bodies/nowhere/",
])
def test_unknown_pretty_urls_are_404(client, cluster, url):
    assert client.get(url).status_code == 404


# --------------------------------------------------------------------------- the guide


@pytest.fixture
def guide_item(cluster):
    item = make_item(body=cluster.education, code="330100-JY-0001", name="义务教育阶段转学申请",
                     charges_fee=True, fee_basis="收费文件", fee_standard="每件20元",
                     delivery_methods=[DeliveryMethod.ONLINE, DeliveryMethod.POST],
                     special_procedures="专家评审", summary="为学生办理转学。")
    ServiceFAQ.objects.create(item=item, question="转学需要多久？", answer="五个工作日。")
    document = get_document_model().objects.create(title="转学申请表空白表格",
                                                   file="documents/blank.pdf",
                                                   collection=cluster.education.collection)
    item.materials.filter(name="转学申请表").update(blank_form=document, example=document)
    tagged(item, ("person", "jiaoyu"))
    return item


def test_the_guide_shows_every_element(client, guide_item):
    response = client.get(reverse("services:item", args=[guide_item.code]))

    assert response.status_code == 200
    page = response.content.decode()
    for text in ("事项编码", "330100-JY-0001", "事项类型", "公共服务", "实施主体", "示例市教育局",
                 "服务对象", "个人", "设定依据", "义务教育法", "受理条件", "适龄儿童少年",
                 "办理地点", "办理时间", "法定时限", "20个工作日", "承诺时限", "5个工作日",
                 "到现场次数", "网办深度", "三级：网上申请", "申请所需身份", "无需登录",
                 "收费依据", "每件20元", "咨询电话", "0571-12345678", "监督投诉电话", "12345",
                 "特殊环节", "专家评审", "网上送达", "邮寄送达", "教育科研"):
        assert text in page, text
    assert '<th scope="row">居民身份证</th>' in page
    assert "空白表格" in page and "填写样例" in page
    assert '<ol class="steps">' in page and "<strong>审查</strong>" in page
    assert "<h3>转学需要多久？</h3>" in page and "五个工作日。" in page


def test_the_guide_links_to_apply_print_query_and_bookings(client, guide_item, cluster):
    resource = BookableResource.objects.create(name="转学咨询预约", kind="hall_appointment",
                                               body=cluster.education, item=guide_item,
                                               place="一楼", is_published=True)
    page = client.get(reverse("services:item", args=[guide_item.code])).content.decode()

    assert reverse("services:apply", args=[guide_item.code]) in page
    assert reverse("services:item_print", args=[guide_item.code]) in page
    assert reverse("services:query") in page
    assert reverse("services:booking_resource", args=[resource.pk]) in page


def test_an_item_not_applied_for_online_has_no_apply_button(client, cluster):
    item = make_item(body=cluster.education, online_depth=OnlineDepth.FORMS)
    page = client.get(reverse("services:item", args=[item.code])).content.decode()
    assert reverse("services:apply", args=[item.code]) not in page
    assert "暂不能在网上申请" in page


def test_unpublished_and_unknown_items_are_404(client, cluster):
    hidden = make_item(body=cluster.education, published=False)
    for code in (hidden.code, "NO-SUCH-0001"):
        assert client.get(reverse("services:item", args=[code])).status_code == 404
        assert client.get(reverse("services:item_print", args=[code])).status_code == 404


def test_item_text_is_escaped_everywhere(client, cluster):
    item = make_item(body=cluster.education, name="<script>alert(1)</script>",
                     summary="<b>粗</b>")
    ServiceItem.objects.filter(pk=item.pk).update(place="<img src=x onerror=alert(1)>")
    ServiceFAQ.objects.create(item=item, question="<script>q</script>", answer="<i>a</i>")

    for url in (reverse("services:item", args=[item.code]),
                reverse("services:item_print", args=[item.code]),
                reverse("services:items")):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    detail = client.get(reverse("services:item", args=[item.code])).content.decode()
    assert "<img src=x" not in detail and "<script>q</script>" not in detail


def test_the_guide_page_uses_a_fixed_number_of_queries(client, guide_item, cluster):
    client.get(reverse("services:item", args=[guide_item.code]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("services:item", args=[guide_item.code]))
    for number in range(4):
        ServiceFAQ.objects.create(item=guide_item, question=f"问题{number}", answer="答")
        guide_item.materials.create(name=f"材料{number}")
        guide_item.steps.create(name=f"环节{number}")
        BookableResource.objects.create(name=f"预约{number}", kind="hall_appointment",
                                        body=cluster.education, item=guide_item, place="一楼",
                                        is_published=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("services:item", args=[guide_item.code]))
    assert len(many) == len(few)


def test_the_print_page_has_the_date_and_address_and_no_site_navigation(client, guide_item):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        response = client.get(reverse("services:item_print", args=[guide_item.code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith("<!DOCTYPE html>")
    assert "打印日期：2026年11月20日" in page
    assert f"http://testserver{reverse('services:item', args=[guide_item.code])}" in page
    assert "@media print" in page and "size: A4" in page
    assert 'class="services-nav"' not in page and "site-header" not in page
    assert "每件20元" in page and "<h3>转学需要多久？</h3>" in page
    assert "表格下载" not in page
