"""RSS 2.0 and Atom 1.0 feeds of columns and sites, and the <link rel="alternate"> tags."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from chuangkou.organizations.choices import Role
from chuangkou.sitecluster import actions
from chuangkou.sitecluster.tests.factories import make_article, make_column
from chuangkou.sitecluster.tests.syndication_checks import (
    fetch_atom,
    fetch_rss,
    fetch_sitemap,
    fetch_sitemap_index,
)

FEEDS = ("feed/rss/", "feed/atom/")


def fetch(client, url, host="localhost"):
    return (fetch_rss if url.endswith("/rss/") else fetch_atom)(client, url, host=host)[1]


def titles(client, url, host="localhost"):
    return [unescape(item.title) for item in fetch(client, url, host)]


def adopt(cluster, article, column):
    submission = actions.submit_article_to_column(
        article=article, target_column=column,
        actor=cluster.user(article_body(cluster, article), Role.EDITOR),
    )
    actions.adopt_submission(submission=submission, actor=cluster.user("city", Role.EDITOR))


def article_body(cluster, article):
    for site, slug in ((cluster.education_site, "education"), (cluster.health_site, "health"),
                       (cluster.district_site, "dongcheng")):
        if article.path.startswith(site.home_page.path):
            return slug
    return "city"


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_column_feed_is_valid_and_describes_each_article(client, cluster, feed):
    article = cluster.education_article
    article.author, article.summary = "张三", "秋季开学工作部署"
    article.save_revision().publish()
    article.refresh_from_db()

    [item] = fetch(client, f"/jyj/news/{feed}")

    assert unescape(item.title) == "示例市教育局部署秋季开学工作"
    assert item.link == f"http://localhost/jyj/news/{article.slug}/"
    assert item.link == article.get_full_url()
    assert item.guid == f"urn:uuid:{article.translation_key}"
    assert item.published == article.publication_date.replace(microsecond=0)
    assert unescape(item.description) == "秋季开学工作部署"
    assert item.author == "张三"


@pytest.mark.django_db
def test_feed_guid_survives_a_rename_and_a_move(client, cluster):
    before = fetch(client, "/jyj/news/feed/rss/")[0].guid
    article = cluster.education_article
    article.title, article.slug = "改名后的标题", "renamed"
    article.save_revision().publish()
    other = make_column(parent=cluster.education_site.home_page, slug="other")
    article.refresh_from_db()
    article.move(other, pos="last-child")
    [item] = fetch(client, "/jyj/feed/rss/")
    assert item.guid == before and item.link == "http://localhost/jyj/other/renamed/"


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_site_and_portal_feeds_are_valid(client, cluster, feed):
    make_article(column=cluster.portal_news, title="市政府常务会议召开")
    assert titles(client, f"/{feed}") == ["市政府常务会议召开"]
    assert titles(client, f"/jyj/{feed}") == ["示例市教育局部署秋季开学工作"]
    assert titles(client, f"/{feed}", host="dongcheng.localhost") == []


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_feed_content_types_and_channel_identity(client, cluster, feed):
    response = client.get(f"/jyj/news/{feed}", HTTP_HOST="localhost")
    expected = "application/rss+xml" if feed.endswith("rss/") else "application/atom+xml"
    assert response["Content-Type"] == f"{expected}; charset=utf-8"
    assert response.has_header("Last-Modified")
    text = response.content.decode()
    assert "教育动态 - 示例市教育局" in text
    assert "http://localhost/jyj/news/" in text
    assert f"http://localhost/jyj/news/{feed}" in text  # the self link


@pytest.mark.django_db
def test_column_feed_includes_sub_columns_and_adopted_articles_newest_first(client, cluster):
    now = timezone.now()
    sub = make_column(parent=cluster.portal_news, title="区县动态", slug="qxdt")
    make_article(column=sub, title="子栏目文章", publication_date=now - timedelta(days=2))
    make_article(column=cluster.portal_news, title="本栏目文章", publication_date=now - timedelta(days=1))
    adopt(cluster, cluster.education_article, sub)
    adopted_date = cluster.education_article.publication_date

    feed = fetch(client, "/news/feed/atom/")
    assert [unescape(item.title) for item in feed] == [
        item for _date, item in sorted(
            [(now - timedelta(days=2), "子栏目文章"), (now - timedelta(days=1), "本栏目文章"),
             (adopted_date, "示例市教育局部署秋季开学工作")], reverse=True)
    ]
    adopted = next(item for item in feed if item.title == "示例市教育局部署秋季开学工作")
    assert adopted.link == cluster.education_article.get_full_url()  # stays on its own site
    # The portal's site feed carries the adopted article too; the sub-column feed as well.
    assert "示例市教育局部署秋季开学工作" in titles(client, "/feed/rss/")
    assert titles(client, "/news/qxdt/feed/rss/") == ["示例市教育局部署秋季开学工作", "子栏目文章"]


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_site_feed_leaves_out_nested_sites_with_their_own_identity(client, cluster, feed):
    make_article(column=cluster.district_news, title="东城区新闻")
    make_article(column=cluster.portal_news, title="门户新闻")
    assert titles(client, f"/{feed}") == ["门户新闻"]
    assert titles(client, f"/{feed}", host="dongcheng.localhost") == ["东城区新闻"]
    assert titles(client, f"/wjw/{feed}") == ["示例市卫健委发布健康提示"]


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_own_host_site_links_use_its_own_host_whichever_host_is_asked(client, cluster, feed):
    article = make_article(column=cluster.district_news, title="东城区新闻", slug="dc-news")
    expected = "http://dongcheng.localhost/news/dc-news/"
    assert [i.link for i in fetch(client, f"/news/{feed}", host="dongcheng.localhost")] == [expected]
    # Reached through the portal's tree, the links still name the site's own host.
    assert [i.link for i in fetch(client, f"/dongcheng/news/{feed}")] == [expected]
    # Adopted into a portal column, the article keeps its own host's link.
    adopt(cluster, article, cluster.portal_news)
    assert [i.link for i in fetch(client, f"/news/{feed}")] == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_drafts_unpublished_and_private_articles_never_appear(client, cluster, feed):
    make_article(column=cluster.education_news, title="草稿文章", publish=False)
    withdrawn = make_article(column=cluster.education_news, title="已撤回文章")
    withdrawn.unpublish()
    private_column = make_column(parent=cluster.education_site.home_page, title="内部栏目",
                                 slug="internal")
    make_article(column=private_column, title="内部文章")
    PageViewRestriction.objects.create(page=private_column, restriction_type="password",
                                       password="secret-password")
    secret_article = make_article(column=cluster.education_news, title="单篇受限文章")
    PageViewRestriction.objects.create(page=secret_article, restriction_type="login")

    hidden = {"草稿文章", "已撤回文章", "内部文章", "单篇受限文章"}
    for url in (f"/jyj/news/{feed}", f"/jyj/{feed}"):
        assert not hidden & set(titles(client, url)), url
    # A private column's own feed is behind its restriction like the column itself.
    response = client.get(f"/jyj/internal/{feed}", HTTP_HOST="localhost")
    assert response.status_code == 200 and "内部文章" not in response.content.decode()
    assert response["Content-Type"].startswith("text/html")  # the password form


@pytest.mark.django_db
def test_newly_published_article_appears_in_column_feed_site_feed_and_sitemap(client, cluster):
    draft = make_article(column=cluster.education_news, title="新发布的通知", slug="new-notice",
                         publish=False)
    sitemap_url = "/sitemaps/3301000002.xml"
    assert "新发布的通知" not in titles(client, "/jyj/news/feed/rss/")
    assert "http://localhost/jyj/news/new-notice/" not in fetch_sitemap(client, sitemap_url)

    draft.refresh_from_db()
    draft.get_latest_revision().publish()

    assert titles(client, "/jyj/news/feed/rss/")[0] == "新发布的通知"
    assert titles(client, "/jyj/news/feed/atom/")[0] == "新发布的通知"
    assert titles(client, "/jyj/feed/rss/")[0] == "新发布的通知"
    assert "http://localhost/jyj/news/new-notice/" in fetch_sitemap(client, sitemap_url)
    assert "http://localhost" + sitemap_url in fetch_sitemap_index(client)


@pytest.mark.django_db
def test_feeds_carry_the_twenty_newest_articles(client, cluster):
    start = timezone.now() - timedelta(days=30)
    for number in range(25):
        make_article(column=cluster.education_news, title=f"第{number:02d}号通知",
                     publication_date=start + timedelta(days=number))
    rss = titles(client, "/jyj/news/feed/rss/")
    atom = titles(client, "/jyj/feed/atom/")
    expected = ["示例市教育局部署秋季开学工作"] + [f"第{n:02d}号通知" for n in range(24, 5, -1)]
    assert rss == atom == expected


@pytest.mark.django_db
def test_summaries_are_plain_text_and_markup_is_escaped(client, cluster):
    make_article(column=cluster.education_news, title="标题<b>加粗</b> & 符号",
                 summary="<script>alert(1)</script> 摘要 & 说明")
    make_article(column=cluster.education_news, title="无摘要",
                 body="<p>第一段&amp;内容</p><p>第二段 <a href=\"/x\">链接</a></p>",
                 publication_date=timezone.now() - timedelta(hours=1))

    rss_raw = client.get("/jyj/news/feed/rss/", HTTP_HOST="localhost").content.decode()
    atom_raw = client.get("/jyj/news/feed/atom/", HTTP_HOST="localhost").content.decode()
    for raw in (rss_raw, atom_raw):
        assert "<script>" not in raw and "<b>" not in raw and "<p>" not in raw

    _channel, rss = fetch_rss(client, "/jyj/news/feed/rss/")
    # RSS readers treat title and description as HTML: one more level of escaping.
    assert rss[0].title == "标题&lt;b&gt;加粗&lt;/b&gt; &amp; 符号"
    assert rss[0].description == "&lt;script&gt;alert(1)&lt;/script&gt; 摘要 &amp; 说明"
    root, atom = fetch_atom(client, "/jyj/news/feed/atom/")
    assert atom[0].title == "标题<b>加粗</b> & 符号"
    assert atom[0].description == "<script>alert(1)</script> 摘要 & 说明"
    assert {s.get("type") for s in root.iter("{http://www.w3.org/2005/Atom}summary")} == {"text"}
    assert next(a for a in atom if a.title == "无摘要").description == "第一段&内容 第二段 链接"


@pytest.mark.django_db
def test_author_falls_back_to_source_and_feed_names_the_sponsor(client, cluster):
    make_article(column=cluster.education_news, title="有来源", source="市教育局办公室")
    root, atom = fetch_atom(client, "/jyj/news/feed/atom/")
    assert atom[0].author == "市教育局办公室"
    assert root.findtext("{http://www.w3.org/2005/Atom}author/{http://www.w3.org/2005/Atom}name") \
        == cluster.education_site.sponsor


@pytest.mark.django_db
def test_feed_routes_leave_pages_and_children_alone(client, cluster):
    assert client.get("/jyj/news/", HTTP_HOST="localhost").status_code == 200
    assert client.get(cluster.education_article.url, HTTP_HOST="localhost").status_code == 200
    assert client.get("/jyj/news/feed/", HTTP_HOST="localhost").status_code == 404
    article_feed = cluster.education_article.url + "feed/rss/"
    assert client.get(article_feed, HTTP_HOST="localhost").status_code == 404
    assert client.get("/jyj/news/feed/rss/", HTTP_HOST="localhost").status_code == 200


ALTERNATE = re.compile(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">')


def alternates(client, url, host="localhost"):
    html = client.get(url, HTTP_HOST=host).content.decode()
    head = html.split("</head>", 1)[0]
    return [(kind, unescape(title), href) for kind, title, href in ALTERNATE.findall(head)]


@pytest.mark.django_db
def test_column_site_home_and_article_pages_advertise_their_feeds(client, cluster):
    rss, atom = "application/rss+xml", "application/atom+xml"
    assert alternates(client, "/jyj/news/") == [
        (rss, "教育动态 RSS 订阅", "/jyj/news/feed/rss/"),
        (atom, "教育动态 Atom 订阅", "/jyj/news/feed/atom/"),
        (rss, "示例市教育局 RSS 订阅", "/jyj/feed/rss/"),
        (atom, "示例市教育局 Atom 订阅", "/jyj/feed/atom/"),
    ]
    assert alternates(client, "/jyj/") == [
        (rss, "示例市教育局 RSS 订阅", "/jyj/feed/rss/"),
        (atom, "示例市教育局 Atom 订阅", "/jyj/feed/atom/"),
    ]
    assert alternates(client, "/") == [
        (rss, "示例市人民政府门户网站 RSS 订阅", "/feed/rss/"),
        (atom, "示例市人民政府门户网站 Atom 订阅", "/feed/atom/"),
    ]
    # An article names its column's feeds first, then its site's.
    assert [href for _k, _t, href in alternates(client, cluster.education_article.url)] == [
        "/jyj/news/feed/rss/", "/jyj/news/feed/atom/", "/jyj/feed/rss/", "/jyj/feed/atom/",
    ]
    assert [href for _k, _t, href in alternates(client, "/news/", "dongcheng.localhost")] == [
        "/news/feed/rss/", "/news/feed/atom/", "/feed/rss/", "/feed/atom/",
    ]
    # Every advertised feed answers.
    for page_url in ("/jyj/news/", "/", cluster.education_article.url):
        for kind, _title, href in alternates(client, page_url):
            response = client.get(href, HTTP_HOST="localhost")
            assert response.status_code == 200 and response["Content-Type"].startswith(kind)


@pytest.mark.django_db
def test_error_report_page_advertises_the_site_feeds(client, cluster):
    hrefs = [href for _k, _t, href in alternates(client, "/zhaocuo/?page=/jyj/news/")]
    assert hrefs == ["/jyj/feed/rss/", "/jyj/feed/atom/"]


def _feed_articles(cluster, count, start):
    for number in range(count):
        make_article(column=cluster.education_news, title=f"教育新闻{start + number}")
        make_article(column=cluster.portal_news, title=f"门户新闻{start + number}")
    for number in range(count // 5):
        article = make_article(column=cluster.health_news, title=f"报送{start + number}")
        adopt(cluster, article, cluster.portal_news)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/jyj/news/feed/rss/", "/news/feed/atom/", "/feed/rss/",
                                 "/jyj/feed/atom/"])
def test_feed_query_count_does_not_grow_with_articles(client, cluster, url,
                                                      django_assert_max_num_queries):
    _feed_articles(cluster, 5, 0)
    client.get(url, HTTP_HOST="localhost")  # warm the site-root and content-type caches
    with django_assert_max_num_queries(12) as few:
        assert client.get(url, HTTP_HOST="localhost").status_code == 200
    baseline = len(few.captured_queries)  # read now: the query log is a bounded deque
    _feed_articles(cluster, 25, 100)
    with django_assert_max_num_queries(baseline):
        response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert len(fetch(client, url)) == 20
    if url.startswith(("/news/", "/feed/")):
        assert any(t.startswith("报送") for t in titles(client, url))


@pytest.mark.django_db
def test_page_query_counts_with_feed_links_stay_flat(client, cluster, django_assert_max_num_queries):
    article_url = cluster.education_article.url
    client.get(article_url, HTTP_HOST="localhost")
    # 17: the article also looks up the fragments other apps add (a disclosure record).
    with django_assert_max_num_queries(17) as few:
        client.get(article_url, HTTP_HOST="localhost")
    baseline = len(few.captured_queries)  # read now: the query log is a bounded deque
    _feed_articles(cluster, 10, 0)
    with django_assert_max_num_queries(baseline):
        client.get(article_url, HTTP_HOST="localhost")
