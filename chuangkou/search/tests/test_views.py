"""The portal's search page, suggestions and result links, end to end: database → change log →
index → page."""

from __future__ import annotations

import re
import time
from urllib.parse import unquote, urlparse

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.search import actions
from chuangkou.search.models import QueryStatistic
from chuangkou.services.tests.factories import make_item
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/sousuo/"


@pytest.fixture(autouse=True)
def _no_rate_limit_carry_over():
    cache.delete_many([f"search:{name}:127.0.0.1" for name in ("results", "suggest", "click")])


@pytest.fixture
def pension(cluster, search_index):
    article = make_article(column=cluster.health_news, title="城乡居民养老保险参保缴费指南",
                           body="<p>城乡居民养老保险每年缴费一次，可在社区服务中心办理。</p>")
    item = make_item(body=cluster.city, name="城乡居民养老保险参保登记", code="PENSION0001")
    search_index.apply()
    return article, item


def result_titles(response) -> list[str]:
    html = response.content.decode()
    section = html.split('id="results-title"', 1)[1]
    return [re.sub(r"<[^>]+>", "", title) for title in
            re.findall(r'<h3><a href="[^"]+">(.*?)</a></h3>', section)]


def s_links(html: str) -> str:
    """The targets of the signed result links in ``html``."""
    from django.core import signing

    from chuangkou.search.views import CLICK_SALT

    tokens = re.findall(r'/sousuo/go/\?t=([^"]+)"', html)
    return " ".join(signing.loads(unquote(token.replace("&amp;", "&").split("&")[0]),
                                  salt=CLICK_SALT)["u"] for token in tokens)


def test_query_finds_article_with_highlighted_title(client, pension):
    response = client.get(URL, {"q": "养老保险"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "城乡居民养老保险参保缴费指南" in result_titles(response)
    assert "<mark>养老保险</mark>" in html


def test_service_item_is_a_direct_answer_first(client, pension):
    response = client.get(URL, {"q": "养老保险 参保"})
    html = response.content.decode()
    answers = html.split('id="direct-answers-title"', 1)[1].split("</section>", 1)[0]
    assert "城乡居民" in answers and "登记" in answers and "PENSION0001" in s_links(answers)
    assert html.index('id="direct-answers-title"') < html.index('id="results-title"')


def test_traditional_query_finds_simplified_text(client, pension):
    response = client.get(URL, {"q": "養老保險"})
    assert "城乡居民养老保险参保缴费指南" in result_titles(response)


def test_full_width_query_is_normalised(client, cluster, search_index):
    make_article(column=cluster.portal_news, title="5G基站建设规划公示",
                 body="<p>全市新建5G基站两千个。</p>")
    search_index.apply()
    response = client.get(URL, {"q": "５Ｇ基站"})
    assert "5G基站建设规划公示" in result_titles(response)


def test_synonym_from_the_admin_widens_the_query(client, cluster, search_index):
    make_article(column=cluster.health_news, title="医疗保险异地就医备案办法",
                 body="<p>参保人员异地就医须先备案。</p>")
    search_index.apply()
    assert result_titles(client.get(URL, {"q": "医保"})) == []
    actions.create_synonym(terms="医保，医疗保险")
    assert "医疗保险异地就医备案办法" in result_titles(client.get(URL, {"q": "医保"}))


def test_pinyin_query_finds_chinese_title(client, pension):
    response = client.get(URL, {"q": "yanglaobaoxian"})
    assert "城乡居民养老保险参保缴费指南" in result_titles(response)


def test_best_bet_is_pinned_above_results(client, pension):
    _article, item = pension
    actions.create_best_bet(queries="养老\n社保", url=f"/banshi/items/{item.code}/",
                            title="养老保险一站式办理")
    html = client.get(URL, {"q": "養老"}).content.decode()
    assert 'id="best-bets-title"' in html
    assert html.index("养老保险一站式办理") < html.index('id="results-title"')


def test_filters_by_site_and_type(client, cluster, search_index):
    make_article(column=cluster.education_news, title="教育局公布招生计划",
                 body="<p>招生计划已公布。</p>")
    make_article(column=cluster.health_news, title="卫健委公布招生计划",
                 body="<p>医学院校招生计划。</p>")
    search_index.apply()
    response = client.get(URL, {"q": "招生计划", "site": cluster.education_site.pk})
    assert result_titles(response) == ["教育局公布招生计划"]
    response = client.get(URL, {"q": "招生计划", "column": cluster.health_news.pk})
    assert result_titles(response) == ["卫健委公布招生计划"]
    response = client.get(URL, {"q": "招生计划", "scope": "all"})
    assert len(result_titles(response)) == 2


def test_facets_show_counts_and_link_to_a_filter(client, cluster, search_index):
    for number in range(3):
        make_article(column=cluster.education_news, title=f"校园安全检查通报{number}",
                     body="<p>校园安全检查。</p>")
    make_item(body=cluster.education, name="校园安全隐患举报受理")
    search_index.apply()
    html = client.get(URL, {"q": "校园安全"}).content.decode()
    assert "文章（3）" in html and "办事服务（1）" in html
    assert "示例市教育局" in html.split('id="facets-title"', 1)[1]


def test_page_past_the_end_is_an_empty_page(client, pension):
    response = client.get(URL, {"q": "养老保险", "page": 999})
    assert response.status_code == 200
    assert result_titles(response) == []
    assert "找到" in response.content.decode()


@pytest.mark.parametrize("query", [
    "", "   ", "AND OR NOT", "+-*?~^:()", "“”「」！？。，", "\"unterminated", "-", "((((",
    "养老保险" * 2500, "<script>alert(1)</script>", "%00\x01\x02", "'; DROP TABLE x;--",
])
def test_bad_input_answers_a_page_quickly(client, pension, query):
    started = time.monotonic()
    response = client.get(URL, {"q": query})
    assert time.monotonic() - started < 1.0
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_invalid_filter_is_named_and_the_query_still_searched(client, pension):
    response = client.get(URL, {"q": "养老保险", "year": "abc", "page": "-1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "年份" in html and "页码" in html
    assert "城乡居民养老保险参保缴费指南" in result_titles(response)


def test_title_from_a_citizen_is_escaped(client, cluster, search_index):
    make_article(column=cluster.health_news, title="关于<b>加粗</b>标题&符号的说明",
                 body="<p>说明文字。</p>")
    search_index.apply()
    html = client.get(URL, {"q": "符号"}).content.decode()
    assert "<b>加粗</b>" not in html
    assert "&lt;b&gt;" in html


def test_search_is_counted_and_a_click_goes_through_to_the_result(client, pension):
    article, _item = pension
    response = client.get(URL, {"q": "养老保险"})
    statistic = QueryStatistic.objects.get(query="养老保险")
    assert (statistic.searches, statistic.zero_result_searches, statistic.clicks) == (1, 0, 0)
    link = re.search(r'<a href="(/sousuo/go/\?t=[^"]+)">[^<]*<mark>养老保险</mark>参保缴费指南',
                     response.content.decode()).group(1)
    followed = client.get(link.replace("&amp;", "&"))
    assert followed.status_code == 302
    assert followed["Location"].endswith(urlparse(article.url).path)
    statistic.refresh_from_db()
    assert statistic.clicks == 1


def test_a_forged_click_link_is_refused(client, pension):
    response = client.get("/sousuo/go/", {"t": "https://evil.example/"})
    assert response.status_code == 400
    assert not QueryStatistic.objects.filter(clicks__gt=0).exists()


def test_zero_result_search_is_counted(client, pension):
    client.get(URL, {"q": "火星移民"})
    assert QueryStatistic.objects.get(query="火星移民").zero_result_searches == 1


def test_second_page_is_not_counted_again(client, pension):
    client.get(URL, {"q": "养老保险", "page": 2})
    assert not QueryStatistic.objects.filter(query="养老保险").exists()


def test_suggestions_complete_chinese_and_pinyin_prefixes(client, pension):
    chinese = client.get("/sousuo/suggest/", {"q": "养老"}).json()["suggestions"]
    pinyin = client.get("/sousuo/suggest/", {"q": "yangl"}).json()["suggestions"]
    assert any(word.startswith("养老") for word in chinese)
    assert any(word.startswith("养老") for word in pinyin)


def test_rate_limit_answers_429(client, pension, settings):
    from chuangkou.search import views

    for _ in range(views.SEARCHES_PER_MINUTE):
        client.get(URL, {"q": "养老"})
    response = client.get(URL, {"q": "养老"})
    assert response.status_code == 429
    assert "过于频繁" in response.content.decode()


def test_did_you_mean_offers_the_homophone(client, cluster, search_index):
    make_article(column=cluster.health_news, title="社保卡申领流程", body="<p>社保卡可在银行网点申领。</p>")
    search_index.apply()
    html = client.get(URL, {"q": "社宝卡"}).content.decode()
    assert "您是不是要找" in html and "社保卡" in html.split("您是不是要找", 1)[1][:200]


def test_queries_do_not_grow_with_results(client, cluster, search_index):
    for number in range(2):
        make_article(column=cluster.health_news, title=f"无障碍环境建设{number}", body="<p>无障碍。</p>")
    search_index.apply()
    client.get(URL, {"q": "无障碍"})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "无障碍"})
    for number in range(2, 10):
        make_article(column=cluster.health_news, title=f"无障碍环境建设{number}", body="<p>无障碍。</p>")
    search_index.apply()
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"q": "无障碍"})
    assert len(many) == len(few)


def test_page_works_without_javascript_and_labels_the_box(client, pension):
    html = client.get(URL, {"q": "养老保险"}).content.decode()
    assert '<label for="search-q">' in html
    assert 'role="search"' in html
    form = re.search(r'<form class="search-form"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/sousuo/"' in form


def test_header_search_box_on_a_site_page_scopes_to_the_site(client, cluster):
    html = client.get(cluster.education_site.home_page.url).content.decode()
    form = html.split('class="header-search"', 1)[1].split("</form>", 1)[0]
    assert f'name="site" value="{cluster.education_site.pk}"' in form
