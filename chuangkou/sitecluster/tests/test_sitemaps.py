"""Per-host sitemap index, per-site sitemaps (split past the protocol's 50,000 URLs) and
robots.txt, validated against the sitemaps.org schemas."""

from datetime import datetime

import pytest
from wagtail.models import PageViewRestriction

from chuangkou.organizations.tests.factories import make_body
from chuangkou.sitecluster import sitemaps
from chuangkou.sitecluster.tests.factories import make_article, make_column, make_site
from chuangkou.sitecluster.tests.syndication_checks import (
    fetch_sitemap,
    fetch_sitemap_index,
    path_of,
)

PORTAL, JYJ, WJW, DONGCHENG = "3301000001", "3301000002", "3301000003", "3301020001"


def sitemap_of(client, code, host="localhost"):
    return fetch_sitemap(client, f"/sitemaps/{code}.xml", host=host)


@pytest.mark.django_db
def test_portal_host_index_lists_the_portal_and_every_path_site(client, cluster):
    assert fetch_sitemap_index(client) == [
        f"http://localhost/sitemaps/{PORTAL}.xml",
        f"http://localhost/sitemaps/{JYJ}.xml",
        f"http://localhost/sitemaps/{WJW}.xml",
    ]


@pytest.mark.django_db
def test_own_host_index_lists_only_that_site(client, cluster):
    assert fetch_sitemap_index(client, host="dongcheng.localhost") == [
        f"http://dongcheng.localhost/sitemaps/{DONGCHENG}.xml",
    ]


@pytest.mark.django_db
def test_a_path_site_nested_in_an_own_host_site_is_listed_on_that_host(client, cluster):
    street_body = make_body(parent=cluster.district, name="示例市东城区东华街道办事处",
                            short_name="东华街道", slug="donghua")
    make_site(owner_body=street_body, name="东华街道", slug="donghua",
              identification_code="3301020002", parent_page=cluster.district_site.home_page)
    assert fetch_sitemap_index(client, host="dongcheng.localhost") == [
        f"http://dongcheng.localhost/sitemaps/{DONGCHENG}.xml",
        "http://dongcheng.localhost/sitemaps/3301020002.xml",
    ]
    assert "http://localhost/sitemaps/3301020002.xml" not in fetch_sitemap_index(client)
    street = sitemap_of(client, "3301020002", host="dongcheng.localhost")
    assert list(street) == ["http://dongcheng.localhost/donghua/"]
    assert "http://dongcheng.localhost/donghua/" not in sitemap_of(client, DONGCHENG,
                                                                   host="dongcheng.localhost")


@pytest.mark.django_db
def test_each_site_sitemap_lists_its_own_public_pages_only(client, cluster):
    article = cluster.education_article
    assert set(sitemap_of(client, JYJ)) == {
        "http://localhost/jyj/", "http://localhost/jyj/news/",
        f"http://localhost/jyj/news/{article.slug}/",
    }
    # The portal's sitemap stops at the sites nested in it (path-based and own-host alike).
    assert set(sitemap_of(client, PORTAL)) == {"http://localhost/", "http://localhost/news/"}
    assert set(sitemap_of(client, DONGCHENG, host="dongcheng.localhost")) == {
        "http://dongcheng.localhost/", "http://dongcheng.localhost/news/",
    }


@pytest.mark.django_db
def test_lastmod_is_a_w3c_datetime_of_the_last_publication(client, cluster):
    article = cluster.education_article
    article.refresh_from_db()
    entries = sitemap_of(client, JYJ)
    lastmod = datetime.fromisoformat(entries[f"http://localhost/jyj/news/{article.slug}/"])
    assert lastmod.utcoffset() is not None
    assert lastmod == article.last_published_at.replace(microsecond=0)
    assert all(value for value in entries.values())


@pytest.mark.django_db
def test_sitemap_of_a_site_is_not_served_on_another_host(client, cluster):
    assert client.get(f"/sitemaps/{DONGCHENG}.xml", HTTP_HOST="localhost").status_code == 404
    assert client.get(f"/sitemaps/{JYJ}.xml", HTTP_HOST="dongcheng.localhost").status_code == 404
    assert client.get("/sitemaps/3309999999.xml", HTTP_HOST="localhost").status_code == 404
    assert client.get(f"/sitemaps/{JYJ}-2.xml", HTTP_HOST="localhost").status_code == 404
    assert client.post("/sitemap.xml", HTTP_HOST="localhost").status_code == 405


@pytest.mark.django_db
def test_drafts_unpublished_and_private_pages_never_appear(client, cluster):
    draft = make_article(column=cluster.education_news, title="草稿", slug="draft", publish=False)
    withdrawn = make_article(column=cluster.education_news, title="撤回", slug="withdrawn")
    withdrawn.unpublish()
    private = make_column(parent=cluster.education_site.home_page, title="内部", slug="internal")
    make_article(column=private, title="内部文章", slug="internal-article")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    locs = set(sitemap_of(client, JYJ))
    for slug in (draft.slug, withdrawn.slug, "internal", "internal/internal-article"):
        assert not any(loc.rstrip("/").endswith(slug) for loc in locs), slug
    assert "http://localhost/jyj/news/" in locs


@pytest.mark.django_db
def test_own_host_site_urls_use_the_own_host(client, cluster):
    article = make_article(column=cluster.district_news, title="东城新闻", slug="dc")
    entries = sitemap_of(client, DONGCHENG, host="dongcheng.localhost")
    assert "http://dongcheng.localhost/news/dc/" in entries
    assert article.get_full_url() == "http://dongcheng.localhost/news/dc/"
    for site_code in (PORTAL, JYJ, WJW):
        assert not any("dongcheng" in loc for loc in sitemap_of(client, site_code))


@pytest.mark.django_db
def test_chinese_slugs_are_percent_encoded_like_wagtail_urls(client, cluster):
    column = make_column(parent=cluster.education_site.home_page, title="通知公告", slug="通知公告")
    article = make_article(column=column, title="关于开学的通知", slug="关于开学的通知")
    locs = set(sitemap_of(client, JYJ))
    assert column.get_full_url() in locs and article.get_full_url() in locs
    assert all(loc.isascii() for loc in locs)
    assert client.get(path_of(article.get_full_url()), HTTP_HOST="localhost").status_code == 200


@pytest.mark.django_db
def test_a_large_site_is_split_into_numbered_parts(client, cluster, monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_URLS_PER_SITEMAP", 2)
    make_article(column=cluster.education_news, title="第二篇")
    index = fetch_sitemap_index(client)
    assert index == [
        f"http://localhost/sitemaps/{PORTAL}.xml",  # two pages: one part, no number
        f"http://localhost/sitemaps/{JYJ}-1.xml",
        f"http://localhost/sitemaps/{JYJ}-2.xml",
        f"http://localhost/sitemaps/{WJW}-1.xml",
        f"http://localhost/sitemaps/{WJW}-2.xml",
    ]
    first, second = (fetch_sitemap(client, path_of(url)) for url in index[1:3])
    assert len(first) == 2 and len(second) == 2 and not set(first) & set(second)
    assert len(set(first) | set(second)) == 4  # home, column, two articles
    assert client.get(f"/sitemaps/{JYJ}-3.xml", HTTP_HOST="localhost").status_code == 404


@pytest.mark.django_db
def test_robots_txt_points_at_the_hosts_sitemap_index_and_keeps_out_of_the_admin(client, cluster):
    for host in ("localhost", "dongcheng.localhost"):
        response = client.get("/robots.txt", HTTP_HOST=host)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines and "Disallow: /admin/" in lines
        assert "Disallow: /yonghu/" in lines
        assert f"Sitemap: http://{host}/sitemap.xml" in lines


@pytest.mark.django_db
def test_footer_link_to_the_sitemap_answers(client, cluster):
    html = client.get("/jyj/news/", HTTP_HOST="localhost").content.decode()
    assert 'href="/sitemap.xml"' in html
    assert client.get("/sitemap.xml", HTTP_HOST="localhost").status_code == 200


def _grow(cluster, count):
    for _ in range(count):
        make_article(column=cluster.education_news)
        make_article(column=cluster.portal_news)
        make_article(column=cluster.district_news)


@pytest.mark.django_db
def test_index_query_count_does_not_grow_with_pages_or_sites(client, cluster,
                                                             django_assert_max_num_queries):
    _grow(cluster, 3)
    fetch_sitemap_index(client)  # warm the site-root cache
    with django_assert_max_num_queries(4) as few:
        fetch_sitemap_index(client)
    baseline = len(few.captured_queries)  # read now: the query log is a bounded deque
    _grow(cluster, 10)
    for number in range(3):
        body = make_body(parent=cluster.city, name=f"示例市第{number}局", slug=f"bureau-{number}")
        site = make_site(owner_body=body, slug=f"bureau-{number}",
                         identification_code=f"33010001{number:02d}")
        make_article(column=make_column(parent=site.home_page), title="新站点文章")
    fetch_sitemap_index(client)  # the site-root cache was cleared by the new sites
    with django_assert_max_num_queries(baseline):
        assert len(fetch_sitemap_index(client)) == 6


@pytest.mark.django_db
def test_sitemap_query_count_does_not_grow_with_pages(client, cluster,
                                                      django_assert_max_num_queries):
    _grow(cluster, 3)
    sitemap_of(client, JYJ)
    with django_assert_max_num_queries(4) as few:
        assert len(sitemap_of(client, JYJ)) == 6
    baseline = len(few.captured_queries)  # read now: the query log is a bounded deque
    _grow(cluster, 20)
    with django_assert_max_num_queries(baseline):
        assert len(sitemap_of(client, JYJ)) == 26
