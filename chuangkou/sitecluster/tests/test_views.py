import re

import pytest
from django.core.cache import cache

from chuangkou.sitecluster.models import ErrorReport
from chuangkou.sitecluster.tests.factories import make_article
from chuangkou.sitecluster.views import REPORTS_PER_HOUR_PER_ADDRESS


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def report(client, **overrides):
    data = {"page_url": "/jyj/news/", "description": "第二段有错别字：“园区”写成了“圆区”。",
            "contact": "", "form_token": "token-1"}
    data.update(overrides)
    return client.post("/zhaocuo/", data)


@pytest.mark.django_db
def test_error_report_is_saved_against_the_site_of_the_page(client, cluster):
    response = report(client)
    assert response.status_code == 200
    assert "感谢您的反馈" in response.content.decode()
    saved = ErrorReport.objects.get()
    assert saved.site == cluster.education_site
    assert saved.page_url == "/jyj/news/"


@pytest.mark.django_db
def test_repeated_form_token_creates_one_report(client, cluster):
    report(client)
    report(client)
    assert ErrorReport.objects.count() == 1


@pytest.mark.django_db
def test_error_report_with_missing_fields_names_each_field(client, cluster):
    response = client.post("/zhaocuo/", {"page_url": "https://evil.example/", "description": "",
                                         "form_token": "t"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"page_url", "description"}
    assert "本站地址" in form.errors["page_url"][0]
    assert ErrorReport.objects.count() == 0


@pytest.mark.django_db
def test_markup_in_an_error_report_is_escaped_on_the_receipt(client, cluster):
    response = report(client, page_url="/<script>alert(1)</script>")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_error_reports_are_rate_limited_per_address(client, cluster):
    for number in range(REPORTS_PER_HOUR_PER_ADDRESS):
        assert report(client, form_token=f"t{number}").status_code == 200
    response = report(client, form_token="one-too-many")
    assert response.status_code == 429
    assert ErrorReport.objects.count() == REPORTS_PER_HOUR_PER_ADDRESS


@pytest.mark.django_db
def test_error_report_form_requires_csrf(cluster):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert report(strict).status_code == 403


@pytest.mark.django_db
def test_column_listing_is_paginated_newest_first(client, cluster):
    for number in range(25):
        make_article(column=cluster.education_news, title=f"第{number:02d}号通知")
    first = client.get("/jyj/news/")
    second = client.get("/jyj/news/?page=2")
    first_titles = [a.title for a in first.context["articles"]]
    assert len(first_titles) == 20 and first_titles[0] == "第24号通知"
    assert len(second.context["articles"]) == 6  # 25 here and the fixture's article
    assert 'rel="next"' in first.content.decode()
    assert client.get("/jyj/news/?page=999").status_code == 200
    assert client.get("/jyj/news/?page=abc").status_code == 200


@pytest.mark.django_db
def test_column_listing_query_count_does_not_grow_with_articles(client, cluster, django_assert_max_num_queries):
    make_article(column=cluster.education_news)
    client.get("/jyj/news/")  # warm the site-root cache
    with django_assert_max_num_queries(14) as few:
        client.get("/jyj/news/")
    for _ in range(15):
        make_article(column=cluster.education_news)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/jyj/news/")


@pytest.mark.django_db
def test_public_pages_are_semantic_and_accessible(client, cluster):
    for page in (cluster.portal.home_page, cluster.education_news, cluster.education_article):
        html = client.get(page.url).content.decode()
        assert '<html lang="zh-Hans">' in html
        assert html.count("<h1") == 1, page
        assert 'href="#main"' in html and 'id="main"' in html
        for landmark in ('role="banner"', "<main", 'role="contentinfo"', 'aria-label="主导航"'):
            assert landmark in html, (page, landmark)
        assert 'name="viewport"' in html
    article_html = client.get(cluster.education_article.url).content.decode()
    assert 'aria-label="当前位置"' in article_html and 'aria-current="page"' in article_html


@pytest.mark.django_db
def test_public_pages_load_nothing_from_other_hosts(client, cluster):
    external = re.compile(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', re.IGNORECASE)
    for page in (cluster.portal.home_page, cluster.education_news, cluster.education_article):
        html = client.get(page.url).content.decode()
        assert not external.search(html), page
    assert not external.search(client.get("/zhaocuo/").content.decode())


@pytest.mark.django_db
def test_column_and_article_meta_tags(client, cluster):
    column_html = client.get(cluster.education_news.url).content.decode()
    assert '<meta name="ColumnName" content="教育动态">' in column_html
    assert '<meta name="ColumnType" content="动态要闻">' in column_html
    article_html = client.get(cluster.education_article.url).content.decode()
    published = cluster.education_article.publication_date
    from django.utils import timezone

    local = timezone.localtime(published).strftime("%Y-%m-%d %H:%M")
    assert f'<meta name="PubDate" content="{local}">' in article_html
    assert '<meta name="ArticleTitle" content="示例市教育局部署秋季开学工作">' in article_html
    assert '<meta name="ContentSource" content="示例市人民政府办公厅">' in article_html


@pytest.mark.django_db
def test_home_page_shows_latest_articles_from_sub_columns(client, cluster):
    from chuangkou.sitecluster.tests.factories import make_column

    main = make_column(parent=cluster.portal.home_page, title="政务公开", slug="zwgk",
                       responsible_body=cluster.city)
    sub = make_column(parent=main, title="通知公告", slug="tzgg", responsible_body=cluster.city)
    make_article(column=sub, title="关于调整办公时间的通知")
    html = client.get("/").content.decode()
    section = html.split(f'id="column-{main.pk}"', 1)[1].split("</section>", 1)[0]
    assert "关于调整办公时间的通知" in section
