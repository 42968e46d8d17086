"""What 网上办事 indexes (检索): published service items with their 办事指南 and published
life-event guides as search documents, and the change-log entries their edits record."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.organizations.choices import Role
from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import build_documents
from chuangkou.search.testing import forget_recorded_changes as forget_changes
from chuangkou.search.testing import recorded_keys as recorded
from chuangkou.services import actions
from chuangkou.services.models import GuideStep, LifeEventGuide, ServiceFAQ, ServiceTheme
from chuangkou.services.search import (
    guide_documents,
    item_documents,
    iter_guide_documents,
    iter_item_documents,
)

from .factories import make_item

pytestmark = pytest.mark.django_db


def item_key(item) -> str:
    return f"service_item:{item.pk}"


def guide_key(guide) -> str:
    return f"life_event_guide:{guide.pk}"


def theme(slug: str) -> ServiceTheme:
    return ServiceTheme.objects.get(audience="person", slug=slug)


def make_guide(cluster, *, published=True, **extra) -> LifeEventGuide:
    values = {"title": "小孩上学", "slug": "xiaohai-shangxue", "summary": "从入学登记到转学。",
              "responsible_body": cluster.education, "is_published": published}
    values.update(extra)
    guide = LifeEventGuide.objects.create(**values)
    GuideStep.objects.create(guide=guide, title="入学登记", description="网上填报学生信息。",
                             sort_order=1)
    GuideStep.objects.create(guide=guide, title="转学申请", sort_order=2)
    return guide


# Service items --------------------------------------------------------------------------------


def test_published_item_becomes_a_service_document_with_its_whole_guide(cluster):
    # 23:30 UTC is the next day in Beijing: the document's date is the local one.
    with time_machine.travel(datetime(2026, 5, 31, 23, 30, tzinfo=UTC), tick=False):
        item = make_item(body=cluster.education, code="330100-JY-0001",
                         summary="为义务教育阶段学生办理转学。",
                         process_description="网上申请后五个工作日内办结。")
        ServiceFAQ.objects.create(item=item, question="转学需要多久？", answer="五个工作日。")
        item.themes.set([theme("jiaoyu")])

    [document] = item_documents([str(item.pk)])

    assert document.key == item_key(item)
    assert document.type == DocumentType.SERVICE_ITEM
    assert document.title == "义务教育阶段转学申请"
    assert document.keywords == f"为义务教育阶段学生办理转学。 {theme('jiaoyu').name}"
    assert document.text == (
        "适龄儿童少年。 网上申请后五个工作日内办结。 《中华人民共和国义务教育法》第十二条 "
        "居民身份证 转学申请表 受理 审查 决定 转学需要多久？ 五个工作日。 "
        "示例市政务服务中心一楼综合窗口")
    assert document.url == "/banshi/items/330100-JY-0001/"
    assert document.date.isoformat() == "2026-06-01"
    assert (document.body_id, document.body_name) == (cluster.education.pk, "示例市教育局")
    assert document.site_id is None and document.column_ids == ()
    assert document.extra == {"code": "330100-JY-0001"}


def test_unpublished_deleted_and_malformed_items_become_deletions(cluster):
    public = make_item(body=cluster.health)
    hidden = make_item(body=cluster.health, published=False)
    deleted = make_item(body=cluster.health)
    deleted_key = item_key(deleted)
    deleted.delete()

    documents, gone = build_documents([item_key(public), item_key(hidden), deleted_key,
                                       "service_item:x", "service_item:"])

    assert [document.key for document in documents] == [item_key(public)]
    assert gone == {item_key(hidden), deleted_key, "service_item:x", "service_item:"}


def _item_queries(items) -> int:
    with CaptureQueriesContext(connection) as context:
        documents = item_documents([str(item.pk) for item in items])
    assert len(documents) == len(items)
    return len(context.captured_queries)


def test_building_item_documents_costs_the_same_queries_for_one_item_as_for_twenty(cluster):
    items = [make_item(body=cluster.education) for _ in range(20)]
    for item in items[::2]:
        item.themes.set([theme("jiaoyu")])
        ServiceFAQ.objects.create(item=item, question="问", answer="答")
    assert _item_queries(items[:1]) == _item_queries(items) <= 5


def test_rebuild_yields_every_published_item_in_batches(cluster):
    items = [make_item(body=cluster.education) for _ in range(5)]
    make_item(body=cluster.education, published=False)
    with CaptureQueriesContext(connection) as context:
        keys = [document.key for document in iter_item_documents(batch_size=2)]
    assert keys == [item_key(item) for item in items]
    assert len(context.captured_queries) == 3 * 5 + 1  # three batches of five, one empty read


# Life-event guides ----------------------------------------------------------------------------


def test_published_guide_becomes_a_guide_document_with_summary_and_steps(cluster):
    guide = make_guide(cluster)
    [document] = guide_documents([str(guide.pk)])
    assert document.key == guide_key(guide)
    assert document.type == DocumentType.LIFE_EVENT_GUIDE
    assert document.title == "小孩上学"
    assert document.text == "从入学登记到转学。 入学登记 网上填报学生信息。 转学申请"
    assert document.url == "/banshi/guides/xiaohai-shangxue/"
    assert (document.body_id, document.body_name) == (cluster.education.pk, "示例市教育局")
    assert document.site_id is None


def test_unpublished_guides_become_deletions_and_a_batch_costs_two_queries(cluster):
    hidden = make_guide(cluster, published=False)
    guides = [make_guide(cluster, slug=f"guide-{number}") for number in range(10)]
    documents, gone = build_documents([guide_key(hidden), guide_key(guides[0])])
    assert [document.key for document in documents] == [guide_key(guides[0])]
    assert gone == {guide_key(hidden)}
    for batch in (guides[:1], guides):
        with CaptureQueriesContext(connection) as context:
            assert len(guide_documents([str(guide.pk) for guide in batch])) == len(batch)
        assert len(context.captured_queries) == 2
    assert [document.key for document in iter_guide_documents(batch_size=4)] == [
        guide_key(guide) for guide in guides]


# Change log -----------------------------------------------------------------------------------


def test_saving_publishing_and_unpublishing_an_item_record_its_key(cluster):
    manager = cluster.user("education", Role.SERVICE_ITEM_MANAGER)
    item = make_item(body=cluster.education, published=False)
    forget_changes()
    data = actions.service_item_data(item)
    actions.save_service_item(data=replace(data, summary="新的简介"), actor=manager, item=item)
    assert recorded() == {item_key(item)}
    forget_changes()
    actions.publish_service_item(item=item, actor=manager)
    assert recorded() == {item_key(item)}
    forget_changes()
    actions.unpublish_service_item(item=item, actor=manager)
    assert recorded() == {item_key(item)}


def test_changing_a_material_step_or_faq_records_the_item(cluster):
    item = make_item(body=cluster.health)
    other = make_item(body=cluster.health)
    forget_changes()
    material = item.materials.first()
    material.name = "户口簿"
    material.save()
    item.steps.first().delete()
    ServiceFAQ.objects.create(item=item, question="问", answer="答")
    assert recorded() == {item_key(item)}
    assert item_key(other) not in recorded()


def test_deleting_an_item_records_its_key(cluster):
    item = make_item(body=cluster.health)
    key = item_key(item)
    forget_changes()
    item.delete()
    assert key in recorded()


def test_changing_themes_from_either_side_records_the_items(cluster):
    item = make_item(body=cluster.education)
    other = make_item(body=cluster.education)
    education, moving = theme("jiaoyu"), ServiceTheme.objects.exclude(slug="jiaoyu").first()
    forget_changes()
    item.themes.add(education)
    assert recorded() == {item_key(item)}
    forget_changes()
    moving.items.add(other)
    assert recorded() == {item_key(other)}
    forget_changes()
    moving.items.clear()
    assert recorded() == {item_key(other)}


def test_renaming_a_theme_records_its_items(cluster):
    item = make_item(body=cluster.education)
    make_item(body=cluster.education)
    education = theme("jiaoyu")
    item.themes.add(education)
    forget_changes()
    education.name = "教育科研"
    education.save()
    assert recorded() == {item_key(item)}
    [document] = item_documents([str(item.pk)])
    assert document.keywords.endswith("教育科研")


def test_saving_a_guide_or_its_steps_and_deleting_it_record_its_key(cluster):
    guide = make_guide(cluster, published=False)
    forget_changes()
    actions.publish_life_event_guide(guide=guide, actor=None, check_permission=False)
    assert recorded() == {guide_key(guide)}
    forget_changes()
    step = guide.steps.first()
    step.description = "新的说明"
    step.save()
    assert recorded() == {guide_key(guide)}
    forget_changes()
    key = guide_key(guide)
    guide.delete()
    assert key in recorded()
