"""Under real concurrency, on both databases: parallel searches and clicks for a query nobody
searched today yet make one row with every one of them counted (the insert that loses the
race adds to the winner's row instead of failing or being lost)."""

from __future__ import annotations

from functools import partial

import pytest

from chuangkou.core.testing import run_at_once
from chuangkou.search import actions
from chuangkou.search.models import QueryStatistic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARALLEL = 8


def test_parallel_first_searches_of_the_day_make_one_row_counting_all():
    results, errors = run_at_once([
        partial(actions.record_search, query="养老保险", found=index % 2)
        for index in range(PARALLEL)])
    assert errors == [] and len(results) == PARALLEL
    row = QueryStatistic.objects.get()
    assert (row.query, row.searches, row.zero_result_searches, row.clicks) == (
        "养老保险", PARALLEL, PARALLEL // 2, 0)


def test_parallel_searches_and_clicks_are_all_counted():
    targets = [partial(actions.record_search, query="公积金 提取", found=0)
               for _index in range(PARALLEL // 2)]
    targets += [partial(actions.record_result_click, query="公积金  提取")
                for _index in range(PARALLEL // 2)]
    results, errors = run_at_once(targets)
    assert errors == [] and len(results) == PARALLEL
    row = QueryStatistic.objects.get()
    assert (row.query, row.searches, row.zero_result_searches, row.clicks) == (
        "公积金 提取", PARALLEL // 2, PARALLEL // 2, PARALLEL // 2)
