"""Reads of the catalogue: public filters, one item's guide, landing counts, the manager's list;
each with related rows fetched up front (query counts that do not grow with rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import make_body

from .. import queries
from ..choices import Audience, OnlineDepth, ServiceItemKind
from ..models import BookableResource, ServiceItem, ServiceMaterial, ServiceTheme, UserChannel
from .factories import make_item

pytestmark = pytest.mark.django_db


def codes(items) -> list[str]:
    return [item.code for item in items]


def theme(audience, slug):
    return ServiceTheme.objects.get(audience=audience, slug=slug)


def test_only_published_items_are_listed(cluster):
    shown = make_item(body=cluster.education, code="PUB-0001")
    make_item(body=cluster.education, code="HID-0001", published=False)
    assert codes(queries.published_items()) == [shown.code]


def test_body_filter_and_bodies_below(cluster):
    street = make_body(parent=cluster.district, name="东城区东湖街道办事处", slug="donghu")
    district_item = make_item(body=cluster.district, code="DC-0001")
    street_item = make_item(body=street, code="DC-0002")
    make_item(body=cluster.education, code="JY-0001")

    assert codes(queries.published_items(body=cluster.district)) == [district_item.code]
    assert sorted(codes(queries.published_items(body=cluster.district, include_below=True))) == [
        district_item.code, street_item.code]


def test_an_item_for_both_audiences_shows_under_person_and_enterprise(cluster):
    person = make_item(body=cluster.education, code="P-0001", audience=Audience.PERSON)
    enterprise = make_item(body=cluster.education, code="E-0001", audience=Audience.ENTERPRISE)
    both = make_item(body=cluster.education, code="B-0001", audience=Audience.BOTH)

    assert sorted(codes(queries.published_items(audience=Audience.PERSON))) == [
        both.code, person.code]
    assert sorted(codes(queries.published_items(audience=Audience.ENTERPRISE))) == [
        both.code, enterprise.code]
    assert codes(queries.published_items(audience=Audience.BOTH)) == [both.code]


def test_theme_channel_kind_and_depth_filters(cluster):
    education_theme = theme("person", "jiaoyu")
    channel = UserChannel.objects.get(slug="shimin")
    tagged = make_item(body=cluster.education, code="T-0001",
                       kind=ServiceItemKind.ADMINISTRATIVE_LICENSING,
                       online_depth=OnlineDepth.FULLY_ONLINE)
    tagged.themes.add(education_theme)
    tagged.channels.add(channel)
    make_item(body=cluster.education, code="T-0002")

    assert codes(queries.published_items(theme=education_theme)) == [tagged.code]
    assert codes(queries.published_items(theme=theme("enterprise", "shebao"))) == []
    assert codes(queries.published_items(channel=channel)) == [tagged.code]
    assert codes(queries.published_items(
        kind=ServiceItemKind.ADMINISTRATIVE_LICENSING)) == [tagged.code]
    assert codes(queries.published_items(depth=OnlineDepth.FULLY_ONLINE)) == [tagged.code]


def test_text_search_matches_name_code_and_summary(cluster):
    by_name = make_item(body=cluster.education, code="Q-0001", name="出生医学证明办理")
    by_code = make_item(body=cluster.education, code="Q-XYZ-0002", name="甲")
    by_summary = make_item(body=cluster.education, code="Q-0003", name="乙",
                           summary="新生儿出生后办理")
    make_item(body=cluster.education, code="Q-0004", name="丙")

    assert sorted(codes(queries.published_items(q="出生"))) == [by_name.code, by_summary.code]
    assert codes(queries.published_items(q="xyz")) == [by_code.code]
    assert len(codes(queries.published_items(q="  "))) == 4


def test_the_list_uses_the_same_queries_for_few_and_many_items(cluster):
    make_item(body=cluster.education)

    def run():
        with CaptureQueriesContext(connection) as captured:
            for item in queries.published_items():
                str(item.implementing_body.name)
        return len(captured)

    few = run()
    for _ in range(5):
        make_item(body=cluster.health)
    assert run() == few == 1


def test_item_for_public_fetches_the_whole_guide_in_a_fixed_number_of_queries(cluster):
    item = make_item(body=cluster.education, code="G-0001")
    item.themes.add(theme("person", "jiaoyu"))
    BookableResource.objects.create(name="转学咨询预约", kind="hall_appointment",
                                    body=cluster.education, item=item, place="一楼",
                                    is_published=True)
    BookableResource.objects.create(name="未公开", kind="hall_appointment",
                                    body=cluster.education, item=item, place="一楼")

    with CaptureQueriesContext(connection) as captured:
        found = queries.item_for_public("G-0001")
        for material in found.materials.all():
            str(material.blank_form), str(material.example)
        list(found.steps.all()), list(found.faqs.all()), list(found.themes.all())
        list(found.channels.all())
        names = [resource.name for resource in found.published_resources]
    assert names == ["转学咨询预约"]
    assert len(captured) == 7


def test_item_for_public_hides_unpublished_and_unknown_codes(cluster):
    make_item(body=cluster.education, code="H-0001", published=False)
    assert queries.item_for_public("H-0001") is None
    assert queries.item_for_public("NOPE-0001") is None


def test_landing_counts_published_items_per_theme_channel_and_body(cluster):
    shown = make_item(body=cluster.education)
    hidden = make_item(body=cluster.education, published=False)
    for item in (shown, hidden):
        item.themes.add(theme("person", "jiaoyu"))
        item.channels.add(UserChannel.objects.get(slug="shimin"))
    make_item(body=cluster.health)

    with CaptureQueriesContext(connection) as captured:
        themes = {(t.audience, t.slug): t.item_count for t in queries.themes_with_counts()}
        channels = {c.slug: c.item_count for c in queries.channels_with_counts()}
        bodies = {b.slug: b.item_count for b in queries.bodies_with_published_items()}
    assert len(captured) == 3
    assert len(themes) == 22 and themes[("person", "jiaoyu")] == 1
    assert themes[("enterprise", "shebao")] == 0
    assert len(channels) == 6 and channels["shimin"] == 1
    assert bodies == {"education": 2 - 1, "health": 1}
    assert len(queries.themes_with_counts(audience="person")) == 10


def test_the_managers_list_holds_only_their_bodies_items_with_missing_elements(cluster):
    mine = make_item(body=cluster.education, code="M-0001")
    bare = make_item(body=cluster.education, code="M-0002", published=False)
    ServiceItem.objects.filter(pk=bare.pk).update(place="", complaint_phone="")
    ServiceMaterial.objects.filter(item=bare).delete()
    make_item(body=cluster.health, code="M-0003")
    manager = cluster.user("education", Role.SERVICE_ITEM_MANAGER)

    rows = {row.item.code: row.missing for row in queries.items_for_manager(manager)}
    assert rows == {mine.code: [], bare.code: ["申请材料", "办理地点", "监督投诉电话"]}
    assert [r.item.code for r in queries.items_for_manager(manager, incomplete=True)] == [
        bare.code]
    assert [r.item.code for r in queries.items_for_manager(manager, incomplete=False)] == [
        mine.code]
    assert [r.item.code for r in queries.items_for_manager(manager, published=False)] == [
        bare.code]
    assert [r.item.code for r in queries.items_for_manager(manager, q="m-0001")] == [mine.code]
    assert queries.items_for_manager(cluster.user("education", Role.SERVICE_HANDLER)) == []


def test_the_managers_list_query_count_does_not_grow_with_items(cluster):
    manager = cluster.user("education", Role.SERVICE_ITEM_MANAGER)
    make_item(body=cluster.education)

    def run():
        with CaptureQueriesContext(connection) as captured:
            rows = queries.items_for_manager(manager)
            [row.item.implementing_body.name for row in rows]
        return len(captured)

    run()  # the user's permissions are cached on the first call
    few = run()
    for _ in range(4):
        make_item(body=cluster.education)
    assert run() == few
