"""Tree reads by path range: the same pages as Wagtail's descendant_of, found by the index."""

import pytest
from django.db import connection
from wagtail.models import Page

from chuangkou.sitecluster.queries import children_of, descendants_of, subtree


def test_subtree_is_the_page_and_its_descendants(cluster):
    for page in Page.objects.all():
        assert set(Page.objects.filter(subtree(page.path))) == \
            set(Page.objects.descendant_of(page, inclusive=True)), page
        assert set(Page.objects.filter(descendants_of(page))) == \
            set(Page.objects.descendant_of(page)), page
        assert set(Page.objects.filter(children_of(page))) == set(page.get_children()), page


def test_subtree_of_a_page_excludes_its_next_sibling(cluster):
    first, second = cluster.education_site.home_page, cluster.health_site.home_page
    assert second.path > first.path
    assert not Page.objects.filter(subtree(first.path), pk=second.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_subtree_is_answered_from_the_path_index(cluster):
    queryset = Page.objects.filter(subtree(cluster.education_news.path))
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SCAN wagtailcore_page" not in plan.replace('"', "")
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan
