"""Real parallel clients: appliers racing for one replica, and changes committed while the
replica applies."""

from __future__ import annotations

import pytest

from chuangkou.core.testing import run_at_once
from chuangkou.search.querying import EngineQuery, TermGroup
from chuangkou.search.replica import apply_pending_changes
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def keys(store, word: str) -> list[str]:
    result = store.current().search(EngineQuery(groups=(TermGroup(alternatives=((word,),)),),
                                                limit=50, with_facets=False))
    return [hit.key for hit in result.hits]


def test_parallel_appliers_index_each_document_once(cluster, search_index, settings):
    settings.SEARCH_APPLY_AFTER_COMMIT = False  # the appliers below are the only ones
    articles = [make_article(column=cluster.health_news, title=f"健康科普讲座第{number}期",
                             body="<p>健康科普讲座。</p>") for number in range(6)]
    results, errors = run_at_once([lambda: apply_pending_changes(store=search_index.store)] * 3)
    assert errors == []
    assert sum(results) >= 1
    found = keys(search_index.store, "科普")
    assert sorted(found) == sorted(f"page:{article.pk}" for article in articles)


def test_articles_published_while_applying_are_all_indexed(cluster, search_index):
    def publish(number: int):
        return lambda: make_article(column=cluster.education_news,
                                    title=f"校外培训机构公示第{number}批",
                                    body="<p>校外培训机构白名单。</p>").pk

    targets = [publish(number) for number in range(4)]
    targets.append(lambda: apply_pending_changes(store=search_index.store))
    results, errors = run_at_once(targets)
    assert errors == []
    apply_pending_changes(store=search_index.store)
    published = {f"page:{pk}" for pk in results[:4]}
    assert set(keys(search_index.store, "培训")) == published
