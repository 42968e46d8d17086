"""The index replica: the change log applied after commit, idempotently, catching up after a
stop, and the ids PostgreSQL shows out of order."""

from __future__ import annotations

import pytest

from chuangkou.search.choices import DocumentType
from chuangkou.search.models import IndexChange
from chuangkou.search.querying import EngineQuery, Filters, TermGroup
from chuangkou.search.replica import ReplicaState, pending_change_count
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db


def keys_for(index, word: str, **filters) -> set[str]:
    result = index.search(EngineQuery(groups=(TermGroup(alternatives=((word,),)),),
                                      filters=Filters(**filters), limit=50, with_facets=False))
    return {hit.key for hit in result.hits}


def test_published_article_is_found_once_the_log_is_applied(cluster, search_index):
    article = make_article(column=cluster.health_news, title="城乡居民养老保险待遇调整公告",
                           body="<p>自明年一月起调整城乡居民基础养老金标准。</p>")
    assert keys_for(search_index.index, "养老金") == set()
    assert search_index.apply() > 0
    assert keys_for(search_index.index, "养老金") == {f"page:{article.pk}"}
    assert pending_change_count(store=search_index.store) == 0


def test_unpublished_article_leaves_the_index(cluster, search_index):
    article = make_article(column=cluster.health_news, title="流感疫苗接种点公布",
                           body="<p>全市设立流感疫苗接种点一百个。</p>")
    search_index.apply()
    assert keys_for(search_index.index, "疫苗") == {f"page:{article.pk}"}
    article.unpublish()
    search_index.apply()
    assert keys_for(search_index.index, "疫苗") == set()


def test_deleted_article_leaves_the_index(cluster, search_index):
    article = make_article(column=cluster.health_news, title="献血屋开放时间调整",
                           body="<p>献血屋周末照常开放。</p>")
    search_index.apply()
    article.delete()
    search_index.apply()
    assert keys_for(search_index.index, "献血") == set()


def test_applying_twice_changes_nothing(cluster, search_index):
    make_article(column=cluster.health_news, title="家庭医生签约服务指南",
                 body="<p>签约家庭医生可享受预约转诊。</p>")
    search_index.apply()
    count = search_index.index.count()
    state = ReplicaState.load(search_index.store.root)
    state.cursor = 0
    state.save(search_index.store.root)
    search_index.apply()
    assert search_index.index.count() == count
    assert len(keys_for(search_index.index, "家庭医生")) == 1


def test_stopped_replica_catches_up_from_its_cursor(cluster, search_index):
    first = make_article(column=cluster.health_news, title="儿童免疫规划疫苗目录",
                         body="<p>免疫规划疫苗免费接种。</p>")
    search_index.apply()
    cursor = ReplicaState.load(search_index.store.root).cursor
    assert cursor == IndexChange.objects.order_by("-id").first().id
    second = make_article(column=cluster.education_news, title="义务教育免疫接种查验",
                          body="<p>入学前查验预防接种证。</p>")
    assert pending_change_count(store=search_index.store) > 0
    search_index.apply()
    assert keys_for(search_index.index, "免疫") == {f"page:{first.pk}", f"page:{second.pk}"}


def test_an_id_seen_late_is_applied_when_it_appears(cluster, search_index):
    """PostgreSQL hands out ids at insert and shows rows at commit: a lower id can appear after
    a higher one was applied. The replica remembers the gap and looks for it again."""
    article = make_article(column=cluster.health_news, title="职业病防治宣传周",
                           body="<p>职业病防治法宣传周活动。</p>")
    IndexChange.objects.filter(key=f"page:{article.pk}").delete()
    latest = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    late_id = latest + 2
    IndexChange.objects.create(id=latest + 5, key="page:0")
    search_index.apply()
    assert late_id in ReplicaState.load(search_index.store.root).gaps
    assert keys_for(search_index.index, "职业病") == set()
    IndexChange.objects.create(id=late_id, key=f"page:{article.pk}")
    search_index.apply()
    assert keys_for(search_index.index, "职业病") == {f"page:{article.pk}"}
    assert late_id not in ReplicaState.load(search_index.store.root).gaps


def test_rebuild_indexes_every_public_document_and_keeps_the_cursor(cluster, search_index):
    make_article(column=cluster.district_news, title="东城区老旧小区改造计划",
                 body="<p>今年改造老旧小区三十个。</p>")
    make_article(column=cluster.district_news, title="东城区草稿", body="<p>草稿不公开。</p>",
                 publish=False)
    search_index.apply()
    cursor = ReplicaState.load(search_index.store.root).cursor
    count = search_index.rebuild()
    assert count == search_index.index.count()
    assert keys_for(search_index.index, "小区")
    assert keys_for(search_index.index, "草稿") == set()
    assert ReplicaState.load(search_index.store.root).cursor == cursor


def test_change_is_applied_after_commit_when_switched_on(cluster, search_index,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = make_article(column=cluster.health_news, title="急救知识进社区",
                               body="<p>心肺复苏培训。</p>")
    assert callbacks, "applying is scheduled after commit"
    assert keys_for(search_index.index, "急救") == {f"page:{article.pk}"}


def test_nothing_is_scheduled_when_the_transaction_rolls_back(cluster, search_index,
                                                              django_capture_on_commit_callbacks):
    from django.db import transaction

    class Abort(Exception):
        pass

    before = IndexChange.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                make_article(column=cluster.health_news, title="撤回的文章",
                             body="<p>不会发布。</p>")
                assert IndexChange.objects.count() > before
                raise Abort
        except Abort:
            pass
    assert callbacks == []
    assert IndexChange.objects.count() == before


def test_service_items_are_typed_for_the_type_filter(cluster, search_index):
    from chuangkou.services.tests.factories import make_item

    make_item(body=cluster.education, name="义务教育阶段转学申请")
    search_index.apply()
    assert keys_for(search_index.index, "转学", type=DocumentType.SERVICE_ITEM)
    assert keys_for(search_index.index, "转学", type=DocumentType.ARTICLE) == set()
